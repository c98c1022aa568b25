"""`r2p sparql` over either store, in the standard SPARQL result formats the endpoint also writes."""
from __future__ import annotations

import json

from pyoxigraph import Literal, NamedNode, Quad
from typer.testing import CliRunner

from kg.cli import app
from ingest.namespaces import GRAPH, R2P
from kg.store import OxigraphStore, RemoteStore
from tests.servers import oxigraph_server  # noqa: F401  (session fixture: a real `oxigraph serve`)

G = NamedNode(GRAPH + "cli-test")
DOC = NamedNode("https://w3id.org/r2p-kg/doc/cli-test")
QUERY = "SELECT ?t WHERE { <https://w3id.org/r2p-kg/doc/cli-test> dcterms:title ?t }"


def _fill(store) -> None:
    store.replace_graph(G, [Quad(DOC, NamedNode("http://purl.org/dc/terms/title"), Literal("A title"), G),
                            Quad(DOC, NamedNode(R2P + "number"), Literal("7"), G)])


def _run(args, env):
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.stdout


def test_json_output_is_standard_sparql_results_from_the_embedded_store(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    _fill(store)
    del store  # the CLI opens the store itself
    code, out = _run(["--data", str(tmp_path), "sparql", QUERY, "--format", "json"], {"R2P_STORE_URL": ""})
    assert code == 0
    assert json.loads(out) == {"head": {"vars": ["t"]}, "results": {"bindings": [{"t": {"type": "literal", "value": "A title"}}]}}


def test_the_cli_queries_a_remote_store_too(tmp_path, oxigraph_server):  # noqa: F811
    _fill(RemoteStore(oxigraph_server))
    code, out = _run(["--data", str(tmp_path), "sparql", QUERY, "--format", "csv"], {"R2P_STORE_URL": oxigraph_server})
    assert (code, out.splitlines()) == (0, ["t", "A title"])


def test_updates_are_refused_on_the_command_line(tmp_path):
    OxigraphStore(tmp_path / "store")
    result = CliRunner().invoke(app, ["--data", str(tmp_path), "sparql", "DROP ALL"], env={"R2P_STORE_URL": ""})
    assert result.exit_code == 2 and "SPARQL Update (DROP) is not allowed" in result.stderr
