"""The JSON API, linked-data URIs and service plumbing against a live server over the real corpus."""
from __future__ import annotations

import csv
import importlib.util
import io
import json
import shutil

import httpx
import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from ingest.model import DOC_TYPES
from kg.catalogue import AmbiguousReference, NotInGraph
from kg.cited_examples import ExampleFilter
from kg.service.app import answer_error
from kg.service.pool import PoolBusy
from kg.service.store_view import StoreView
from kg.sparql import QueryError
from kg.store import OxigraphStore
from search.filters import SearchIndexError
from tests.conftest import make_settings
from tests.servers import corpus_server, start_server  # noqa: F401  (fixture)
from kg.positions import positions
from tests.test_search import debates_index, debates_searcher, passages, search_settings  # noqa: F401  (fixtures: small indexes)

PARA1 = "https://w3id.org/r2p-kg/doc/S-RES-827-1993/para/1"
PARA1_TEXT = "Approves the report of the Secretary-General;"
R2P = "https://w3id.org/r2p-kg/ontology#"
needs_examples = pytest.mark.skipif(importlib.util.find_spec("kg.cited_examples") is None,
                                    reason="kg.cited_examples (the cited-examples module) is not there yet")
needs_search = pytest.mark.skipif(importlib.util.find_spec("search.searcher") is None,
                                  reason="search.searcher (the search module) is not there yet")


@pytest.fixture(scope="module")
def api(corpus_server):  # noqa: F811
    with httpx.Client(base_url=corpus_server.url, timeout=60) as client:
        yield client


def test_health(api, corpus_store):
    body = api.get("/health").json()
    assert (body["status"], body["triples"], body["graphs"], body["query_workers"]) == (
        "ok", len(corpus_store), len(corpus_store.named_graphs()), 2)


def test_documents_list_and_one_document_by_symbol_or_id(api):
    docs = {d["id"]: d for d in api.get("/documents").json()["documents"]}
    res827 = docs["S-RES-827-1993"]
    assert (res827["symbol"], res827["type"], res827["date"], res827["page"]) == (
        "S/RES/827 (1993)", "resolution", "1993-05-25", "/id/doc/S-RES-827-1993")
    assert {"un-charter", "genocide-convention", "A-CONF.183-9", "osapg-office-brochure"} <= set(docs)
    by_symbol = api.get("/documents/S/RES/827 (1993)").json()
    assert by_symbol == api.get("/documents/S-RES-827-1993").json() == api.get("/documents/S/RES/827").json()
    paragraphs = [p for p in by_symbol["structure"] if p["kind"] == "Paragraph"]
    assert [p["number"] for p in paragraphs] == [str(n) for n in range(1, 10)]
    assert (paragraphs[0]["text"], paragraphs[0]["citation"], paragraphs[0]["page"]) == (
        PARA1_TEXT, "S/RES/827 (1993), para. 1", "/id/doc/S-RES-827-1993/para/1")
    assert by_symbol["parts"] == sum(1 + len(p["parts"]) for p in by_symbol["structure"])  # flat resolution: no deeper parts


def test_unknown_document_and_country_are_json_404s(api):
    r = api.get("/documents/A/99/999")
    assert (r.status_code, r.json()) == (404, {"error": "no document 'A/99/999': see /documents for the list"})
    r = api.get("/countries/Atlantis")
    assert (r.status_code, r.json()) == (404, {"error": "unknown country 'Atlantis': give an ISO 3166 code (KEN) or a name (Kenya)"})
    r = api.get("/no/such/route")
    assert (r.status_code, r.json()) == (404, {"error": "no resource https://w3id.org/r2p-kg/no/such/route in the graph"})


def test_country_page_lists_its_paragraphs(api):
    somalia = api.get("/countries/SOM").json()
    assert (somalia["iso"], somalia["name"], somalia["uri"]) == ("SOM", "Somalia", "https://w3id.org/r2p-kg/country/SOM")
    cites = {p["citation"]: p for p in somalia["paragraphs"]}
    para20 = cites["S/RES/794 (1992), para. 20"]
    assert para20["text"] == ("Invites the Secretary-General and his Special Representative to continue their efforts "
                              "to achieve a political settlement in Somalia;")
    assert para20["document"] == "https://w3id.org/r2p-kg/doc/S-RES-794-1992"
    assert api.get("/countries/Somalia").json()["paragraphs"] == somalia["paragraphs"]


@needs_examples
def test_country_page_and_examples_route_give_cited_examples(api):
    kenya = api.get("/countries/KEN").json()
    whats = {e["what"]: e for e in kenya["examples"]}
    assert whats["National Cohesion and Integration Commission"]["year"] == 2008
    md = api.get("/examples", params={"country": "KEN", "format": "md"})
    assert md.headers["content-type"].startswith("text/markdown")
    assert "**National Cohesion and Integration Commission** (2008, practice)" in md.text
    as_csv = api.get("/examples", params={"country": "KEN"}, headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert rows and all("Kenya" in json.dumps(r) for r in rows)
    assert len(api.get("/examples", params={"country": "KEN"}).json()) == len(kenya["examples"]) == len(rows)
    r = api.get("/examples", params={"format": "pdf"})
    assert (r.status_code, r.json()) == (400, {"error": "format must be one of json, csv, md, csljson, ris; got 'pdf'"})


@needs_search
@pytest.mark.slow
def test_search_returns_cited_paragraphs_and_filters(api, corpus_index):
    # The index of the whole corpus is built by the fixture, as `r2p index` does; the first search opens it.
    body = api.get("/search", params={"q": "Srebrenica safe area", "k": 3}, timeout=900).json()
    top = body["hits"][0]
    assert top["symbol"] == "S/RES/819 (1993)" and top["document"] == "Security Council resolution 819 (1993) [Srebrenica]"
    assert top["uri"].startswith("https://w3id.org/r2p-kg/doc/S-RES-819-1993/") and len(body["hits"]) == 3
    assert top["highlight"] in top["text"] and top["citation"].startswith("S/RES/819 (1993)")
    only = api.get("/search", params={"q": "Srebrenica safe area", "document": "S-RES-827-1993"}).json()
    assert {h["symbol"] for h in only["hits"]} == {"S/RES/827 (1993)"}
    assert body["filters"] == {} and only["filters"] == {"document": "S-RES-827-1993"}
    r = api.get("/search", params={"q": "   "})
    assert r.status_code == 400 and r.json()["error"].startswith("empty query")
    r = api.get("/search", params={"q": "x", "k": "many"})
    assert r.status_code == 400 and r.json()["error"].startswith("invalid request: k:")
    r = api.get("/search", params={"q": "A", "year": "-9223372036854775809"})  # found by the fuzz test: was a 500
    assert r.status_code == 400 and r.json()["error"].startswith("invalid request: year:")


def test_uris_dereference_as_html_turtle_and_jsonld(api):
    html = api.get("/id/doc/S-RES-827-1993/para/1", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html.headers["content-type"].startswith("text/html")
    assert f'<blockquote class="text">{PARA1_TEXT}</blockquote>' in html.text
    assert "Cite as: <b>S/RES/827 (1993), para. 1</b>" in html.text
    assert '<a href="/id/doc/S-RES-827-1993">' in html.text  # links stay on this server
    expected = (NamedNode(PARA1), NamedNode(R2P + "text"), Literal(PARA1_TEXT))
    for accept, fmt in (("text/turtle", RdfFormat.TURTLE), ("application/ld+json", RdfFormat.JSON_LD)):
        for path in ("/id/doc/S-RES-827-1993/para/1", "/doc/S-RES-827-1993/para/1"):
            r = api.get(path, headers={"Accept": accept})
            assert r.headers["content-type"].startswith(accept)
            assert expected in {(t.subject, t.predicate, t.object) for t in parse(r.content, format=fmt)}
    country = api.get("/country/SOM", headers={"Accept": "text/turtle"})
    incoming = {t.subject.value for t in parse(country.content, format=RdfFormat.TURTLE)}
    assert "https://w3id.org/r2p-kg/doc/S-RES-794-1992/para/20" in incoming
    ontology = api.get("/id/ontology", params={"format": "turtle"})
    classes = {t.subject.value for t in parse(ontology.content, format=RdfFormat.TURTLE)}
    assert {R2P + "Paragraph", R2P + "Resolution"} <= classes


def test_example_queries_are_listed_and_each_runs(api):
    queries = api.get("/queries").json()["queries"]
    assert queries, "kg/queries/ has no .rq file"
    for q in queries:
        first_line = q["query"].splitlines()[0]
        assert first_line == f"# {q['title']}"
        r = api.post("/sparql", data={"query": q["query"]})
        assert r.status_code == 200, (q["name"], r.text)


def test_openapi_docs_and_web_page(api):
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/sparql", "/search", "/examples", "/documents", "/documents/{ref}", "/countries/{code}",
            "/id/{path}", "/health", "/queries"} <= set(paths)
    assert "swagger-ui" in api.get("/docs").text
    page = api.get("/")
    assert page.headers["content-type"].startswith("text/html") and '<input id="q"' in page.text
    assert api.get("/static/app.js").status_code == 200


def test_server_sees_new_writes_without_restart(tmp_path):
    """The read-only views reopen when the store changes: a re-ingest shows without a restart."""
    settings = make_settings(tmp_path)
    store = OxigraphStore(settings.store_dir)
    graph = NamedNode("https://w3id.org/r2p-kg/graph/test")
    doc = NamedNode("https://w3id.org/r2p-kg/doc/test")
    store.replace_graph(graph, [Quad(doc, NamedNode(R2P + "text"), Literal("first"), graph)])
    live = start_server(settings, query_workers=1)
    query = {"query": "SELECT ?t WHERE { ?d r2p:text ?t }"}
    texts = lambda: [b["t"]["value"] for b in httpx.get(live.url + "/sparql", params=query).json()["results"]["bindings"]]  # noqa: E731
    assert texts() == ["first"]
    store.replace_graph(graph, [Quad(doc, NamedNode(R2P + "text"), Literal("second"), graph)])
    assert texts() == ["second"]
    r = httpx.get(live.url + "/id/doc/test", headers={"Accept": "text/turtle"})
    assert [t.object.value for t in parse(r.content, format=RdfFormat.TURTLE)] == ["second"]
    live.stop()


def test_examples_answers_are_served_from_the_snapshot_memo(api, corpus_server):  # noqa: F811
    first = api.get("/examples", params={"country": "KEN", "format": "md"}).text
    view = corpus_server.app.state.view
    not_called = lambda store: pytest.fail("a repeat must not run the examples query again")  # noqa: E731
    assert view.memo(("examples", "md", ExampleFilter(country="KEN")), not_called) == first
    assert api.get("/examples", params={"country": "KEN", "format": "md"}).text == first


def test_a_changed_store_never_meets_an_old_answer(tmp_path):
    """``StoreView.memo`` keeps an answer per store snapshot: a write starts a new snapshot with an empty memo."""
    graph = NamedNode("https://w3id.org/r2p-kg/graph/test")
    doc = NamedNode("https://w3id.org/r2p-kg/doc/test")

    def write(text: str) -> None:  # then close the writer, so no background flush changes the files later
        store = OxigraphStore(tmp_path / "store")
        store.replace_graph(graph, [Quad(doc, NamedNode(R2P + "text"), Literal(text), graph)])
        store.flush()

    write("first")
    view = StoreView(tmp_path / "store")
    text = lambda s: s.select("SELECT ?t WHERE { ?d r2p:text ?t }")[0]["t"]  # noqa: E731
    assert view.memo("text", text) == "first"
    assert view.memo("text", lambda s: "stale") == "first"  # a repeat is served from the memo
    generation = view.generation
    write("second")
    assert view.memo("text", text) == "second"  # the store changed: the kept answer is no longer used
    assert view.generation == generation + 1


@pytest.fixture
def server_without_index(tmp_path):
    settings = make_settings(tmp_path)
    store = OxigraphStore(settings.store_dir)
    graph = NamedNode("https://w3id.org/r2p-kg/graph/test")
    store.replace_graph(graph, [Quad(NamedNode("https://w3id.org/r2p-kg/doc/test"), NamedNode(R2P + "text"),
                                     Literal("first"), graph)])
    live = start_server(settings, query_workers=1)
    yield live, settings
    live.stop()


def test_search_without_an_index_says_to_build_it(server_without_index):
    """No request ever builds the index (minutes of embedding): /search answers 503 until `r2p index` has run."""
    live, settings = server_without_index
    r = httpx.get(live.url + "/search", params={"q": "Srebrenica safe area"})
    assert (r.status_code, r.json()) == (503, {"error": f"no search index in {settings.index_dir}: run `r2p index`"})
    assert httpx.get(live.url + "/health").json()["search"] == "no index: run `r2p index`"
    assert not settings.index_dir.exists()


@pytest.mark.slow
def test_search_finds_an_index_built_after_the_server_started(server_without_index, search_settings):  # noqa: F811
    live, settings = server_without_index
    assert httpx.get(live.url + "/search", params={"q": "Srebrenica safe area"}).status_code == 503
    shutil.copytree(search_settings.index_dir, settings.index_dir)  # what `r2p index` leaves behind
    r = httpx.get(live.url + "/search", params={"q": "Srebrenica safe area", "k": 1}, timeout=120)
    assert r.status_code == 200 and r.json()["hits"][0]["symbol"] == "S/RES/819 (1993)"
    assert httpx.get(live.url + "/health").json()["search"] == "loaded"


def test_library_errors_become_json_with_their_status_and_headers():
    """One table in app.py answers every error a route lets through; an error's own status wins."""
    busy = answer_error(PoolBusy("all 2 query workers are busy; retry later"))
    assert (busy.status_code, busy.headers["retry-after"], json.loads(busy.body)) == (
        503, "5", {"error": "all 2 query workers are busy; retry later"})
    assert answer_error(QueryError("SPARQL Update is not allowed on this endpoint (read-only)", 403)).status_code == 403
    assert answer_error(NotInGraph("no document 'x': see /documents for the list")).status_code == 404
    assert answer_error(AmbiguousReference("'A/67' is ambiguous: A-67-1, A-67-2")).status_code == 400
    assert answer_error(SearchIndexError("no search index in data/index: run `r2p index`")).status_code == 503
    slow_down = QueryError("your recent queries crashed query workers; retry in 42 s", 429)
    slow_down.headers = {"Retry-After": "42"}
    assert (answer_error(slow_down).status_code, answer_error(slow_down).headers["retry-after"]) == (429, "42")


@needs_examples
def test_examples_facets_come_with_their_counts(api):
    body = api.get("/examples/facets", params={"region": "Oceania"}).json()
    assert (body["total"], body["filters"]) == (3, {"region": "Oceania"})
    assert body["facets"]["country"] == {"values": [{"value": "AUS", "label": "Australia", "count": 3}], "truncated": False}
    ris = api.get("/examples", params={"region": "Oceania", "format": "ris"})
    assert ris.headers["content-type"] == "application/x-research-info-systems" and ris.text.count("ER  - ") == 3


@needs_search
@pytest.mark.slow
def test_more_like_this_and_search_answer_shape(api, corpus_index):
    para = "https://w3id.org/r2p-kg/doc/S-RES-819-1993/para/1"
    body = api.get("/search/similar", params={"uri": para, "k": 3}, timeout=900).json()
    assert (body["like"], body["k"]) == (para, 3) and para not in {h["uri"] for h in body["hits"]}
    r = api.get("/search/similar", params={"uri": "https://example.org/x"})
    assert (r.status_code, r.json()) == (400, {"error": "no passage https://example.org/x in the search index"})
    answer = api.get("/search", params={"q": '"safe area"', "from": "1993", "sort": "oldest"}).json()
    assert (answer["phrases"], answer["filters"], answer["sort"]) == (["safe area"], {"date_from": "1993"}, "oldest")
    assert set(answer["facets"]) == {"country", "region", "year", "doc_type", "risk_factor", "crime", "speaker"}


# -- debates: speakers in /search, and /positions ---------------------------------------------------
@pytest.fixture(scope="module")
def debates_api(debates_index):  # noqa: F811
    with httpx.Client(base_url=start_server(debates_index).url, timeout=120) as client:
        yield client


def test_search_takes_the_speaker_and_document_type_as_the_cli_does(debates_api, debates_searcher):  # noqa: F811
    params = {"q": "prevention of atrocity crimes", "k": 5, "speaker": "group/friends-of-r2p", "type": "verbatim_record"}
    body = debates_api.get("/search", params=params).json()
    filters = {"speaker": "group/friends-of-r2p", "doc_type": "verbatim_record"}
    assert body == debates_searcher.answer("prevention of atrocity crimes", 5, filters).to_dict()
    assert body["hits"] and all("group/friends-of-r2p" in h["speakers"] for h in body["hits"])
    assert all(h["citation"].startswith("A/72/PV.99 (") for h in body["hits"])
    assert "group/friends-of-r2p" in {v["value"] for v in body["facets"]["speaker"]["values"]}
    by_key = {("doc_type" if name == "type" else name): value for name, value in params.items()}  # the answer's own name
    same = debates_api.get("/search", params=by_key).json()
    assert same == body


def test_a_statements_letterhead_is_on_its_document_page_and_in_its_json(debates_api):
    """The lines above the speech are not a paragraph, but nothing printed is lost: the page shows them as printed."""
    body = debates_api.get("/documents/GCR2P-statement-456").json()
    assert body["title_block"].splitlines()[4:6] == ["Statement by H.E. Ambassador Maria Luiza Ribeiro Viotti,",
                                                     "Permanent Representative of Brazil to the United Nations"]
    assert body["structure"][0]["parts"][0]["text"].startswith("“Mr. President, First of all")
    page = debates_api.get("/documents/GCR2P-statement-456", headers={"Accept": "text/html"}).text
    assert ("<details class=\"title-block\"><summary>Its head, as printed</summary><pre>BRAZIL\nResponsibility to protect\n"
            in page)


SEARCH_PARAMETERS = ("q, k, country, region, risk_factor, crime, document, type, doc_type, speaker, year, from, date_from, "
                     "to, date_to, sort")


@pytest.mark.parametrize("params, message", [
    ({"foo": "1"}, f"invalid request: unknown parameter 'foo' (known: {SEARCH_PARAMETERS})"),
    ({"contry": "KEN"}, f"invalid request: unknown parameter 'contry'; did you mean 'country'? (known: {SEARCH_PARAMETERS})"),
    ({"type": "report", "doc_type": "letter"}, "invalid request: type and doc_type are one parameter; give one of them"),
    ({"from": "13-2013"}, "from: a date is 2013, 2013-07 or 2013-07-09; got '13-2013'"),
    ({"date_to": "2013/07"}, "date_to: a date is 2013, 2013-07 or 2013-07-09; got '2013/07'"),
    ({"type": "verbatim"}, "type: unknown document type 'verbatim'; known: " + ", ".join(DOC_TYPES)),
    ({"country": "Narnia"}, "country: unknown country 'Narnia'; give an ISO code such as KEN or a country name such as Kenya"),
    ({"speaker": "Atlantis"}, "speaker: unknown speaker 'Atlantis'; give an ISO3 code such as CHN, a name such as Holy See, "
                              "or an id such as group/friends-of-r2p"),
    ({"region": "Atlantis"}, "region: unknown region 'Atlantis'; known: africa, americas, asia, europe, oceania"),
    ({"crime": "piracy"}, "crime: unknown crime 'piracy'; known: crimes-against-humanity, ethnic-cleansing, genocide, "
                          "incitement, war-crimes"),
    ({"risk_factor": "15"}, "risk_factor: unknown risk factor '15'; give a number from 1 to 14 or a factor's title"),
])
def test_search_refuses_a_parameter_or_a_value_it_cannot_read_by_the_name_it_was_given(debates_api, params, message):
    r = debates_api.get("/search", params={"q": "veto", **params})
    assert (r.status_code, r.json()) == (400, {"error": message})


def test_a_value_that_resolves_but_has_no_passage_is_an_empty_answer(debates_api):
    for params in ({"year": 1850}, {"country": "Bhutan"}, {"speaker": "Bhutan"}):
        body = debates_api.get("/search", params={"q": "veto", **params}).json()
        assert (body["filters"], body["hits"]) == (params, [])


def test_search_takes_a_concept_by_its_label_and_the_dates_by_the_answers_names(debates_api):
    def uris(**params):
        return [h["uri"] for h in debates_api.get("/search", params={"q": "prevention of atrocity crimes", "k": 5, **params}).json()["hits"]]
    assert uris(crime="war crimes") == uris(crime="war-crimes") != []
    assert uris(region="Latin America and the Caribbean") == uris(region="americas") != []
    assert uris(risk_factor="Situations of armed conflict or other forms of instability") == uris(risk_factor="1") != []
    assert uris(date_from="2017", date_to="2017-12-31") == uris(**{"from": "2017", "to": "2017-12-31"}) != []


def test_every_filtering_route_refuses_an_unknown_parameter(api):
    for path, params, known in (
        ("/search/similar", {"uri": PARA1, "kk": "3"}, "'kk'; did you mean 'k'? (known: uri, k)"),
        ("/examples", {"contry": "KEN"}, "'contry'; did you mean 'country'? (known: format, country, region, risk_factor, "
                                         "policy_option, crime, kind, from, to, document, text)"),
        ("/examples/facets", {"year": "2008"}, "'year' (known: country, region, risk_factor, policy_option, crime, kind, "
                                               "from, to, document, text)"),
        ("/positions", {"county": "BRA"}, "'county'; did you mean 'country'? (known: country, theme, from, to, format)"),
        ("/positions/table", {"themes": "x"}, "'themes'; did you mean 'theme'? (known: theme, from, to, format)"),
    ):
        r = api.get(path, params=params)
        assert (r.status_code, r.json()) == (400, {"error": f"invalid request: unknown parameter {known}"}), path


@needs_examples
def test_examples_refuse_a_country_region_crime_or_kind_no_table_knows(api):
    for params, message in (
        ({"country": "Narnia"}, "country: unknown country 'Narnia'; give an ISO code such as KEN or a country name such as Kenya"),
        ({"region": "Atlantis"}, "region: unknown region 'Atlantis'; known: africa, americas, asia, europe, oceania"),
        ({"crime": "piracy"}, "crime: unknown crime 'piracy'; known: crimes-against-humanity, ethnic-cleansing, genocide, "
                              "incitement, war-crimes"),
        ({"kind": "anecdote"}, "kind: unknown kind 'anecdote'; known: practice, situation, historical, participation, venue"),
    ):
        for path in ("/examples", "/examples/facets"):
            r = api.get(path, params=params)
            assert (r.status_code, r.json()) == (400, {"error": message}), (path, params)
    assert api.get("/examples/facets", params={"country": "Bhutan"}).json()["total"] == 0  # a State with no example


def test_positions_answers_what_the_cli_prints(debates_api, debates_store):
    params = {"country": "BRA", "theme": "sovereignty", "from": "2009", "to": "2018"}
    for fmt, media in (("json", "application/json"), ("md", "text/markdown"), ("csv", "text/csv")):
        r = debates_api.get("/positions", params={**params, "format": fmt})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
        assert r.text == positions(debates_store, "BRA", themes=["sovereignty"], year_from=2009, year_to=2018, fmt=fmt)
    shown = debates_api.get("/positions", params=params).json()  # json by default
    assert shown and all("sovereignty" in p["themes"] and "2009" <= p["date"][:4] <= "2018" for p in shown)
    two = debates_api.get("/positions", params=[("country", "BRA"), ("theme", "sovereignty"), ("theme", "three-pillars")])
    assert len(two.json()) > len(shown)  # a theme is repeatable: either one
    table_csv = debates_api.get("/positions", params={"theme": "sovereignty", "from": "2011", "to": "2013", "format": "csv"})
    assert table_csv.text.splitlines()[0] == "speaker,theme,year,statements,paragraphs,quotes,link"
    for bad, message in (({"country": "Atlantis"}, "unknown speaker 'Atlantis'"),
                         ({"country": "BRA", "theme": "sovereignity"}, "unknown theme(s) sovereignity"),
                         ({"country": "BRA", "format": "pdf"}, "format must be one of md, json, csv; got 'pdf'"),
                         ({"country": "BRA", "from": "2009a"}, "invalid request: from: a year is a whole number")):
        r = debates_api.get("/positions", params=bad)
        assert r.status_code == 400 and r.json()["error"].startswith(message), r.text


def test_positions_is_documented_in_the_openapi(debates_api):
    spec = debates_api.get("/openapi.json").json()["paths"]
    assert {p["name"] for p in spec["/positions"]["get"]["parameters"]} == {"country", "theme", "from", "to", "format"}
    assert "speaker" in {p["name"] for p in spec["/search"]["get"]["parameters"]}
