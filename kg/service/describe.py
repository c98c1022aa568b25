"""The endpoint's SPARQL 1.1 Service Description, with a VoID description of the dataset it serves."""
from __future__ import annotations

from functools import lru_cache

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize

from kg.namespaces import BASE, DCTERMS, PREFIXES, RDF, XSD
from kg.sparql import RDF_FORMATS

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMAT_TERMS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                       "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]


@lru_cache(maxsize=4)
def graph_sizes(store) -> tuple[tuple[str, int], ...]:
    """Triples per named graph; cached per store snapshot (a reopened view is a new object)."""
    rows = store.select("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    return tuple((r["g"], int(r["n"])) for r in rows)


def service_description(store, endpoint: str, media_type: str) -> bytes:
    """``sd:Service`` for ``endpoint`` with its default dataset, which is also a ``void:Dataset``."""
    n = NamedNode
    sd, void, rdf_type = (lambda t: n(SD + t)), (lambda t: n(VOID + t)), n(RDF + "type")
    service, dataset, default_graph = n(endpoint), n(endpoint + "#dataset"), BlankNode()
    sizes = graph_sizes(store)
    out = [
        Triple(service, rdf_type, sd("Service")),
        Triple(service, sd("endpoint"), service),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        Triple(service, sd("defaultEntailmentRegime"), n("http://www.w3.org/ns/entailment/Simple")),
        Triple(service, sd("defaultDataset"), dataset),
        Triple(dataset, rdf_type, sd("Dataset")),
        Triple(dataset, rdf_type, void("Dataset")),
        Triple(dataset, n(DCTERMS + "title"), Literal("r2p-kg: R2P and atrocity-prevention documents as a knowledge graph")),
        Triple(dataset, void("sparqlEndpoint"), service),
        Triple(dataset, void("uriSpace"), Literal(BASE)),
        Triple(dataset, void("triples"), Literal(str(sum(s for _, s in sizes)), datatype=n(XSD + "integer"))),
        Triple(dataset, sd("defaultGraph"), default_graph),
        Triple(default_graph, rdf_type, sd("Graph")),
        Triple(default_graph, n(DCTERMS + "description"), Literal("The union of all named graphs (one per source document)")),
    ]
    out += [Triple(dataset, void("exampleResource"), n(r["d"]))
            for r in store.select("SELECT ?d { GRAPH ?g { ?d prov:wasDerivedFrom ?g } } ORDER BY ?d LIMIT 1")]
    out += [Triple(service, sd("resultFormat"), n(FORMATS + f)) for f in RESULT_FORMAT_TERMS]
    out += [Triple(dataset, void("vocabulary"), n(ns)) for p, ns in PREFIXES.items() if p not in ("id", "rdf", "xsd")]
    for graph, size in sizes:
        named, body = BlankNode(), BlankNode()
        out += [
            Triple(dataset, sd("namedGraph"), named),
            Triple(named, sd("name"), n(graph)),
            Triple(named, sd("graph"), body),
            Triple(body, rdf_type, sd("Graph")),
            Triple(body, void("triples"), Literal(str(size), datatype=n(XSD + "integer"))),
            Triple(dataset, void("subset"), n(graph)),
        ]
    prefixes = {**PREFIXES, "sd": SD, "void": VOID, "formats": FORMATS}
    return serialize(out, format=RDF_FORMATS[media_type], prefixes=prefixes if media_type == "text/turtle" else None)
