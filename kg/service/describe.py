"""The endpoint's SPARQL 1.1 Service Description, with a VoID description of the dataset it serves.

The VoID facts are ``kg.dump``'s, the same that `r2p dump` writes beside its N-Quads.
"""
from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize

from kg.dump import VOID, graph_sizes, void_triples
from ingest.namespaces import DCTERMS, PREFIXES, RDF
from kg.sparql import RDF_FORMATS

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMAT_TERMS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                       "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]


def service_description(view, endpoint: str, media_type: str) -> bytes:
    """``sd:Service`` for ``endpoint`` with its default dataset, which is also a ``void:Dataset``.

    ``view`` is the service's store view: the graph sizes are memoised per snapshot of the embedded
    store (a remote one is asked each time).
    """
    store = view.get()
    n = NamedNode
    sd, void, rdf_type = (lambda t: n(SD + t)), (lambda t: n(VOID + t)), n(RDF + "type")
    service, dataset, default_graph = n(endpoint), n(endpoint + "#dataset"), BlankNode()
    sizes = view.memo(("graph-sizes",), graph_sizes)
    out = [
        Triple(service, rdf_type, sd("Service")),
        Triple(service, sd("endpoint"), service),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        Triple(service, sd("defaultEntailmentRegime"), n("http://www.w3.org/ns/entailment/Simple")),
        Triple(service, sd("defaultDataset"), dataset),
        Triple(dataset, rdf_type, sd("Dataset")),
        Triple(dataset, void("sparqlEndpoint"), service),
        Triple(dataset, sd("defaultGraph"), default_graph),
        Triple(default_graph, rdf_type, sd("Graph")),
        Triple(default_graph, n(DCTERMS + "description"), Literal("The union of all named graphs (one per source document)")),
        *void_triples(dataset, sizes),
    ]
    out += [Triple(dataset, void("exampleResource"), n(r["d"]))
            for r in store.select("SELECT ?d { GRAPH ?g { ?d prov:wasDerivedFrom ?g } } ORDER BY ?d LIMIT 1")]
    out += [Triple(service, sd("resultFormat"), n(FORMATS + f)) for f in RESULT_FORMAT_TERMS]
    for graph, _ in sizes:
        named, body = BlankNode(), BlankNode()
        out += [
            Triple(dataset, sd("namedGraph"), named),
            Triple(named, sd("name"), n(graph)),
            Triple(named, sd("graph"), body),
            Triple(body, rdf_type, sd("Graph")),
        ]
    prefixes = {**PREFIXES, "sd": SD, "void": VOID, "formats": FORMATS}
    return serialize(out, format=RDF_FORMATS[media_type], prefixes=prefixes if media_type == "text/turtle" else None)
