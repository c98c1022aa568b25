"""Real servers for the tests on free loopback ports: the service (uvicorn, in a thread) and SPARQL servers.

The app under test is the one ``r2p serve`` runs (``create_app``); the SPARQL workers it starts
are real processes. Servers are shared per settings for the session and stopped at exit. The remote
stores are the real thing too: ``oxigraph serve`` (from PyPI) and Debian's Virtuoso, each with a
database of its own in a temporary folder.
"""
from __future__ import annotations

import atexit
import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from kg.service.app import create_app, server_config
from kg.settings import Settings


@dataclass
class LiveServer:
    url: str
    app: object
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)


_running: dict[str, LiveServer] = {}


def start_server(settings: Settings, *, query_workers: int = 2) -> LiveServer:
    """Start (or reuse) a server for ``settings``; waits until it accepts connections."""
    key = f"{settings.model_dump_json()}|{query_workers}"
    if key in _running:
        return _running[key]
    app = create_app(settings, query_workers=query_workers)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(server_config(app, settings, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name=f"uvicorn-{port}")
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    live = _running[key] = LiveServer(f"http://127.0.0.1:{port}", app, server, thread)
    return live


@atexit.register
def _stop_all() -> None:
    for live in _running.values():
        live.stop()


@pytest.fixture(scope="session")
def corpus_server(corpus_store, corpus_settings) -> LiveServer:
    """The service over the whole ingested corpus."""
    return start_server(corpus_settings)


EMPTY_RESULTS = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'


class Listener:
    """A loopback HTTP server that records every request and answers with ``status`` and ``body``.

    ``delay`` seconds pass before it answers (a server that is too slow); ``close`` stops it.
    """

    def __init__(self, status: int = 200, body: bytes = EMPTY_RESULTS, media: str = "application/sparql-results+json",
                 delay: float = 0):
        self.requests: list[str] = []
        self.bodies: list[bytes] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                outer.requests.append(f"{self.command} {self.path}")
                outer.bodies.append(self.rfile.read(int(self.headers.get("content-length") or 0)))
                time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- real SPARQL servers for the remote store, on loopback ports --------------------------------------
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = shutil.which("virtuoso-t")
VIRTUOSO_ISQL = shutil.which("isql-vt") or shutil.which("isql")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SparqlServer:
    """A SPARQL server process the tests started; ``url`` is its query endpoint."""

    name: str
    url: str
    process: subprocess.Popen

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(30)


def _wait_for(url: str, process: subprocess.Popen, name: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.post(url, data={"query": "ASK {}"}, timeout=2)
            return
        except httpx.TransportError:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with status {process.returncode}")
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{name} did not answer within {seconds:g} s")


def start_oxigraph_server(location: Path, port: int | None = None) -> SparqlServer:
    """``oxigraph serve`` on a loopback port, with the union default graph r2p expects and its own 5 s time-out."""
    port = port or free_port()
    process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph", "--timeout-s", "5"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    _wait_for(url, process, "oxigraph serve", 30)
    return SparqlServer("oxigraph", url, process)


_VIRTUOSO_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 5
"""


def start_virtuoso(db: Path) -> SparqlServer:
    """Debian's Virtuoso with a fresh database in ``db``, its SPARQL user allowed to update (as r2p ingest needs).

    ``ResultSetMaxRows`` is raised from Virtuoso's 10,000: above it Virtuoso cuts answers without a word,
    and a dump reads every quad with one SELECT. Its own time-out is short (5 s), as the README asks: a
    query the service gave up on would otherwise run on, taking the cores the other tests need.
    """
    sql_port, http_port = free_port(), free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(db=db, sql_port=sql_port, http_port=http_port))
    process = subprocess.Popen([VIRTUOSO, "+configfile", str(ini), "+foreground"], cwd=db,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http_port}/sparql"
    _wait_for(url, process, "virtuoso-t", 120)
    grant = subprocess.run([VIRTUOSO_ISQL, f"127.0.0.1:{sql_port}", "dba", "dba",
                            'exec=GRANT SPARQL_UPDATE TO "SPARQL";'], capture_output=True, text=True, timeout=60)
    if grant.returncode != 0:
        process.kill()
        raise RuntimeError(f"isql could not grant SPARQL_UPDATE: {grant.stdout[-500:]}{grant.stderr[-500:]}")
    return SparqlServer("virtuoso", url, process)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory) -> str:
    server = start_oxigraph_server(tmp_path_factory.mktemp("oxigraph-server"))
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory) -> str:
    """Virtuoso, or a skip naming what is missing (``make test`` installs it when run as root)."""
    if not VIRTUOSO or not VIRTUOSO_ISQL:
        pytest.skip("virtuoso-opensource is not installed (`make virtuoso` installs it as root)")
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server.url
    server.stop()


SERVER_FIXTURES = {"oxigraph": "oxigraph_server", "virtuoso": "virtuoso_server"}


def emptied(store):
    """The remote store with r2p's graphs dropped (a shared server keeps graphs of its own: not DROP ALL)."""
    for graph in store.named_graphs():
        store.remove_graph(graph)
    return store


_BOOLEAN = b"^^<http://www.w3.org/2001/XMLSchema#boolean>"


def booleans_by_value(ntriples: bytes) -> bytes:
    """N-Triples or N-Quads with xsd:boolean in its canonical form: Virtuoso writes ``true`` as ``"1"``, the same value."""
    return ntriples.replace(b'"1"' + _BOOLEAN, b'"true"' + _BOOLEAN).replace(b'"0"' + _BOOLEAN, b'"false"' + _BOOLEAN)
