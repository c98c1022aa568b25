"""Every word kept, in the right place, on real UN PDFs (issue 11): footnotes, page breaks, furniture,
preambles, clause lists, numbers as printed. The PDFs are copies, kept in tests/fixtures/realdocs, of real UN documents."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.model import DocMeta
from ingest.parsers import ParseContext, generic, parse_document, parser_for
from ingest.pdf import read_pdf
from ingest.references import Instruments
from kg.builder import GraphBuilder
from ingest.namespaces import graph_uri

REALDOCS = Path(__file__).parent / "fixtures" / "realdocs"
CAPS = {"max_bytes": 10_000_000, "max_pages": 200}
FURNITURE = re.compile(r"GE\.25-\d{5}|\b\d{2}-\d{5}\b|A/HRC/EMRIP/2025/2|Distr\.:|Original: English|_{5,}|Please recycle")


def parsed(name: str, doc_type: str, parser=None):
    path = REALDOCS / name
    meta = DocMeta(id=path.stem.removesuffix(".en").replace("_", "-"), type=doc_type, title="", guessed=["title"])
    return (parser or parser_for(doc_type))(read_pdf(path, **CAPS).text(), ParseContext(meta, Instruments(), path=path))[0]


@pytest.fixture(scope="module")
def emrip():
    """A/HRC/EMRIP/2025/2: 117 footnotes under rules, sentences running on past them, a Geneva masthead."""
    return parsed("A_HRC_EMRIP_2025_2.en.pdf", "body_report")


def test_page_foot_footnotes_are_footnote_nodes_numbered_as_printed(emrip):
    assert [f.number for f in emrip.find("footnote")] == [str(i) for i in range(1, 118)]
    assert emrip.find("footnote", "5")[0].text == "See https://www.wipo.int/treaties/en/ip/gratk/summary_gratk.html."
    assert emrip.find("paragraph", "11")[0].footnotes == ["5"]  # "…may be established.⁵"


def test_a_sentence_interrupted_by_footnotes_is_rejoined(emrip):
    """Page 3 ends "…the Committee on the Elimination of Discrimination against", footnotes 5 and 6
    follow at its foot, and page 4 goes on "Women called upon States…"."""
    text = emrip.find("paragraph", "14")[0].text
    assert "the Committee on the Elimination of Discrimination against Women called upon States to systemically" in text
    assert not re.search(r"\bSee https|Presentation by Alexey", text)


def test_headings_at_a_page_top_and_wrapped_headings(emrip):
    sections = [(n.number, n.title) for n in emrip.children if n.kind == "section"]
    assert sections[1:3] == [("II", "Overview of the existing international legal framework"),
                             ("III", "Challenges and opportunities in accessing and controlling data")]
    assert sections[-1] == ("annex", "Annex")


def test_an_annex_that_numbers_its_paragraphs_again_keeps_the_printed_numbers(emrip):
    (advice,) = emrip.children[-118].children  # the annex's one subsection, before the 117 footnotes
    assert advice.title.startswith("Expert Mechanism Advice No. 18 (2025): Right of Indigenous Peoples to data")
    assert [p.number for p in advice.children if p.kind == "paragraph"][:3] == ["1", "2", "3"]
    builder = GraphBuilder(graph_uri("x"))
    builder.document(emrip)
    uris = {q.subject.value for q in builder.quads}
    assert any(u.endswith("/section/annex/subsection/1/para/1") for u in uris)


def test_no_page_furniture_in_any_text_part(emrip):
    leaks = [n.text[:60] for n in emrip.walk() if FURNITURE.search(f"{n.title or ''} {n.text}")]
    assert leaks == []


def test_hrc_resolution_keeps_its_preamble_and_footnotes():
    """A Geneva-printed HRC resolution: masthead at the page foot, 53 preambular paragraphs."""
    doc = parsed("A_HRC_RES_59_25.en.pdf", "resolution")
    assert (doc.meta.title, doc.meta.body) == ("59/25. Human rights and climate change", "Human Rights Council")
    preamble = doc.find("preambular")
    assert len(preamble) == 53
    assert preamble[0].text.startswith("Guided by the Charter of the United Nations, and reaffirming the Universal")
    assert doc.find("footnote", "1")[0].text == "See FCCC/CP/2015/10/Add.1, decision 1/CP.21, annex."
    assert [(n.number, n.footnotes) for n in preamble if n.footnotes][:2] == [("6", ["1"]), ("7", ["2"])]
    assert "Paris Agreement acknowledges" in preamble[6].text  # the call "Agreement²" is out of the text
    assert any("low-emission" in n.text for n in doc.walk())  # a line-end hyphen leaves no space
    assert [n.text[:40] for n in doc.walk() if FURNITURE.search(n.text)] == []


def test_the_fallback_parser_keeps_a_clause_list_and_its_footnotes():
    """E/2025/L.13, a draft decision: "takes note of the following reports…:" then (a)–(c), each calling a footnote."""
    doc = parsed("E_2025_L.13.en.pdf", "document", parser=generic.parse)
    (lead,) = [n for n in doc.find("paragraph") if n.children]
    assert lead.text.endswith("held from 20 to 22 May 2025:")
    assert [(c.number, c.footnotes) for c in lead.children] == [("a", ["1"]), ("b", ["2"]), ("c", ["3"])]
    assert lead.children[2].text == ("Report of the Executive Director on the United Nations Sustainable "
                                     "Development Group System-wide Evaluation Office.")
    assert doc.find("footnote", "2")[0].text == "E/2025/61."
    assert [n.number for n in doc.find("paragraph")] == [None]  # nothing numbered that is not printed so


def test_an_unnumbered_letter_paragraph_is_cited_by_its_position():
    doc = parsed("S_2025_149.en.pdf", "letter")
    assert [p.number for p in doc.find("paragraph")] == [None, None]
    builder = GraphBuilder(graph_uri("x"))
    builder.document(doc)
    citations = sorted(q.object.value for q in builder.quads if q.predicate.value.endswith("#citation")
                       or q.predicate.value.endswith("/citation"))
    assert citations == [f"{doc.meta.citation_prefix()}, ¶1", f"{doc.meta.citation_prefix()}, ¶2"]


def test_a_security_council_resolution_title_keeps_its_adoption_line():
    text = ("Resolution 2785 (2025)\n\nAdopted by the Security Council at its 9956th meeting, on\n14 July 2025\n\n"
            "The Security Council,\n\nRecalling its resolutions,\n\n1. Decides to remain seized of the matter.\n")
    meta = DocMeta(id="S-RES-2785-2025", type="resolution", title="", guessed=["title"])
    (doc,) = parser_for("resolution")(text, ParseContext(meta, Instruments(), path="S_RES_2785.txt"))
    assert doc.meta.title == "Resolution 2785 (2025) / adopted by the Security Council at its 9956th meeting, on 14 July 2025"
    assert doc.find("preamble")[0].text == "The Security Council,"


def test_an_adoption_line_whose_date_left_with_the_masthead_still_gives_the_meeting():
    """The pipeline takes page 1's date-of-issue line out of the text; a resolution adopted that day
    printed the same line after "on"."""
    text = ("Resolution 2774 (2025)\n\nAdopted by the Security Council at its 9866th meeting, on\n\n"
            "The Security Council,\n\nMourning the tragic loss of life,\n\n1. Implores a swift end to the conflict.\n")
    meta = DocMeta(id="S-RES-2774-2025", type="resolution", title="", guessed=["title"])
    (doc,) = parser_for("resolution")(text, ParseContext(meta, Instruments(), path="S_RES_2774.txt"))
    assert (doc.meta.title, doc.meta.extra["meeting"]) == (
        "Resolution 2774 (2025) / adopted by the Security Council at its 9866th meeting", "9866")
    assert doc.warnings == []


def test_numbered_headings_are_sections_that_keep_their_printed_number():
    """S/2025/72 (pages 1, 4-6): "1. Repatriation efforts" under "A. …" is a heading, not paragraph 1."""
    doc = parsed("S_2025_72.p1-4-6.en.pdf", "report")
    (a,) = [s for s in doc.find("subsection", "A") if s.title.startswith("Addressing the situation")]
    assert [(h.number, h.title) for h in a.children] == [
        ("1", "Repatriation efforts"), ("2", "Prosecution and investigation"), ("3", "Rehabilitation and reintegration")]
    assert [p.number for p in a.children[1].children] == ["22", "23", "24", "25", "26"]
    assert [p.number for p in doc.find("paragraph") if p.number][:4] == ["1", "2", "3", "13"]  # pages 2-3 left out


def test_a_list_numbered_inside_a_paragraph_keeps_its_numbers_and_its_lettered_items():
    """A/AC.109/2025/19 (pages 1-2): the seminar's agenda, items 1-4 with (a), (b) and (i)-(iii) under them."""
    doc = parsed("A_AC.109_2025_19.p1-2.en.pdf", "body_report")
    (para6,) = doc.find("paragraph", "6")
    assert [c.number for c in para6.children] == ["1", "2", "3", "4"]
    assert para6.children[0].text == "Role of the Special Committee:"
    assert para6.children[1].text == ("Perspectives of the administering Powers, the Non-Self-Governing Territories "
                                      "and other stakeholders:")
    assert [c.number for c in para6.children[1].children] == ["a", "b"]
    assert [c.text for c in para6.children[1].children[0].children] == [
        "In the Pacific region;", "In the Caribbean region;", "In other regions;"]
    assert para6.children[3].text == "Recommendations for action and for practical and achievable results."


def test_the_body_numbering_resumes_after_an_annex_that_numbers_its_own():
    """E/2025/15/Add.1: paragraph 1, an annexed resolution numbered 1-3, then the body's paragraph 2."""
    doc = parsed("E_2025_15_Add.1.en.pdf", "report")
    body = [p for p in doc.find("paragraph") if p.text.startswith("At its")]
    assert [p.number for p in body] == ["1", "2", "3", "4"]
    assert body[1].text.startswith("At its seventy-first session, held in Geneva on 9 and 10 April 2025")


def test_a_sanctions_resolution_groups_its_operative_paragraphs_under_its_headings():
    """S/RES/2769 (2025) prints "Arms Embargo", "Travel Ban and Asset Freeze" … on lines of their own. They
    were a preambular paragraph and the tails of paragraphs 8 and 17; they are sections holding the
    paragraphs under them, which keep their addresses."""
    path = REALDOCS / "S_RES_2769 (2025).en.pdf"
    meta = DocMeta(id="S-RES-2769-2025", type="resolution", title="", guessed=["title"])
    (doc,) = parser_for("resolution")(read_pdf(path, **CAPS).text(), ParseContext(meta, Instruments(), path=path))
    sections = [(n.title, [c.number for c in n.children]) for n in doc.children if n.kind == "section"]
    assert sections == [
        ("Arms Embargo", [str(i) for i in range(1, 9)]),
        ("Travel Ban and Asset Freeze", [str(i) for i in range(9, 18)]),
        ("Prevention of Illicit Exports of Petroleum, including Crude Oil and Refined Petroleum Products",
         [str(i) for i in range(18, 22)]),
        ("Panel of Experts", [str(i) for i in range(22, 28)])]
    preamble = doc.find("preambular")
    assert (len(preamble), preamble[-1].text) == (18, "Acting under Chapter VII of the Charter of the United Nations,")
    assert doc.find("paragraph", "8")[0].text.endswith("reunification of Libya’s military and security institutions;")
    assert doc.find("paragraph", "17")[0].text.endswith("to further alert the Government of Libya, as appropriate;")
    builder = GraphBuilder(graph_uri("x"))
    builder.document(doc)
    titles = {q.subject.value: q.object.value for q in builder.quads if q.predicate.value.endswith("/title")}
    assert titles["https://w3id.org/r2p-kg/doc/S-RES-2769-2025/section/3"] == "Travel Ban and Asset Freeze"
    parents = {q.subject.value: q.object.value for q in builder.quads if q.predicate.value.endswith("/isPartOf")}
    assert parents["https://w3id.org/r2p-kg/doc/S-RES-2769-2025/para/9"].endswith("/section/3")


@pytest.mark.parametrize("between", ["", "\n"])
def test_a_paragraph_line_without_its_full_stop_is_no_heading(between):
    """Only a line after a finished paragraph (";", "." or a blank line above) and before a numbered one can
    be a heading; the last line of a paragraph whose stop a scan lost is not."""
    text = ("RESOLUTION 999 (1999)\n\nThe Security Council,\n\nRecalling its resolutions,\n\n"
            "1. Requests the Secretary-General, in consultation with the Government,\n"
            f"{between}Member States and regional organizations, to report 18\n\n"
            "2. Decides to remain seized of the matter.\n")
    [doc] = parser_for("resolution")(text, ParseContext(DocMeta(id="S-RES-999-1999", type="resolution", title="t"),
                                                        Instruments()))
    assert [n.kind for n in doc.children] == ["preamble", "paragraph", "paragraph"]
    assert doc.find("paragraph", "1")[0].text.startswith("Requests the Secretary-General, in consultation")


def test_a_reports_table_of_contents_is_not_read_as_its_sections():
    """S/2025/239 (pages 1, 3, 6, 7, 33): page 3 is its contents. Its entries ("A. Fragmentation and
    proliferation of armed actors …  5") had become sections and a passage; the body's headings remain."""
    path = REALDOCS / "S_2025_239.p1-3-6-7-33.en.pdf"
    meta = DocMeta(id="S-2025-239", type="letter", title="", guessed=["title"])
    (doc,) = parse_document(read_pdf(path, **CAPS).text(), ParseContext(meta, Instruments(), path=path))
    assert not [n for n in doc.walk() if re.search(r"\.{5}", f"{n.title or ''} {n.text}")]
    assert [(s.number, s.title) for s in doc.find("subsection")][:2] == [("2", "RSF"), ("3", "Darfurian armed groups")]
    assert [p.number for p in doc.find("paragraph")][:3] == [None, "7", "8"]
