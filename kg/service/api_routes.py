"""The JSON API for delegates and study-guide authors: search, cited examples, documents, countries, health.

Each route parses its parameters, calls one library function (``kg.catalogue``, ``kg.cited_examples``,
``kg.queries`` or the searcher) and formats the answer. Errors are raised, never answered here:
``app.py`` maps every one to ``{"error": message}`` with its status.
"""
from __future__ import annotations

import difflib
from dataclasses import asdict
from functools import lru_cache
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import AliasChoices, BaseModel, Field, ValidationError

from ingest.examples import KINDS
from kg import catalogue
from kg.cited_examples import ExampleFilter, example_facets, find_examples, render_examples
from kg.positions import MEDIA as POSITION_MEDIA
from kg.positions import positions as render_positions
from kg.positions import table as positions_table
from kg.positions import theme_keys
from kg.queries import load_queries
from kg.service import pages
from kg.service.linked_data import local_path
from kg.sparql import accept_list
from search.filters import DOC_TYPE_HELP, PUBLIC_NAMES, SPEAKER_HELP, SearchError, given_filters
from search.vocabulary import check_filters

router = APIRouter()


@router.get("/health", tags=["service"], summary="Liveness and what is loaded")
def health(request: Request):
    state = request.app.state
    store = state.view.get()
    return {"status": "ok", "triples": len(store), "graphs": len(store.named_graphs()),
            "query_workers": state.pool.alive(), "search": state.index.status()}


# -- query parameters --------------------------------------------------------------------------------
def refuse_unknown(given, known) -> None:
    """400 naming the first parameter not in ``known``: a misspelt filter must not be answered as no filter."""
    for name in given:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            guess = f"; did you mean {close[0]!r}?" if close else ""
            raise HTTPException(400, f"invalid request: unknown parameter {name!r}{guess} (known: {', '.join(known)})")


def declared_only(request: Request) -> None:
    """A route's dependency: its query string holds only the parameters the route declares."""
    refuse_unknown(request.query_params, _declared(request.scope["route"]))


_DECLARED: dict[str, tuple[str, ...]] = {}  # route id -> its query parameters, found on its first request


def _declared(route) -> tuple[str, ...]:
    if route.unique_id not in _DECLARED:
        names, todo = [], [route.dependant]
        while todo:  # the route's own parameters and those of its dependencies (example_filter's)
            dependant = todo.pop(0)
            names += [p.alias for p in dependant.query_params]
            todo += dependant.dependencies
        _DECLARED[route.unique_id] = tuple(dict.fromkeys(names))
    return _DECLARED[route.unique_id]


@lru_cache(maxsize=None)
def parameter_names(model: type[BaseModel]) -> dict[str, str]:
    """Each name a parameter of ``model`` may be given by -> its field: ``type`` and ``doc_type`` -> ``doc_type``."""
    names = {}
    for field_name, info in model.model_fields.items():
        choices = info.validation_alias.choices if isinstance(info.validation_alias, AliasChoices) else [info.alias or field_name]
        names.update((str(choice), field_name) for choice in choices)
    return names


def query_model(model: type[BaseModel], request: Request) -> tuple[BaseModel, dict[str, str]]:
    """(the request's query parameters as ``model``, each given field -> the name it was given by), or 400.

    Why not FastAPI's own parameters: it validates them one by one in Python, ~0.2 ms of CPU for
    /search's thirteen on every request (on a machine whose two cores must answer 400 searches/s,
    5 ms each, query encode included); pydantic validates the whole model in one call. A repeated
    parameter counts with its last value, as in FastAPI. A parameter the model does not know, or a
    field given by two of its names (``type`` and ``doc_type``), is refused.
    """
    names = parameter_names(model)
    refuse_unknown(request.query_params, names)
    spelt: dict[str, str] = {}
    for name in request.query_params:
        other = spelt.setdefault(names[name], name)
        if other != name:
            raise HTTPException(400, f"invalid request: {other} and {name} are one parameter; give one of them")
    try:
        return model.model_validate(dict(request.query_params)), spelt
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]) from None


# -- search ----------------------------------------------------------------------------------------
class SearchParams(BaseModel):
    """/search's query parameters, validated in one pydantic call (see ``query_model``)."""

    q: str = Field(max_length=10_000, description='A question in any language; "quoted words" must appear as written.')
    k: int = Field(10, ge=1, description="How many paragraphs (at most the server's search_k_max).")
    country: str | None = Field(None, description="ISO code or name, e.g. KEN or Kenya.")
    region: str | None = Field(None, description="UN M49 region: Africa, Americas, Asia, Europe, Oceania.")
    risk_factor: str | None = Field(None, description="Risk factor number or label.")
    crime: str | None = Field(None, description="genocide, war-crimes, crimes-against-humanity, ethnic-cleansing.")
    document: str | None = Field(None, description="Document symbol or id.")
    doc_type: str | None = Field(None, validation_alias=AliasChoices(PUBLIC_NAMES["doc_type"], "doc_type"),
                                 description=DOC_TYPE_HELP + " Also spelt doc_type.")
    speaker: str | None = Field(None, description=SPEAKER_HELP)
    # Bounded: the answer echoes its filters, and a year beyond 64 bits cannot be written as JSON.
    year: int | None = Field(None, ge=-9999, le=9999, description="Year of the document.")
    date_from: str | None = Field(None, validation_alias=AliasChoices(PUBLIC_NAMES["date_from"], "date_from"),
                                  description="Documents dated on or after: 2013, 2013-07 or 2013-07-09. Also spelt date_from.")
    date_to: str | None = Field(None, validation_alias=AliasChoices(PUBLIC_NAMES["date_to"], "date_to"),
                                description="Documents dated on or before (same forms). Also spelt date_to.")
    sort: str = Field("relevance", description="relevance, newest or oldest (the k most relevant, by date).")


def query_parameters(model: type[BaseModel]) -> list[dict]:
    """``model``'s fields as OpenAPI query parameters, as FastAPI documents declared ones."""
    schema = model.model_json_schema(by_alias=True)
    return [{"name": name, "in": "query", "required": name in schema.get("required", ()), "schema": field,
             "description": field["description"]} for name, field in schema["properties"].items()]


@router.get("/search", tags=["search"], summary="Paragraphs that answer a question, with citations and facets",
            openapi_extra={"parameters": query_parameters(SearchParams)})
async def search(request: Request):
    p, spelt = query_model(SearchParams, request)
    filters = given_filters(country=p.country, region=p.region, risk_factor=p.risk_factor, crime=p.crime,
                            document=p.document, doc_type=p.doc_type, year=p.year, date_from=p.date_from,
                            date_to=p.date_to, speaker=p.speaker)
    check_filters(filters, spelt)
    # Encoded on the search thread, at once: FastAPI's own path walks the answer with jsonable_encoder first.
    body = await request.app.state.index.run(
        lambda searcher: orjson.dumps(searcher.answer(p.q, p.k, filters, sort=p.sort).to_dict()))
    return Response(body, media_type="application/json")


@router.get("/search/similar", tags=["search"], summary="More like this: the passages closest to one passage",
            dependencies=[Depends(declared_only)])
def similar(
    request: Request,
    uri: Annotated[str, Query(description="The passage's URI, e.g. https://w3id.org/r2p-kg/doc/A-67-929/para/46.")],
    k: Annotated[int, Query(ge=1, description="How many paragraphs (at most the server's search_k_max).")] = 10,
):
    hits = request.app.state.index.get().similar(uri, k)
    return {"like": uri, "k": len(hits), "hits": [h.to_dict() for h in hits]}


# -- example queries ----------------------------------------------------------------------------------
@router.get("/queries", tags=["SPARQL"], summary="The documented example queries (kg/queries/*.rq)")
def queries():
    return {"queries": [{"name": q.name, "title": q.title, "description": q.description, "query": q.text}
                        for q in load_queries().values()]}


# -- cited examples --------------------------------------------------------------------------------
_EXAMPLE_MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8", "md": "text/markdown; charset=utf-8",
                  "csljson": "application/vnd.citationstyles.csl+json", "ris": "application/x-research-info-systems"}


def _example_format(fmt: str | None, accept: str | None) -> str:
    if fmt:
        if fmt not in _EXAMPLE_MEDIA:
            raise HTTPException(400, f"format must be one of {', '.join(_EXAMPLE_MEDIA)}; got {fmt!r}")
        return fmt
    for media in accept_list(accept):
        for name, offered in _EXAMPLE_MEDIA.items():
            if media == offered.split(";")[0]:
                return name
    return "json"


def _year(name: str, value: str | None) -> int | None:
    if value is None or not value.strip():
        return None
    if not value.strip().lstrip("-").isdigit():
        raise HTTPException(400, f"invalid request: {name}: a year is a whole number, got {value!r}")
    return int(value)


def example_filter(
    country: str | None = None, region: str | None = None, risk_factor: str | None = None,
    policy_option: str | None = None, crime: str | None = None, kind: str | None = None,
    year_from: Annotated[str | None, Query(alias="from", description="Earliest year.")] = None,
    year_to: Annotated[str | None, Query(alias="to", description="Latest year.")] = None,
    document: str | None = None, text: str | None = None,
) -> ExampleFilter:
    """The examples' filter parameters, shared by the export, the facets and the page; an empty form field is no
    filter, and a country, region, crime or kind no table knows is refused (400)."""
    given = lambda value: value if value and value.strip() else None  # noqa: E731
    check_filters(given_filters(country=given(country), region=given(region), crime=given(crime)))
    if given(kind) and kind.strip().lower() not in KINDS:
        raise SearchError(f"kind: unknown kind {kind!r}; known: {', '.join(KINDS)}")
    return ExampleFilter(country=given(country), region=given(region), risk_factor=given(risk_factor),
                         policy_option=given(policy_option), crime=given(crime), kind=given(kind),
                         year_from=_year("from", year_from), year_to=_year("to", year_to),
                         document=given(document), text=given(text))


@router.get("/examples", tags=["examples"], summary="Cited examples with filters, as JSON, CSV, Markdown, CSL-JSON or RIS",
            dependencies=[Depends(declared_only)])
def examples(
    request: Request,
    flt: Annotated[ExampleFilter, Depends(example_filter)],
    format: Annotated[str | None, Query(description="json, csv, md, csljson, ris or html (default: from Accept, else json).")] = None,
):
    if pages.wants_html(request):
        return pages.examples_page(request.app.state.view.get(), flt)
    fmt = _example_format(format, request.headers.get("accept"))
    # The query costs ~40 ms; a repeat on the same store snapshot costs nothing.
    body = request.app.state.view.memo(("examples", fmt, flt), lambda store: render_examples(store, flt, fmt))
    return Response(body, media_type=_EXAMPLE_MEDIA[fmt])


@router.get("/examples/facets", tags=["examples"], summary="How many cited examples each country, year, kind... has",
            dependencies=[Depends(declared_only)])
def examples_facets(request: Request, flt: Annotated[ExampleFilter, Depends(example_filter)]):
    found = request.app.state.view.memo(("examples", "list", flt), lambda store: find_examples(store, flt))
    return {"filters": {k: v for k, v in asdict(flt).items() if v is not None}, "total": len(found),
            "facets": example_facets(found)}


# -- documents -------------------------------------------------------------------------------------
def _summary_json(d: catalogue.DocumentSummary) -> dict:
    return {"id": d.id, "uri": d.uri, "page": local_path(d.uri), "title": d.title, "symbol": d.symbol,
            "type": d.type, "date": d.date, "parts": d.parts}


def _part_json(p: catalogue.Part) -> dict:
    return {"uri": p.uri, "page": local_path(p.uri), "kind": p.kind, "number": p.number, "title": p.title,
            "citation": p.citation, "text": p.text, "order": p.order, "parts": [_part_json(c) for c in p.parts]}


@router.get("/documents", tags=["documents"], summary="Every ingested document")
def documents(request: Request):
    if pages.wants_html(request):
        return pages.documents_page(catalogue.list_documents(request.app.state.view.get()))
    return {"documents": [_summary_json(d) for d in catalogue.list_documents(request.app.state.view.get())]}


@router.get("/documents/{ref:path}", tags=["documents"], summary="A document's structure and paragraphs")
def document(request: Request, ref: str):
    store = request.app.state.view.get()
    doc = catalogue.document(store, ref)
    if pages.wants_html(request):
        return pages.document_page(store, doc)
    return {**_summary_json(doc.summary), "title_block": doc.title_block, "structure": [_part_json(p) for p in doc.structure]}


# -- countries -------------------------------------------------------------------------------------
@router.get("/countries/{code}", tags=["countries"], summary="Every paragraph and example about a country")
def country(request: Request, code: str):
    found = catalogue.country(request.app.state.view.get(), code)
    if pages.wants_html(request):
        return pages.country_page(found)
    paragraphs = [{"uri": p.uri, "page": local_path(p.uri), "citation": p.citation, "text": p.text,
                   "document": p.document} for p in found.paragraphs]
    return {"iso": found.iso, "name": found.name, "uri": found.uri, "paragraphs": paragraphs,
            "examples": [asdict(e) for e in found.examples], "resolutions": [_summary_json(d) for d in found.resolutions],
            "statements": [asdict(s) for s in found.statements]}


# -- country positions (debates) -------------------------------------------------------------------
@router.get("/positions", tags=["positions"],
            summary="A State's (or organization's, group's) positions over time, or the States x themes x years table",
            dependencies=[Depends(declared_only)])
def positions(
    request: Request,
    country: Annotated[str | None, Query(description="ISO3 code (BRA), a name, or an id (organization/european-union, "
                                                     "group/friends-of-r2p). Without it: the States x themes x years table.")] = None,
    theme: Annotated[list[str] | None, Query(description="Theme key, repeatable (sovereignty, veto-restraint, ...).")] = None,
    year_from: Annotated[str | None, Query(alias="from", description="Earliest year.")] = None,
    year_to: Annotated[str | None, Query(alias="to", description="Latest year.")] = None,
    format: Annotated[str, Query(description="json, md or csv: what `r2p positions --format` prints.")] = "json",
):
    """The answer `r2p positions` prints for the same filters: date, occasion, themes, quote and citation."""
    args = (country or None, tuple(theme or ()), _year("from", year_from), _year("to", year_to), format)
    body = request.app.state.view.memo(("positions", *args), lambda store: render_positions(
        store, args[0], themes=list(args[1]), year_from=args[2], year_to=args[3], fmt=format))
    return Response(body, media_type=POSITION_MEDIA[format])


@router.get("/positions/table", tags=["positions"], summary="The States x themes x years table, as CSV, JSON, Markdown or a page",
            dependencies=[Depends(declared_only)])
def positions_table_route(
    request: Request,
    theme: Annotated[list[str] | None, Query(description="Theme key, repeatable.")] = None,
    year_from: Annotated[str | None, Query(alias="from", description="Earliest year.")] = None,
    year_to: Annotated[str | None, Query(alias="to", description="Latest year.")] = None,
    format: Annotated[str | None, Query(description="csv, json, md or html (default: html for a browser, else csv).")] = None,
):
    themes = [t for t in theme or () if t.strip()]  # the page's "any theme" is an empty field
    low, high = _year("from", year_from), _year("to", year_to)
    if pages.wants_html(request):
        store = request.app.state.view.get()
        rows = positions_table(store, themes=themes, year_from=low, year_to=high)
        return pages.positions_page(rows, theme_keys(store), themes, low, high)
    fmt = format or "csv"
    body = request.app.state.view.memo(("positions", None, tuple(themes), low, high, fmt), lambda store: render_positions(
        store, None, themes=themes, year_from=low, year_to=high, fmt=fmt))
    return Response(body, media_type=POSITION_MEDIA[fmt])
