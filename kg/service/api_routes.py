"""The JSON API for delegates and study-guide authors: search, cited examples, documents, countries, health.

Every answer comes from the graph (through fixed SPARQL queries on the read-only store view) or
from the search index; errors are JSON ``{"error": message}`` like the rest of the service.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import astuple
from pathlib import Path
from typing import Annotated

import pycountry
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pyoxigraph import Literal

from kg.namespaces import BASE, country_uri, symbol_slug
from kg.sparql import accept_list

router = APIRouter()
_searcher_lock = threading.Lock()


def local_path(uri: str) -> str:
    """Where the service serves one of the graph's URIs: ``https://w3id.org/r2p-kg/X`` -> ``/id/X``."""
    return "/id/" + uri[len(BASE):] if uri.startswith(BASE) else uri


def _lit(value: str) -> str:
    return str(Literal(value))


@router.get("/health", tags=["service"], summary="Liveness and what is loaded")
def health(request: Request):
    state = request.app.state
    store = state.view.get()
    searcher = getattr(state, "searcher", None)
    return {"status": "ok", "triples": len(store), "graphs": len(store.named_graphs()),
            "query_workers": state.pool.alive(), "search": "loaded" if searcher else "loaded on first search"}


# -- search ----------------------------------------------------------------------------------------
def _searcher(request: Request):
    """The search index, opened on first use and again after the store changed (a re-ingest rebuilds it)."""
    state = request.app.state
    with _searcher_lock:
        store = state.view.get()
        cached = getattr(state, "searcher", None)
        if cached is None or cached[0] is not store:
            try:
                from search.searcher import Searcher
            except ImportError as exc:
                raise HTTPException(503, f"search is not available: {exc}") from None
            state.searcher = (store, Searcher.open(state.settings, store))
        return state.searcher[1]


@router.get("/search", tags=["search"], summary="Paragraphs that answer a question, with citations")
def search(
    request: Request,
    q: Annotated[str, Query(description="A question in plain English.", max_length=10_000)],
    k: Annotated[int, Query(ge=1, description="How many paragraphs (at most the server's search_k_max).")] = 10,
    country: Annotated[str | None, Query(description="ISO code or name, e.g. KEN or Kenya.")] = None,
    risk_factor: Annotated[str | None, Query(description="Risk factor number or label.")] = None,
    crime: Annotated[str | None, Query(description="genocide, war-crimes, crimes-against-humanity, ethnic-cleansing.")] = None,
    document: Annotated[str | None, Query(description="Document symbol or id.")] = None,
    doc_type: Annotated[str | None, Query(alias="type", description="report, treaty, resolution, letter, study_guide, fact_sheet.")] = None,
    year: Annotated[int | None, Query(description="Year of the document.")] = None,
):
    searcher = _searcher(request)
    from search.searcher import SearchError

    k = min(k, request.app.state.settings.search_k_max)
    filters = {key: value for key, value in {"country": country, "risk_factor": risk_factor, "crime": crime,
                                              "document": document, "doc_type": doc_type,
                                              "year": year}.items() if value is not None}
    try:
        hits = searcher.search(q, k, filters)
    except SearchError as exc:
        raise HTTPException(400, str(exc)) from None
    return {"query": q, "k": k, "filters": filters, "hits": [hit.to_dict() for hit in hits]}


# -- example queries ----------------------------------------------------------------------------------
QUERIES = Path(__file__).resolve().parents[1] / "queries"


def example_queries() -> list[dict]:
    """``kg/queries/*.rq``: the first comment line is the title, further leading comment lines the description."""
    out = []
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comments = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comments.append(line.lstrip("# ").strip())
        out.append({"name": path.stem, "title": comments[0] if comments else path.stem,
                    "description": " ".join(comments[1:]), "query": text})
    return out


@router.get("/queries", tags=["SPARQL"], summary="The documented example queries (kg/queries/*.rq)")
def queries():
    return {"queries": example_queries()}


# -- cited examples --------------------------------------------------------------------------------
_EXAMPLE_MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8", "md": "text/markdown; charset=utf-8"}


def _example_format(fmt: str | None, accept: str | None) -> str:
    if fmt:
        if fmt not in _EXAMPLE_MEDIA:
            raise HTTPException(400, f"format must be one of json, csv, md; got {fmt!r}")
        return fmt
    for media in accept_list(accept):
        for name, offered in _EXAMPLE_MEDIA.items():
            if media == offered.split(";")[0]:
                return name
    return "json"


@router.get("/examples", tags=["examples"], summary="Cited examples with filters, as JSON, CSV or Markdown")
def examples(
    request: Request,
    country: str | None = None, region: str | None = None, risk_factor: str | None = None,
    policy_option: str | None = None, crime: str | None = None, kind: str | None = None,
    year_from: Annotated[int | None, Query(alias="from")] = None,
    year_to: Annotated[int | None, Query(alias="to")] = None,
    document: str | None = None, text: str | None = None,
    format: Annotated[str | None, Query(description="json, csv or md (default: from Accept, else json).")] = None,
):
    fmt = _example_format(format, request.headers.get("accept"))
    try:
        from kg.cited_examples import ExampleFilter, render_examples
    except ImportError as exc:
        raise HTTPException(503, f"cited examples are not available: {exc}") from None
    flt = ExampleFilter(country=country, region=region, risk_factor=risk_factor, policy_option=policy_option,
                        crime=crime, kind=kind, year_from=year_from, year_to=year_to, document=document, text=text)
    view = request.app.state.view
    store = view.get()
    key = (str(view.path), view.generation, fmt, *astuple(flt))  # a new store generation never meets an old answer
    body = _examples_cache.get(key)
    if body is None:
        try:
            body = render_examples(store, flt, fmt)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
        _examples_cache.put(key, body)
    return Response(body, media_type=_EXAMPLE_MEDIA[fmt])


class _LRU:
    """A small thread-safe LRU of rendered answers: the examples query costs ~40 ms, a repeat costs nothing."""

    def __init__(self, size: int):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            if len(self._items) > self.size:
                self._items.popitem(last=False)


_examples_cache = _LRU(256)


# -- documents -------------------------------------------------------------------------------------
_DOCS = """
SELECT ?d ?title ?symbol ?type ?date (COUNT(DISTINCT ?p) AS ?parts) {
  GRAPH ?g { ?d prov:wasDerivedFrom ?g ; dcterms:title ?title ; r2p:documentType ?type .
    OPTIONAL { ?d dcterms:identifier ?symbol } OPTIONAL { ?d dcterms:date ?date } OPTIONAL { ?p r2p:inDocument ?d } }
  %s
} GROUP BY ?d ?title ?symbol ?type ?date ORDER BY ?d
"""


def _document_row(row: dict) -> dict:
    uri = row["d"]
    return {"id": uri.rsplit("/", 1)[-1], "uri": uri, "page": local_path(uri), "title": row["title"],
            "symbol": row.get("symbol"), "type": row["type"], "date": row.get("date"), "parts": int(row["parts"])}


@router.get("/documents", tags=["documents"], summary="Every ingested document")
def documents(request: Request):
    return {"documents": [_document_row(r) for r in request.app.state.view.get().select(_DOCS % "")]}


def _resolve_document(store, ref: str) -> dict:
    """A document by id (``A-67-929``), UN symbol (``A/67/929``, ``S/RES/827 (1993)``) or symbol without year."""
    rows = store.select(_DOCS % f"FILTER(?d = <{BASE}doc/{symbol_slug(ref)}> || LCASE(STR(?symbol)) = LCASE({_lit(ref)}) "
                                f"|| STRSTARTS(LCASE(STR(?symbol)), LCASE({_lit(ref + ' (')})))")
    if not rows:
        raise HTTPException(404, f"no document {ref!r}: see /documents for the list")
    if len(rows) > 1:
        raise HTTPException(400, f"{ref!r} is ambiguous: {', '.join(r['d'].rsplit('/', 1)[-1] for r in rows)}")
    return _document_row(rows[0])


_PARTS = """
SELECT ?p ?parent ?class ?number ?order ?title ?text ?citation {
  GRAPH ?g { %(d)s prov:wasDerivedFrom ?g . ?p r2p:inDocument %(d)s ; dcterms:isPartOf ?parent ; r2p:order ?order ; a ?class .
    FILTER(STRSTARTS(STR(?class), STR(r2p:)))
    OPTIONAL { ?p r2p:number ?number } OPTIONAL { ?p dcterms:title ?title }
    OPTIONAL { ?p r2p:text ?text } OPTIONAL { ?p r2p:citation ?citation } }
}
"""


@router.get("/documents/{ref:path}", tags=["documents"], summary="A document's structure and paragraphs")
def document(request: Request, ref: str):
    store = request.app.state.view.get()
    doc = _resolve_document(store, ref)
    nodes, children = {}, {}
    for row in store.select(_PARTS % {"d": f"<{doc['uri']}>"}):
        nodes[row["p"]] = {"uri": row["p"], "page": local_path(row["p"]), "kind": row["class"].rsplit("#", 1)[-1],
                           "number": row.get("number"), "title": row.get("title"), "citation": row.get("citation"),
                           "text": row.get("text"), "order": int(row["order"]), "parts": []}
        children.setdefault(row["parent"], []).append(row["p"])
    for parent, kids in children.items():
        if parent in nodes:
            nodes[parent]["parts"] = sorted((nodes[k] for k in kids), key=lambda n: n["order"])
    doc["structure"] = sorted((nodes[k] for k in children.get(doc["uri"], [])), key=lambda n: n["order"])
    return doc


# -- countries -------------------------------------------------------------------------------------
_COUNTRY_PARAGRAPHS = """
SELECT DISTINCT ?p ?citation ?text ?d {
  ?p r2p:mentionsCountry %s . OPTIONAL { ?p r2p:citation ?citation } OPTIONAL { ?p r2p:text ?text }
  OPTIONAL { ?p r2p:inDocument ?d }
} ORDER BY ?d ?citation
"""


@router.get("/countries/{code}", tags=["countries"], summary="Every paragraph and example about a country")
def country(request: Request, code: str):
    try:
        found = pycountry.countries.lookup(code)
    except LookupError:
        raise HTTPException(404, f"unknown country {code!r}: give an ISO 3166 code (KEN) or a name (Kenya)") from None
    uri = country_uri(found.alpha_3).value
    store = request.app.state.view.get()
    paragraphs = [{"uri": r["p"], "page": local_path(r["p"]), "citation": r.get("citation"), "text": r.get("text"),
                   "document": r.get("d")} for r in store.select(_COUNTRY_PARAGRAPHS % f"<{uri}>")]
    out = {"iso": found.alpha_3, "name": found.name, "uri": uri, "paragraphs": paragraphs}
    try:
        from kg.cited_examples import ExampleFilter, render_examples
    except ImportError as exc:
        out["examples_unavailable"] = str(exc)
    else:
        out["examples"] = json.loads(render_examples(store, ExampleFilter(country=found.alpha_3), "json"))
    return JSONResponse(out)
