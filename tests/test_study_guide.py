"""The study guide: the 2013 report comes out whole and once, the guide's notes point at what they gloss."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.manifest import load_manifest
from ingest.model import DocMeta, IngestError, Ref
from ingest.parsers import ParseContext
from ingest.parsers.study_guide import parse
from ingest.references import Instruments
from ingest.text import clean, sentences, superscript_calls
from tests.conftest import CORPUS

GUIDE = CORPUS / "seeds" / "wimun-2025-study-guide-ga2-r2p-sg-report-2013.txt"
REPORT_ID = "A-67-929"
NOTE_HEADING = re.compile(r"^(\d+|[IVX]+|[a-z]\)) (Did you know that\.\.\.|Something to think about|Interesting facts\.\.\.)")


@pytest.fixture(scope="module")
def parsed():
    manifest = load_manifest(CORPUS)
    source = next(s for s in manifest.sources if s.meta.id == "wimun-2025-ga2-study-guide")
    ctx = ParseContext(source.meta, manifest.instruments, source.embeds, GUIDE)
    return parse(GUIDE.read_text(encoding="utf-8"), ctx)


@pytest.fixture(scope="module")
def report(parsed):
    return parsed[0]


@pytest.fixture(scope="module")
def guide(parsed):
    return parsed[1]


def para(report, number):
    found = report.find("paragraph", number)
    assert len(found) == 1, f"paragraph {number} found {len(found)} times"
    return found[0]


def test_two_documents_with_the_manifest_metadata(report, guide):
    assert report.meta.id == REPORT_ID and report.meta.symbol == "A/67/929–S/2013/399"
    assert guide.meta.id == "wimun-2025-ga2-study-guide" and guide.meta.type == "study_guide"


def test_paragraphs_1_to_77_each_once_in_order(report):
    assert [p.number for p in report.find("paragraph")] == [str(n) for n in range(1, 78)]


def test_paragraph_72_whole_and_once(report):
    text = para(report, "72").text
    assert text.startswith("The consequences of the failure by States to protect their populations were evident")
    assert text.endswith("These situations are particularly tragic when we know that they could have been prevented.")
    assert ("including in Côte d'Ivoire, the Democratic Republic of the Congo, Kenya, Sri Lanka, the Sudan and "
            "the Syrian Arab Republic.") in text
    assert text.count("brutal legacy") == 1


def test_paragraph_3_rejoined_across_repeats_and_three_notes(report):
    assert para(report, "3").text == (
        "The second report, in 2010, which focused on early warning, assessment and the responsibility to protect "
        "(A/64/864), called for early engagement tailored to the evolving needs of each situation. The third report, "
        "in 2011, considered the role of regional and subregional arrangements in implementing the responsibility to "
        "protect (A/65/877-S/2011/393). Focusing on timely and decisive response, the fourth report, in 2012 "
        "(A/66/874-S/2012/578), took stock of the Charter-based tools available to respond to situations of concern "
        "and the partnerships that could be utilized, as well as ways of protecting responsibility.")


def test_paragraph_9_rejoined_across_two_notes(report):
    text = para(report, "9").text
    assert text.startswith("In order to seek the views of Member States")
    assert ("Non-governmental organizations were also invited to contribute. As at 16 May 2013, the Secretariat had "
            "received written submissions from 27 Member States, one regional organization and 27 civil society "
            "organizations.") in text
    assert text.endswith("27 civil society organizations.")


def test_other_splits_rejoined(report):
    assert "weapons prohibited under international law. Crimes against humanity" in para(report, "14").text
    assert "the judiciary, national human rights institutions and the security sector. The absence" in para(report, "24").text
    assert "Security Council resolutions 1612 (2005)" in para(report, "32").text
    assert "internal disciplinary and other accountability mechanisms" in para(report, "44").text
    assert para(report, "28").text.endswith("disproportionate or indiscriminate use of force.")


def test_markup_removed(report):
    assert para(report, "1").text.startswith("Since the 2005 World Summit adoption")
    assert "in the Syrian Arab Republic, underline" in para(report, "4").text
    assert para(report, "41").text.startswith("National accountability mechanisms can also")
    assert not any("**" in n.text or "](" in n.text for n in report.walk())


def test_section_titles(report):
    assert [(s.number, s.title) for s in report.find("section")] == [
        ("I", "Introduction and mandate"), ("II", "Methodology"), ("III", "Risk factors"),
        ("IV", "Policy options for atrocity prevention"), ("V", "The way forward"), ("VI", "Conclusion")]
    section_of = {p.number: s.number for s in report.find("section") for p in s.walk() if p.kind == "paragraph"}
    assert (section_of["8"], section_of["9"], section_of["29"], section_of["70"], section_of["71"], section_of["77"]) == \
        ("I", "II", "III", "IV", "V", "VI")


def test_subsections_hold_their_paragraphs(report):
    subsections = report.find("subsection")
    assert [s.title for s in subsections] == [
        "Building national resilience", "Promoting and protecting human rights",
        "Adopting targeted measures to prevent atrocity crimes", "Challenges", "Building partnerships for prevention"]
    assert [p.number for p in subsections[3].children] == ["65", "66", "67", "68"]
    assert subsections[0].children[0].number == "35" and subsections[0].children[-1].number == "48"


def test_recommendations_of_paragraph_71_are_clauses_once(report):
    p71 = para(report, "71")
    assert p71.text.endswith("The steps could be undertaken in partnership with the United Nations, other Member "
                             "States or civil society. I call upon all Member States to:")
    assert [c.number for c in p71.children] == list("abcdefg")
    assert p71.children[0].text == ("Appoint a senior-level focal point with atrocity prevention responsibilities and "
                                    "adequate resources or establish other national mechanisms to implement this mandate;")
    assert p71.children[2].footnotes == ["4"]


def test_footnotes(report):
    footnotes = {f.number: f.text for f in report.find("footnote")}
    assert list(footnotes) == ["1", "2", "3", "4", "5"]
    assert footnotes["1"] == "Resolution 60/1."
    assert footnotes["3"].endswith("from http://www.un.org/en/preventgenocide/adviser/.")
    assert [f for f in report.children if f.kind == "footnote"] == report.find("footnote")  # document level
    callers = {p.number: p.footnotes for p in report.walk() if p.footnotes}
    assert callers == {"1": ["1"], "14": ["2"], "15": ["3"], "40": ["4"], "c": ["4"], "59": ["5"]}


def test_references_found_in_paragraphs(report):
    assert {r.doc for r in para(report, "3").refs} >= {"A-64-864", "A-65-877", "A-66-874"}
    assert "A-RES-63-308" in {r.doc for r in para(report, "1").refs}


def test_note_count_equals_note_headings(guide):
    headings = [line for line in GUIDE.read_text(encoding="utf-8").splitlines() if NOTE_HEADING.match(line)]
    notes = guide.find("note")
    assert len(notes) == len(headings) == 32
    assert [n.number for n in notes] == [str(i) for i in range(1, 33)]


def _notes(guide, heading):
    return [n for n in guide.find("note") if n.attrs["heading"] == heading]


def test_paragraph_notes_target_their_paragraphs(guide):
    for heading, number in (("24 Did you know that...", "24"), ("72 Interesting facts...", "72")):
        notes = _notes(guide, heading)
        assert notes and all(n.target == Ref(surface=number, doc=REPORT_ID, path=(("para", number),)) for n in notes)
    assert [n.attrs["note_kind"] for n in _notes(guide, "72 Interesting facts...")] == ["Interesting facts..."] * 3
    assert _notes(guide, "24 Did you know that...")[0].text.startswith("Since 2011, the government of Syria")
    assert _notes(guide, "72 Interesting facts...")[0].text.startswith("The security situation in North Kivu")


def test_section_and_lettered_notes(guide):
    (section_note,) = _notes(guide, "III Did you know that...")
    assert section_note.target.path == (("section", "III"),)
    (framework,) = _notes(guide, "b) Did you know that...")
    # The 14 risk factors of the Framework of Analysis gloss recommendation (b): "a national assessment of risk".
    assert framework.target.path == (("para", "71"), ("clause", "b"))
    assert len(re.findall(r" - [A-Z]", framework.text)) == 14  # 8 common and 6 specific risk factors
    assert "Serious threats to humanitarian or peacekeeping operations" in framework.text
    assert _notes(guide, "e) Interesting facts...")[0].target.path == (("para", "71"), ("clause", "e"))
    assert _notes(guide, "0 Did you know that...")[0].target == Ref(surface="0", doc=REPORT_ID)


def test_note_text_kept_whole_and_titled(guide):
    (note13,) = _notes(guide, "13 Did you know that...")
    assert note13.text.endswith("yet with a focus on the specific risks and triggers of mass atrocities.")
    assert "1. those focused on early warning systems and prevention;" in note13.text
    (note51,) = _notes(guide, "51 Interesting facts...")
    assert note51.title == "RECENT UPDATES" and note51.text.endswith("- Oceania: 3")


def test_front_matter(guide):
    front = guide.children[0]
    assert front.kind == "section" and front.title == "WIMUN NY 2025 · STUDY GUIDE · GENERAL ASSEMBLY PLENARY 2"
    assert [p.text for p in front.children][0] == "WFUNA, 801 First Avenue, 3rd Floor, New York, NY, 10017"


def test_only_the_judgement_calls_are_warned(report, guide):
    lines = [re.sub(r"^.*?:(\d+): ", r"\1: ", w) for w in report.warnings + guide.warnings]
    assert lines == [
        "226: prose after note '28 Interesting facts...' read as the continuation of paragraph 28",
        "459: paragraph 72 reprinted with different wording ('Those' for 'These'); kept the text of line 415",
    ]


def _header_lines(lines: list[str]) -> set[int]:
    out, inside = set(), False
    for i, line in enumerate(lines):
        if line.strip() == "General Assembly Security Council":
            inside = True
        if inside:
            out.add(i + 1)
        if line.strip() == "Report of the Secretary-General":
            inside = False
    return out


def test_every_sentence_of_the_file_is_somewhere_exactly_once(report, guide):
    """Coverage: no report text, note or footnote is dropped, and nothing is kept twice. Exempt: the
    document header (it is the manifest's metadata, checked against it) and the lines a warning names."""
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    warned = {int(m) for w in report.warnings for m in re.findall(r"\.txt:(\d+):", w)}
    nodes = list(report.walk()) + list(guide.walk())
    texts = "\n".join(n.text for n in nodes)
    labels = {n.attrs.get("heading") for n in nodes} | {part for n in nodes if n.title for part in n.title.split(" · ")}
    missing, doubled = [], []
    for no, line in enumerate(lines, start=1):
        if not line.strip() or no in _header_lines(lines) or no in warned:
            continue
        text = clean(re.sub(r"<(https?://\S+)>", r"\1", superscript_calls(line)[0]))
        if NOTE_HEADING.match(text) or text in labels or re.match(r"^[IVX]+\. ", text):
            continue
        text = re.sub(r"^(?:\d{1,3}\. (?=[A-Z])|- \([a-z]\) |[⁰¹²³⁴⁵⁶⁷⁸⁹]+ )", "", text)
        for sentence in sentences(text):
            count = texts.count(sentence)
            if count == 0:
                missing.append((no, sentence))
            elif count > 1 and len(sentence) > 40:
                doubled.append((no, sentence))
    assert missing == []
    assert doubled == []
    assert "Responsibility to protect: State responsibility and prevention" == report.meta.title
    assert report.meta.date == "2013-07-09"  # "9 July 2013" in the header


def test_guide_without_embedded_report_is_a_clear_error(tmp_path):
    meta = DocMeta(id="guide", type="study_guide", title="Guide")
    with pytest.raises(IngestError) as err:
        parse("1 Did you know that...\n\nText.", ParseContext(meta, Instruments(), [], tmp_path / "guide.txt"))
    assert str(err.value) == (f"{tmp_path / 'guide.txt'}: study guide: the manifest lists no embedded report "
                              '([[document.embeds]] with type = "report")')


def test_header_disagreeing_with_the_manifest_is_warned(tmp_path):
    text = ("General Assembly Security Council\n\nDistr.: General\n10 July 2013\n\nSome other title\n\n"
            "Report of the Secretary-General\n\nI. Introduction\n\n1. First paragraph.\n\n"
            "1 Did you know that...\n\nA note.\n\nq) Did you know that...\n\nOrphan.\n")
    report_meta = DocMeta(id="A-1-1", type="report", title="Real title", date="2013-07-09")
    ctx = ParseContext(DocMeta(id="g", type="study_guide", title="G"), Instruments(), [report_meta], tmp_path / "g.txt")
    report, guide = parse(text, ctx)
    assert [re.sub(r"^.*?:(\d+): ", r"line \1: ", w) for w in report.warnings] == [
        "line 1: header title 'Some other title' differs from the manifest title 'Real title'",
        "line 1: header date 2013-07-10 differs from the manifest date 2013-07-09",
        "line 18: note 'q)' names no clause (q) of any paragraph before it; attached to the report",
    ]
    assert [(n.text, n.target.path) for n in guide.find("note")] == [("A note.", (("para", "1"),)), ("Orphan.", ())]


GUIDE_LINES = GUIDE.read_text(encoding="utf-8").splitlines()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(GUIDE_LINES + [""] * 20), max_size=120))
def test_any_shuffle_of_the_guide_parses_without_crashing(tmp_path, lines):
    """Mangled input (lines lost, moved, repeated) gives warnings, never an exception or a double paragraph."""
    report_meta = DocMeta(id=REPORT_ID, type="report", title="Responsibility to protect: State responsibility and prevention")
    ctx = ParseContext(DocMeta(id="g", type="study_guide", title="G"), Instruments(), [report_meta], tmp_path / "g.txt")
    report, guide = parse("\n".join(lines), ctx)
    numbers = [p.number for p in report.find("paragraph")]
    assert len(numbers) == len(set(numbers))
    assert all(n.text and n.target is not None for n in guide.find("note"))


def test_sparql_paragraph_72_has_one_text_and_a_note(corpus_store):
    p72 = "<https://w3id.org/r2p-kg/doc/A-67-929/para/72>"
    rows = corpus_store.select(f"SELECT ?text WHERE {{ {p72} r2p:text ?text }}")
    assert len(rows) == 1
    assert "Côte d'Ivoire, the Democratic Republic of the Congo, Kenya, Sri Lanka, the Sudan" in rows[0]["text"]
    assert corpus_store.ask(f"ASK {{ ?note a r2p:Note ; oa:hasTarget {p72} ; r2p:noteKind 'Interesting facts...' ; "
                            "r2p:inDocument <https://w3id.org/r2p-kg/doc/wimun-2025-ga2-study-guide> }")


def test_sparql_every_note_target_is_a_part_of_the_report(corpus_store):
    rows = corpus_store.select(
        "SELECT ?note ?target ?type WHERE { ?note a r2p:Note ; r2p:inDocument <https://w3id.org/r2p-kg/doc/wimun-2025-ga2-study-guide> ; "
        "oa:hasTarget ?target . OPTIONAL { ?target a ?type FILTER(?type != r2p:Document || ?target = <https://w3id.org/r2p-kg/doc/A-67-929>) } }")
    assert len({r["note"] for r in rows}) == 32
    assert [r["target"] for r in rows if "type" not in r] == []  # no dangling target
    types = {r["target"].removeprefix("https://w3id.org/r2p-kg/doc/A-67-929"): r["type"].rsplit("#", 1)[-1] for r in rows}
    assert (types["/section/III"], types["/para/71/clause/b"], types["/para/24"]) == ("Section", "Clause", "Paragraph")
