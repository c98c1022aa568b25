"""The server-rendered pages over the real corpus, through a live server: what a person sees, and its headers."""
from __future__ import annotations

import html
import json
import re

import httpx
import pytest

from kg.positions import positions, timeline
from kg.service.linked_data import local_path
from kg.service.pages import YASGUI_BUILD
from tests.servers import corpus_server, start_server  # noqa: F401  (fixture)
from tests.test_positions import BRAZIL_2011

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def web(corpus_server):  # noqa: F811
    with httpx.Client(base_url=corpus_server.url, timeout=60, headers=BROWSER) as client:
        yield client


def textarea(page: str, element_id: str) -> str:
    return html.unescape(re.search(rf'<textarea id="{element_id}"[^>]*>(.*?)</textarea>', page, re.S).group(1))


def test_examples_page_has_the_form_facets_table_and_the_markdown_to_paste(web):
    r = web.get("/examples", params={"region": "Oceania"})
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<label>Country <input name="country"' in page and "<option selected>Oceania</option>" in page
    assert re.search(r'<a href="/examples\?region=Oceania&amp;country=AUS">Australia</a> '
                     r'<span class="count" aria-label="3 results">3</span>', page)
    assert "<h2 id=\"found\">3 examples</h2>" in page
    assert '<a href="/examples?region=Oceania&amp;format=ris" download>RIS</a>' in page
    assert '<td><a href="/id/doc/A-67-929/para/46">A/67/929–S/2013/399, para. 46</a></td>' in page
    markdown = httpx.get(str(r.url.copy_with(params={"region": "Oceania", "format": "md"}))).text
    assert textarea(page, "markdown") == markdown  # what the author sees is what they paste


def test_country_page_lists_examples_resolutions_and_paragraphs(web):
    page = web.get("/countries/SOM").text
    assert "<h1>Somalia <small>(SOM)</small></h1>" in page
    assert re.search(r'<li><a href="/documents/S-RES-794-1992">S/RES/794 \(1992\)</a> — [^<]+ \(1992-12-03\): '
                     r'\d+ paragraphs naming it</li>', page)
    assert "<p>No statement of Somalia in the graph raises an R2P theme.</p>" in page  # no debates in this store
    assert ('<a class="citation" href="/id/doc/S-RES-794-1992/para/20">S/RES/794 (1992), para. 20</a>' in page)
    kenya = web.get("/countries/KEN").text
    assert "<strong>National Cohesion and Integration Commission</strong> (2008)" in kenya
    assert web.get("/countries/KEN", params={"format": "json"}).json()["iso"] == "KEN"


def test_a_country_uri_in_a_browser_leads_to_its_country_page(web):
    page = web.get("/id/country/KEN").text
    link = re.search(r'<a href="(/countries/KEN)">Kenya: its country page</a>', page)
    assert link and "<h1>Kenya <small>(KEN)</small></h1>" in web.get(link[1]).text
    assert "Kenya: its country page" not in web.get("/id/doc/A-67-929").text


def test_document_page_has_anchored_structure_and_both_directions_of_citation(web):
    page = web.get("/documents/A/67/929").text
    assert '<li id="para-46" class="part paragraph"><a class="anchor" href="#para-46"' in page
    assert re.search(r'<li><a href="#footnote-2">A/67/929–S/2013/399, footnote 2</a> → '
                     r'<a href="/id/doc/genocide-convention">Convention on the Prevention and Punishment', page)
    convention = web.get("/documents/genocide-convention").text
    assert ('<a href="/id/doc/A-67-929/footnote/2">A/67/929–S/2013/399, footnote 2</a> → this document' in convention)


def test_editor_page_serves_yasgui_locally_with_our_terms(web):
    if not (YASGUI_BUILD / "yasgui.min.js").exists():
        pytest.skip("YASGUI is not installed (make setup runs npm ci)")
    page = web.get("/editor").text
    assert '<script src="/vendor/yasgui/yasgui.min.js"></script>' in page and "cdn" not in page.lower()
    config = json.loads(html.unescape(re.search(r'<script type="application/json" id="editor-config">(.*?)</script>',
                                                page, re.S).group(1)))
    assert "https://w3id.org/r2p-kg/ontology#CitedExample" in config["classes"]
    assert "https://w3id.org/r2p-kg/ontology#mentionsCountry" in config["properties"]
    assert config["prefixes"]["r2p"] == "https://w3id.org/r2p-kg/ontology#"
    assert web.get("/vendor/yasgui/yasgui.min.js").headers["content-type"].startswith("text/javascript")


@pytest.mark.parametrize("path", ["/", "/examples", "/countries/KEN", "/documents/A-67-929", "/documents", "/editor",
                                  "/id/doc/A-67-929/para/46"])
def test_html_pages_forbid_sniffing_framing_and_foreign_assets(web, path):
    r = web.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["x-content-type-options"] == "nosniff"
    csp = dict(part.strip().split(" ", 1) for part in r.headers["content-security-policy"].split(";"))
    assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
    assert "http" not in r.headers["content-security-policy"]  # no other origin at all
    assert r.headers["x-frame-options"] == "DENY"


# -- the States x themes x years table (debates) ---------------------------------------------------------
@pytest.fixture(scope="module")
def debates_web(debates_settings, debates_store):
    with httpx.Client(base_url=start_server(debates_settings).url, timeout=60, headers=BROWSER) as client:
        yield client


def test_positions_table_page_links_each_cell_to_its_quotes(debates_web, debates_store):
    r = debates_web.get("/positions/table", params={"theme": "sovereignty", "from": "2011", "to": "2013"})
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<label>From <input name="from" inputmode="numeric" size="4" value="2011"></label>' in page
    assert "<option selected>sovereignty</option>" in page and '<a class="skip" href="#content">' in page
    assert '<th scope="row">BRA</th><td>2011</td>' in page
    link = "/positions?country=BRA&amp;theme=sovereignty&amp;from=2011&amp;to=2011&amp;format=md"
    assert f'<a href="{link}" aria-label="1 statement(s) by BRA on sovereignty in 2011">1</a>' in page
    quotes = httpx.get(str(r.url.copy_with(raw_path=html.unescape(link).encode()))).text
    assert quotes == positions(debates_store, "BRA", themes=["sovereignty"], year_from=2011, year_to=2011, fmt="md")
    assert "http" not in re.sub(r'href="/[^"]*"', "", page.split("<main", 1)[1])  # nothing from elsewhere


def test_positions_table_as_csv_is_the_cli_table(debates_web, debates_store):
    r = httpx.get(str(debates_web.base_url) + "/positions/table", params={"theme": "sovereignty", "from": "2011", "to": "2013"})
    assert r.headers["content-type"].startswith("text/csv")
    assert r.text == positions(debates_store, None, themes=["sovereignty"], year_from=2011, year_to=2013, fmt="csv")
    assert r.text.splitlines()[1].endswith(",/positions?country=BRA&theme=sovereignty&from=2011&to=2011&format=md")


def test_country_page_shows_the_states_statements_timeline_with_themes_and_links(debates_web, debates_store):
    page = debates_web.get("/countries/BRA").text
    expected = timeline(debates_store, "BRA")
    at, first = next((i, p) for i, p in enumerate(expected) if p.quote.startswith(BRAZIL_2011))
    assert first.date == "2011-07-12" and first.source.endswith("/2011-IID-Brazil.pdf")
    items = re.findall(r"<li><strong>.*?</li>", page.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0], re.S)
    assert len(items) == len(expected)  # the very timeline /positions answers, one item per paragraph, oldest first
    assert html.unescape(items[at]) == (
        '<li><strong><time datetime="2011-07-12">2011-07-12</time></strong>, 2011 General Assembly informal '
        'interactive dialogue on the responsibility to protect <span class="themes">(pillar-two, three-pillars, '
        f'timely-response)</span>: “{first.quote}” — <a href="{local_path(first.paragraph)}">'
        f'{first.citation}</a> · <a href="https://www.globalr2p.org/wp-content/uploads/2020/01/2011-IID-Brazil.pdf">original</a></li>')
    debate = next(i for i in items if 'datetime="2018-06-25"' in i)
    assert "99th plenary meeting" in debate and ">A/72/PV.99 (Brazil), ¶98</a>" in debate and "original" not in debate
    assert f'<a href="#statements">Statements ({len(expected)})</a>' in page
    assert debates_web.get(local_path(first.paragraph)).status_code == 200
    as_json = debates_web.get("/countries/BRA", params={"format": "json"}).json()["statements"]
    assert as_json[at] == {"date": "2011-07-12", "occasion": first.occasion, "themes": first.themes, "quote": first.quote,
                          "citation": first.citation, "source": first.source, "paragraph": first.paragraph}
