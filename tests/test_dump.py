"""`r2p dump`: N-Quads that load back into a fresh store (and into `oxigraph load`) with identical quads.

Run through the CLI as a user would, over the embedded store and over a real SPARQL server.
"""
from __future__ import annotations

import subprocess

import pytest
from pyoxigraph import RdfFormat, Store, parse
from typer.testing import CliRunner

from kg.cli import app
from ingest.namespaces import GRAPH
from kg.store import OxigraphStore, RemoteStore
from tests.conftest import CORPUS, make_settings, run_ingest
from tests.servers import OXIGRAPH, SERVER_FIXTURES, booleans_by_value, emptied, oxigraph_server, virtuoso_server  # noqa: F401

FILES = [CORPUS / "resolutions" / "S-RES-0827-1993.txt", CORPUS / "treaties" / "genocide-convention-1948.txt"]
VOID_PREFIX = "PREFIX void: <http://rdfs.org/ns/void#> "


def quads(nquads: bytes) -> set[str]:
    return {str(q) for q in parse(booleans_by_value(nquads), format=RdfFormat.N_QUADS)}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dump")
    settings = make_settings(tmp / "data")
    store = OxigraphStore(settings.store_dir)
    assert not run_ingest(settings, store, FILES).errors
    original = store.dump_nquads()
    store.flush()
    del store  # release the store for the CLI, as `r2p ingest` does when it exits
    return settings, original


def run_dump(env: dict, out) -> str:
    result = CliRunner().invoke(app, ["dump", str(out)], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_dump_round_trips_through_oxigraph_load_with_identical_quads(ingested, tmp_path):
    settings, original = ingested
    output = run_dump({"R2P_DATA_DIR": str(settings.data_dir), "R2P_STORE_URL": ""}, tmp_path / "out")
    dumped = (tmp_path / "out" / "r2p-kg.nq").read_bytes()
    assert quads(dumped) == quads(original) and len(quads(dumped)) > 1000
    assert f"{len(quads(original))} quads in 4 graphs" in output  # two documents, the ontology and the catalogue
    loaded = tmp_path / "loaded"
    subprocess.run([str(OXIGRAPH), "load", "--location", str(loaded), "--file", str(tmp_path / "out" / "r2p-kg.nq")],
                   check=True, capture_output=True)
    assert quads(OxigraphStore(loaded, read_only=True).dump_nquads()) == quads(original)
    fresh = Store()
    fresh.bulk_load(dumped, format=RdfFormat.N_QUADS)
    assert quads(fresh.dump(format=RdfFormat.N_QUADS)) == quads(original)
    assert not list((tmp_path / "out").glob("*.partial"))


def test_the_void_description_counts_what_the_file_holds(ingested, tmp_path):
    settings, original = ingested
    run_dump({"R2P_DATA_DIR": str(settings.data_dir), "R2P_STORE_URL": ""}, tmp_path / "out")
    void = Store()
    void.load(path=str(tmp_path / "out" / "void.ttl"), format=RdfFormat.TURTLE)
    dump_iri = (tmp_path / "out" / "r2p-kg.nq").resolve().as_uri()
    rows = list(void.query(VOID_PREFIX + f"SELECT ?n WHERE {{ ?d a void:Dataset ; void:dataDump <{dump_iri}> ; void:triples ?n }}"))
    assert [int(r["n"].value) for r in rows] == [len(quads(original))]
    per_graph = {r["g"].value: int(r["n"].value) for r in void.query(
        VOID_PREFIX + "SELECT ?g ?n WHERE { ?d void:subset ?g . ?g void:triples ?n }")}
    counted: dict[str, int] = {}
    for q in parse(original, format=RdfFormat.N_QUADS):
        counted[q.graph_name.value] = counted.get(q.graph_name.value, 0) + 1
    assert per_graph == counted and set(per_graph) == {GRAPH + "S-RES-827-1993", GRAPH + "genocide-convention", GRAPH + "ontology", GRAPH + "catalogue"}


@pytest.mark.parametrize("server", list(SERVER_FIXTURES))
def test_a_remote_store_dumps_the_same_quads(request, ingested, tmp_path, server):
    settings, original = ingested
    url = request.getfixturevalue(SERVER_FIXTURES[server])
    remote = emptied(RemoteStore(url))
    fresh = Store()
    fresh.bulk_load(original, format=RdfFormat.N_QUADS)
    for graph in fresh.named_graphs():  # the dump loaded into the server as `r2p ingest` writes: a graph at a time
        remote.replace_graph(graph, fresh.quads_for_pattern(None, None, None, graph))
    run_dump({"R2P_DATA_DIR": str(tmp_path / "none"), "R2P_STORE_URL": url}, tmp_path / "out")
    assert quads((tmp_path / "out" / "r2p-kg.nq").read_bytes()) == quads(original)
    remote.close()
