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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

from pyoxigraph import (NamedNode, Quad, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Store, parse, parse_query_results, serialize)

from kg.namespaces import PREFIXES, R2P, sparql_prefixes
from kg.sparql_lexer import UnreadableQuery, scan


class GraphStore(Protocol):
    """What the rest of the code needs from a store; a remote SPARQL server is the other implementation."""

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> None: ...
    def remove_graph(self, graph: NamedNode) -> None: ...
    def graph_property(self, graph: NamedNode, prop: str) -> str | None: ...
    def graph_hashes(self) -> dict[str, str]: ...
    def named_graphs(self) -> list[NamedNode]: ...
    def query(self, sparql: str): ...
    def select(self, sparql: str) -> list[dict[str, str]]: ...
    def ask(self, sparql: str) -> bool: ...
    def dump_nquads(self) -> bytes: ...
    def flush(self) -> None: ...


def _nt(term) -> str:
    """N-Triples/SPARQL syntax of a pyoxigraph term (its ``str`` is exactly that)."""
    return str(term)


def _replace_update(graph: NamedNode, quads: Iterable[Quad]) -> str:
    """One SPARQL Update request that replaces ``graph``: the unit of atomicity of both stores."""
    body = " .\n".join(f"{_nt(q.subject)} {_nt(q.predicate)} {_nt(q.object)}" for q in quads)
    return f"DROP SILENT GRAPH {_nt(graph)} ;\nINSERT DATA {{ GRAPH {_nt(graph)} {{\n{body}\n}} }}"


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
        self.path = path

    @property
    def raw(self) -> Store:
        return self._store

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> None:
        """Drop ``graph`` and write ``quads`` into it in one transaction: readers see old or new, never half.

        A single SPARQL Update request (DROP + INSERT DATA) is one Oxigraph transaction.
        """
        self._store.update(_replace_update(graph, quads))

    def remove_graph(self, graph: NamedNode) -> None:
        self._store.update(f"DROP SILENT GRAPH {_nt(graph)}")

    def graph_property(self, graph: NamedNode, prop: str) -> str | None:
        """A literal stored on the graph's own node (e.g. the source hash), or None."""
        for quad in self._store.quads_for_pattern(graph, NamedNode(R2P + prop), None, graph):
            return quad.object.value
        return None

    def named_graphs(self) -> list[NamedNode]:
        return sorted(self._store.named_graphs(), key=lambda g: g.value)

    def query(self, sparql: str):
        """Run a query; the default graph is the union of all named graphs unless the query has FROM.

        A query that the SPARQL lexer cannot read gets the union too; the engine then reports its error.
        """
        try:
            union = not scan(sparql).dataset
        except UnreadableQuery:
            union = True
        return self._store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=union)

    def dump_nquads(self) -> bytes:
        return self._store.dump(format=RdfFormat.N_QUADS)

    def __len__(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        self._store.flush()


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


class RemoteTriples:
    """CONSTRUCT/DESCRIBE answer of a remote server: iterable Triples with ``QueryTriples.serialize``."""

    def __init__(self, ntriples: bytes):
        self._data = ntriples

    def __iter__(self) -> Iterator:
        return iter(parse(self._data, format=RdfFormat.N_TRIPLES))

    def serialize(self, output=None, format: RdfFormat = RdfFormat.N_TRIPLES):
        return serialize(iter(self), output, format=format)


def _without_credentials(url: str) -> str:
    """The URL as it may be shown: ``user:password@`` removed."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def default_update_url(query_url: str) -> str:
    """Oxigraph server and Fuseki answer updates at ``.../update`` next to ``.../query``; others at the same URL."""
    return query_url[: -len("query")] + "update" if query_url.endswith("/query") else query_url


class RemoteStore(_QueryHelpers):
    """A SPARQL 1.1 server reached over the SPARQL 1.1 Protocol (query and update endpoints).

    A document is replaced with one update request (DROP + INSERT DATA): SPARQL 1.1 Update asks
    servers to treat each request atomically, which Oxigraph, Fuseki (TDB2) and GraphDB do. The
    Graph Store Protocol's PUT is not used because its atomicity varies: Oxigraph server, for one,
    clears then loads in two steps. The server's default graph must be the union of the named
    graphs (``oxigraph serve --union-default-graph``; Fuseki ``tdb2:unionDefaultGraph true``;
    the default in GraphDB and Virtuoso). Credentials may be given in the URL
    (``https://user:pass@host/...``, sent as HTTP Basic).
    """

    _ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"

    def __init__(self, query_url: str, update_url: str | None = None, *, timeout_s: float = 30.0,
                 read_only: bool = False):
        import httpx

        self.query_url = query_url
        self.update_url = update_url or default_update_url(query_url)
        self.read_only = read_only
        self._prologue = sparql_prefixes()
        self._http = httpx.Client(timeout=timeout_s, headers={"User-Agent": "r2p-kg"})
        self._httpx = httpx

    def _post(self, url: str, body: str, content_type: str, accept: str | None = None):
        """POST one request; errors name the server (without credentials) and the status, never its answer.

        A server's error body can hold anything, including what it fetched for a SERVICE clause, so it
        is not quoted to whoever sent the query.
        """
        headers = {"Content-Type": f"{content_type}; charset=utf-8"} | ({"Accept": accept} if accept else {})
        where = _without_credentials(url)
        try:
            response = self._http.post(url, content=body.encode("utf-8"), headers=headers)
        except self._httpx.HTTPError as exc:
            raise StoreUnavailable(f"SPARQL server {where} unreachable: {type(exc).__name__}") from None
        if response.status_code == 400:
            raise SyntaxError(f"SPARQL server {where} refused the request as malformed (HTTP 400)")
        if response.status_code >= 300:
            raise StoreUnavailable(f"SPARQL server {where} answered HTTP {response.status_code}")
        return response

    def query(self, sparql: str):
        """Run a query with the r2p prefixes declared; answers are pyoxigraph results, as with the embedded store."""
        response = self._post(self.query_url, self._prologue + sparql, "application/sparql-query", self._ACCEPT)
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "application/sparql-results+json":
            return parse_query_results(response.content, QueryResultsFormat.JSON)
        if media in ("application/n-triples", "text/plain"):
            return RemoteTriples(response.content)
        raise StoreUnavailable(f"SPARQL server {_without_credentials(self.query_url)} answered an unexpected media type")

    def update(self, sparql: str) -> None:
        if self.read_only:
            raise PermissionError(f"store {_without_credentials(self.query_url)} was opened read-only")
        self._post(self.update_url, sparql, "application/sparql-update")

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> None:
        """Drop ``graph`` and write ``quads`` into it in one update request: readers see old or new, never half."""
        self.update(_replace_update(graph, quads))

    def remove_graph(self, graph: NamedNode) -> None:
        self.update(f"DROP SILENT GRAPH {_nt(graph)}")

    def graph_property(self, graph: NamedNode, prop: str) -> str | None:
        rows = self.select(f"SELECT ?v WHERE {{ GRAPH {_nt(graph)} {{ {_nt(graph)} r2p:{prop} ?v }} }} LIMIT 1")
        return rows[0]["v"] if rows else None

    def named_graphs(self) -> list[NamedNode]:
        return sorted((NamedNode(r["g"]) for r in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")),
                      key=lambda g: g.value)

    def dump_nquads(self) -> bytes:
        """Every quad, read with one SELECT so that any SPARQL server can be dumped the same way."""
        result = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return serialize((Quad(r["s"], r["p"], r["o"], r["g"]) for r in result), format=RdfFormat.N_QUADS)

    def __len__(self) -> int:
        return int(self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"])

    def flush(self) -> None:
        """Nothing to do: the server persists each update request."""

    def close(self) -> None:
        self._http.close()


def open_store(settings, *, read_only: bool = False) -> GraphStore:
    """The store chosen by the settings: a remote SPARQL server when ``R2P_STORE_URL`` is set, else embedded."""
    if settings.store_url:
        return RemoteStore(settings.store_url, settings.store_update_url or None,
                           timeout_s=settings.query_timeout_s + 5, read_only=read_only)
    return OxigraphStore(settings.store_dir, read_only=read_only)
