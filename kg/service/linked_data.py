"""Dereferenceable URIs: every ``https://w3id.org/r2p-kg/X`` in the graph is served at ``/id/X`` and at ``/X``.

The w3id redirect maps ``https://w3id.org/r2p-kg/`` to a deployment's ``/id/``; the bare paths
(``/doc/A-67-929/para/72``) serve the same documents on the service's own host. A browser gets an
HTML page (the paragraph's text and citation, every property with links); ``Accept: text/turtle``,
``application/ld+json``, ``application/n-triples`` or ``application/rdf+xml`` (or ``?format=``) get RDF:
the resource's own triples and the triples that point at it.
"""
from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pyoxigraph import NamedNode, Triple, serialize

from kg.catalogue import INCOMING_CAP, example_label, resource_triples
from ingest.namespaces import BASE, DCTERMS, PREFIXES, R2P, RDFS, SKOS
from kg.sparql import RDF_FORMATS, accept_list, negotiate

router = APIRouter(tags=["linked data"])
_LABELS = [DCTERMS + "title", SKOS + "prefLabel", RDFS + "label", R2P + "citation"]


def local_path(uri: str) -> str:
    """Where this service serves one of the graph's URIs: ``https://w3id.org/r2p-kg/X`` -> ``/id/X``."""
    return "/id/" + uri[len(BASE):] if uri.startswith(BASE) else uri


def _short(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(ns) and prefix != "id":
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _term_html(term) -> str:
    if isinstance(term, NamedNode):
        href = local_path(term.value)
        return f'<a href="{escape(href)}">{escape(_short(term.value))}</a>'
    return f"<span>{escape(term.value)}</span>"


def _page(uri: str, out: list[Triple], incoming: list[Triple], computed_label: str | None = None) -> str:
    values: dict[str, list] = {}
    for t in out:
        if t.subject.value == uri:
            values.setdefault(t.predicate.value, []).append(t.object)
    label = next((values[p][0].value for p in _LABELS if p in values), computed_label or uri.rsplit("/", 1)[-1])
    text = values.get(R2P + "text", [None])[0]
    citation = values.get(R2P + "citation", [None])[0]
    rows = "".join(f"<tr><th>{escape(_short(p))}</th><td>{'<br>'.join(_term_html(o) for o in objs)}</td></tr>"
                   for p, objs in sorted(values.items()) if p != R2P + "text")
    refs = "".join(f"<li>{_term_html(t.subject)} <small>{escape(_short(t.predicate.value))}</small></li>" for t in incoming)
    body = [f"<h1>{escape(label)}</h1>", f'<p class="uri"><code>{escape(uri)}</code> · '
            f'<a href="?format=turtle">Turtle</a> · <a href="?format=jsonld">JSON-LD</a> · <a href="/">search</a></p>']
    if uri.startswith(BASE + "country/"):  # the readable view of a State is its country page
        code = uri.rsplit("/", 1)[-1]
        body.append(f'<p class="see"><a href="/countries/{escape(code)}">{escape(label)}: its country page</a> '
                    '(the paragraphs that name it, its cited examples, the resolutions about it)</p>')
    if text is not None:
        body.append(f'<blockquote class="text">{escape(text.value)}</blockquote>')
    if citation is not None:
        body.append(f'<p class="cite">Cite as: <b>{escape(citation.value)}</b></p>')
    body.append(f"<table>{rows}</table>")
    if uri == BASE + "ontology":
        body.append(f"<p>{len(out)} triples: the whole ontology (download it as <a href='?format=turtle'>Turtle</a>).</p>")
    if refs:
        more = " (first %d)" % INCOMING_CAP if len(incoming) >= INCOMING_CAP else ""
        body.append(f"<h2>Referred to by{more}</h2><ul>{refs}</ul>")
    return ("<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width'>"
            f"<title>{escape(label)}</title><link rel=stylesheet href='/static/style.css'>"
            f"<main class='resource'>{''.join(body)}</main></html>")


def _respond(request: Request, path: str):
    uri = BASE + path
    fmt = request.query_params.get("format")
    wants_html = fmt == "html" or (not fmt and accept_list(request.headers.get("accept"))[:1] == ["text/html"])
    store = request.app.state.view.get()
    out, incoming = resource_triples(store, uri)
    if wants_html:
        return HTMLResponse(_page(uri, out, incoming, example_label(store, uri)), headers={"Vary": "Accept"})
    media = negotiate("graph", request.headers.get("accept"), fmt)
    body = serialize(out + incoming, format=RDF_FORMATS[media], prefixes=PREFIXES if media == "text/turtle" else None)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


@router.get("/id/{path:path}", summary="Dereference https://w3id.org/r2p-kg/{path}: HTML, Turtle, JSON-LD…")
async def dereference(request: Request, path: str):
    return await run_in_threadpool(_respond, request, path)


@router.get("/{path:path}", include_in_schema=False)
async def dereference_own_path(request: Request, path: str):
    """The URI's own path on this host (``/doc/…``, ``/country/…``, ``/crime/…``)."""
    return await run_in_threadpool(_respond, request, path)
