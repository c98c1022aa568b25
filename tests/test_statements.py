"""Collected statements (the Global Centre for R2P's collection): speaker, date at its precision,
occasion, original link, language; bad input warned about and kept."""
from __future__ import annotations

import pytest

from ingest.model import DocMeta
from ingest.parsers import ParseContext
from ingest.references import Instruments
from ingest.statements import main as write_manifest_main, parse, split_heading, without_page_numbers
from kg.positions import timeline
from kg.store import OxigraphStore
from tests.conftest import ROOT, make_settings, run_ingest

FIXTURE = ROOT / "tests" / "fixtures" / "statements"
COLLECTION = FIXTURE / "collection"
DOC = "https://w3id.org/r2p-kg/doc/GCR2P-statement-"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("statements"))
    store = OxigraphStore(settings.store_dir)
    report = run_ingest(settings, store, [COLLECTION])
    assert not report.errors, report.errors
    return store, report


def statement(store, number: str) -> dict:
    rows = store.select(f"""SELECT ?date ?occasion ?represents ?role ?language ?citation ?link ?group WHERE {{
        <{DOC}{number}> dcterms:date ?date .
        OPTIONAL {{ <{DOC}{number}> r2p:occasion ?occasion }}
        ?s a r2p:Statement ; r2p:inDocument <{DOC}{number}> ; r2p:speakerRole ?role ; dcterms:language ?language ;
           r2p:citation ?citation .
        OPTIONAL {{ ?s r2p:represents ?represents }} OPTIONAL {{ ?s prov:hadPrimarySource ?link }}
        OPTIONAL {{ ?s r2p:onBehalfOf ?group }} }}""")
    assert len(rows) == 1, rows
    return {"group": None, "link": None, "occasion": None, "represents": None, **rows[0]}


def test_the_manifest_is_generated_from_the_csv(tmp_path):
    out = tmp_path / "manifest.toml"
    assert write_manifest_main([str(FIXTURE / "statements.csv"), str(COLLECTION / "text"), "--write", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == (COLLECTION / "manifest.toml").read_text(encoding="utf-8")


def test_a_statement_with_its_state_date_occasion_and_original_link(ingested):
    store, _ = ingested
    brazil = statement(store, "456")
    assert brazil == {"group": None, 
        "date": "2011-07-12", "occasion": "2011 General Assembly informal interactive dialogue on the responsibility to protect",
        "represents": "https://w3id.org/r2p-kg/country/BRA", "role": "https://w3id.org/r2p-kg/role/representative",
        "language": "en", "link": "https://www.globalr2p.org/wp-content/uploads/2020/01/2011-IID-Brazil.pdf",
        "citation": "Brazil, 2011 General Assembly informal interactive dialogue on the responsibility to protect, "
                    "2011-07-12 (Global Centre for the Responsibility to Protect, statements collection; original: "
                    "https://www.globalr2p.org/wp-content/uploads/2020/01/2011-IID-Brazil.pdf)"}


def test_a_year_alone_stays_a_year_unless_the_heading_prints_the_day(ingested):
    store, _ = ingested
    assert store.select(f"SELECT (DATATYPE(?d) AS ?t) ?d WHERE {{ <{DOC}532> dcterms:date ?d }}") == [
        {"t": "http://www.w3.org/2001/XMLSchema#gYear", "d": "2009"}]
    qatar = statement(store, "700")  # CSV: 2013-01-01 (a placeholder); heading: "11 September 2013"
    assert qatar["date"] == "2013-09-11"
    assert qatar["occasion"] == "2013 General Assembly informal interactive dialogue on the responsibility to protect"


def test_offices_speak_for_the_united_nations(ingested):
    store, _ = ingested
    welsh = statement(store, "200")  # "Former Special Adviser on R2P Dr. Jennifer Welsh"
    assert (welsh["role"], welsh["represents"]) == ("https://w3id.org/r2p-kg/role/official",
                                                   "https://w3id.org/r2p-kg/organization/osapg")
    assert welsh["citation"].startswith("Former Special Adviser on R2P Dr. Jennifer Welsh, 2016 General Assembly")


def test_groups_languages_and_spellings(ingested):
    store, _ = ingested
    assert statement(store, "458")["group"] == "https://w3id.org/r2p-kg/group/caricom"  # "Barbados on behalf of CARICOM"
    assert statement(store, "51")["group"] == "https://w3id.org/r2p-kg/group/baltic-states"
    assert statement(store, "111")["language"] == "es"
    uk = statement(store, "666")  # the collection writes "UK"
    assert uk["represents"] == "https://w3id.org/r2p-kg/country/GBR"
    assert store.select(f"SELECT ?s WHERE {{ <{DOC}666> r2p:speaker ?s }}") == [{"s": "UK"}]


def test_bad_input_is_warned_about_and_nothing_is_lost(ingested):
    store, report = ingested
    text = COLLECTION / "text"
    assert sorted(report.warnings) == sorted([
        f"{text / '532.txt'}:1: OCR noise: 100% of the words are unreadable; text kept as read",
        f"{text / '9001.txt'}:1: statement text is only a title or a cover page (17 words); kept",
        f"{text / '9002.txt'}:1: the collection names no speaking State or organization; kept unattributed",
    ])
    assert report.documents == 12
    assert statement(store, "9002")["role"] == "https://w3id.org/r2p-kg/role/unknown"
    title_only = store.select(f"""SELECT ?t WHERE {{ ?p r2p:inDocument <{DOC}9001> ; a r2p:Paragraph ; r2p:text ?t }}""")
    assert title_only == [{"t": "Statement by Kenya at the 2014 UN General Assembly informal interactive dialogue on "
                                "the Responsibility to Protect"}]


def test_a_joint_statement_is_made_for_each_of_its_states(ingested):
    store, _ = ingested
    joint = statement(store, "533")  # the collection's Source: "Costa Rica and Denmark"
    assert joint["represents"] == "https://w3id.org/r2p-kg/country/CRI"
    assert joint["group"] == "https://w3id.org/r2p-kg/country/DNK"
    assert joint["citation"].startswith("Costa Rica and Denmark, ")
    assert timeline(store, "DNK")
    assert [p.citation for p in timeline(store, "DNK")] == [p.citation for p in timeline(store, "CRI")
                                                             if p.citation.startswith("Costa Rica and Denmark")]


def first_paragraph(store, number: str) -> str:
    return store.select(f"SELECT ?t WHERE {{ <{DOC}{number}/statement/1/para/1> r2p:text ?t }}")[0]["t"]


def title_block(store, number: str) -> list[str]:
    return [r["b"] for r in store.select(f"SELECT ?b WHERE {{ <{DOC}{number}> r2p:titleBlock ?b }}")]


def test_a_letterhead_and_title_block_is_kept_apart_from_the_speech(ingested):
    """The first paragraph is the speech's, from its salutation; the block above it is kept as printed."""
    store, _ = ingested
    assert first_paragraph(store, "456").startswith("“Mr. President, First of all, let me thank you for convening")
    assert title_block(store, "456")[0].splitlines()[:3] == [
        "BRAZIL", "Responsibility to protect", "SG report on “The role of regional and sub-regional arrangements in"]
    assert first_paragraph(store, "458").startswith("Mr. President, I have the honour to deliver this statement")
    # a statement that opens with its speech keeps its first paragraph whole, and has no block
    assert first_paragraph(store, "797").startswith("Australia was pleased to partner with Ghana")
    assert title_block(store, "797") == []


def test_a_salutation_inside_the_speech_cuts_nothing():
    speech = ["We thank the Secretary-General for his report on early warning and early action today.",
              "It is a timely contribution to our shared work on prevention and protection.", "Mr. President,",
              "Let me turn to the question of accountability."]
    assert split_heading(speech) == ([], speech)
    assert split_heading(["UNITED NATIONS", "PRESS RELEASE", "(New York, 16 June 2018) The Special Adviser said..."]) == (
        ["UNITED NATIONS", "PRESS RELEASE"], ["(New York, 16 June 2018) The Special Adviser said..."])
    assert split_heading(["Statement by Ghana", "[UNOFFICIAL TRANSCRIPTION FROM WEBCAST] First of all, we thank..."]) == (
        ["Statement by Ghana", "[UNOFFICIAL TRANSCRIPTION FROM WEBCAST]"], [" First of all, we thank..."])
    # a speech's usual first words end a title block (with the date line below a note kept in the block) ...
    assert split_heading(["Statement by the Group of Friends in Geneva, 10 March 2016",
                          "I have the honour of delivering this statement"]) == (
        ["Statement by the Group of Friends in Geneva, 10 March 2016"], ["I have the honour of delivering this statement"])
    assert split_heading(["Thematic panel [Unofficial Transcription]", "25 February 2016", "Japan aligns itself..."]) == (
        ["Thematic panel [Unofficial Transcription]", "25 February 2016"], ["Japan aligns itself..."])
    # ... but not below a sentence of the speech, in lines however narrow
    narrow = ["The Czech Republic aligns itself with the statement", "of the European Union.", "Let me begin by commending"]
    assert split_heading(narrow) == ([], narrow)
    delivered = ["Let me first", "thank the Secretary-General.", "I align myself with the Group of Friends, as delivered by",
                 "one of its co-Chairs, our colleague from Qatar."]
    assert split_heading(delivered) == ([], delivered)
    wrapped = ["Cyprus aligns itself with", "the European Union. We thank", "the Secretary-General. We have", "the duty to act.",
               "Mister President, the Security Council has failed."]  # three sentences on short lines
    assert split_heading(wrapped) == ([], wrapped)
    one_line = ["Australia is grateful for this debate, and we thank you.", "Mr. President, let me begin."]
    assert split_heading(one_line) == ([], one_line)
    # "was delivered" is no note on the text; a note's own punctuation stays in the block
    was = ["Statement by Norway as it was delivered", "We welcome the report."]
    assert split_heading(was) == ([], was)
    assert split_heading(["Statement by Estonia", "Check against delivery!", "We welcome the report."]) == (
        ["Statement by Estonia", "Check against delivery!"], ["We welcome the report."])
    # the thanks that opens a speech on the line of a note ends the block
    assert split_heading(["MISSION OF CUBA", "Unofficial transcription", "of UN webcast I thank you, Mr. President."]) == (
        ["MISSION OF CUBA", "Unofficial transcription", "of UN webcast "], ["I thank you, Mr. President."])


def test_page_numbers_are_taken_out_and_the_sentence_they_broke_joins_up():
    """668.txt, 339.txt, 530.txt …: the text step left "1", "2", "- 3 -", "Page 2 of 4" on lines of their own,
    125 of them inside a sentence ("… to cooperate 1 with the international community")."""
    text = ["Mr. President,", "Malaysia stands ready to play a more active and effective role to prevent or cooperate",
            "1", "with the international community to address the situation in our region.", "- 2 -",
            "We recall paragraphs", "138", "and", "139", "of the Outcome.", "3", "Page 4 of 4"]
    assert without_page_numbers(text) == [
        "Mr. President,", text[1], "", text[3], "", "We recall paragraphs", "138", "and", "139", "of the Outcome.", "", ""]
    meta = DocMeta(id="GCR2P-statement-x", type="statement", title="Statement by Malaysia")
    [doc] = parse("\n".join(text), ParseContext(meta, Instruments(), path="text/x.txt"))
    said = " ".join(p.text for p in doc.children[0].children)
    assert said == ("Mr. President, Malaysia stands ready to play a more active and effective role to prevent or cooperate "
                    "with the international community to address the situation in our region. "
                    "We recall paragraphs 138 and 139 of the Outcome.")
