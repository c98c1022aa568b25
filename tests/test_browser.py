"""The web page in a real headless browser: Debian's chromium driven by Playwright.

Chromium comes from the system (``make browser`` installs it); the test is skipped, saying why,
when it is absent. A screenshot of each step is left in the test's temporary folder.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
import time

import httpx
import pytest

from kg.positions import timeline
from tests.servers import corpus_server, start_server  # noqa: F401  (fixture)
from tests.test_positions import BRAZIL_2011

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (run `make browser`)"),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None, reason="playwright is not installed"),
]
def wait_until(page, expression: str, seconds: float = 30) -> None:
    """Poll ``expression`` with ``page.evaluate``: Playwright's ``wait_for_function`` evals a string in the page,
    which the pages' Content-Security-Policy (script-src 'self', rightly) refuses."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {seconds} s: {expression}")
        page.wait_for_timeout(50)


ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser(corpus_server):  # noqa: F811
    """One Chromium for the module (Playwright's sync API allows one instance per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def page(browser, corpus_server, corpus_index):  # noqa: F811
    # Open the search index (built by the fixture) before the browser's first search, so the page's fetch is quick.
    httpx.get(corpus_server.url + "/search", params={"q": "warm up"}, timeout=900)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.set_default_timeout(30_000)
    page.goto(corpus_server.url + "/")
    yield page
    page.close()


def test_a_question_shows_the_cited_paragraph_with_its_sentence_marked(page, tmp_path):
    page.fill("#q", "Srebrenica safe area")
    page.click("button[type=submit]")
    first = page.locator("#results li.hit").first
    first.wait_for()
    citation = first.locator("a.citation")
    assert citation.inner_text().startswith("S/RES/819 (1993)")
    assert citation.get_attribute("href").startswith("/id/doc/S-RES-819-1993/")
    assert "Srebrenica" in first.locator("p.text").inner_text()
    assert first.locator("mark").count() == 1
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)
    citation.click()  # the paragraph's own page
    page.wait_for_selector("blockquote.text")
    assert page.locator("p.cite").inner_text().startswith("Cite as: S/RES/819 (1993)")
    page.go_back()


def test_a_cited_paragraph_the_index_lacks_is_said_beside_the_count(page):
    page.fill("#q", "A/67/929 para 999")
    page.click("button[type=submit]")
    page.locator("#results li.hit").first.wait_for()
    wait_until(page, "document.getElementById('search-status').textContent.endsWith("
                     "'. A/67/929 has no paragraph 999 in the search index')")


def test_search_facets_count_and_narrow_and_each_hit_can_be_copied(page):
    page.fill("#q", '"safe area"')
    page.click("button[type=submit]")
    # The facets on the page may still be the previous search's: wait for this one's hits first.
    wait_until(page, "[...document.querySelectorAll('#results li.hit p.text')].length > 0 && "
                     "[...document.querySelectorAll('#results li.hit p.text')].every("
                     "p => p.textContent.toLowerCase().includes('safe area'))")
    page.wait_for_selector("#facets .facet")
    year = page.locator("#facets .facet", has_text="Year").locator("button.facet-value").first
    label, count = year.inner_text().rsplit(" ", 1)
    year.click()  # sets the year filter and searches again
    wait_until(page, f"document.querySelector('input[name=year]').value === '{label}'")
    page.wait_for_selector("#results li.hit")
    assert page.locator("#results li.hit").count() <= int(count)
    assert "safe area" in page.locator("#results li.hit p.text").first.inner_text().lower()
    hit = page.locator("#results li.hit").first
    assert hit.locator("button.copy").get_attribute("aria-label").startswith("Copy citation: S/RES/")
    assert hit.get_by_text("in its document").get_attribute("href").startswith("/documents/S-RES-")
    first = hit.locator("a.citation").inner_text()
    hit.locator("button.more-like").click()
    wait_until(page, f"document.getElementById('search-status').textContent === "
                     f"document.querySelectorAll('#results li.hit').length + {json.dumps(' paragraphs like ' + first)}")
    assert first not in page.locator("#results a.citation").all_inner_texts()
    page.fill("input[name=year]", "")


def test_a_sparql_query_shows_rows(page, tmp_path):
    page.click("#tab-sparql")
    page.fill("#query", "SELECT ?para ?text WHERE { ?para r2p:inDocument <https://w3id.org/r2p-kg/doc/S-RES-827-1993> ; "
                        "a r2p:Paragraph ; r2p:number '1' ; r2p:text ?text }")
    page.click("#run")
    page.wait_for_selector("#sparql-results tbody tr")
    assert page.locator("#sparql-results thead th").all_inner_texts() == ["para", "text"]
    assert page.locator("#sparql-results tbody td").all_inner_texts() == [
        "https://w3id.org/r2p-kg/doc/S-RES-827-1993/para/1", "Approves the report of the Secretary-General;"]
    assert page.locator("#sparql-status").inner_text() == "1 rows"
    options = page.locator("#examples option").all_inner_texts()
    assert "Documents in the graph" in options
    page.select_option("#examples", label="Documents in the graph")
    assert page.input_value("#query").startswith("# Documents in the graph")
    page.click("#run")
    wait_until(page, "document.querySelectorAll('#sparql-results tbody tr').length > 5")
    page.screenshot(path=str(tmp_path / "sparql.png"), full_page=True)
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    wait_until(page, "document.getElementById('sparql-status').textContent.startsWith('Error')")
    assert "syntax error" in page.locator("#sparql-status").inner_text()


# -- the server-rendered pages and the YASGUI editor (no search index needed) ------------------------------
@pytest.fixture
def tab(browser, corpus_server):  # noqa: F811
    """A fresh page that records console errors (a CSP violation or a script error shows up there)."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.set_default_timeout(30_000)
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.base = corpus_server.url
    yield page
    page.close()


def test_examples_page_filters_from_the_keyboard_and_shows_facets(tab):
    tab.goto(tab.base + "/examples")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent") == "Skip to content"
    tab.get_by_label("Country").fill("Kenya")
    tab.get_by_label("Country").press("Enter")
    tab.wait_for_url("**/examples?country=Kenya**")
    rows = tab.locator("#examples-table tbody tr")
    assert rows.count() >= 1 and set(rows.locator("td:first-child").all_inner_texts()) == {"Kenya"}
    assert "National Cohesion and Integration Commission" in tab.locator("#examples-table").inner_text()
    assert tab.input_value("#markdown").startswith("# Kenya (KEN): cited examples")
    tab.locator(".facet", has_text="Kind").locator("a").first.click()
    tab.wait_for_url("**kind=**")
    assert tab.errors == []


def test_country_and_document_pages_read_on_a_phone(browser, corpus_server):  # noqa: F811
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    for path in ("/countries/SOM", "/examples?region=Africa", "/documents/A-67-929#para-46"):
        phone.goto(corpus_server.url + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path  # no sideways scrolling
    assert phone.locator("#para-46").is_visible() and phone.evaluate("location.hash") == "#para-46"
    phone.close()


def test_a_states_statements_timeline_reads_on_a_phone_and_leads_to_the_paragraph(browser, debates_settings,
                                                                                  debates_store):
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.goto(start_server(debates_settings).url + "/countries/BRA")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # long quotes wrap
    assert phone.locator("ol.timeline > li").count() == len(timeline(debates_store, "BRA"))
    item = phone.locator("ol.timeline > li", has_text=BRAZIL_2011)
    assert item.locator("time").get_attribute("datetime") == "2011-07-12"
    assert (item.get_by_role("link", name="original", exact=True).get_attribute("href")
            == "https://www.globalr2p.org/wp-content/uploads/2020/01/2011-IID-Brazil.pdf")
    citation = item.locator("a").first
    label = citation.inner_text()
    citation.focus()
    phone.keyboard.press("Enter")  # from the keyboard, to the paragraph's own page
    phone.wait_for_url("**/id/doc/**")
    assert BRAZIL_2011 in phone.locator("body").inner_text() and label in phone.locator("body").inner_text()
    phone.close()


def test_yasgui_editor_completes_our_terms_and_runs_a_query(tab):
    tab.goto(tab.base + "/editor")
    tab.wait_for_selector(".yasqe .CodeMirror")
    tab.select_option("#editor-examples", label="Documents in the graph")
    assert "# Documents in the graph" in tab.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    tab.click(".yasqe_queryButton")
    tab.wait_for_selector(".yasr table tbody tr")
    assert tab.locator(".yasr table tbody tr").count() > 5
    tab.evaluate("""() => { const cm = document.querySelector('.CodeMirror').CodeMirror;
                     cm.setValue('PREFIX r2p: <https://w3id.org/r2p-kg/ontology#>\\nSELECT * { ?x a r2p:CitedEx');
                     cm.focus(); cm.setCursor(cm.lineCount(), 0); }""")
    tab.keyboard.press("Control+Space")
    tab.wait_for_selector(".CodeMirror-hints li")
    assert "r2p:CitedExample" in tab.locator(".CodeMirror-hints").inner_text()
    assert [e for e in tab.errors if "Content Security Policy" in e] == []
