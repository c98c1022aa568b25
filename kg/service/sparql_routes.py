"""``/sparql``: the SPARQL 1.1 Protocol's query operation, read-only, with a service description.

GET ``?query=``, POST form-encoded, POST ``application/sparql-query``; ``default-graph-uri`` and
``named-graph-uri`` override the query's FROM clauses. Clients may lower the limits with
``timeout`` (seconds) and ``max-results``, never raise them. A result cut at the cap says so in the
``X-Result-Truncated`` header and, in JSON and XML, with a ``link`` to ``urn:r2p-kg:results-truncated``
in its head.
"""
from __future__ import annotations

from html import escape
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from kg.service.describe import service_description
from kg.service.pool import WorkerCrashed
from kg.service.throttle import SlowDown
from kg.sparql import QueryError, QueryRequest, accept_list, check_read_only, negotiate

router = APIRouter(tags=["SPARQL"])

_PARAMS_DOC = {
    "parameters": [
        {"name": "query", "in": "query", "schema": {"type": "string"}, "description": "A SPARQL 1.1 query (read-only; no SERVICE)."},
        {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "format", "in": "query", "schema": {"type": "string"},
         "description": "json, xml, csv, tsv (SELECT/ASK); turtle, ntriples, jsonld, rdfxml (CONSTRUCT/DESCRIBE). Default: from Accept."},
        {"name": "timeout", "in": "query", "schema": {"type": "number"}, "description": "Lower the time limit (seconds)."},
        {"name": "max-results", "in": "query", "schema": {"type": "integer"}, "description": "Lower the result cap."},
    ]
}


def _one(params: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise QueryError(f"exactly one '{name}' parameter is allowed, got {len(values)}")
    return values[0] if values else None


def _limit(params, name: str, ceiling: float, cast):
    """A client's lower limit, or the server's; never above the server's."""
    raw = _one(params, name)
    if raw is None:
        return ceiling
    try:
        value = cast(raw)
    except ValueError:
        raise QueryError(f"'{name}' must be a positive number, got {raw!r}") from None
    if not value > 0:
        raise QueryError(f"'{name}' must be a positive number, got {raw!r}")
    return min(value, ceiling)


def _media_type(request: Request) -> tuple[str, dict[str, str]]:
    header = request.headers.get("content-type", "")
    media, *rest = [p.strip() for p in header.split(";")]
    params = {k.strip().lower(): v.strip().strip('"') for k, _, v in (p.partition("=") for p in rest)}
    return media.lower(), params


async def _operation(request: Request) -> tuple[str | None, list[tuple[str, str]]]:
    """The query text and all protocol parameters (URL and form body), or raise a protocol error."""
    params = parse_qsl(request.url.query, keep_blank_values=True)
    if request.method != "POST":
        return _one(params, "query"), params
    media, media_params = _media_type(request)
    charset = media_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise QueryError(f"request bodies must be UTF-8, got charset={charset}", 415)
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(f"request body is not valid UTF-8 (byte {exc.start})", 400) from None
    if media == "application/x-www-form-urlencoded":
        params += parse_qsl(text, keep_blank_values=True)
        return _one(params, "query"), params
    if media == "application/sparql-query":
        if _one(params, "query") is not None:
            raise QueryError("a query in both the URL and an application/sparql-query body")
        return text, params
    if media == "application/sparql-update":
        raise QueryError("SPARQL Update is not allowed on this endpoint (read-only)", 403)
    raise QueryError("POST needs Content-Type application/x-www-form-urlencoded or application/sparql-query"
                     + (f", got {media}" if media else ", got none"), 415)


_ALLOW = {"Allow": "GET, POST, OPTIONS"}


@router.api_route("/sparql/", methods=["PUT", "DELETE", "PATCH"], include_in_schema=False)
@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"], include_in_schema=False)
async def other_methods(request: Request):
    raise QueryError(f"method {request.method} not allowed: use GET or POST", 405, headers=_ALLOW)


@router.options("/sparql/", include_in_schema=False)
@router.options("/sparql", include_in_schema=False)
async def options():
    """The methods the endpoint answers, truthfully (the protocol's query operation only)."""
    return Response(status_code=204, headers=_ALLOW)


_SUMMARY = "SPARQL 1.1 query endpoint (Protocol); the service description when there is no query"


@router.api_route("/sparql/", methods=["GET", "POST"], include_in_schema=False)
@router.post("/sparql", openapi_extra=_PARAMS_DOC, summary=_SUMMARY)
@router.get("/sparql", openapi_extra=_PARAMS_DOC, summary=_SUMMARY)
async def sparql(request: Request):
    """Errors are raised, and answered by the app's one error table (``kg.service.app.ERROR_ANSWERS``)."""
    settings = request.app.state.settings
    query, params = await _operation(request)
    if _one(params, "update") is not None:
        raise QueryError("SPARQL Update is not allowed on this endpoint (read-only)", 403)
    if query is None:
        return await run_in_threadpool(_describe, request, params)
    if not query.strip():
        raise QueryError("the query is empty")
    _admit(request, query)
    timeout = _limit(params, "timeout", settings.query_timeout_s, float)
    limit = _limit(params, "max-results", settings.query_result_limit, int)
    req = QueryRequest(query, limit, tuple(v for k, v in params if k == "default-graph-uri"),
                       tuple(v for k, v in params if k == "named-graph-uri"),
                       request.headers.get("accept"), _one(params, "format"), _endpoint(request))
    try:
        result = await run_in_threadpool(request.app.state.pool.run, req, timeout)
    except WorkerCrashed:
        request.app.state.crash_throttle.record(_client(request))
        raise
    headers = {"X-Result-Count": str(result.count), "X-Result-Limit": str(limit), "X-Query-Timeout": f"{timeout:g}",
               "Vary": "Accept"}
    if result.truncated:
        headers["X-Result-Truncated"] = "true"
    return Response(result.body, media_type=result.media_type, headers=headers)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _admit(request: Request, query: str) -> None:
    """Checks made in the server, before a worker is used: what the query asks for, its depth, the client.

    A query nested thousands of brackets deep crashes the engine's parser, and a crash costs a new
    worker process, so it is refused here for the price of a scan.
    """
    shape = check_read_only(query)
    limit = request.app.state.settings.query_max_depth
    if shape.depth > limit:
        raise QueryError(f"the query nests brackets {shape.depth} deep; at most {limit} are allowed")
    if wait := request.app.state.crash_throttle.retry_after(_client(request)):
        raise SlowDown(wait)


def _endpoint(request: Request) -> str:
    return str(request.url.replace(query="")).rstrip("/")


def _describe(request: Request, params) -> Response:
    """Service Description (with VoID) at the endpoint, as RDF, or as a readable page for a browser."""
    accept = request.headers.get("accept", "")
    fmt = _one(params, "format")
    endpoint = _endpoint(request)
    wants_html = not fmt and accept_list(accept)[:1] == ["text/html"]
    if wants_html:
        text = service_description(request.app.state.view, endpoint, "text/turtle").decode()
        return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>SPARQL endpoint</title>"
                            f"<p>This is a SPARQL 1.1 endpoint: send a query with <code>?query=</code>, or use the "
                            f"<a href='/#sparql'>query page</a>. Its service description:</p><pre>{escape(text)}</pre>")
    media = negotiate("graph", accept, fmt)
    return Response(service_description(request.app.state.view, endpoint, media), media_type=media,
                    headers={"Vary": "Accept"})
