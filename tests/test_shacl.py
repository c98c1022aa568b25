"""The ingested corpus satisfies the SHACL shapes in ontology/shapes.ttl, and the shapes really bite."""
from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from ingest.namespaces import GRAPH, R2P, doc_uri
from kg.store import OxigraphStore
from kg.validate import validate_store


def test_the_ingested_corpus_conforms(corpus_store):
    conforms, report = validate_store(corpus_store)
    assert conforms, report


def test_a_paragraph_without_document_or_citation_is_reported():
    store = OxigraphStore()
    g = NamedNode(GRAPH + "broken")
    para = NamedNode(doc_uri("X").value + "/para/1")
    store.replace_graph(g, [
        Quad(para, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), NamedNode(R2P + "Paragraph"), g),
        Quad(para, NamedNode(R2P + "text"), Literal("Some text."), g),
    ])
    conforms, report = validate_store(store)
    assert not conforms
    assert "Result Path: r2p:inDocument" in report and "Result Path: r2p:citation" in report


def test_a_paragraph_needs_text_or_parts_that_carry_it():
    from ingest.model import DocMeta, Node, ParsedDocument
    from kg.builder import GraphBuilder
    from ingest.namespaces import graph_uri

    meta = DocMeta(id="T", type="treaty", title="T")
    builder = GraphBuilder(graph_uri("T"))
    builder.document(ParsedDocument(meta, [Node("article", "1", children=[
        Node("paragraph", "1", children=[Node("clause", "a", text="Carried by its clause.")]),
        Node("paragraph", "2")])]))
    store = OxigraphStore()
    store.replace_graph(builder.graph, builder.quads)
    conforms, report = validate_store(store)
    assert not conforms
    assert report.count("Focus Node:") == 1 and "Focus Node: <https://w3id.org/r2p-kg/doc/T/article/1/para/2>" in report
