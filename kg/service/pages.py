"""The HTML pages for people: cited examples, a country, a document, the document list and the SPARQL editor.

Server-rendered from Jinja templates (``templates/``) with autoescaping on, so document text can never
inject markup, and with no script from elsewhere: the pages work without any CDN, and the YASGUI
editor's files are installed by `make setup` (npm) and served from this service. The JSON routes
answer a browser (``Accept: text/html`` first, or ``?format=html``) with these pages, so one address
(``/countries/KEN``) serves both a person and a program.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from kg import catalogue
from kg.cited_examples import ExampleFilter, example_facets, find_examples, render_examples
from ingest.namespaces import BASE, PREFIXES
from kg.queries import load_queries
from kg.service.linked_data import local_path
from kg.sparql import accept_list

# Where `make setup` (npm ci) puts the editor's self-contained build; served at /vendor/yasgui.
YASGUI_BUILD = Path(__file__).resolve().parent / "node_modules" / "@zazuko" / "yasgui" / "build"
EXPORTS = (("md", "Markdown"), ("csv", "CSV"), ("json", "JSON"), ("csljson", "CSL-JSON"), ("ris", "RIS"))
FACET_TITLES = {"country": "Country", "region": "Region", "year": "Year", "kind": "Kind", "document": "Document",
                "risk_factor": "Risk factor", "crime": "Crime", "doc_type": "Document type"}
# Filter parameter(s) a click on an examples facet value sets (a year is a from/to range of one year).
_EXAMPLE_FACET_PARAMS = {"year": ("from", "to")}
_FILTER_PARAMS = {"year_from": "from", "year_to": "to"}

router = APIRouter(include_in_schema=False)
templates = Environment(loader=PackageLoader("kg.service", "templates"), autoescape=select_autoescape(["html"]))


def wants_html(request: Request) -> bool:
    """A browser asking (``text/html`` ranked first) or ``?format=html``; programs keep their JSON."""
    fmt = request.query_params.get("format")
    return fmt == "html" or (not fmt and accept_list(request.headers.get("accept"))[:1] == ["text/html"])


def anchor(uri: str) -> str:
    """A part's anchor on its document page, Akoma Ntoso style: ``…/doc/A-67-929/para/46`` -> ``para-46``."""
    path = uri.removeprefix(BASE + "doc/").split("/", 1)
    return path[1].replace("/", "-") if len(path) > 1 else "top"


def paragraph_page(example_uri: str) -> str:
    """The page of the paragraph (or note, footnote) an example was taken from."""
    return local_path(example_uri.rsplit("/example/", 1)[0])


def _render(name: str, **context) -> HTMLResponse:
    context.setdefault("page", name.removesuffix(".html"))
    body = templates.get_template(name).render(local_path=local_path, anchor=anchor, paragraph_page=paragraph_page,
                                               facet_titles=FACET_TITLES, **context)
    return HTMLResponse(body, headers={"Vary": "Accept"})


def _example_params(flt: ExampleFilter) -> dict[str, str]:
    return {_FILTER_PARAMS.get(k, k): str(v) for k, v in vars(flt).items() if v is not None and v != ""}


def examples_page(store, flt: ExampleFilter) -> HTMLResponse:
    """The filter form, facets with counts, the table, the Markdown to paste and the export links."""
    examples = find_examples(store, flt)
    params = _example_params(flt)

    def query(**extra) -> str:
        return urlencode({**params, **extra})

    def facet_link(key: str, value) -> str:
        names = _EXAMPLE_FACET_PARAMS.get(key, (key,))
        return "/examples?" + urlencode({**params, **{n: str(value) for n in names}})

    return _render("examples.html", flt=flt, examples=examples, facets=example_facets(examples), exports=EXPORTS,
                   query=query, facet_link=facet_link, markdown=render_examples(store, flt, "md") if examples else "")


def positions_page(rows: list[dict], themes: list[str], chosen: list[str], year_from: int | None,
                   year_to: int | None) -> HTMLResponse:
    """The States x themes x years table: a row per speaker and year, a column per theme, counts linking to quotes."""
    grid: dict[tuple, dict] = {}
    for r in rows:
        grid.setdefault((r["speaker"], r["year"]), {})[r["theme"]] = r
    columns = sorted({r["theme"] for r in rows})
    params = [("theme", t) for t in chosen] + [(k, str(v)) for k, v in (("from", year_from), ("to", year_to)) if v]
    return _render("positions.html", grid=list(grid.items()), columns=columns, themes=themes, chosen=chosen,
                   year_from=year_from, year_to=year_to, query=urlencode(params))


def country_page(found: catalogue.Country) -> HTMLResponse:
    return _render("country.html", country=found)


def document_page(store, doc: catalogue.Document) -> HTMLResponse:
    return _render("document.html", doc=doc, links=catalogue.document_links(store, doc.summary.uri))


def documents_page(documents: list[catalogue.DocumentSummary]) -> HTMLResponse:
    return _render("documents.html", documents=documents, page="document")


@router.get("/editor")
def editor(request: Request):
    """YASGUI over /sparql, completing our prefixes and the ontology's terms (never asking prefix.cc or LOV)."""
    config = {"endpoint": "/sparql", "prefixes": PREFIXES, **catalogue.ontology_terms(request.app.state.view.get()),
              "queries": [{"name": q.name, "title": q.title, "query": q.text} for q in load_queries().values()]}
    return _render("editor.html", yasgui=(YASGUI_BUILD / "yasgui.min.js").exists(), config=config)
