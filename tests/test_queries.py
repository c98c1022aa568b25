"""Every example query in kg/queries/ runs on the ingested corpus and gives its expected answer."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.queries import QUERY_DIR, load_queries

ID = "https://w3id.org/r2p-kg/"


def _rows(store, name):
    return store.select(load_queries()[name].text)


def _short(value: str) -> str:
    return value.replace(ID + "doc/", "").replace(ID, "")


def test_every_query_file_has_a_title_and_a_test():
    queries = load_queries()
    assert sorted(queries) == sorted(p.stem for p in QUERY_DIR.glob("*.rq"))
    assert all(q.title and q.description for q in queries.values())
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_q_")}
    assert {f"q-{n}" for n in queries} == tested


def test_q_documents(corpus_store):
    rows = _rows(corpus_store, "documents")
    assert len(rows) == 15
    assert {"doc": ID + "doc/A-67-929", "type": "report", "symbol": "A/67/929–S/2013/399", "date": "2013-07-09",
            "title": "Responsibility to protect: State responsibility and prevention"} in rows
    assert sum(r["type"] == "resolution" for r in rows) == 7


def test_q_protocol_articles_citing_article_3(corpus_store):
    rows = _rows(corpus_store, "protocol-articles-citing-article-3")
    assert [(r["number"], r["title"]) for r in rows] == [
        ("4", "Recommendations on genocide"), ("5", "Regional Organizations"), ("6", "Peacekeeping and Rapid Response Forces")]


def test_q_resolutions_citing_resolutions(corpus_store):
    rows = {(_short(r["paragraph"]), _short(r["cited"])) for r in _rows(corpus_store, "resolutions-citing-resolutions")}
    assert ("S-RES-827-1993/preamble/para/2", "S-RES-808-1993/para/2") in rows
    assert ("S-RES-827-1993/preamble/para/1", "S-RES-713-1991") in rows
    assert ("S-RES-808-1993/preamble/para/3", "S-RES-771-1992") in rows
    assert not any(p.split("/")[0] == c.split("/")[0] for p, c in rows)  # citations of itself are left out


def test_q_notes_on_paragraph(corpus_store):
    rows = _rows(corpus_store, "notes-on-paragraph")
    assert [r["kind"] for r in rows] == ["Interesting facts..."] * 3
    assert rows[0]["text"].startswith("The security situation in North Kivu")


def test_q_countries_in_report(corpus_store):
    counts = {_short(r["country"]): int(r["paragraphs"]) for r in _rows(corpus_store, "countries-in-report")}
    assert {"country/CIV", "country/COD", "country/KEN", "country/LKA", "country/SDN", "country/SYR", "country/AUS"} <= set(counts)
    assert counts["country/KEN"] >= 3 and "country/GIN" not in counts


def test_q_risk_factor_paragraphs(corpus_store):
    rows = _rows(corpus_store, "risk-factor-paragraphs")
    factors = [_short(r["factor"]) for r in rows]
    assert factors == sorted(factors, key=lambda f: int(f.rsplit("/", 1)[1]))
    by_factor = {_short(r["factor"]): set(r["paragraphs"].split(", ")) for r in rows}
    assert by_factor["risk-factor/1"] and rows[0]["label"] == "Situations of armed conflict or other forms of instability"


def test_q_cross_document_citations(corpus_store):
    rows = {(_short(r["citing"]), _short(r["cited"])) for r in _rows(corpus_store, "cross-document-citations")}
    assert {("A-67-929/para/2", "un-charter/chapter/VII"), ("A-67-929/para/25", "A-CONF.183-9/article/6"),
            ("genocide-optional-protocol-draft/article/4", "un-charter/article/103")} <= rows


@pytest.mark.parametrize("path", sorted(QUERY_DIR.glob("*.rq")), ids=lambda p: p.stem)
def test_queries_parse_as_documented_sparql(path: Path):
    text = path.read_text()
    assert text.startswith("# ") and "SELECT" in text


# -- debates: the 2018 records and the collected-statements fixture (tests/conftest.py: debates_store) --
def test_q_states_raising_a_theme_by_year(debates_store):
    rows = [(r["year"], _short(r["state"])) for r in _rows(debates_store, "states-raising-a-theme-by-year")]
    # 2009: the joint statement of Costa Rica and Denmark counts for both
    assert rows[:5] == [("2009", "country/CRI"), ("2009", "country/DNK"), ("2011", "country/BRA"), ("2011", "country/BRB"),
                        ("2013", "country/QAT")]
    raised_2018 = {state for year, state in rows if year == "2018"}
    assert {"country/CHN", "country/CUB", "country/RUS", "country/SYR", "country/VEN", "country/EGY"} <= raised_2018
    assert "country/AUS" not in raised_2018


def test_q_themes_by_year(debates_store):
    rows = _rows(debates_store, "themes-by-year")
    in_2018 = [(_short(r["theme"]), int(r["states"])) for r in rows if r["year"] == "2018"]
    assert in_2018[0][0] == "theme/prevention"  # the theme most States raised in the 2018 debate
    assert {theme for theme, _ in in_2018} == {f"theme/{t}" for t in (
        "prevention", "three-pillars", "accountability", "formal-agenda", "timely-response", "pillar-two", "sovereignty",
        "veto-restraint", "special-adviser", "selectivity", "focal-points", "women-peace-security",
        "responsibility-while-protecting")}


def test_q_statements_in_record_and_collection(debates_store):
    assert _rows(debates_store, "statements-in-record-and-collection") == [{
        "state": ID + "country/AUS", "date": "2018-06-25", "citation": "A/72/PV.99 (Australia)",
        "collected": ID + "doc/GCR2P-statement-797"}]
