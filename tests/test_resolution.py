"""Resolution parser on the seven real Security Council resolutions, and the graph it yields."""
from __future__ import annotations

from dataclasses import replace

import pytest

from ingest.manifest import load_manifest
from ingest.model import DocMeta, IngestError, Ref
from ingest.parsers import ParseContext
from ingest.parsers.resolution import opening_phrase, operative_verb, parse
from ingest.references import Instruments
from tests.conftest import CORPUS

DOC = "https://w3id.org/r2p-kg/doc/"


@pytest.fixture(scope="module")
def manifest():
    return load_manifest(CORPUS)


def _source(manifest, doc_id):
    return next(s for s in manifest.sources if s.meta.id == doc_id)


def parsed(manifest, doc_id, **meta_changes):
    source = _source(manifest, doc_id)
    meta = replace(source.meta, **meta_changes)
    [doc] = parse(source.path.read_text(encoding="utf-8"), ParseContext(meta, manifest.instruments, path=source.path))
    return doc


def test_827_preambular_paragraphs_and_their_opening_phrases(manifest):
    doc = parsed(manifest, "S-RES-827-1993")
    [preamble] = doc.find("preamble")
    assert [(n.number, n.attrs["opening_phrase"]) for n in preamble.children] == [
        ("1", "Reaffirming"), ("2", "Having considered"), ("3", "Expressing once again its grave alarm"),
        ("4", "Determining"), ("5", "Determined"), ("6", "Convinced"), ("7", "Believing"), ("8", "Noting"),
        ("9", "Reaffirming"), ("10", "Considering"), ("11", "Acting"),
    ]
    # A blank line inside paragraph 8 ("Steering\n\nCommittee") does not split it.
    assert preamble.children[7].text == (
        "Noting in this regard the recommendation by the Co-Chairmen of the Steering Committee of the International "
        "Conference on the Former Yugoslavia for the establishment of such a tribunal (S/25221),")


def test_827_operative_paragraph_2(manifest):
    doc = parsed(manifest, "S-RES-827-1993")
    assert [n.number for n in doc.children if n.kind == "paragraph"] == [str(i) for i in range(1, 10)]
    [para] = doc.find("paragraph", "2")
    assert para.attrs["operative_verb"] == "Decides"
    assert para.text == (
        "Decides hereby to establish an international tribunal for the sole purpose of prosecuting persons "
        "responsible for serious violations of international humanitarian law committed in the territory of the "
        "former Yugoslavia between 1 January 1991 and a date to be determined by the Security Council upon the "
        "restoration of peace and to this end to adopt the Statute of the International Tribunal annexed to the "
        "above-mentioned report;")
    assert [n.attrs["operative_verb"] for n in doc.children if n.kind == "paragraph"] == [
        "Approves", "Decides", "Requests", "Decides", "Urges", "Decides", "Decides", "Requests", "Decides"]
    assert doc.warnings == []


def test_827_links_to_resolution_808_and_its_paragraph_2(manifest):
    doc = parsed(manifest, "S-RES-827-1993")
    [having_considered] = doc.find("preambular", "2")
    assert [(r.doc, r.path) for r in having_considered.refs] == [
        ("S-25704", ()), ("S-25704-Add.1", ()), ("S-RES-808-1993", ()), ("S-RES-808-1993", (("para", "2"),))]
    assert having_considered.refs[3].symbol == "S/RES/808 (1993)"
    [reaffirming] = doc.find("preambular", "1")
    assert [(r.doc, r.symbol) for r in reaffirming.refs] == [("S-RES-713-1991", "S/RES/713 (1991)")]


ADOPTION = {
    "S-RES-688-1991": ("2982", "1991-04-05"),
    "S-RES-771-1992": ("3106", "1992-08-13"),
    "S-RES-794-1992": ("3145", "1992-12-03"),
    "S-RES-808-1993": ("3175", "1993-02-22"),
    "S-RES-819-1993": ("3199", "1993-04-16"),
    "S-RES-827-1993": ("3217", "1993-05-25"),
    "S-RES-872-1993": ("3288", "1993-10-05"),
}


@pytest.mark.parametrize("doc_id", sorted(ADOPTION))
def test_meeting_and_date_detected_from_the_text(manifest, doc_id):
    """With date, body and symbol left out of the manifest, the text supplies them and says so."""
    doc = parsed(manifest, doc_id, date=None, body=None, symbol=None)
    meeting, date = ADOPTION[doc_id]
    number, year = doc_id.split("-")[2:]
    assert (doc.meta.extra["meeting"], doc.meta.date) == (meeting, date)
    assert doc.meta.body == "Security Council"
    assert doc.meta.symbol == f"S/RES/{number} ({year})"
    assert doc.meta.guessed == ["date", "body", "symbol"]
    # The manifest's own entry is left untouched.
    assert _source(manifest, doc_id).meta.extra == {}


def test_vote_lines(manifest):
    assert parsed(manifest, "S-RES-688-1991").meta.extra == {
        "meeting": "2982", "vote": "10 votes to 3 (Cuba, Yemen, Zimbabwe), with 2 abstentions (China, India)",
        "adopted_on": "1991-04-05"}
    assert parsed(manifest, "S-RES-872-1993").meta.extra == {"meeting": "3288", "vote": "unanimous", "adopted_on": "1993-10-05"}
    assert "vote" not in parsed(manifest, "S-RES-827-1993").meta.extra  # not printed in this copy


def test_a_manifest_date_that_contradicts_the_text_is_kept_and_reported(manifest):
    doc = parsed(manifest, "S-RES-808-1993", date="1993-02-23")
    assert doc.meta.date == "1993-02-23"
    assert doc.warnings == [f"{CORPUS}/resolutions/S-RES-0808-1993.txt: date in the text is '1993-02-22' "
                            "but the manifest says '1993-02-23'; kept the manifest's"]


@pytest.mark.parametrize("text, phrase", [
    ("Reaffirming its resolution 713 (1991)", "Reaffirming"),
    ("Deeply alarmed at the information provided", "Deeply alarmed"),
    ("Gravely concerned by the repression", "Gravely concerned"),
    ("Expressing once again its grave alarm at continuing reports", "Expressing once again its grave alarm"),
    ("Expressing grave alarm at continuing reports", "Expressing grave alarm"),
    ("Having considered the report", "Having considered"),
    ("Taking note also of the letters", "Taking note also"),
    ("Taking note with appreciation of the letters", "Taking note with appreciation"),
    ("Noting also with grave concern the report", "Noting also with grave concern"),
    ("Noting in this regard the recommendation", "Noting"),
    ("Bearing in mind the report", "Bearing in mind"),
    ("Paying tribute to the role", "Paying tribute"),
    ("Also strongly condemning the actions", "Also strongly condemning"),
    ("Determined further to restore peace", "Determined further"),
    ("Mindful of its duties", "Mindful"),
    ("Fully aware of its responsibilities", "Fully aware"),
    ("Aware that a tragic humanitarian emergency", "Aware"),
    ("Resolved that the United Nations should", "Resolved"),
    ("United Nations agencies, to address", None),  # a wrapped line, not a new paragraph
    ("Council, 123", None),
    ("including most recently in", None),  # lower case: the rest of a wrapped sentence
])
def test_opening_phrase_rule(text, phrase):
    assert opening_phrase(text) == phrase


@pytest.mark.parametrize("text, verb", [
    ("Demands that Iraq cooperate", "Demands"),
    ("Also requests the Secretary-General", "Requests"),
    ("Strongly condemns any violations", "Condemns"),
    ("Further demands that relevant", "Demands"),
    ("Decides also that the work", "Decides"),
    ("Calls upon States and, as appropriate,", "Calls upon"),
    ("Acting under Chapter VII of the Charter of the United Nations, authorizes the Secretary-General", "Authorizes"),
    ("Acting under Chapters VII and VIII of the Charter, calls upon States", "Calls upon"),
    ("To contribute to the security of the city", None),
])
def test_operative_verb_rule(text, verb):
    assert operative_verb(text) == verb


def test_688_wrapped_paragraphs_footnote_calls_and_operative_verbs(manifest):
    doc = parsed(manifest, "S-RES-688-1991")
    preambular = doc.find("preambular")
    assert [n.attrs["opening_phrase"] for n in preambular] == [
        "Mindful", "Recalling", "Gravely concerned", "Deeply disturbed", "Taking note", "Taking note also",
        "Reaffirming", "Bearing in mind"]
    # "...Security Council, 123" and "...Secretary-General, 124": footnote calls whose notes this copy lacks.
    assert preambular[4].text.endswith("addressed to the President of the Security Council,")
    assert preambular[5].text.endswith("addressed to the Secretary-General,")
    assert preambular[7].text == "Bearing in mind the report transmitted by the Secretary-General on 20 March 1991,"
    assert doc.warnings == [f"{CORPUS}/resolutions/S-RES-0688-1991.txt: footnote calls with no footnote text "
                            "(removed from the text): 123, 124"]
    assert [n.attrs["operative_verb"] for n in doc.find("paragraph")] == [
        "Condemns", "Demands", "Insists", "Requests", "Requests", "Appeals", "Demands", "Decides"]
    # "Article 2, paragraph 7, of the Charter" is the Charter's paragraph, not this resolution's.
    assert all(r.doc == "un-charter" for r in preambular[1].refs)


def test_872_subparagraphs_and_footnote(manifest):
    doc = parsed(manifest, "S-RES-872-1993")
    [para3] = doc.find("paragraph", "3")
    assert para3.attrs["operative_verb"] == "Decides"
    assert para3.text == ("Also decides that, drawing from the Secretary-General's recommendations, "
                          "the Mission shall have the following mandate:")
    assert [c.number for c in para3.children] == list("abcdefgh")
    assert all(c.kind == "clause" for c in para3.children)
    assert para3.children[5].text == ("To monitor the process of repatriation of Rwandese refugees and resettlement "
                                      "of displaced persons to verify that it is carried out in a safe and orderly "
                                      "manner,")
    [footnote] = doc.find("footnote")
    assert (footnote.number, footnote.text) == (
        "18", "Ibid., Supplement for July, August and September 1993, document S/26488 and Add. 1.")
    assert [r.doc for r in footnote.refs] == ["S-26488"]
    assert [n.number for n in doc.walk() if "18" in n.footnotes] == ["3", "1"]  # preambular 3, operative 1
    assert doc.find("paragraph", "1")[0].text == "Welcomes the report of the Secretary-General;"
    assert doc.find("paragraph", "15")[0].text == "Decides to remain actively seized of the matter."
    where = f"{CORPUS}/resolutions/S-RES-0872-1993.txt"
    assert doc.warnings == [f"{where}:73: subparagraph (f) printed as 'f)'",
                            f"{where}: footnote calls with no footnote text (removed from the text): 16, 12"]
    # "paragraph 2 above" is this resolution's own paragraph 2.
    assert Ref("paragraph 2", None, (("para", "2"),)) in doc.find("paragraph", "8")[0].refs


def test_819_links_to_the_icj_order_and_the_genocide_convention(manifest):
    doc = parsed(manifest, "S-RES-819-1993")
    [taking_note] = doc.find("preambular", "2")
    assert [(r.doc, r.title) for r in taking_note.refs] == [
        ("genocide-convention", "Convention on the Prevention and Punishment of the Crime of Genocide"),
        ("ICJ-order-1993-04-08", "International Court of Justice, Order of 8 April 1993, Application of the "
                                 "Convention on the Prevention and Punishment of the Crime of Genocide (Bosnia and "
                                 "Herzegovina v. Yugoslavia (Serbia and Montenegro))"),
    ]


def test_scan_errors_are_repaired(manifest):
    doc771 = parsed(manifest, "S-RES-771-1992")
    assert "that all parties and others" in doc771.find("paragraph", "7")[0].text  # "all] parties"
    doc794 = parsed(manifest, "S-RES-794-1992")
    assert "the Special Representative of the Secretary-General as well" in doc794.find("paragraph", "1")[0].text
    assert "support for the actions" in doc794.find("paragraph", "17")[0].text
    assert doc794.find("preambular", "11")[0].text.endswith("the tragedy in Somalia,")
    doc808 = parsed(manifest, "S-RES-808-1993")
    assert [r.doc for r in doc808.find("preambular", "12")[0].refs] == ["S-25266", "S-25300", "S-25307"]


def _meta() -> DocMeta:
    return DocMeta(id="S-RES-999-1999", type="resolution", title="test")


def test_annex_and_unnumbered_text_after_the_operative_part():
    text = ("RESOLUTION 999 (1999)\n\nAdopted by the Security Council at its 4000th meeting, on 1 June 1999\n\n"
            "The Security Council,\n\nRecalling its resolutions,\n\n1. Decides to adopt the rules annexed;\n\n"
            "2. Decides to remain seized of the matter.\n\nAnnex\n\nRules of procedure\n\nRule one is this.\n")
    [doc] = parse(text, ParseContext(_meta(), Instruments()))
    annex = doc.children[-1]
    assert (annex.kind, annex.title) == ("section", "Annex")
    assert [(p.number, p.text) for p in annex.children] == [("annex-1", "Rules of procedure"),
                                                             ("annex-2", "Rule one is this.")]
    assert doc.find("paragraph", "2")[0].text == "Decides to remain seized of the matter."
    assert doc.meta.extra == {"meeting": "4000", "adopted_on": "1999-06-01"} and doc.meta.date == "1999-06-01"


def test_text_without_operative_paragraphs_is_a_clear_error():
    with pytest.raises(IngestError) as err:
        parse("RESOLUTION 999 (1999)\n\nThe Security Council,\n\nRecalling things,\n",
              ParseContext(_meta(), Instruments(), path="new/res999.txt"))
    assert str(err.value) == ("new/res999.txt: resolution has no operative paragraphs (none numbered, "
                              "none opening with a verb such as 'Decides')")


def test_unnumbered_operative_paragraphs_and_no_body_line():
    text = ("RESOLUTION 998 (1998)\nAdopted by the Security Council at its 3900th meeting, on 2 May 1998\n\n"
            "Recalling its resolution 808 (1993),\n\nDeeply concerned by the situation,\n\n"
            "Decides to remain seized\nof the matter;\n\nRequests the Secretary-General to report.\n")
    [doc] = parse(text, ParseContext(_meta(), Instruments(), path="new/res998.txt"))
    assert [(n.number, n.attrs["opening_phrase"]) for n in doc.find("preambular")] == [
        ("1", "Recalling"), ("2", "Deeply concerned")]
    assert [(n.number, n.attrs["operative_verb"], n.text) for n in doc.find("paragraph")] == [
        ("1", "Decides", "Decides to remain seized of the matter;"),
        ("2", "Requests", "Requests the Secretary-General to report.")]
    assert doc.warnings == [
        "new/res998.txt: no 'The Security Council,' line; the preamble starts at the first opening phrase",
        "new/res998.txt:8: operative paragraphs are not numbered; numbered by their order"]
    assert (doc.meta.extra, doc.meta.date, doc.meta.symbol) == ({"meeting": "3900", "adopted_on": "1998-05-02"}, "1998-05-02", "S/RES/998 (1998)")


# -- the graph ------------------------------------------------------------------------------------

def test_graph_827_paragraph_2_verb_and_the_link_to_808(corpus_store):
    assert corpus_store.ask(f"""ASK {{ <{DOC}S-RES-827-1993/para/2> a r2p:Paragraph ;
        r2p:operativeVerb "Decides" ; r2p:number "2" ; r2p:inDocument <{DOC}S-RES-827-1993> ;
        r2p:citation "S/RES/827 (1993), para. 2" }}""")
    rows = corpus_store.select(f"""SELECT ?p ?phrase WHERE {{
        ?p r2p:inDocument <{DOC}S-RES-827-1993> ; dcterms:references <{DOC}S-RES-808-1993/para/2> ;
           r2p:openingPhrase ?phrase }}""")
    assert rows == [{"p": f"{DOC}S-RES-827-1993/preamble/para/2", "phrase": "Having considered"}]
    # The cited resolution is in the corpus: its paragraph 2 is a real node with its text.
    assert corpus_store.ask(f"""ASK {{ <{DOC}S-RES-808-1993/para/2> r2p:operativeVerb "Requests" ;
        r2p:inDocument <{DOC}S-RES-808-1993> }}""")


def test_graph_meeting_and_vote(corpus_store):
    rows = corpus_store.select(f"""SELECT ?meeting ?vote WHERE {{
        <{DOC}S-RES-688-1991> r2p:meeting ?meeting ; r2p:vote ?vote }}""")
    assert rows == [{"meeting": "2982",
                     "vote": "10 votes to 3 (Cuba, Yemen, Zimbabwe), with 2 abstentions (China, India)"}]
    rows = corpus_store.select("""SELECT ?doc ?meeting WHERE { ?doc r2p:documentType "resolution" ;
        r2p:meeting ?meeting } ORDER BY ?meeting""")
    assert [r["meeting"] for r in rows] == ["2982", "3106", "3145", "3175", "3199", "3217", "3288"]


def test_an_hrc_resolution_keeps_its_day_of_adoption_apart_from_its_date_of_issue():
    text = ("Resolution adopted by the Human Rights Council on 8 July 2025\n\n59/25. Freedom of opinion\n\n"
            "The Human Rights Council,\n\nRecalling its resolutions,\n\n1. Decides to remain seized of the matter.\n")
    meta = DocMeta(id="A-HRC-RES-59-25", type="resolution", title="", date="2025-07-14", guessed=["title"])
    (doc,) = parse(text, ParseContext(meta, Instruments(), path="A_HRC_RES_59_25.txt"))
    assert (doc.meta.date, doc.meta.extra["adopted_on"]) == ("2025-07-14", "2025-07-08")


def test_a_draft_keeps_its_wrapped_submission_line_and_its_subject_in_the_title_block():
    """E/2025/L.7: the masthead's title block stops inside the wrapped "Draft resolution submitted by" line."""
    text = ("Draft resolution submitted by the Vice-President of the Council, Lok Bahadur\n"
            "Thapa (Nepal), on the basis of informal consultations\n\n"
            "United Nations Interregional Crime and Justice Research Institute\n\n"
            "The Economic and Social Council,\n\nRecalling its resolution 2023/8,\n\n1. Decides to act.\n")
    block = "Agenda item 21\nDraft resolution submitted by the Vice-President of the Council, Lok Bahadur"
    meta = DocMeta(id="E-2025-L.7", type="draft", title="Draft resolution", extra={"title_block": block})
    (doc,) = parse(text, ParseContext(meta, Instruments(), path="E_2025_L.7.txt"))
    assert doc.meta.extra["title_block"].splitlines()[1:] == [
        "Draft resolution submitted by the Vice-President of the Council, Lok Bahadur",
        "Thapa (Nepal), on the basis of informal consultations",
        "United Nations Interregional Crime and Justice Research Institute"]
