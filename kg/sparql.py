"""Read-only SPARQL over the store: refusal of updates and federation, result limits, result formats.

Shared by the CLI and the HTTP endpoint so both enforce the same rules. ``execute`` is what an
endpoint worker runs: it evaluates one query over a protocol-given dataset and serialises at most
``limit`` results in the negotiated format, saying whether it cut the result short.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import (BlankNode, Literal, NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat,
                        Triple, serialize)

from ingest.namespaces import PREFIXES
from kg.sparql_lexer import QueryShape, UnreadableQuery, scan


class QueryError(ValueError):
    """A query that is malformed or not allowed; the message says why (and where, for syntax).

    ``status`` is the HTTP status an endpoint answers with: 400 malformed, 403 refused, 405 wrong
    method, 406 no acceptable format, 415 wrong media type; ``headers`` go with the answer (``Allow``).
    """

    def __init__(self, message: str, status: int = 400, *, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers


def check_read_only(query: str) -> QueryShape:
    """Refuse SPARQL Update and SERVICE before the engine sees the query (Oxigraph would follow SERVICE).

    The decision is the grammar's (``kg.sparql_lexer``), and a query it cannot read is refused: a
    guard that guesses can be walked around. Returns what the query asks for, for ``FROM``.
    """
    try:
        shape = scan(query)
    except UnreadableQuery as exc:
        raise QueryError(f"cannot read the query: {exc}") from None
    if shape.service:
        raise QueryError("SERVICE (federated query) is not allowed on this endpoint", 403)
    if shape.update:
        raise QueryError(f"SPARQL Update ({shape.update}) is not allowed on this endpoint", 403)
    return shape


def check_standard(query: str) -> QueryShape:
    """``check_read_only``, and refuse what is not standard SPARQL 1.1: the check before a remote server.

    Servers read extensions of their own that fetch URLs as ``SERVICE`` does, and answer with what
    they fetched: measured on Virtuoso 7, ``DEFINE get:soft "replace"`` before ``FROM <url>`` and the
    function ``bif:http_get(url)`` both do. So a bare word outside SPARQL's keywords and a call of
    any function but an XSD cast are refused before anything is forwarded.
    """
    shape = check_read_only(query)
    if shape.extension:
        raise QueryError(f"{shape.extension} is not standard SPARQL 1.1, and this endpoint forwards only standard "
                         "SPARQL to its SPARQL server (functions: XSD casts only)", 403)
    return shape


# -- formats ---------------------------------------------------------------------------------------
# Short names (the ``format=`` parameter, the CLI's --format) -> media type, per result kind.
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
RDF_FORMATS = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
_ALIASES = {  # media types clients send for the same formats
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json+ld": "application/ld+json",
    "nt": "ntriples", "ttl": "turtle", "json-ld": "jsonld", "rdf": "rdfxml",
}


def accept_list(accept: str | None) -> list[str]:
    """Media ranges of an Accept header, best first (q-value, then order); q=0 ranges dropped."""
    ranked = []
    for i, part in enumerate((accept or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, fields[0].lower()))
    return [m for _, _, m in sorted(ranked)]


def negotiate(kind: str, accept: str | None = None, fmt: str | None = None) -> str:
    """The media type to answer a ``kind`` ("select", "ask", "graph") result with.

    An explicit ``fmt`` (short name or media type) wins over the Accept header; JSON results and
    Turtle graphs are the defaults for ``*/*``.
    """
    offered = list(GRAPH_FORMATS.values()) if kind == "graph" else list(RESULT_FORMATS.values())
    if fmt:
        name = _ALIASES.get(fmt.lower(), fmt.lower())
        if kind == "graph":  # clients such as SPARQLWrapper send format=json/xml whatever the query form
            name = {"json": "jsonld", "xml": "rdfxml"}.get(name, name)
        media = {**RESULT_FORMATS, **GRAPH_FORMATS}.get(name, _ALIASES.get(name, name))
        if media not in offered:
            raise QueryError(f"format {fmt!r} is not available for a {kind.upper() if kind != 'graph' else 'CONSTRUCT/DESCRIBE'} "
                             f"result; use one of: {', '.join(offered)}", 406)
        return media
    for wanted in accept_list(accept):
        wanted = _ALIASES.get(wanted, wanted)
        if wanted in offered:
            return wanted
        if wanted in ("*/*", "application/*") or (wanted.endswith("/*") and any(o.startswith(wanted[:-1]) for o in offered)):
            return next(o for o in offered if wanted == "*/*" or o.startswith(wanted[:-1]))
    raise QueryError(f"none of the accepted media types ({accept}) can carry this result; offered: {', '.join(offered)}", 406)


# -- execution -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueryRequest:
    """One query as the protocol gives it: text, dataset, wanted format and the limits that apply."""

    query: str
    limit: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str | None = None
    fmt: str | None = None
    base_iri: str | None = None  # resolves relative IRIs; the endpoint's URL over HTTP


@dataclass
class QueryResponse:
    body: bytes
    media_type: str
    kind: str
    count: int  # rows or triples returned (1 for ASK)
    truncated: bool  # more results existed than ``limit``


TRUNCATED_LINK = "urn:r2p-kg:results-truncated"


def _dataset_iri(param: str, value: str) -> NamedNode:
    try:
        return NamedNode(value)
    except ValueError as exc:
        raise QueryError(f"invalid {param} {value!r}: {exc}") from exc


def dataset_of(req: QueryRequest) -> tuple[list[NamedNode], list[NamedNode]]:
    """The protocol's ``default-graph-uri`` and ``named-graph-uri`` as IRIs; an invalid one is a 400."""
    return ([_dataset_iri("default-graph-uri", g) for g in req.default_graphs],
            [_dataset_iri("named-graph-uri", g) for g in req.named_graphs])


def _evaluate(store, req: QueryRequest):
    """Run the query on a raw pyoxigraph Store; the protocol's dataset overrides FROM / FROM NAMED.

    ``FROM`` and ``FROM NAMED`` name the store's own graphs (Oxigraph never fetches them; a graph
    that is not there is empty). With neither, the default graph is the union of all named graphs,
    as in the CLI.
    """
    shape = check_read_only(req.query)
    kwargs: dict = {"prefixes": PREFIXES, "base_iri": req.base_iri}
    if req.default_graphs or req.named_graphs:
        kwargs["default_graph"], kwargs["named_graphs"] = dataset_of(req)
    elif not shape.dataset:
        kwargs["use_default_graph_as_union"] = True
    try:
        return store.query(req.query, **kwargs)
    except SyntaxError as exc:
        raise QueryError(f"syntax error: {exc}") from exc
    except ValueError as exc:  # e.g. an invalid IRI in default-graph-uri
        raise QueryError(str(exc)) from exc


def execute(store, req: QueryRequest) -> QueryResponse:
    """Evaluate and serialise, stopping after ``req.limit`` rows or triples (``truncated`` says so)."""
    return write_result(_evaluate(store, req), req.limit, accept=req.accept, fmt=req.fmt)


def write_result(result, limit: int, *, accept: str | None = None, fmt: str | None = None) -> QueryResponse:
    """Serialise a pyoxigraph query result in the negotiated format, at most ``limit`` rows or triples."""
    if isinstance(result, QueryBoolean):
        media = negotiate("ask", accept, fmt)
        return QueryResponse(result.serialize(format=QueryResultsFormat.from_media_type(media)), media, "ask", 1, False)
    if isinstance(result, QuerySolutions):
        media = negotiate("select", accept, fmt)
        names = [v.value for v in result.variables]
        rows, truncated = _take(result, limit)
        return QueryResponse(_write_solutions(names, rows, media, truncated), media, "select", len(rows), truncated)
    media = negotiate("graph", accept, fmt)
    triples, truncated = _take(result, limit)
    body = serialize(triples, format=RDF_FORMATS[media], prefixes=PREFIXES if media == "text/turtle" else None)
    if truncated and media in ("text/turtle", "application/n-triples"):
        body = f"# truncated: only the first {limit} triples ({TRUNCATED_LINK})\n".encode() + body
    return QueryResponse(body, media, "graph", len(triples), truncated)


def _take(iterator, limit: int) -> tuple[list, bool]:
    items = []
    for item in iterator:
        if len(items) >= limit:
            return items, True
        items.append(item)
    return items, False


def _term_json(term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, Triple):
        return {"type": "triple", "value": {k: _term_json(getattr(term, k)) for k in ("subject", "predicate", "object")}}
    raise TypeError(f"unexpected term {term!r}")


def _term_xml(term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return "<triple>" + "".join(f"<{k}>{_term_xml(getattr(term, k))}</{k}>" for k in ("subject", "predicate", "object")) + "</triple>"


def _write_solutions(names: list[str], rows: list, media: str, truncated: bool) -> bytes:
    """SPARQL 1.1 results in JSON, XML, CSV or TSV; a truncated result carries a ``link`` in its head.

    Written here rather than with ``QuerySolutions.serialize`` because that consumes the whole
    iterator, and the endpoint must stop at its result cap.
    """
    if media == RESULT_FORMATS["json"]:
        head: dict = {"vars": names}
        if truncated:
            head["link"] = [TRUNCATED_LINK]
        bindings = [{n: _term_json(row[n]) for n in names if row[n] is not None} for row in rows]
        return json.dumps({"head": head, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8")
    if media == RESULT_FORMATS["xml"]:
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(n)}/>" for n in names]
        if truncated:
            out.append(f'<link href="{TRUNCATED_LINK}"/>')
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(n)}>{_term_xml(row[n])}</binding>" for n in names if row[n] is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    buf = io.StringIO()
    if media == RESULT_FORMATS["csv"]:  # plain lexical values, RFC 4180 quoting, CRLF
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([_csv_value(row[n]) for n in names])
    else:  # TSV: variables with '?', terms in SPARQL/N-Triples syntax
        buf.write("\t".join(f"?{n}" for n in names) + "\n")
        for row in rows:
            buf.write("\t".join("" if row[n] is None else str(row[n]) for n in names) + "\n")
    return buf.getvalue().encode("utf-8")


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term) if isinstance(term, Triple) else term.value


# -- the CLI's interface ---------------------------------------------------------------------------
def run_query(store, query: str):
    """Evaluate a read-only query over any ``GraphStore`` (embedded or remote), for the CLI.

    The store's own ``query`` gives the r2p prefixes and, unless the query has FROM, the union
    default graph; the result is serialised with ``write_result``, the same writers as the endpoint.
    """
    check_read_only(query)
    try:
        return store.query(query)
    except SyntaxError as exc:
        raise QueryError(f"syntax error: {exc}") from exc
    except (ValueError, OSError) as exc:
        raise QueryError(str(exc)) from exc


__all__ = ["QueryError", "QueryRequest", "QueryResponse", "execute", "dataset_of", "write_result", "negotiate", "run_query",
           "check_read_only", "check_standard", "RESULT_FORMATS", "GRAPH_FORMATS", "TRUNCATED_LINK"]
