"""Identity from the masthead and the UN file name, on real page-1 text of 64 UN documents.

``fixtures/realdocs/page_one.json`` holds page 1's printed lines of each PDF of the development set
(as ``ingest.pdf.ReadPdf.page_one`` reads them); ``benchmarks/realdocs_truth.tsv`` is the hand-checked truth.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ingest.manifest import detect_meta, expression_id
from ingest.masthead import (amended, from_file_name, read_masthead, split_joint, symbol_line,
                             text_language)
from ingest.pdf import read_pdf
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "realdocs"
PAGE_ONE = json.loads((FIXTURES / "page_one.json").read_text(encoding="utf-8"))
TRUTH = list(csv.DictReader([line for line in (ROOT / "benchmarks" / "realdocs_truth.tsv").read_text().splitlines()
                             if line and not line.startswith("#")], delimiter="\t"))


@pytest.mark.parametrize("row", TRUTH, ids=[r["file"] for r in TRUTH])
def test_masthead_of_each_real_document_gives_its_symbols_type_and_date_of_issue(row):
    masthead = read_masthead(PAGE_ONE[row["file"]])
    assert masthead.symbols == split_joint(row["masthead"])
    assert masthead.doc_type == row["type"]
    assert (masthead.date or "") == row["date"]


def test_every_real_file_is_found_by_its_own_symbol_with_a_key_of_its_own():
    keys = {}
    for row in TRUTH:
        path = Path(row["file"])
        meta = detect_meta(path, "", PAGE_ONE[row["file"]])
        assert row["symbol"] in meta.symbols
        keys.setdefault(meta.id, []).append(row["file"])
    assert [files for files in keys.values() if len(files) > 1] == []


@pytest.mark.parametrize("line, symbols", [
    ("United Nations  A/80/275-S/2025/491", ["A/80/275", "S/2025/491"]),
    ("A/80/275–S/2025/491", ["A/80/275", "S/2025/491"]),
    ("S/RES/2768 (2025)", ["S/RES/2768 (2025)"]),
    ("A/RES/78/323", ["A/RES/78/323"]),
    ("A/HRC/RES/59/25", ["A/HRC/RES/59/25"]),
    ("United Nations  A/ES-10/1043-S/2025/92", ["A/ES-10/1043", "S/2025/92"]),
    ("A/79/PV.64", ["A/79/PV.64"]),
    ("S/PV.9876", ["S/PV.9876"]),
    ("A/AC.109/2025/L.2", ["A/AC.109/2025/L.2"]),
    ("A/CONF.230/2025/INF/1", ["A/CONF.230/2025/INF/1"]),
    ("E/ICEF/2025/12", ["E/ICEF/2025/12"]),
    ("A/80/74/Add.1-E/2025/53/Add.1", ["A/80/74/Add.1", "E/2025/53/Add.1"]),
    ("S/2025/100/Rev.1", ["S/2025/100/Rev.1"]),
    ("E/2025/68/Corr.1", ["E/2025/68/Corr.1"]),
    ("United Nations  A/80/15 (Part I)", ["A/80/15 (Part I)"]),
    ("E/2025/26*-E/CN.5/2025/6*", ["E/2025/26", "E/CN.5/2025/6"]),
])
def test_every_symbol_shape_is_read_whole_from_a_masthead_line(line, symbols):
    assert symbol_line(line) == symbols


@pytest.mark.parametrize("line", ["(A/53/23).", "resolution 2107 (2013)", "Agenda item 5 (b)", "A/79/898, para. 3"])
def test_a_line_that_is_not_only_symbols_is_no_masthead_symbol(line):
    assert symbol_line(line) is None


@pytest.mark.parametrize("name, symbol, language", [
    ("A_80_275.en.pdf", "A/80/275", "en"),
    ("S_RES_2768 (2025).en.pdf", "S/RES/2768 (2025)", "en"),
    ("A_80_15 (Part I).en.pdf", "A/80/15 (Part I)", "en"),
    ("A_ES-10_1042.fr.pdf", "A/ES-10/1042", "fr"),
    ("E_2025_9_Add.12.en.pdf", "E/2025/9/Add.12", "en"),
    ("A_79_PV.64.en.txt", "A/79/PV.64", "en"),
    # collections write the symbol with "-" for "/" (the debates' records, the bundled corpus)
    ("A-72-PV.99.txt", "A/72/PV.99", None),
    ("S-PV-9999.txt", "S/PV.9999", None),
    ("A-ES-10-1043.txt", "A/ES-10/1043", None),
    ("S-RES-0808-1993.pdf", "S/RES/808 (1993)", None),
    ("A-HRC-RES-59-25.txt", "A/HRC/RES/59/25", None),
    ("res808.txt", None, None),
    ("Angola-2009.txt", None, None),
    ("genocide-convention-1948.txt", None, None),
])
def test_the_un_file_name_gives_symbol_and_language(name, symbol, language):
    assert from_file_name(Path(name)) == (symbol, language)


def test_body_text_full_of_resolutions_does_not_make_a_report_a_resolution():
    # S/2025/320's title block names "resolution 2107 (2013)"; S/2025/239's letter body cites 1591 (2005).
    assert read_masthead(PAGE_ONE["S_2025_320.en.pdf"]).doc_type == "report"
    assert read_masthead(PAGE_ONE["S_2025_239.en.pdf"]).doc_type == "letter"


def test_a_masthead_with_no_distr_line_gives_no_date():
    for name in ("A_80_38.en.pdf", "E_2025_26.en.pdf"):  # Official Records volumes
        masthead = read_masthead(PAGE_ONE[name])
        assert masthead.date is None and masthead.distribution is None


def test_a_letter_keeps_its_own_date_apart_from_the_date_of_issue():
    masthead = read_masthead(PAGE_ONE["A_79_912.en.pdf"])  # identical letters dated 23 May, issued 9 June
    assert (masthead.date, masthead.letter_date) == ("2025-06-09", "2025-05-23")


def test_language_of_the_version_and_of_the_original():
    masthead = read_masthead(PAGE_ONE["S_2025_239.en.pdf"])  # "English / Original: French"
    assert (masthead.language, masthead.original) == ("en", "fr")
    masthead = read_masthead(PAGE_ONE["A_52_687.en.pdf"])  # 1997: "ENGLISH / ORIGINAL: ENGLISH/FRENCH"
    assert (masthead.language, masthead.original, masthead.date) == ("en", "en", "1997-11-18")


def test_a_geneva_masthead_printed_in_a_form_xobject_is_read_from_the_pdf():
    lines = read_pdf(FIXTURES / "A_HRC_RES_59_25.en.pdf", max_bytes=10**8, max_pages=100).page_one
    masthead = read_masthead(lines)
    assert (masthead.symbols, masthead.doc_type, masthead.date, masthead.body) == (
        ["A/HRC/RES/59/25"], "resolution", "2025-07-16", "Human Rights Council")


def test_a_general_assembly_resolution_from_its_masthead():
    path = FIXTURES / "A_RES_78_999.en.txt"
    meta = detect_meta(path, path.read_text())
    assert (meta.id, meta.type, meta.symbol, meta.date, meta.body) == (
        "A-RES-78-999", "resolution", "A/RES/78/999", "2024-09-12", "General Assembly")
    assert meta.title.startswith("General Assembly resolution 78/999: The responsibility to protect")


def test_a_verbatim_record_is_typed_by_its_symbol_and_has_no_date_of_issue():
    path = FIXTURES / "A_79_PV.64.en.txt"
    meta = detect_meta(path, path.read_text())
    assert (meta.id, meta.type, meta.symbol, meta.date, meta.title) == (
        "A-79-PV.64", "verbatim_record", "A/79/PV.64", None, "General Assembly, 64th plenary meeting")


def test_a_joint_document_filed_under_its_second_symbol_is_the_same_work():
    lines = PAGE_ONE["A_79_898.en.pdf"]
    first = detect_meta(Path("A_79_898.en.pdf"), "", lines)
    second = detect_meta(Path("S_2025_281.en.pdf"), "", lines)
    assert first.id == second.id == "A-79-898" and second.symbol == "A/79/898–S/2025/281"
    assert second.notes == []


def test_a_file_name_the_masthead_contradicts_is_noted_and_the_masthead_wins():
    meta = detect_meta(Path("S_2025_999.en.pdf"), "", PAGE_ONE["S_2025_67.en.pdf"])
    assert meta.symbol == "S/2025/67"
    assert meta.notes == ["file name says S/2025/999 but the masthead says S/2025/67; the masthead wins"]


def test_a_french_version_is_another_expression_of_the_same_work():
    meta = detect_meta(Path("S_2025_67.fr.pdf"), "", PAGE_ONE["S_2025_67.en.pdf"])
    assert (meta.work_id, meta.id, meta.language) == ("S-2025-67", "S-2025-67.fr", "fr")
    assert expression_id("S-2025-67", "en") == "S-2025-67"


@pytest.mark.parametrize("symbol, target", [
    ("E/2025/68/Corr.1", ("E/2025/68", "Corr")), ("A/80/74/Add.1", ("A/80/74", "Add")),
    ("S/2025/100/Rev.2", ("S/2025/100", "Rev")), ("A/80/74", None)])
def test_what_an_addendum_corrigendum_or_revision_amends(symbol, target):
    assert amended(symbol) == target


def test_a_french_version_reads_its_french_masthead():
    path = FIXTURES / "lettre-S-2025-67.txt"  # no language in the file name: "Français" on page 1 says it
    meta = detect_meta(path, path.read_text())
    assert (meta.id, meta.work_id, meta.type, meta.symbol, meta.date, meta.letter_date) == (
        "S-2025-67.fr", "S-2025-67", "letter", "S/2025/67", "2025-01-29", "2025-01-28")
    assert (meta.language, meta.original_language, meta.distribution) == ("fr", "en", "Générale")


def test_the_language_of_a_text_without_a_masthead_is_read_from_its_words():
    french = "Le Conseil de sécurité, rappelant ses résolutions, est préoccupé par la situation et les violations " * 5
    assert text_language(french) == "fr"
    assert text_language("The Security Council, recalling its resolutions, is concerned with the situation " * 5) == "en"
    assert text_language("Too short.") is None


def test_the_job_number_organs_and_languages_issued_in_are_facts_of_the_version():
    """Page 1's job number (at its foot, or under a Geneva masthead printed at the foot), the organs
    and an "… only" languages line are kept as the document's properties, not dropped as furniture."""
    facts = {name: (m.job_number, m.organs, m.languages) for name in
             ("A_ES-10_1022.en.pdf", "A_HRC_EMRIP_2025_2.en.pdf", "E_ICEF_2025_26.en.pdf")
             for m in [read_masthead(PAGE_ONE[name])]}
    assert facts == {"A_ES-10_1022.en.pdf": ("25-02542", ["General Assembly", "Security Council"], None),
                     "A_HRC_EMRIP_2025_2.en.pdf": ("GE.25-06162", ["General Assembly"], None),
                     "E_ICEF_2025_26.en.pdf": ("25-10010", ["Economic and Social Council"],
                                               "English, French and Spanish only")}
    meta = detect_meta(Path("E_ICEF_2025_26.en.pdf"), "\n".join(PAGE_ONE["E_ICEF_2025_26.en.pdf"]),
                       PAGE_ONE["E_ICEF_2025_26.en.pdf"])
    assert {k: meta.extra[k] for k in ("job_number", "organs", "issued_in")} == {
        "job_number": "25-10010", "organs": "Economic and Social Council", "issued_in": "English, French and Spanish only"}
