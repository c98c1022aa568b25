"""What the graph holds, document by document, country by country and URI by URI: the reads behind
/documents, /countries and the dereferenceable URIs.

Plain data out of fixed SPARQL queries; a caller's reference (an id, a UN symbol, a country name)
only ever enters a query as an escaped literal or a URI built by ``ingest.namespaces``, so it can never
change the query's shape.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pycountry
from pyoxigraph import NamedNode, Triple

from kg.cited_examples import Example, ExampleFilter, find_examples, sparql_literal
from kg.positions import Position, timeline
from ingest.namespaces import BASE, ONTOLOGY_GRAPH, country_uri, symbol_slug

INCOMING_CAP = 1000  # links read into one resource (a country may be named by thousands of paragraphs)


class NotInGraph(LookupError):
    """No document or country answers to the reference; the message says where to look instead."""


class AmbiguousReference(ValueError):
    """The reference names more than one document; the message lists them."""


@dataclass
class DocumentSummary:
    id: str  # last segment of the URI, e.g. "S-RES-827-1993"
    uri: str
    title: str
    symbol: str | None
    type: str
    date: str | None
    parts: int  # nodes of the document (paragraphs, clauses, footnotes...)


@dataclass
class Part:
    uri: str
    kind: str  # the r2p class: Paragraph, Clause, Article, Footnote...
    number: str | None
    title: str | None
    citation: str | None
    text: str | None
    order: int
    parts: list[Part] = field(default_factory=list)


@dataclass
class Document:
    summary: DocumentSummary
    structure: list[Part]  # the top-level parts in document order, each with its own parts
    title_block: str | None = None  # the lines at its head as printed (a letterhead, session and agenda lines)


@dataclass
class CountryParagraph:
    uri: str
    citation: str | None
    text: str | None
    document: str | None  # document URI


@dataclass
class Country:
    iso: str
    name: str
    uri: str
    paragraphs: list[CountryParagraph]
    examples: list[Example]
    resolutions: list[DocumentSummary] = field(default_factory=list)  # resolutions with a paragraph naming it
    statements: list[Position] = field(default_factory=list)  # its statements' timeline, as /positions gives it


@dataclass
class Link:
    """One citation between documents: ``source`` (a part, with its citation) references ``target``."""

    source: str
    source_citation: str | None
    target: str
    target_label: str | None


@dataclass
class DocumentLinks:
    cites: list[Link]  # what this document's parts reference in other documents
    cited_by: list[Link]  # parts of other documents that reference this one or its parts


_DOCUMENTS = """
SELECT ?d ?title ?symbol ?type ?date (COUNT(DISTINCT ?p) AS ?parts) {
  GRAPH ?g { ?d prov:wasDerivedFrom ?g ; dcterms:title ?title ; r2p:documentType ?type .
    OPTIONAL { ?d dcterms:identifier ?symbol } OPTIONAL { ?d dcterms:date ?date } OPTIONAL { ?p r2p:inDocument ?d } }
  %s
} GROUP BY ?d ?title ?symbol ?type ?date ORDER BY ?d
"""
_PARTS = """
SELECT ?p ?parent ?class ?number ?order ?title ?text ?citation {
  GRAPH ?g { %(d)s prov:wasDerivedFrom ?g . ?p r2p:inDocument %(d)s ; dcterms:isPartOf ?parent ; r2p:order ?order ; a ?class .
    FILTER(STRSTARTS(STR(?class), STR(r2p:)))
    OPTIONAL { ?p r2p:number ?number } OPTIONAL { ?p dcterms:title ?title }
    OPTIONAL { ?p r2p:text ?text } OPTIONAL { ?p r2p:citation ?citation } }
}
"""
_COUNTRY_PARAGRAPHS = """
SELECT DISTINCT ?p ?citation ?text ?d {
  ?p r2p:mentionsCountry %s . OPTIONAL { ?p r2p:citation ?citation } OPTIONAL { ?p r2p:text ?text }
  OPTIONAL { ?p r2p:inDocument ?d }
} ORDER BY ?d ?citation
"""


_COUNTRY_RESOLUTIONS = """
SELECT ?d ?title ?symbol ?type ?date (COUNT(DISTINCT ?p) AS ?parts) {
  ?p r2p:mentionsCountry %s ; r2p:inDocument ?d .
  GRAPH ?g { ?d prov:wasDerivedFrom ?g ; r2p:documentType "resolution" ; r2p:documentType ?type ; dcterms:title ?title .
    OPTIONAL { ?d dcterms:identifier ?symbol } OPTIONAL { ?d dcterms:date ?date } }
} GROUP BY ?d ?title ?symbol ?type ?date ORDER BY ?date ?d
"""
# Labels come from the target's own graph where it has one, else from the stub its citer wrote.
_CITES = """
SELECT ?source ?sourceCitation ?target (SAMPLE(?label) AS ?targetLabel) {
  ?source r2p:inDocument %(d)s ; dcterms:references ?target .
  FILTER NOT EXISTS { ?target r2p:inDocument %(d)s } FILTER(?target != %(d)s)
  OPTIONAL { ?source r2p:citation ?sourceCitation }
  OPTIONAL { ?target r2p:citation|dcterms:identifier|dcterms:title ?label }
} GROUP BY ?source ?sourceCitation ?target ORDER BY ?source ?target
"""
_CITED_BY = """
SELECT ?source ?sourceCitation ?target (SAMPLE(?label) AS ?targetLabel) {
  { ?source dcterms:references %(d)s BIND(%(d)s AS ?target) }
  UNION { ?target r2p:inDocument %(d)s . ?source dcterms:references ?target }
  FILTER NOT EXISTS { ?source r2p:inDocument %(d)s } FILTER(?source != %(d)s)
  OPTIONAL { ?source r2p:citation ?sourceCitation }
  OPTIONAL { ?target r2p:citation ?label }
} GROUP BY ?source ?sourceCitation ?target ORDER BY ?source ?target
"""


def _summary(row: dict) -> DocumentSummary:
    uri = row["d"]
    return DocumentSummary(id=uri.rsplit("/", 1)[-1], uri=uri, title=row["title"], symbol=row.get("symbol"),
                           type=row["type"], date=row.get("date"), parts=int(row["parts"]))


def list_documents(store) -> list[DocumentSummary]:
    """Every ingested document (the graph that describes it, not other documents' references to it)."""
    return [_summary(r) for r in store.select(_DOCUMENTS % "")]


def find_document(store, ref: str) -> DocumentSummary:
    """A document by id (``A-67-929``), UN symbol (``A/67/929``, ``S/RES/827 (1993)``) or symbol without year."""
    rows = store.select(_DOCUMENTS % (
        f"FILTER(?d = <{BASE}doc/{symbol_slug(ref)}> || LCASE(STR(?symbol)) = LCASE({sparql_literal(ref)}) "
        f"|| STRSTARTS(LCASE(STR(?symbol)), LCASE({sparql_literal(ref + ' (')})))"))
    if not rows:
        raise NotInGraph(f"no document {ref!r}: see /documents for the list")
    if len(rows) > 1:
        raise AmbiguousReference(f"{ref!r} is ambiguous: {', '.join(r['d'].rsplit('/', 1)[-1] for r in rows)}")
    return _summary(rows[0])


def document(store, ref: str) -> Document:
    """The document ``ref`` names (see ``find_document``) with its parts as a tree in document order."""
    summary = find_document(store, ref)
    nodes: dict[str, Part] = {}
    children: dict[str, list[str]] = {}
    for row in store.select(_PARTS % {"d": f"<{summary.uri}>"}):
        nodes[row["p"]] = Part(uri=row["p"], kind=row["class"].rsplit("#", 1)[-1], number=row.get("number"),
                               title=row.get("title"), citation=row.get("citation"), text=row.get("text"),
                               order=int(row["order"]))
        children.setdefault(row["parent"], []).append(row["p"])

    def in_order(uris: list[str]) -> list[Part]:
        return sorted((nodes[u] for u in uris), key=lambda n: n.order)

    for parent, kids in children.items():
        if parent in nodes:
            nodes[parent].parts = in_order(kids)
    block = store.select(f"SELECT ?b WHERE {{ <{summary.uri}> r2p:titleBlock ?b }} LIMIT 1")
    return Document(summary, in_order(children.get(summary.uri, [])), block[0]["b"] if block else None)


def country(store, code: str) -> Country:
    """A country by ISO 3166 code (``KEN``, ``KE``) or name (``Kenya``): the paragraphs naming it, its cited examples,
    the resolutions naming it and its statements' timeline (the one `r2p positions` prints)."""
    try:
        found = pycountry.countries.lookup(code)
    except LookupError:
        raise NotInGraph(f"unknown country {code!r}: give an ISO 3166 code (KEN) or a name (Kenya)") from None
    uri = country_uri(found.alpha_3).value
    paragraphs = [CountryParagraph(r["p"], r.get("citation"), r.get("text"), r.get("d"))
                  for r in store.select(_COUNTRY_PARAGRAPHS % f"<{uri}>")]
    resolutions = [_summary(r) for r in store.select(_COUNTRY_RESOLUTIONS % f"<{uri}>")]
    return Country(found.alpha_3, found.name, uri, paragraphs, find_examples(store, ExampleFilter(country=found.alpha_3)),
                   resolutions, timeline(store, found.alpha_3))


def document_links(store, doc_uri: str) -> DocumentLinks:
    """What the document at ``doc_uri`` cites in other documents, and what in other documents cites it."""
    links = lambda query: [Link(r["source"], r.get("sourceCitation"), r["target"], r.get("targetLabel"))  # noqa: E731
                           for r in store.select(query % {"d": f"<{doc_uri}>"})]
    return DocumentLinks(cites=links(_CITES), cited_by=links(_CITED_BY))


_ONTOLOGY_TERMS = """
SELECT DISTINCT ?term ?kind { GRAPH %s { ?term a ?kind . FILTER(?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty)) } }
ORDER BY ?term
"""


def ontology_terms(store) -> dict[str, list[str]]:
    """The ontology's classes and properties (full IRIs), for the SPARQL editor's completion."""
    terms: dict[str, list[str]] = {"classes": [], "properties": []}
    for row in store.select(_ONTOLOGY_TERMS % f"<{ONTOLOGY_GRAPH.value}>"):
        terms["classes" if row["kind"].endswith("#Class") else "properties"].append(row["term"])
    return terms


_EXAMPLE_LABEL = """
SELECT (CONCAT(?country, ": ", COALESCE(?what, ?kind)) AS ?label) {
  %s a r2p:CitedExample ; r2p:country/skos:prefLabel ?country ; r2p:exampleKind/skos:prefLabel ?kind .
  OPTIONAL { %s r2p:what ?what }
}
"""


def example_label(store, uri: str) -> str | None:
    """``Australia: Closing the Gap strategy``: a cited example's name, computed (the graph stores no label
    for it) from its country and what it cites, else its kind; None for anything else."""
    rows = store.select(_EXAMPLE_LABEL % ((f"<{NamedNode(uri).value}>",) * 2))
    return rows[0]["label"] if rows else None


def resource_triples(store, uri: str) -> tuple[list[Triple], list[Triple]]:
    """(outgoing, incoming) triples of ``uri`` over all graphs, without the duplicates graphs share.

    The ontology's URI stands for its whole graph (its terms are hash URIs within it).
    """
    try:
        node = NamedNode(uri)
    except ValueError:  # not an IRI at all (e.g. /id/%22): nothing of ours has that name
        raise NotInGraph(f"no resource {uri} in the graph") from None
    if uri == BASE + "ontology":
        out = {q.triple for q in store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH)}
    else:
        out = {q.triple for q in store.quads_for_pattern(node, None, None, None)}
    incoming: dict = {}
    for q in store.quads_for_pattern(None, None, node, None):
        incoming.setdefault(q.triple, None)
        if len(incoming) >= INCOMING_CAP:
            break
    if not out and not incoming:
        raise NotInGraph(f"no resource {uri} in the graph")
    key = lambda t: (str(t.subject), str(t.predicate), str(t.object))  # noqa: E731
    return sorted(out, key=key), sorted(incoming, key=key)
