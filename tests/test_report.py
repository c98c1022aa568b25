"""The report/letter parser on a report text made from the corpus and on the real UN letter (PDF)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.manifest import detect_meta, load_manifest
from ingest.model import DocMeta
from ingest.parsers import ParseContext, blocks
from ingest.parsers.report import parse
from ingest.readers import read_file
from kg.settings import Settings
from tests.conftest import CORPUS

FIXTURES = Path(__file__).parent / "fixtures"
REPORT_TXT = FIXTURES / "sg-report-2013-excerpt.txt"
LETTER_PDF = CORPUS / "pdf" / "A-79-785_S-2025-94.pdf"


@pytest.fixture(scope="module")
def manifest():
    return load_manifest(CORPUS)


def parse_file(path: Path, meta: DocMeta, manifest):
    return parse(read_file(path, Settings()).text(), ParseContext(meta=meta, instruments=manifest.instruments, path=path))[0]


def guessed_meta(doc_type: str) -> DocMeta:
    """Metadata as ``detect_meta`` leaves it for a file no manifest lists."""
    return DocMeta(id="new", type=doc_type, title="first line", guessed=["id", "type", "title"])


def parse_text(text: str, doc_type: str, manifest):
    """The report parser's tree of ``text``, as a document of ``doc_type`` whose metadata is all guessed."""
    return parse(text, ParseContext(meta=guessed_meta(doc_type), instruments=manifest.instruments))[0]


@pytest.fixture(scope="module")
def report(manifest):
    return parse_file(REPORT_TXT, guessed_meta("report"), manifest)


@pytest.fixture(scope="module")
def letter(manifest):
    source = next(s for s in manifest.sources if s.path.name == LETTER_PDF.name)
    return parse_file(LETTER_PDF, source.meta, manifest)


def test_report_header_fills_the_metadata_that_was_not_given(report):
    meta = report.meta
    assert meta.symbol == "A/67/929–S/2013/399"
    assert meta.date == "2013-07-09"
    assert meta.body == "Secretary-General"
    assert meta.title == "Responsibility to protect: State responsibility and prevention"
    assert meta.extra == {"session": "General Assembly, sixty-seventh session; Security Council, sixty-eighth year",
                          "agenda_items": "14, 113"}
    assert meta.guessed == ["id", "type", "title", "symbol", "date", "body", "session", "agenda_items"]


def test_manifest_metadata_is_kept_and_not_marked_guessed(manifest):
    given = DocMeta(id="A-67-929", type="report", title="The 2013 report", symbol="A/67/929", date="2013-07-09",
                    extra={"agenda_items": "14"})
    doc = parse_file(REPORT_TXT, given, manifest)
    assert (doc.meta.title, doc.meta.symbol, doc.meta.extra["agenda_items"]) == ("The 2013 report", "A/67/929", "14")
    assert doc.meta.guessed == ["body", "session"]
    assert given.guessed == [] and given.body is None  # the caller's metadata is not changed


def test_report_sections_subsections_and_paragraphs_numbered_as_printed(report):
    tops = [(n.kind, n.number, n.title) for n in report.children]
    assert tops == [
        ("section", "I", "Introduction and mandate"), ("section", "III", "Risk factors"),
        ("section", "IV", "Policy options for atrocity prevention"), ("section", "V", "The way forward"),
        ("section", "VI", "Conclusion"), ("footnote", "1", None), ("footnote", "2", None), ("footnote", "4", None),
    ]
    assert [p.number for p in report.find("paragraph")] == ["1", "2", "3", "4", "14", "34", "35", "71", "72"]
    section_iv = report.children[2]
    assert [(n.kind, n.number, n.title) for n in section_iv.children] == [
        ("paragraph", "34", None), ("subsection", None, "Building national resilience")]
    assert [p.number for p in section_iv.children[1].children] == ["35"]


def test_paragraphs_split_by_a_page_foot_are_whole_and_footnotes_attached(report):
    para3 = report.find("paragraph", "3")[0]
    assert "The third report, in 2011, considered the role of regional and subregional arrangements in " \
           "implementing the responsibility to protect (A/65/877-S/2011/393)." in para3.text
    assert para3.text.endswith("as well as ways of protecting responsibility.")
    para14 = report.find("paragraph", "14")[0]
    assert "specific prohibited acts and thus the associated risk factors" in para14.text
    assert "weapons prohibited under international law. Crimes against humanity are distinguished" in para14.text
    assert para14.footnotes == ["2"]
    para1 = report.find("paragraph", "1")[0]
    assert para1.footnotes == ["1"]
    assert "concept and its implementation. In 2009, in its resolution 63/308" in para1.text
    assert [(f.number, f.text) for f in report.find("footnote")][:1] == [("1", "Resolution 60/1.")]
    assert report.find("footnote", "4")[0].text.endswith("Rome Statute of the International Criminal Court; Arms Trade Treaty.")


def test_lettered_recommendations_are_clauses_of_their_paragraph(report):
    para71 = report.find("paragraph", "71")[0]
    assert para71.text.endswith("I call upon all Member States to:")
    assert [c.number for c in para71.children] == list("abcdefg")
    c = para71.children[2]
    assert (c.text, c.footnotes) == ("Sign, ratify and implement relevant international legal instruments;", ["4"])


def test_references_to_un_documents_and_resolutions(report):
    docs = lambda number: {r.doc for r in report.find("paragraph", number)[0].refs}  # noqa: E731
    assert {"A-63-677", "A-RES-60-1", "un-charter"} <= docs("2")
    assert "A-RES-63-308" in docs("1")
    assert {"A-64-864", "A-65-877", "S-2011-393", "A-66-874", "S-2012-578"} <= docs("3")
    assert {r.doc for r in report.find("footnote", "1")[0].refs} == {"A-RES-60-1"}


def test_roman_items_nest_under_lettered_ones_and_out_of_sequence_numbers_are_numbered_items(manifest):
    text = ("I. Options\n\n5. States could:\n(a) Adopt laws:\n(i) on hate speech;\n(ii) on incitement;\n"
            "(b) Train judges;\n(c) x;\n(d) x;\n(e) x;\n(f) x;\n(g) x;\n(h) x;\n(i) Report back.\n\n"
            "Such steps take time.\n\n"
            "6. Three steps follow:\n1. first, listen;\n2. then act.\n")
    doc = parse_text(text, "report", manifest)
    para5 = doc.find("paragraph", "5")[0]
    assert [c.number for c in para5.children] == list("abcdefghi")
    assert [c.number for c in para5.children[0].children] == ["i", "ii"]
    assert para5.text == "States could: Such steps take time."  # text after the list belongs to the paragraph
    assert para5.children[-1].text == "Report back."
    assert [p.number for p in doc.find("paragraph")] == ["5", "6"]
    para6 = doc.find("paragraph", "6")[0]
    assert para6.text == "Three steps follow:"  # a list numbered inside the paragraph keeps its printed numbers
    assert [(c.number, c.text) for c in para6.children] == [("1", "first, listen;"), ("2", "then act.")]


def test_letter_metadata_from_the_real_un_pdf(letter):
    meta = letter.meta
    assert meta.symbol == "A/79/785–S/2025/94" and meta.date == "2025-02-13"
    assert meta.extra["agenda_items"] == "69, 71, 132"
    assert "132" in meta.extra["agenda_items"].split(", ")
    assert meta.extra["session"] == "General Assembly, seventy-ninth session; Security Council, eightieth year"
    assert meta.extra["signatory"] == "Mher Margaryan, Ambassador, Permanent Representative"


def test_letter_body_then_annex_section_with_its_headings(letter):
    body = letter.children[:2]
    assert [(p.kind, p.number) for p in body] == [("paragraph", None), ("paragraph", None)]  # printed unnumbered
    assert body[0].text == ("I am transmitting herewith the summary report of the fifth Global Forum against the "
                            "Crime of Genocide, held on 12 and 13 December 2024 in Yerevan (see annex).")
    annex = letter.children[2]
    assert (annex.kind, annex.number, annex.title) == (
        "section", "annex", "Annex to the letter dated 13 February 2025 from the Permanent Representative of "
        "Armenia to the United Nations addressed to the Secretary-General")
    assert [(s.kind, s.title) for s in annex.children] == [
        ("subsection", "Chair’s summary"),
        ("subsection", "Report of the fifth Global Forum against the Crime of Genocide Yerevan, 12 and 13 December 2024")]
    paras = letter.find("paragraph")
    assert [p.number for p in paras] == [None] * 33
    assert paras[2].text.startswith("On December 12-13 Armenia hosted the 5th Global Forum against the Crime of Genocide.")
    assert paras[-1].text.endswith("violations of international human righ ts and international humanitarian law.")


def test_letter_paragraphs_split_by_page_breaks_are_whole_and_free_of_furniture(letter):
    texts = [p.text for p in letter.find("paragraph")]
    assert any("Most recently, emergence of a new international treaty: Ljubljana - The Hague Convention on "
               "International Cooperation in The Investigation and Prosecution of the Crime of Genocide" in t for t in texts)
    assert any("in line with international best practice. The role of international organisations" in t for t in texts)
    furniture = re.compile(r"A/79/785|S/2025/94|25-02437|2502437|\b\d/6\b")
    assert [t for t in texts if furniture.search(t)] == []


def test_a_letter_no_manifest_lists_gets_its_title_symbol_and_type_from_the_text(manifest):
    text = read_file(LETTER_PDF, Settings()).text()
    detected = detect_meta(LETTER_PDF, text)
    doc = parse(text, ParseContext(meta=detected, instruments=manifest.instruments, path=LETTER_PDF))[0]
    assert (doc.meta.id, doc.meta.type, doc.meta.symbol, doc.meta.date) == (
        "A-79-785", "letter", "A/79/785–S/2025/94", "2025-02-13")
    assert doc.meta.title == ("Letter dated 13 February 2025 from the Permanent Representative of Armenia to the "
                              "United Nations addressed to the Secretary-General")
    assert doc.meta.body == "General Assembly; Security Council"
    assert {"title", "symbol", "date", "body", "session", "agenda_items"} <= set(doc.meta.guessed)


def test_the_last_resort_keeps_every_block_and_no_number_it_did_not_print(manifest):
    text = "Intro text\nwrapped.\n\n12. The Council met.\n\n(a) An item;\n\n2025. A year, no number.\n"
    (doc,) = blocks.parse(text, ParseContext(meta=guessed_meta("document"), instruments=manifest.instruments))
    assert [(p.number, p.text) for p in doc.find("paragraph")] == [
        (None, "Intro text wrapped."), ("12", "The Council met."), (None, "(a) An item;"), (None, "2025. A year, no number.")]


def test_a_list_whose_first_number_is_garbled_keeps_the_numbers_printed_after_it(manifest):
    """A/47/466 (a scan): "1.- Antigua and Barbuda" under a heading, then "2. Australia": the list's own numbering."""
    text = ("I. Options\n\n5. States could act.\n\nParticipant Date of signature\n\n"
            "1.- Antigua and Barbuda 4 June 1992\n2. Australia 4 June 1992\n3. Brazil 4 June 1992\n")
    doc = parse_text(text, "report", manifest)
    (heading,) = [s for s in doc.find("subsection") if s.title == "Participant Date of signature"]
    assert heading.text == "1.- Antigua and Barbuda 4 June 1992" and heading.attrs["numbering"] == "restarts"
    assert [(p.number, p.text) for p in heading.children] == [("2", "Australia 4 June 1992"), ("3", "Brazil 4 June 1992")]


def test_a_letter_keeps_its_signer_and_the_signers_of_its_annexes_in_place(manifest):
    """S/2025/526: the chargé d'affaires signs the letter; the annex and its enclosure are signed by others."""
    text = ("Letter dated 21 August 2025 from the Chargé d’affaires a.i.\n\nI have the honour to transmit a letter.\n\n"
            "(Signed) Sandra Jensen Landi\n\nAnnex\n\nI have the honour to refer to the letter.\n\n"
            "(Signed) Hedda Samson\n\nEnclosure\n\nIn your letter of 20 July 2025, you wrote.\n\n(Signed) Kaja Kallas\n")
    doc = parse_text(text, "letter", manifest)
    assert doc.meta.extra["signatory"] == "Sandra Jensen Landi"
    assert [[p.text for p in s.children] for s in doc.find("section")] == [
        ["I have the honour to refer to the letter.", "(Signed) Hedda Samson"],
        ["In your letter of 20 July 2025, you wrote.", "(Signed) Kaja Kallas"]]


def test_a_numbered_line_that_the_next_block_continues_is_a_paragraph_not_a_heading(manifest):
    """S/2025/239, annex 1: each paragraph's first line came out as a block of its own."""
    text = ("I. Findings\n\n40. The Panel found this.\n\nAnnex 1: Methodology\n\n"
            "1. The Panel strived to adhere with the standards recommended by the Informal Working Group\n\n"
            "of the Security Council (S/2006/997).\n\n2. When physical inspection was not possible, the Panel\n\n"
            "sought to corroborate information.\n")
    doc = parse_text(text, "report", manifest)
    (annex,) = [s for s in doc.find("section") if s.title == "Annex 1: Methodology"]
    assert [(p.number, p.text) for p in annex.children] == [
        ("1", "The Panel strived to adhere with the standards recommended by the Informal Working Group of the "
              "Security Council (S/2006/997)."),
        ("2", "When physical inspection was not possible, the Panel sought to corroborate information.")]
    assert doc.find("subsection") == []
