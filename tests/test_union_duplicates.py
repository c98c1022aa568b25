"""Issue 13 §6: the union default graph has no duplicate rows; stubs of cited documents live once, in the catalogue graph."""
from __future__ import annotations

import pytest

from ingest.model import DocMeta, Node, ParsedDocument, Ref
from ingest.namespaces import graph_uri
from kg.builder import GraphBuilder
from kg.catalogue_graph import CATALOGUE_GRAPH, refresh_catalogue
from kg.documents import remove_document
from kg.store import OxigraphStore

ALL = "SELECT (COUNT(*) AS ?all) { ?s ?p ?o }"
DISTINCT = "SELECT (COUNT(*) AS ?distinct) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
REPEATED = "SELECT ?s ?p ?o (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?s ?p ?o HAVING (COUNT(*) > 1) LIMIT 10"


def _counts(store) -> tuple[int, int]:
    return int(store.select(ALL)[0]["all"]), int(store.select(DISTINCT)[0]["distinct"])


@pytest.mark.parametrize("fixture", ["corpus_store", "debates_store"])
def test_every_triple_of_the_default_graph_comes_once(fixture, request):
    store = request.getfixturevalue(fixture)
    every, distinct = _counts(store)
    assert every == distinct, store.select(REPEATED)
    assert every > 10_000  # the fixture was ingested


def test_the_geneva_conventions_stub_is_one_node_with_one_title_in_the_catalogue(corpus_store):
    rows = corpus_store.select("""SELECT ?d ?title ?g { GRAPH ?g { ?d dcterms:title ?title }
                                  FILTER(CONTAINS(?title, "Geneva Conventions of 12 August 1949")) }""")
    assert rows == [{"d": "https://w3id.org/r2p-kg/doc/geneva-conventions-1949",
                     "title": "Geneva Conventions of 12 August 1949", "g": CATALOGUE_GRAPH.value}]
    citing = corpus_store.select("""SELECT (COUNT(DISTINCT ?g) AS ?n) {
        GRAPH ?g { ?x dcterms:references <https://w3id.org/r2p-kg/doc/geneva-conventions-1949> } }""")
    assert int(citing[0]["n"]) > 1  # several documents cite it, and only the link is in their graphs


def _write(store: OxigraphStore, doc_id: str, *cited: str) -> None:
    """Write one document citing ``cited`` (each named "Title of <id>"), then end the run as ingestion does."""
    builder = GraphBuilder(graph_uri(doc_id))
    builder.source_record(source_file=f"{doc_id}.txt", sha256=doc_id, pipeline_version="test", warnings=[])
    refs = [Ref(c, c, symbol=c, title=f"Title of {c}") for c in cited]
    builder.document(ParsedDocument(DocMeta(id=doc_id, type="report", title=f"Title of {doc_id}", symbol=doc_id),
                                    [Node("paragraph", "1", text="See.", refs=refs)]))
    store.replace_graph(builder.graph, builder.quads)
    refresh_catalogue(store)


def _stubs(store) -> set[tuple[str, str]]:
    rows = store.select(f"""SELECT ?d ?title {{ GRAPH <{CATALOGUE_GRAPH.value}> {{ ?d a r2p:Document ;
                             dcterms:title ?title }} }}""")
    return {(r["d"].rsplit("/", 1)[1], r["title"]) for r in rows}


def test_a_stub_is_in_the_catalogue_while_a_stored_document_cites_it_and_it_is_not_stored():
    store = OxigraphStore()
    _write(store, "one", "X")
    _write(store, "two", "X", "Y")
    assert _stubs(store) == {("X", "Title of X"), ("Y", "Title of Y")}
    assert _counts(store)[0] == _counts(store)[1]
    assert remove_document(store, "one") == [graph_uri("one").value]
    assert _stubs(store) == {("X", "Title of X"), ("Y", "Title of Y")}  # "two" still cites X
    _write(store, "two", "Y")  # replaced: it no longer cites X
    assert _stubs(store) == {("Y", "Title of Y")}
    _write(store, "Y", "Z")  # the cited document is stored now: its own graph says what it is
    assert _stubs(store) == {("Z", "Title of Z")}
    assert _counts(store)[0] == _counts(store)[1]
    remove_document(store, "Y")  # gone again, and "two" still cites it: the stub is back
    assert _stubs(store) == {("Y", "Title of Y")}
    remove_document(store, "two")
    assert not store.ask(f"ASK {{ GRAPH <{CATALOGUE_GRAPH.value}> {{ ?d a r2p:Document }} }}")


def test_a_work_is_typed_once_however_many_language_versions_are_stored():
    store = OxigraphStore()
    for key, language in (("A-1", "en"), ("A-1.fr", "fr")):
        builder = GraphBuilder(graph_uri(key))
        builder.document(ParsedDocument(DocMeta(id=key, type="report", title="Report", symbol="A/1", language=language, work="A-1"), []))
        store.replace_graph(builder.graph, builder.quads)
    refresh_catalogue(store)
    assert store.select("SELECT ?w ?symbol { ?w a r2p:Work ; dcterms:identifier ?symbol }") == [
        {"w": "https://w3id.org/r2p-kg/work/A-1", "symbol": "A/1"}]
    assert _counts(store)[0] == _counts(store)[1]
