"""The same store tests against both implementations: embedded Oxigraph and real SPARQL servers.

The servers are the ``oxigraph`` binary (the Oxigraph server from PyPI) and Debian's Virtuoso,
started on loopback and reached only through the SPARQL 1.1 Protocol, exactly as Fuseki or GraphDB
would be.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat

from ingest.namespaces import R2P
from kg.settings import Settings
from kg.store import OxigraphStore, RemoteStore, StoreUnavailable, default_update_url, open_store
from tests.conftest import CORPUS, ROOT, make_settings, run_ingest
from tests.servers import SERVER_FIXTURES, booleans_by_value, emptied, free_port, oxigraph_server, virtuoso_server  # noqa: F401

QUERIES = sorted((ROOT / "kg" / "queries").glob("*.rq"))
G1 = NamedNode("https://w3id.org/r2p-kg/graph/test-one")
G2 = NamedNode("https://w3id.org/r2p-kg/graph/test-two")
EX = "https://example.org/"


@pytest.fixture(params=["embedded", *SERVER_FIXTURES])
def store(request, tmp_path):
    """An empty store of each kind (a server is shared by the session, so it is emptied first)."""
    if request.param == "embedded":
        yield OxigraphStore(tmp_path / "store")
        return
    remote = emptied(RemoteStore(request.getfixturevalue(SERVER_FIXTURES[request.param])))
    yield remote
    remote.close()


def stable_dump(store) -> set[bytes]:
    """Every quad except the ingestion timestamp, which differs between any two runs; booleans by value."""
    return {line for line in booleans_by_value(store.dump_nquads()).splitlines() if b"generatedAtTime" not in line}


def _quads(graph: NamedNode, *triples) -> list[Quad]:
    return [Quad(NamedNode(EX + s), NamedNode(EX + p), o, graph) for s, p, o in triples]


def test_replace_graph_writes_reads_and_replaces_as_a_unit(store):
    store.replace_graph(G1, _quads(G1, ("a", "name", Literal("Kenya")), ("a", "code", Literal("KEN"))))
    store.replace_graph(G2, _quads(G2, ("b", "name", Literal("Côte d'Ivoire", language="fr"))))
    assert store.named_graphs() == [G1, G2]
    assert len(store) == 3
    store.replace_graph(G1, _quads(G1, ("a", "name", Literal("Kenya, Republic of"))))
    assert store.select(f"SELECT ?g ?o WHERE {{ GRAPH ?g {{ <{EX}a> ?p ?o }} }}") == [
        {"g": G1.value, "o": "Kenya, Republic of"}]
    assert len(store) == 2
    store.remove_graph(G1)
    assert store.named_graphs() == [G2]
    store.remove_graph(G1)  # removing a graph that is not there is not an error
    assert len(store) == 1


def test_graph_property_and_hashes_come_from_the_graphs_own_node(store):
    store.replace_graph(G1, [Quad(G1, NamedNode(R2P + "sourceSha256"), Literal("abc123"), G1)])
    store.replace_graph(G2, _quads(G2, ("b", "name", Literal("no hash here"))))
    assert store.graph_property(G1, "sourceSha256") == "abc123"
    assert store.graph_property(G2, "sourceSha256") is None
    assert store.graph_hashes() == {G1.value: "abc123"}


def test_select_ask_construct_with_r2p_prefixes_and_the_union_default_graph(store):
    store.replace_graph(G1, [Quad(NamedNode(EX + "p1"), NamedNode(R2P + "text"), Literal('He said "never again".\nTwice.'), G1)])
    store.replace_graph(G2, [Quad(NamedNode(EX + "p1"), NamedNode(R2P + "number"), Literal(138), G2)])
    rows = store.select("SELECT ?t ?n WHERE { ?p r2p:text ?t ; r2p:number ?n }")
    assert rows == [{"t": 'He said "never again".\nTwice.', "n": "138"}]
    assert store.ask("ASK { ?p r2p:number 138 }") is True
    assert store.ask("ASK { ?p r2p:number 139 }") is False
    triples = list(store.query("CONSTRUCT { ?p r2p:number ?n } WHERE { ?p r2p:number ?n }"))
    assert [(t.subject.value, t.object.value) for t in triples] == [(EX + "p1", "138")]
    nt = store.query("CONSTRUCT { ?p r2p:number ?n } WHERE { ?p r2p:number ?n }").serialize(format=RdfFormat.N_TRIPLES)
    assert nt.decode().strip() == f'<{EX}p1> <{R2P}number> "138"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    with pytest.raises(ValueError, match="select\\(\\) needs a SELECT query"):
        store.select("ASK {}")


def test_a_malformed_query_is_a_syntax_error_in_both_stores(store):
    with pytest.raises(SyntaxError):
        store.query("SELECT ?x WHERE { ?x ")


def test_dump_nquads_holds_every_quad_exactly(store):
    store.replace_graph(G1, _quads(G1, ("a", "name", Literal("Ruanda", language="de")),
                                   ("a", "founded", Literal("1962-07-01", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date")))))
    store.replace_graph(G2, _quads(G2, ("b", "link", NamedNode(EX + "a"))))
    assert set(store.dump_nquads().decode().splitlines()) == {
        f'<{EX}a> <{EX}name> "Ruanda"@de <{G1.value}> .',
        f'<{EX}a> <{EX}founded> "1962-07-01"^^<http://www.w3.org/2001/XMLSchema#date> <{G1.value}> .',
        f'<{EX}b> <{EX}link> <{EX}a> <{G2.value}> .',
    }


FEW_FILES = [CORPUS / "resolutions" / "S-RES-0808-1993.txt", CORPUS / "resolutions" / "S-RES-0827-1993.txt",
             CORPUS / "treaties" / "genocide-convention-1948.txt"]


@pytest.fixture(scope="module", params=list(SERVER_FIXTURES))
def both_ingested(request, tmp_path_factory):
    """The same few corpus files ingested through the real pipeline into the embedded store and a server."""
    tmp = tmp_path_factory.mktemp("both")
    embedded = OxigraphStore(tmp / "store")
    remote = emptied(RemoteStore(request.getfixturevalue(SERVER_FIXTURES[request.param])))
    reports = [run_ingest(make_settings(tmp / name), s, FEW_FILES) for name, s in (("e", embedded), ("r", remote))]
    yield embedded, remote, reports
    remote.close()


def test_a_full_ingest_gives_the_same_graph_in_both_stores(both_ingested):
    embedded, remote, (rep_e, rep_r) = both_ingested
    assert not rep_e.errors and not rep_r.errors
    assert rep_e.written == rep_r.written == ["S-RES-808-1993", "S-RES-827-1993", "genocide-convention"]
    assert rep_e.paragraphs == rep_r.paragraphs > 0
    assert embedded.graph_hashes() == remote.graph_hashes()
    assert embedded.named_graphs() == remote.named_graphs()
    assert stable_dump(embedded) == stable_dump(remote)
    assert len(embedded) == len(remote)
    # Re-ingesting into the remote store finds every file unchanged through graph_hashes().
    again = run_ingest(make_settings(Path(embedded.path).parent / "r"), remote, FEW_FILES)
    assert (again.written, again.unchanged) == ([], 3)


@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_every_catalogue_query_answers_the_same_in_both_stores(both_ingested, query):
    embedded, remote, _ = both_ingested
    text = query.read_text()
    assert remote.select(text) == embedded.select(text)


def test_paragraph_answers_are_identical_and_meaningful(both_ingested):
    embedded, remote, _ = both_ingested
    q = ("SELECT ?doc (COUNT(?p) AS ?n) WHERE { ?p a r2p:Paragraph ; r2p:inDocument ?doc } "
         "GROUP BY ?doc ORDER BY ?doc")
    rows = embedded.select(q)
    assert rows == remote.select(q)
    assert {r["doc"].rsplit("/", 1)[-1] for r in rows} >= {"S-RES-808-1993", "S-RES-827-1993"}


def test_an_unreachable_server_is_a_clear_error_naming_the_url():
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout_s=2)
    with pytest.raises(StoreUnavailable, match=r"SPARQL server http://127\.0\.0\.1:\d+/query unreachable: ConnectError"):
        store.select("SELECT * WHERE { ?s ?p ?o }")


def test_a_read_only_remote_store_refuses_writes(oxigraph_server):
    store = RemoteStore(oxigraph_server, read_only=True)
    with pytest.raises(PermissionError, match="opened read-only"):
        store.remove_graph(G1)


def test_the_setting_chooses_the_store(tmp_path, monkeypatch):
    monkeypatch.delenv("R2P_STORE_URL", raising=False)
    settings = Settings(data_dir=tmp_path)
    assert isinstance(open_store(settings), OxigraphStore)
    monkeypatch.setenv("R2P_STORE_URL", "http://127.0.0.1:7878/query")
    remote = open_store(Settings(data_dir=tmp_path), read_only=True)  # settings are read from the environment
    assert isinstance(remote, RemoteStore)
    assert (remote.query_url, remote.update_url, remote.read_only) == (
        "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", True)
    assert default_update_url("http://localhost:7200/repositories/r2p") == "http://localhost:7200/repositories/r2p"
