"""The graph store: one small interface, two implementations.

* ``OxigraphStore`` (the default): Oxigraph embedded through ``pyoxigraph``, a persistent,
  transactional SPARQL 1.1 engine in the process, ~100x faster than rdflib's in-memory evaluator on
  our joins (see ENGINEERING.md), with snapshot isolation so queries see a document either before or
  after it is replaced.
* ``RemoteStore``: any SPARQL 1.1 server (Fuseki, GraphDB, Virtuoso, QLever, Oxigraph server) over
  the SPARQL 1.1 Protocol, chosen by ``R2P_STORE_URL``; see ``open_store``.

rdflib is still used where its ecosystem is needed (pySHACL validation, format conversion).
"""
from __future__ import annotations

import errno
import io
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
from pyoxigraph import (NamedNode, Quad, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Store, parse,
                        parse_query_results, serialize)

from ingest.namespaces import GRAPH, PREFIXES, R2P, sparql_prefixes
from kg.sparql_lexer import UnreadableQuery, scan


class GraphStore(Protocol):
    """What the rest of the code needs from a store; a remote SPARQL server is the other implementation."""

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> None: ...
    def replace_graphs(self, graphs: Mapping[NamedNode, bytes]) -> None: ...
    def remove_graph(self, graph: NamedNode) -> None: ...
    def update(self, sparql: str) -> None: ...
    def graph_property(self, graph: NamedNode, prop: str) -> str | None: ...
    def graph_hashes(self) -> dict[str, str]: ...
    def named_graphs(self) -> list[NamedNode]: ...
    def quads_for_pattern(self, subject=None, predicate=None, obj=None, graph=None) -> Iterator[Quad]: ...
    def query(self, sparql: str): ...
    def select(self, sparql: str) -> list[dict[str, str]]: ...
    def ask(self, sparql: str) -> bool: ...
    def dump_nquads(self, output: BinaryIO | None = None) -> bytes | None: ...
    def flush(self) -> None: ...


def _nt(term) -> str:
    """N-Triples/SPARQL syntax of a pyoxigraph term (its ``str`` is exactly that)."""
    return str(term)


def ntriples(quads: Iterable[Quad]) -> bytes:
    """The triples of ``quads`` as N-Triples, the form in which a graph is handed to ``replace_graphs``
    (Oxigraph's serializer, about a million triples/s; the ingestion's builder writes its lines itself)."""
    return serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES)


def _replace_update(graphs: Mapping[NamedNode, bytes]) -> str:
    """One SPARQL Update request that replaces every graph given: the unit of atomicity of both stores.

    N-Triples is a subset of the triple syntax of INSERT DATA, so each graph's bytes go in as they are.
    """
    drops = "".join(f"DROP SILENT GRAPH {_nt(g)} ;\n" for g in graphs)
    blocks = "\n".join(f"GRAPH {_nt(g)} {{\n{body.decode('utf-8')}}}" for g, body in graphs.items())
    return f"{drops}INSERT DATA {{\n{blocks}\n}}"


class _QueryHelpers:
    """What both stores derive from their ``query()``: plain rows, booleans, the stored source hashes."""

    def select(self, sparql: str) -> list[dict[str, str]]:
        """SELECT rows as plain dicts of lexical values: the convenient form for code and tests."""
        result = self.query(sparql)
        if not isinstance(result, QuerySolutions):
            raise ValueError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in result]

    def ask(self, sparql: str) -> bool:
        result = self.query(sparql)
        if not isinstance(result, QueryBoolean):
            raise ValueError("ask() needs an ASK query")
        return bool(result)

    def graph_hashes(self) -> dict[str, str]:
        """Graph IRI -> the source hash it was written from: one query, to skip unchanged files."""
        rows = self.select("SELECT ?g ?h WHERE { GRAPH ?g { ?g r2p:sourceSha256 ?h } }")
        return {r["g"]: r["h"] for r in rows}


class OxigraphStore(_QueryHelpers):
    """Persistent embedded store in ``path`` (in memory when ``path`` is None)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False):
        if path is None:
            self._store = Store()
        elif read_only:
            self._store = Store.read_only(str(path))
        else:
            try:
                Path(path).mkdir(parents=True, exist_ok=True)
                self._store = Store(str(path))
            except OSError as exc:
                raise StoreUnavailable(_why_not_writable(path, exc)) from None
        self.path, self.read_only = path, read_only
        self.shown_path = path  # the folder its errors name

    @property
    def raw(self) -> Store:
        return self._store

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> None:
        """Drop ``graph`` and write ``quads`` into it in one transaction: readers see old or new, never half."""
        self.replace_graphs({graph: ntriples(quads)})

    def replace_graphs(self, graphs: Mapping[NamedNode, bytes]) -> None:
        """Replace each graph by its N-Triples, all in one transaction: readers see all old or all new.

        Oxigraph has no transaction that spans a delete and a load, and its bulk loader is not
        transactional at all, so: one graph that is not in the store yet (every first ingestion) goes
        in with ``Store.load``, one transaction at ~250k triples/s; anything that replaces a graph goes
        in one SPARQL Update request (DROP + INSERT DATA), one transaction at ~80k triples/s. This
        process is the store's only writer (Oxigraph locks the folder), so the graph cannot appear
        between the check and the load.
        """
        if len(graphs) == 1:
            [(graph, body)] = graphs.items()
            if not self._store.contains_named_graph(graph):
                self._write(lambda: self._store.load(body, format=RdfFormat.N_TRIPLES, to_graph=graph))
                return
        self._write(lambda: self._store.update(_replace_update(graphs)))

    def remove_graph(self, graph: NamedNode) -> None:
        self._write(lambda: self._store.update(f"DROP SILENT GRAPH {_nt(graph)}"))

    def update(self, sparql: str) -> None:
        """One SPARQL Update request: one transaction."""
        self._write(lambda: self._store.update(sparql))

    def _write(self, operation) -> None:
        """Run a write; a full disk or a read-only store is a ``StoreUnavailable`` sentence (the
        transaction did not happen, so nothing is half-written)."""
        try:
            operation()
        except OSError as exc:
            raise StoreUnavailable(_why_not_writable(self.shown_path, exc)) from None

    def graph_property(self, graph: NamedNode, prop: str) -> str | None:
        """A literal stored on the graph's own node (e.g. the source hash), or None."""
        for quad in self._store.quads_for_pattern(graph, NamedNode(R2P + prop), None, graph):
            return quad.object.value
        return None

    def named_graphs(self) -> list[NamedNode]:
        return sorted(self._store.named_graphs(), key=lambda g: g.value)

    def quads_for_pattern(self, subject=None, predicate=None, obj=None, graph=None) -> Iterator[Quad]:
        return self._store.quads_for_pattern(subject, predicate, obj, graph)

    def query(self, sparql: str):
        """Run a query; the default graph is the union of all named graphs unless the query has FROM.

        A query that the SPARQL lexer cannot read gets the union too; the engine then reports its error.
        """
        try:
            union = not scan(sparql).dataset
        except UnreadableQuery:
            union = True
        return self._store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=union)

    def dump_nquads(self, output: BinaryIO | None = None) -> bytes | None:
        """Every quad as N-Quads: returned, or streamed into ``output`` (a store may not fit in memory)."""
        return self._store.dump(output, format=RdfFormat.N_QUADS)

    def __len__(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        """Write everything into the store's tables, and let go of the write-ahead logs that leaves behind.

        RocksDB deletes logs whose data is in its tables only when the store is opened, and an
        ingestion leaves most of the folder as logs (10k paragraphs: 483 MiB, 157 MiB once reopened),
        so a store on disk is reopened here, which takes a fraction of a second.
        """
        self._write(self._store.flush)
        if self.path is not None and not self.read_only:
            self.close()
            self.reopen()

    def close(self) -> None:
        """Let go of the store: this object holds the only handle, so the folder's lock goes with it."""
        self._store = None

    def reopen(self) -> None:
        """Open the store in ``path`` again for writing (after ``close``)."""
        self._write(lambda: setattr(self, "_store", Store(str(self.path))))


class StoreUnavailable(OSError):
    """The store cannot be used: a remote server unreachable or failing, or an embedded store that is
    locked, read-only or on a full disk; the message says which, in a sentence."""


def _why_not_writable(path: Path, exc: OSError) -> str:
    """A sentence for the errors that opening the embedded store for writing meets in practice."""
    text = str(exc)
    if "lock" in text.lower():
        return f"the store in {path} is in use by another process: is another `r2p ingest` running?"
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS or "read-only" in text.lower() or "permission" in text.lower():
        return f"the store in {path} cannot be written: the data directory is read-only (choose another with --data)"
    if exc.errno == errno.ENOSPC or "no space" in text.lower():
        return f"the store in {path} cannot be written: no space left on the device"
    return f"the store in {path} cannot be opened: {text}"


class StoreTimeout(StoreUnavailable):
    """The remote SPARQL server did not answer within the time limit."""


# What each query form asks the server for: the two formats every SPARQL 1.1 server writes and
# pyoxigraph reads as a stream. Virtuoso answers a CONSTRUCT offered both with SPARQL JSON bindings.
_ACCEPT = {"SELECT": "application/sparql-results+json", "ASK": "application/sparql-results+json",
           "CONSTRUCT": "application/n-triples", "DESCRIBE": "application/n-triples"}
_ACCEPT_ANY = "application/sparql-results+json, application/n-triples;q=0.9"


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of them in the query is its form (None when unreadable)."""
    try:
        return scan(sparql).form
    except UnreadableQuery:
        return None


def _without_credentials(url: str) -> str:
    """The URL as it may be shown: ``user:password@`` removed."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def default_update_url(query_url: str) -> str:
    """Oxigraph server and Fuseki answer updates at ``.../update`` next to ``.../query``; others at the same URL."""
    return query_url[: -len("query")] + "update" if query_url.endswith("/query") else query_url


class _Body(io.RawIOBase):
    """A streamed response body as a file for pyoxigraph's parsers, which read only as far as they are iterated.

    Each read checks the deadline: httpx's time-out bounds each wait, not the whole answer.
    """

    def __init__(self, response: httpx.Response, deadline: float, where: str):
        self._chunks = response.iter_raw()
        self._deadline = deadline
        self._where = where
        self._rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._rest:
            if time.monotonic() > self._deadline:
                raise StoreTimeout(f"SPARQL server {self._where} did not answer within the time limit")
            try:
                self._rest = next(self._chunks, b"")
            except httpx.TimeoutException:
                raise StoreTimeout(f"SPARQL server {self._where} did not answer within the time limit") from None
            except httpx.HTTPError as exc:
                raise StoreUnavailable(f"SPARQL server {self._where} broke off its answer: {type(exc).__name__}") from None
        n = min(len(buffer), len(self._rest))
        buffer[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n


class RemoteStore(_QueryHelpers):
    """A SPARQL 1.1 server reached over the SPARQL 1.1 Protocol (query and update endpoints).

    A document is replaced with one update request (DROP + INSERT DATA): SPARQL 1.1 Update asks
    servers to treat each request atomically, which Oxigraph, Fuseki (TDB2) and GraphDB do. The
    Graph Store Protocol's PUT is not used because its atomicity varies: Oxigraph server, for one,
    clears then loads in two steps. The server's default graph must be the union of the named
    graphs (``oxigraph serve --union-default-graph``; Fuseki ``tdb2:unionDefaultGraph true``;
    the default in GraphDB and Virtuoso). Credentials may be given in the URL
    (``https://user:pass@host/...``, sent as HTTP Basic).

    Requests are form-encoded POSTs, the one way of sending a query or an update that the protocol
    requires every server to accept (Virtuoso 7 does not answer an ``application/sparql-query``
    body). Answers are parsed as they stream in, so a caller that stops after N results never
    holds more than those.
    """

    def __init__(self, query_url: str, update_url: str | None = None, *, timeout_s: float = 30.0,
                 read_only: bool = False):
        self.query_url = query_url
        self.update_url = update_url or default_update_url(query_url)
        self.read_only = read_only
        self.timeout_s = timeout_s
        self.where = _without_credentials(query_url)
        self._prologue = sparql_prefixes()
        self._http = httpx.Client(timeout=timeout_s, headers={"User-Agent": "r2p-kg"})

    def _open(self, url: str, form: list[tuple[str, str]], accept: str | None, timeout: float) -> httpx.Response:
        """POST one request and return the response with its body still to stream.

        Errors name the server (without credentials) and the status, never its answer: a server's error
        body can hold anything, including what it fetched for a SERVICE clause. A connection that the
        server closed while it was idle (it was restarted) is opened anew once: that is the reconnect.
        """
        where = _without_credentials(url)
        headers = {"Content-Type": "application/x-www-form-urlencoded"} | ({"Accept": accept} if accept else {})
        request = self._http.build_request("POST", url, content=urlencode(form).encode("ascii"), headers=headers,
                                           timeout=timeout)
        for attempt in (1, 2):
            try:
                response = self._http.send(request, stream=True)
                break
            except httpx.RemoteProtocolError:
                if attempt == 2:
                    raise StoreUnavailable(f"SPARQL server {where} closed the connection without answering") from None
            except httpx.TimeoutException:
                raise StoreTimeout(f"SPARQL server {where} did not answer within {timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise StoreUnavailable(f"SPARQL server {where} unreachable: {type(exc).__name__}") from None
        if response.status_code >= 300:
            response.close()
            if response.status_code == 400:
                raise SyntaxError(f"SPARQL server {where} refused the request as malformed (HTTP 400)")
            hint = " (is R2P_STORE_URL its query endpoint, e.g. http://host:7878/query?)" if response.status_code in (404, 405) else ""
            raise StoreUnavailable(f"SPARQL server {where} answered HTTP {response.status_code}{hint}")
        return response

    def _send_query(self, sparql: str, default_graphs, named_graphs, base_iri, timeout: float) -> tuple[httpx.Response, str]:
        """Send a query with the r2p prefixes (and ``base_iri``) declared: the response to stream, and its media type."""
        prologue = (f"BASE <{base_iri}>\n" if base_iri else "") + self._prologue
        form = [("query", prologue + sparql), *(("default-graph-uri", g) for g in default_graphs),
                *(("named-graph-uri", g) for g in named_graphs)]
        response = self._open(self.query_url, form, _ACCEPT.get(query_form(sparql), _ACCEPT_ANY), timeout)
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in ("application/sparql-results+json", "application/n-triples", "text/plain"):
            response.close()
            raise StoreUnavailable(f"SPARQL server {self.where} answered an unexpected media type")
        return response, media

    @contextmanager
    def stream(self, sparql: str, *, default_graphs=(), named_graphs=(), base_iri: str | None = None,
               timeout: float | None = None):
        """The answer to ``sparql`` as a pyoxigraph result parsed while it streams in, within ``timeout`` seconds.

        ``default_graphs`` and ``named_graphs`` are the protocol's dataset. The response is closed on
        leaving the block, which drops the connection when the caller stopped early.
        """
        timeout = timeout or self.timeout_s
        deadline = time.monotonic() + timeout
        response, media = self._send_query(sparql, default_graphs, named_graphs, base_iri, timeout)
        try:
            yield _parse_answer(io.BufferedReader(_Body(response, deadline, self.where)), media, query_form(sparql))
        finally:
            response.close()

    def query(self, sparql: str):
        """Run a query with the r2p prefixes declared; answers are pyoxigraph results, as with the embedded store.

        The whole answer is read here, so that the result outlives the request.
        """
        response, media = self._send_query(sparql, (), (), None, self.timeout_s)
        try:
            content = response.read()
        except httpx.TimeoutException:
            raise StoreTimeout(f"SPARQL server {self.where} did not answer within {self.timeout_s:g} s") from None
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"SPARQL server {self.where} broke off its answer: {type(exc).__name__}") from None
        finally:
            response.close()
        if media == "application/sparql-results+json":
            return _parse_answer(content, media, query_form(sparql))
        return RemoteTriples(content)

    def update(self, sparql: str) -> None:
        if self.read_only:
            raise PermissionError(f"store {self.where} was opened read-only")
        self._open(self.update_url, [("update", sparql)], None, self.timeout_s).close()

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> None:
        """Drop ``graph`` and write ``quads`` into it in one update request: readers see old or new, never half."""
        self.replace_graphs({graph: ntriples(quads)})

    def replace_graphs(self, graphs: Mapping[NamedNode, bytes]) -> None:
        """Replace each graph by its N-Triples in one update request: readers see all old or all new."""
        self.update(_replace_update(graphs))

    def remove_graph(self, graph: NamedNode) -> None:
        self.update(f"DROP SILENT GRAPH {_nt(graph)}")

    def graph_property(self, graph: NamedNode, prop: str) -> str | None:
        rows = self.select(f"SELECT ?v WHERE {{ GRAPH {_nt(graph)} {{ {_nt(graph)} r2p:{prop} ?v }} }} LIMIT 1")
        return rows[0]["v"] if rows else None

    # A shared server holds graphs of its own (Virtuoso's system graphs): r2p's are those under GRAPH.
    _OURS = f'FILTER(STRSTARTS(STR(?g), "{GRAPH}"))'

    def named_graphs(self) -> list[NamedNode]:
        """r2p's graphs on the server (``GRAPH ?g {}`` would be quicker, but Virtuoso answers it wrongly)."""
        rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._OURS} }}")
        return sorted((NamedNode(r["g"]) for r in rows), key=lambda g: g.value)

    def quads_for_pattern(self, subject=None, predicate=None, obj=None, graph=None) -> Iterator[Quad]:
        """The quads matching the given terms (None matches any), in r2p's graphs, read as they stream in."""
        given = dict(zip("spog", (subject, predicate, obj, graph)))
        s, p, o, g = (f"?{v}" if t is None else _nt(t) for v, t in given.items())
        ours = self._OURS if graph is None else ""
        with self.stream(f"SELECT * WHERE {{ GRAPH {g} {{ {s} {p} {o} }} {ours} }}") as rows:
            for row in rows:
                yield Quad(*(row[v] if t is None else t for v, t in given.items()))

    def dump_nquads(self, output: BinaryIO | None = None) -> bytes | None:
        """Every quad of r2p's graphs, read with one SELECT so that any SPARQL server can be dumped the same way."""
        return serialize(self.quads_for_pattern(), output, format=RdfFormat.N_QUADS)

    def __len__(self) -> int:
        return int(self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._OURS} }}")[0]["n"])

    def flush(self) -> None:
        """Nothing to do: the server persists each update request."""

    def close(self) -> None:
        self._http.close()


def _parse_answer(body, media: str, form: str | None):
    """A server's answer as a pyoxigraph result, parsed lazily from ``body`` (bytes or a file).

    Virtuoso answers some ASK queries as a SELECT of one ``__ASK_RETVAL`` (1 or 0): that is read as the
    boolean it stands for.
    """
    if media != "application/sparql-results+json":
        return parse(body, format=RdfFormat.N_TRIPLES)
    result = parse_query_results(body, QueryResultsFormat.JSON)
    if form == "ASK" and isinstance(result, QuerySolutions) and [v.value for v in result.variables] == ["__ASK_RETVAL"]:
        true = any(row["__ASK_RETVAL"] is not None and row["__ASK_RETVAL"].value not in ("0", "false") for row in result)
        return parse_query_results(b'{"head":{},"boolean":%s}' % (b"true" if true else b"false"), QueryResultsFormat.JSON)
    return result


class RemoteTriples:
    """CONSTRUCT/DESCRIBE answer of a remote server: iterable Triples with ``QueryTriples.serialize``."""

    def __init__(self, ntriples: bytes):
        self._data = ntriples

    def __iter__(self) -> Iterator:
        return iter(parse(self._data, format=RdfFormat.N_TRIPLES))

    def serialize(self, output=None, format: RdfFormat = RdfFormat.N_TRIPLES):
        return serialize(iter(self), output, format=format)


def open_store(settings, *, read_only: bool = False) -> GraphStore:
    """The store chosen by the settings: a remote SPARQL server when ``R2P_STORE_URL`` is set, else embedded."""
    if settings.store_url:
        return RemoteStore(settings.store_url, settings.store_update_url or None,
                           timeout_s=settings.query_timeout_s + 5, read_only=read_only)
    return OxigraphStore(settings.store_dir, read_only=read_only)
