"""The web page in a real headless browser: Debian's chromium driven by Playwright.

Chromium comes from the system (``make browser`` installs it); the test is skipped, saying why,
when it is absent. A screenshot of each step is left in the test's temporary folder.
"""
from __future__ import annotations

import importlib.util
import shutil

import httpx
import pytest

from tests.servers import corpus_server  # noqa: F401  (fixture)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (run `make browser`)"),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None, reason="playwright is not installed"),
]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def page(corpus_server, corpus_index):  # noqa: F811
    from playwright.sync_api import sync_playwright

    # Open the search index (built by the fixture) before the browser's first search, so the page's fetch is quick.
    httpx.get(corpus_server.url + "/search", params={"q": "warm up"}, timeout=900)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(30_000)
        page.goto(corpus_server.url + "/")
        yield page
        browser.close()


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
    page.wait_for_function("document.querySelectorAll('#sparql-results tbody tr').length > 5")
    page.screenshot(path=str(tmp_path / "sparql.png"), full_page=True)
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    page.wait_for_function("document.getElementById('sparql-status').textContent.startsWith('Error')")
    assert "syntax error" in page.locator("#sparql-status").inner_text()
