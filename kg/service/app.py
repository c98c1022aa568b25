"""The HTTP service: one FastAPI app over the persistent store and the search index.

Routes live in thin modules (``sparql_routes``, ``api_routes``, ``linked_data``); this module wires
them with what every route shares: the collaborators from ``kg.composition``, a request-body cap,
the SPARQL worker pool, and the one place where errors become JSON: a route raises, and
``ERROR_ANSWERS`` says with which status (and headers) each library error is answered.
"""
from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import NamedTuple

import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.catalogue import AmbiguousReference, NotInGraph
from kg.composition import Components
from kg.positions import PositionError
from kg.service import api_routes, linked_data, pages, sparql_routes
from kg.service.headers import SecurityHeaders
from kg.service.pool import PoolBusy, QueryTimeout, WorkerCrashed
from kg.service.throttle import CrashThrottle, SlowDown
from kg.settings import Settings
from kg.sparql import QueryError
from kg.store import StoreTimeout, StoreUnavailable
from search.encoder import EncoderError
from search.filters import SearchError, SearchIndexError

STATIC = Path(__file__).parent / "static"
log = logging.getLogger(__name__)


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``max_bytes`` with 413, declared or streamed.

    Starlette sets no limit of its own, so without this a client could make the server buffer
    any amount of data.
    """

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            return await _too_large(self.max_bytes, send)
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _BodyTooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await _too_large(self.max_bytes, send)


class UrlLimit:
    """ASGI middleware: answer 414 to a URL (path and query) over ``max_bytes``.

    The HTTP parser must be allowed to read such a request line for this to answer at all (see
    ``server_config``); without both, a long GET got a connection reset instead of a status.
    """

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and len(scope.get("raw_path", b"")) + len(scope.get("query_string", b"")) > self.max_bytes:
            response = JSONResponse({"error": f"URL longer than the limit of {self.max_bytes} bytes: "
                                              "send a long query in a POST body"}, status_code=414)
            return await response(scope, receive, send)
        return await self.app(scope, receive, send)


def server_config(app, settings: Settings, **options) -> uvicorn.Config:
    """uvicorn's configuration for the app: its HTTP parser reads request heads up to the body limit,
    so that an over-long URL is answered 414 by ``UrlLimit`` rather than dropped.

    Why h11 and not httptools: httptools cannot be told a head size, and answers a long URL with a bare
    400 before the app sees it; uvloop, the faster event loop, is used whenever installed.
    """
    return uvicorn.Config(app, http="h11", h11_max_incomplete_event_size=max(settings.max_body_bytes, settings.max_url_bytes) + 65536,
                          **options)


def serve(settings: Settings, *, host: str, port: int) -> None:
    """Run the service in ``server_workers`` processes, one per core by default, each on its own socket.

    Why processes: the server's work (HTTP parsing, routing, a query encode, JSON) is Python and holds
    the GIL, so one process uses one core whatever its threads. Why a socket each (``SO_REUSEPORT``):
    on one shared socket the process that wakes first accepts a whole burst of connections, and with
    keep-alive one process then served nearly all of 32 clients while the other idled; the kernel
    spreads connections evenly over sockets of their own. Each process is a fresh interpreter with a
    composition root of its own (store view, index, query pool), none shared across a fork; one that
    dies is started again.
    """
    workers = settings.server_workers or os.cpu_count() or 1
    if workers == 1:
        uvicorn.Server(server_config(create_app(settings), settings, host=host, port=port)).run()
        return
    spawn = multiprocessing.get_context("spawn")
    start = lambda: spawn.Process(target=_serve_process, args=(settings, host, port), daemon=True)  # noqa: E731
    processes = [start() for _ in range(workers)]
    for process in processes:
        process.start()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        while not stopping.is_set():
            multiprocessing.connection.wait([p.sentinel for p in processes], timeout=0.5)
            for i, process in enumerate(processes):
                if not process.is_alive() and not stopping.is_set():
                    log.warning("server process %s ended with %s; starting another", process.pid, process.exitcode)
                    processes[i] = start()
                    processes[i].start()
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(20)


def _serve_process(settings: Settings, host: str, port: int) -> None:
    """One of ``serve``'s processes: the app on a socket of its own, bound with ``SO_REUSEPORT``."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    uvicorn.Server(server_config(create_app(settings), settings, host=host, port=port)).run(sockets=[sock])


class _BodyTooLarge(Exception):
    pass


async def _too_large(limit: int, send) -> None:
    response = JSONResponse({"error": f"request body larger than the limit of {limit} bytes"}, status_code=413)
    await response({"type": "http"}, None, send)


def error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class ErrorAnswer(NamedTuple):
    status: int
    headers: dict[str, str] | None = None


# Library errors a route lets through, and how each is answered; the message is the error's own text.
# An error that carries its own ``status`` (``kg.sparql.QueryError``) or ``headers`` (a computed
# Retry-After) is answered with them.
ERROR_ANSWERS: dict[type[Exception], ErrorAnswer] = {
    NotInGraph: ErrorAnswer(404),
    AmbiguousReference: ErrorAnswer(400),
    SearchError: ErrorAnswer(400),
    PositionError: ErrorAnswer(400),  # an unknown speaker, theme or format
    SearchIndexError: ErrorAnswer(503),  # no index yet, or built with another model: run `r2p index`
    EncoderError: ErrorAnswer(503),
    QueryTimeout: ErrorAnswer(503),
    PoolBusy: ErrorAnswer(503, {"Retry-After": "5"}),
    WorkerCrashed: ErrorAnswer(500),
    SlowDown: ErrorAnswer(429),
    QueryError: ErrorAnswer(400),
    StoreTimeout: ErrorAnswer(503),  # the remote SPARQL server did not answer in time
    StoreUnavailable: ErrorAnswer(502),  # the remote SPARQL server is unreachable or failed (the message says)
}


def answer_error(exc: Exception) -> JSONResponse:
    """The JSON answer to a library error raised by a route (see ``ERROR_ANSWERS``)."""
    answer = next(ERROR_ANSWERS[c] for c in type(exc).__mro__ if c in ERROR_ANSWERS)
    return error(getattr(exc, "status", answer.status), str(exc), getattr(exc, "headers", None) or answer.headers)


def create_app(settings: Settings, *, query_workers: int | None = None) -> FastAPI:
    """Build the app over the store the settings choose (``store_dir``, or the server at ``store_url``).

    SPARQL runs in ``query_workers`` processes (default: the setting), or that many at once are forwarded.
    """
    components = Components(settings)
    view = components.store_view()
    pool = components.query_pool(query_workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        pool.start()
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(
        title="r2p-kg",
        summary="Knowledge graph and semantic search over Responsibility to Protect and atrocity-prevention documents.",
        description="SPARQL 1.1 endpoint at `/sparql` (Protocol, read-only), search, cited examples, documents, "
                    "countries, and dereferenceable URIs (`https://w3id.org/r2p-kg/X` is served at `/id/X` and at `/X`).",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.view = view
    app.state.pool = pool
    app.state.index = components.index_view()
    app.state.crash_throttle = CrashThrottle()
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(UrlLimit, max_bytes=settings.max_url_bytes)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such resource: {request.url.path}"
        return error(exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in exc.errors())
        return error(400, f"invalid request: {problems}")

    async def library_error(request: Request, exc: Exception):
        return answer_error(exc)

    for error_class in ERROR_ANSWERS:
        app.add_exception_handler(error_class, library_error)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        return error(500, f"internal error: {type(exc).__name__}")

    app.include_router(sparql_routes.router)
    app.include_router(api_routes.router)

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(pages.router)
    if pages.YASGUI_BUILD.is_dir():  # installed by `make setup` (npm ci); /editor says so when it is not
        app.mount("/vendor/yasgui", StaticFiles(directory=pages.YASGUI_BUILD), name="yasgui")
    app.include_router(linked_data.router)  # last: its catch-all serves the URIs' own paths
    app.openapi = lambda: _openapi_with_our_errors(app)
    return app


class ErrorBody(BaseModel):
    error: str


ERROR_STATUSES = {"400": "Invalid request (the message says which parameter and why)",
                  "403": "Refused: SPARQL Update or SERVICE on the read-only endpoint",
                  "404": "No such resource", "405": "Method not allowed", "406": "No acceptable result format",
                  "413": "Request body over the size limit", "415": "Unsupported content type",
                  "502": "The remote SPARQL server (R2P_STORE_URL) is unreachable or failed",
                  "503": "Over the time limit or all workers busy (retry later), or no search index yet (run `r2p index`)"}


def _openapi_with_our_errors(app: FastAPI) -> dict:
    """FastAPI documents 422 for invalid parameters; we answer 400 ``{"error": ...}`` (and 404, 503)."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, summary=app.summary,
                             description=app.description, routes=app.routes)
        error_ref = {"$ref": "#/components/schemas/ErrorBody"}
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorBody"] = ErrorBody.model_json_schema()
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                responses.pop("422", None)
                for status, text in ERROR_STATUSES.items():
                    responses.setdefault(status, {"description": text,
                                                  "content": {"application/json": {"schema": error_ref}}})
        for unused in ("HTTPValidationError", "ValidationError"):
            schema["components"]["schemas"].pop(unused, None)
        app.openapi_schema = schema
    return app.openapi_schema
