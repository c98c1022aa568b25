"""Country positions: a speaker's timeline of themed quotes with citations, and the States x themes x years table."""
from __future__ import annotations

import csv
import io
import json

import pytest

from typer.testing import CliRunner

from kg.cli import app
from kg.positions import Position, PositionError, positions, render_table, render_timeline, table, timeline

BRAZIL_2011 = ("The concept of responsibility to protect has been structured in three different pillars, and Brazil "
               "supports the political subordination and chronological sequence that exist among them.")


def test_a_state_timeline_runs_from_2011_to_the_2018_debate(debates_store):
    positions = timeline(debates_store, "BRA")
    assert [p.date for p in positions] == sorted(p.date for p in positions)
    first_2011 = next(p for p in positions if p.quote.startswith(BRAZIL_2011))
    assert first_2011.date == "2011-07-12"
    assert first_2011.themes == ["pillar-two", "three-pillars", "timely-response"]
    assert first_2011.occasion == "2011 General Assembly informal interactive dialogue on the responsibility to protect"
    assert first_2011.source == "https://www.globalr2p.org/wp-content/uploads/2020/01/2011-IID-Brazil.pdf"
    debate = [p for p in positions if p.date == "2018-06-25"]
    assert debate and {p.citation.rsplit(", ¶", 1)[0] for p in debate} == {"A/72/PV.99 (Brazil)"}
    assert debate[0].citation == "A/72/PV.99 (Brazil), ¶98"  # each paragraph by its place in the record
    assert debate[0].occasion == ("General Assembly, seventy-second session, 99th plenary meeting: The responsibility "
                                  "to protect and the prevention of genocide, war crimes, ethnic cleansing and crimes "
                                  "against humanity")


def test_filters_by_theme_and_years(debates_store):
    positions = timeline(debates_store, "Brazil", themes=["timely-response"], year_from=2018, year_to=2018)
    assert positions and all("timely-response" in p.themes and p.date.startswith("2018") for p in positions)
    assert timeline(debates_store, "BRA", year_from=2012, year_to=2017) == []
    with pytest.raises(PositionError, match="unknown theme\\(s\\) sovereignity"):
        timeline(debates_store, "BRA", themes=["sovereignity"])
    with pytest.raises(PositionError, match="unknown speaker 'Atlantis'"):
        timeline(debates_store, "Atlantis")


def test_a_statement_in_a_record_and_in_the_collection_is_shown_once(debates_store):
    citations = {p.citation for p in timeline(debates_store, "AUS")}
    assert citations == {f"A/72/PV.99 (Australia), ¶{n}" for n in (60, 61, 62)}  # the collection's copy (no. 797) is the same statement


def test_a_group_timeline_holds_the_statements_made_on_its_behalf(debates_store):
    citations = {p.citation for p in timeline(debates_store, "group/friends-of-r2p")}
    assert "A/72/PV.99 (Qatar), ¶18" in citations


def test_formats_paste_ready(debates_store):
    positions = timeline(debates_store, "CHN", themes=["sovereignty"], year_to=2018)
    md = render_timeline(positions, "md")
    assert md.startswith("- **2018-07-02**, General Assembly, seventy-second session, 105th plenary meeting")
    assert md.rstrip().endswith("(A/72/PV.105 (China), ¶139)")
    rows = list(csv.DictReader(io.StringIO(render_timeline(positions, "csv"))))
    assert rows[0]["citation"] == "A/72/PV.105 (China), ¶139" and "sovereignty" in rows[0]["themes"].split()
    assert json.loads(render_timeline(positions, "json"))[0]["citation"] == "A/72/PV.105 (China), ¶139"


def test_the_states_by_themes_by_years_table(debates_store):
    rows = table(debates_store, themes=["sovereignty"], year_from=2011, year_to=2013)
    # Barbados spoke on behalf of CARICOM: the statement counts for the State and for the group
    assert [(r["speaker"], r["year"], r["statements"]) for r in rows] == [
        ("BRA", "2011", 1), ("BRB", "2011", 1), ("QAT", "2013", 1), ("group/caricom", "2011", 1)]
    assert rows[0]["quotes"] == "r2p positions --country BRA --theme sovereignty --from 2011 --to 2011"
    out = list(csv.DictReader(io.StringIO(render_table(rows, "csv"))))
    assert out[2] == {"speaker": "QAT", "theme": "sovereignty", "year": "2013", "statements": "1", "paragraphs": "1",
                      "quotes": "r2p positions --country QAT --theme sovereignty --from 2013 --to 2013",
                      "link": "/positions?country=QAT&theme=sovereignty&from=2013&to=2013&format=md"}


def test_the_cli_prints_what_the_library_renders(debates_store, debates_settings):
    """`r2p positions` is one call of kg.positions.positions: the timeline with a speaker, the table without."""
    runner = CliRunner()
    base = ["--data", str(debates_settings.data_dir), "positions"]
    out = runner.invoke(app, [*base, "--country", "BRA", "--theme", "sovereignty", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert out.stdout == positions(debates_store, "BRA", themes=["sovereignty"], fmt="json")
    assert json.loads(out.stdout)[0]["citation"].startswith("Brazil, 2011 General Assembly informal interactive dialogue")
    table_csv = runner.invoke(app, [*base, "--theme", "sovereignty", "--from", "2011", "--to", "2013", "--format", "csv"])
    assert table_csv.stdout.splitlines() == render_table(table(debates_store, themes=["sovereignty"], year_from=2011, year_to=2013), "csv").splitlines()
    bad = runner.invoke(app, [*base, "--country", "BRA", "--format", "pdf"])
    assert bad.exit_code == 2 and "format must be one of md, json, csv; got 'pdf'" in bad.output


def test_a_quote_a_spreadsheet_would_run_is_made_inert_in_the_csv():
    """Document text is untrusted: a quote opening with "=" or "-" must not become a formula (OWASP CSV injection)."""
    quote = Position("2011", "dialogue", ["sovereignty"], "=HYPERLINK(\"http://x\")", "A/1 (X)", None, "p")
    rows = list(csv.DictReader(io.StringIO(render_timeline([quote], "csv"))))
    assert rows[0]["quote"] == "'=HYPERLINK(\"http://x\")" and rows[0]["citation"] == "A/1 (X)"
