"""The tree -> RDF mapping: URIs from paths, citations, references, stubs for documents not ingested."""
from __future__ import annotations

from ingest.model import DocMeta, Node, ParsedDocument, Ref
from kg.builder import GraphBuilder
from kg.catalogue_graph import refresh_catalogue
from ingest.namespaces import graph_uri, symbol_slug
from kg.store import OxigraphStore

PROTOCOL = DocMeta(id="proto", type="treaty", title="Protocol")
REPORT = DocMeta(id="A-67-929", type="report", title="Report", symbol="A/67/929–S/2013/399")


def _store_of(parsed: ParsedDocument) -> OxigraphStore:
    builder = GraphBuilder(graph_uri(parsed.meta.id))
    builder.document(parsed)
    store = OxigraphStore()
    store.replace_graph(builder.graph, builder.quads)
    refresh_catalogue(store)  # as every ingestion run ends
    return store


def test_symbol_slugs_keep_the_first_symbol_of_a_joint_one():
    assert symbol_slug("A/67/929–S/2013/399") == "A-67-929"
    assert symbol_slug("A/CONF.183/9") == "A-CONF.183-9"


def test_article_clause_uris_and_citations():
    clause = Node("clause", "a", text="Monitor mass atrocities;", refs=[Ref("Article 103 of the Charter", "un-charter", (("article", "103"),))])
    article = Node("article", "3", title="Decision", children=[Node("paragraph", "1", text="Lead.", children=[clause])])
    store = _store_of(ParsedDocument(PROTOCOL, [Node("part", "I", title="General", children=[article])]))
    rows = store.select("SELECT ?c ?cite WHERE { ?c a r2p:Clause ; r2p:citation ?cite }")
    assert rows == [{"c": "https://w3id.org/r2p-kg/doc/proto/article/3/para/1/clause/a", "cite": "Protocol, art. 3 (1) (a)"}]
    assert store.ask("ASK { <https://w3id.org/r2p-kg/doc/proto/article/3/para/1/clause/a> dcterms:references "
                     "<https://w3id.org/r2p-kg/doc/un-charter/article/103>, <https://w3id.org/r2p-kg/doc/un-charter> }")
    # A document cited but not ingested gets a stub node (in the catalogue graph), so the link resolves to a Document.
    assert store.ask("ASK { <https://w3id.org/r2p-kg/doc/un-charter> a r2p:Document }")
    assert store.ask("ASK { <https://w3id.org/r2p-kg/doc/proto/part/I> a r2p:Part ; dcterms:title 'General' }")


def test_report_paragraphs_are_numbered_across_sections_and_cite_the_symbol():
    para = Node("paragraph", "72", text="In Kenya...", footnotes=["5"])
    section = Node("section", "VI", title="Conclusion", children=[para])
    store = _store_of(ParsedDocument(REPORT, [section, Node("footnote", "5", text="See A/63/677.")]))
    rows = store.select("SELECT ?p ?cite ?sec ?fn WHERE { ?p a r2p:Paragraph ; r2p:citation ?cite ; r2p:inSection ?sec ; r2p:hasFootnote ?fn }")
    assert rows == [{"p": "https://w3id.org/r2p-kg/doc/A-67-929/para/72", "cite": "A/67/929–S/2013/399, para. 72",
                     "sec": "https://w3id.org/r2p-kg/doc/A-67-929/section/VI",
                     "fn": "https://w3id.org/r2p-kg/doc/A-67-929/footnote/5"}]


def test_two_parts_with_one_address_are_both_kept():
    store = _store_of(ParsedDocument(REPORT, [Node("paragraph", "1", text="First."), Node("paragraph", "1", text="Again.")]))
    rows = store.select("SELECT ?p ?t WHERE { ?p a r2p:Paragraph ; r2p:text ?t } ORDER BY ?p")
    assert [r["p"].rsplit("/", 1)[-1] for r in rows] == ["1", "1-2"]


def test_a_third_part_with_the_same_address_gets_its_own_suffix():
    nodes = [Node("paragraph", "1", text=t) for t in ("First.", "Second.", "Third.")]
    store = _store_of(ParsedDocument(REPORT, nodes))
    rows = store.select("SELECT ?p WHERE { ?p a r2p:Paragraph } ORDER BY ?p")
    assert [r["p"].rsplit("/", 1)[-1] for r in rows] == ["1", "1-2", "1-3"]


def test_unnumbered_subsections_are_counted_within_their_section():
    sub1 = Node("subsection", title="Building national resilience", children=[Node("paragraph", "30", text="A.")])
    sub2 = Node("subsection", title="Promoting human rights", children=[Node("paragraph", "31", text="B.")])
    section = Node("section", "IV", title="Measures", children=[Node("paragraph", "29", text="C."), sub1, sub2])
    store = _store_of(ParsedDocument(REPORT, [section]))
    rows = store.select("SELECT ?s ?t WHERE { ?s a r2p:Subsection ; dcterms:title ?t } ORDER BY ?s")
    assert [(r["s"].split("/doc/")[1], r["t"]) for r in rows] == [
        ("A-67-929/section/IV/subsection/1", "Building national resilience"),
        ("A-67-929/section/IV/subsection/2", "Promoting human rights")]
    assert store.ask("ASK { <https://w3id.org/r2p-kg/doc/A-67-929/para/31> r2p:inSection "
                     "<https://w3id.org/r2p-kg/doc/A-67-929/section/IV/subsection/2> }")


def test_citations_of_preambular_paragraphs_sections_and_notes():
    resolution = DocMeta(id="S-RES-827-1993", type="resolution", title="Res", symbol="S/RES/827 (1993)")
    store = _store_of(ParsedDocument(resolution, [
        Node("preamble", children=[Node("preambular", "3", text="Reaffirming ...")]),
        Node("section", "II", title="Annex", children=[Node("note", "4", text="A note.")])]))
    rows = store.select("SELECT ?c WHERE { ?p r2p:citation ?c } ORDER BY ?c")
    assert [r["c"] for r in rows] == ["S/RES/827 (1993), note 4", "S/RES/827 (1993), preamble",
                                      "S/RES/827 (1993), preamble para. 3", "S/RES/827 (1993), section II"]
    assert store.ask("ASK { <https://w3id.org/r2p-kg/doc/S-RES-827-1993/preamble/para/3> a r2p:PreambularParagraph }")


def test_a_notes_bare_paragraph_reference_points_into_the_document_it_annotates():
    guide = DocMeta(id="guide", type="study_guide", title="Guide")
    note = Node("note", "7", text="See comment on paragraph 72.", refs=[Ref("paragraph 72", None, (("para", "72"),))],
                target=Ref("4", "A-67-929", (("para", "4"),)))
    store = _store_of(ParsedDocument(guide, [note]))
    # ... and, like every reference to another document's part, to that document (cross-document-citations starts there)
    assert store.select("SELECT ?t WHERE { <https://w3id.org/r2p-kg/doc/guide/note/7> dcterms:references ?t } ORDER BY ?t") == [
        {"t": "https://w3id.org/r2p-kg/doc/A-67-929"}, {"t": "https://w3id.org/r2p-kg/doc/A-67-929/para/72"}]


def test_an_item_of_the_document_itself_is_cited_by_its_name():
    sheet = DocMeta(id="sheet", type="fact_sheet", title="Fact sheet")
    store = _store_of(ParsedDocument(sheet, [Node("item", "6", text="Promote focal points;")]))
    assert store.select("SELECT ?c WHERE { ?p r2p:citation ?c }") == [{"c": "Fact sheet, item 6"}]


def test_literals_written_as_lines_read_back_as_the_same_values():
    """Plain values are written without Oxigraph's help; those with characters N-Triples escapes go through it."""
    from pyoxigraph import Literal, NamedNode, RdfFormat, parse

    from ingest.namespaces import r2p, xsd
    values = ["plain, Côte d'Ivoire ¹", 'a "quoted" \\ back\\slash', "two\nlines\r\tand \x00\x07\x1f\x7f", "é" * 3]
    builder = GraphBuilder(graph_uri("x"))
    subject = NamedNode("https://w3id.org/r2p-kg/doc/x")
    for value in values:
        builder.lit(subject, r2p.text, value)
    builder.lit(subject, r2p.year, 2008, xsd.gYear)
    builder.lit(subject, r2p.text, "")  # nothing is written for an empty value
    objects = [t.object for t in parse(builder.ntriples(), format=RdfFormat.N_TRIPLES)]
    assert objects == [Literal(v) for v in values] + [Literal("2008", datatype=xsd.gYear)]
    assert builder.triples == 5
    assert builder.ntriples().decode().splitlines()[0] == f'{subject} {r2p.text} "plain, Côte d\'Ivoire ¹" .'
