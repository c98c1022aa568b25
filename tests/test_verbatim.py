"""Verbatim meeting records: every statement attributed to its speaker and State, under its agenda item.

The three records of the General Assembly's 2018 debate (corpus/debates/verbatim/) are the real material;
two small fixtures in the shape of a Security Council record and of a GA meeting with two agenda
items (tests/fixtures/verbatim/) check that the parser is not tied to those three files.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.manifest import detect_meta, load_manifest
from ingest.parsers import ParseContext
from ingest.parsers.verbatim import parse
from ingest.references import Instruments
from kg.validate import validate_store
from kg.store import OxigraphStore
from tests.conftest import ROOT, make_settings, run_ingest

RECORDS = ROOT / "corpus" / "debates" / "verbatim"
FIXTURES = ROOT / "tests" / "fixtures" / "verbatim"

# (speaker as printed, what they speak for: ISO3, organization id, or the office when presiding)
EXPECTED_SPEAKERS = {
    "A-72-PV.99": [
        ('Mr. Lajčák', 'President'), ('Secretary-General', 'united-nations'), ('Mr. Lajčák', 'President'),
        ('Ms. Al-Thani', 'QAT'), ('Mr. Lajčák', 'President'), ('Ms. Adamson', 'european-union'),
        ('Mr. Tito', 'KIR'), ('Mr. Mažeiks', 'LVA'), ('Ms. Bird', 'AUS'), ('Mrs. Pobee', 'GHA'),
        ('Ms. Pierce', 'GBR'), ('Mr. Akbaruddin', 'IND'), ('Mr. Duque Estrada Meyer', 'BRA'),
        ('Ms. Eckels-Currie', 'USA'), ('Mr. Drobnjak', 'HRV'), ('Mr. Moragas Sánchez', 'ESP'),
        ('Mr. Van Oosterom', 'NLD'), ('Ms. Bavdaž Kuret', 'SVN'), ('Ms. Duncan Villalobos', 'CRI'),
        ('Mr. Mlynár', 'SVK'), ('Mr. Hoshino', 'JPN'), ('Mr. Petersen', 'DNK'),
        ('Mr. Sandoval Mendiolea', 'MEX'), ('Mr. Kadiri', 'MAR'),
    ],
    "A-72-PV.100": [
        ('Mr. Heusgen', 'DEU'), ('Ms. Núñez Rivas', 'URY'), ('Mr. Ja’afari', 'SYR'), ('Mr. Tenya', 'PER'),
        ('Mrs. Cupellini', 'ITA'), ('Mr. Wenaweser', 'LIE'), ('Mrs. Bogyay', 'HUN'),
        ('Mrs. Chatardova', 'CZE'), ('Mr. Zehnder', 'CHE'), ('Ms. Rodríguez Abascal', 'CUB'),
        ('Mr. Sinirlioğlu', 'TUR'), ('Mr. Mohamed', 'SDN'), ('Mrs. Gueguen', 'FRA'),
        ('Mr. García Moritán', 'ARG'), ('Ms. Lodhi', 'PAK'), ('Mr. Heumann', 'ISR'), ('Mr. Ntsoane', 'ZAF'),
        ('Mrs. Anderberg', 'SWE'), ('Mr. Bonser', 'CAN'), ('Mr. Sauer', 'FIN'), ('Mr. Flynn', 'IRL'),
        ('Mr. Gafoor', 'SGP'), ('Mr. Radomski', 'POL'), ('Mr. Ham Sang Wook', 'KOR'), ('Mr. Yaakob', 'MYS'),
        ('Mr. Skinner-Kleé Arenales', 'GTM'), ('Mrs. Okey-Uche', 'NGA'), ('Mr. Gad', 'EGY'),
        ('Mr. Pecsteen de Buytswerve', 'BEL'), ('Mr. Tevi', 'Acting President'), ('Mr. Bayyapu', 'IND'),
        ('Mr. Tevi', 'Acting President'),
    ],
    "A-72-PV.105": [
        ('Mr. Skoknic Tapia', 'CHL'), ('Mr. Raum', 'LUX'), ('Mr. Margaryan', 'ARM'), ('Mr. Musikhin', 'RUS'),
        ('Mrs. Elmarmuri', 'LBY'), ('Ms. Yánez Loza', 'ECU'), ('Ms. Krisnamurthi', 'IDN'),
        ('Mr. Khoshroo', 'IRN'), ('Mr. Ja Song Nam', 'PRK'), ('Mr. Suan', 'MMR'), ('Ms. Bakuramutsa', 'RWA'),
        ('Mr. Arrocha Ruíz', 'PAN'), ('Mrs. Vives Balmaña', 'AND'), ('Mr. Islam', 'BGD'),
        ('Mr. Dinh Nho Hung', 'VNM'), ('Mr. Locsin', 'PHL'), ('Mr. Duarte Lopes', 'PRT'),
        ('Mr. Mikayilli', 'AZE'), ('Ms. Cerrato', 'HND'), ('Mr. Rai', 'PNG'), ('Mr. Yao Shaojun', 'CHN'),
        ('Mr. Beleffi', 'SMR'), ('Ms. Prizreni', 'ALB'), ('Mr. Suárez Moreno', 'VEN'),
        ('Mrs. Cordova Soria', 'BOL'), ('Mr. Zhemeney', 'KAZ'), ('Mrs. Nusseibeh', 'ARE'),
        ('Mr. Prasad', 'FJI'), ('Mrs. Onanga', 'GAB'), ('Ms. Uludong', 'PLW'), ('Mr. Soomauroo', 'MUS'),
        ('Ms. Razafitrimo', 'Acting President'), ('Mr. Warraich', 'PAK'), ('Mr. Bayyapu', 'IND'),
        ('Mr. Warraich', 'PAK'), ('Ms. Razafitrimo', 'Acting President'),
    ],
}
# A speaker line anywhere inside a paragraph would mean two speakers' words in one statement.
SPEAKER_INSIDE = re.compile(r"\b(?:Mr|Mrs|Ms)\. [A-Z][\w’'-]+(?: [\w’'-]+){0,3} \([A-Z][^()]+\)(?: \(spoke in \w+\))?:")


def parsed(folder: Path, doc_id: str):
    source = next(s for s in load_manifest(folder).sources if s.meta.id == doc_id)
    doc, = parse(source.path.read_text(encoding="utf-8"),
                 ParseContext(meta=source.meta, instruments=Instruments(), path=source.path))
    return doc


def statements(doc):
    return [n for n in doc.walk() if n.kind == "statement"]


def speaker(node) -> tuple[str, str]:
    a = node.attrs
    who = f"{a['honorific']} {a['speaker']}" if a.get("speaker") else a["office"]
    return who, a.get("represents") or a["office"]


@pytest.mark.parametrize("doc_id", sorted(EXPECTED_SPEAKERS))
def test_every_statement_of_the_2018_debate_has_its_speaker_and_state(doc_id):
    assert [speaker(s) for s in statements(parsed(RECORDS, doc_id))] == EXPECTED_SPEAKERS[doc_id]


@pytest.mark.parametrize("doc_id", sorted(EXPECTED_SPEAKERS))
def test_no_statement_spans_two_speakers_and_all_sit_under_item_132(doc_id):
    doc = parsed(RECORDS, doc_id)
    item, = doc.children
    assert (item.kind, item.number, item.attrs["considers"]) == ("agenda_item", "132", "A/72/884")
    assert item.title == ("The responsibility to protect and the prevention of genocide, war crimes, "
                          "ethnic cleansing and crimes against humanity")
    assert all(s.kind == "statement" for s in item.children)
    for s in statements(doc):
        assert s.children, s.attrs
        for p in s.children:
            assert not SPEAKER_INSIDE.search(p.text), (s.attrs["speaker"], p.text[:120])
            assert "took the Chair" not in p.text and "The meeting rose" not in p.text
            assert "This record contains the text of speeches" not in p.text


def test_the_meeting_is_read_from_the_record():
    doc = parsed(RECORDS, "A-72-PV.100")
    assert doc.meta.symbol == "A/72/PV.100" and doc.meta.date == "2018-06-25"
    assert doc.meta.extra == {"meeting": "100", "meeting_time": "3 p.m.", "place": "New York",
                              "presided_by": "Mr. Lajčák (Slovakia)"}


def test_broken_speaker_lines_are_rejoined_with_a_warning():
    doc = parsed(RECORDS, "A-72-PV.99")
    mexico = next(s for s in statements(doc) if s.attrs.get("represents") == "MEX")
    assert mexico.attrs["language"] == "es"
    assert mexico.children[0].text.startswith("Mexico welcomes this first formal debate of the General Assembly")
    assert (f"{RECORDS / 'A-72-PV.99.txt'}:2484: speaker line broken across 2 lines, rejoined: "
            "'Mr. Sandoval Mendiolea (Mexico) (spoke in Spanish):'") in doc.warnings


def test_groups_spoken_for_and_observers():
    doc = parsed(RECORDS, "A-72-PV.99")
    by_state = {s.attrs.get("represents"): s.attrs for s in statements(doc)}
    assert by_state["QAT"]["on_behalf_of"] == "friends-of-r2p"
    assert by_state["KIR"]["on_behalf_of"] == "pacific-islands-forum"
    assert by_state["LVA"]["on_behalf_of"] == "baltic-states"
    assert by_state["LVA"]["joint"] == "country/EST country/LTU"  # "on behalf of Estonia, Lithuania and Latvia"
    assert "joint" not in by_state["QAT"]
    assert by_state["european-union"]["role"] == "observer"
    # "aligns itself with the statement made on behalf of the Group of Friends" is not speaking for it
    assert "on_behalf_of" not in by_state["GBR"]
    president, secretary_general = statements(doc)[:2]
    assert (president.attrs["role"], president.attrs["speaker"], president.attrs.get("represents")) == \
        ("president", "Lajčák", None)  # the President speaks for the Assembly, not for Slovakia
    assert (secretary_general.attrs["role"], secretary_general.attrs["represents"]) == ("secretary-general", "united-nations")


def test_a_security_council_record():
    doc = parsed(FIXTURES, "S-PV.9999")
    assert doc.meta.date == "2025-05-15" and doc.meta.extra["meeting"] == "9999"
    item, = doc.children
    assert item.title == "Protection of civilians in armed conflict" and item.attrs["considers"] == "S/2025/271"
    got = [(s.attrs.get("honorific"), s.attrs.get("speaker"), s.attrs.get("represents"), s.attrs["role"],
            s.attrs["language"]) for s in statements(doc)]
    assert got == [
        ("Mr.", "Dupont", None, "president", "fr"),
        ("Mr.", "Dieng", None, "official", "en"),
        ("Dame", "Barbara Woodward", "GBR", "representative", "en"),
        ("Mr.", "Fu Cong", "CHN", "representative", "zh"),
        ("Mr.", "Dupont", "FRA", "president", "fr"),  # "in my capacity as the representative of France"
        ("Archbishop", "Caccia", "VAT", "observer", "en"),
    ]
    china = statements(doc)[3]
    # the running head and the footer between its two paragraphs are furniture, not text
    assert [p.text for p in china.children] == [
        "China respects the sovereignty and territorial integrity of all States.",
        "The principle of non-interference in internal affairs must be upheld."]
    assert [s.attrs.get("page") for s in statements(doc)] == ["1", "1", "1", "1", "4", "4"]


def test_a_meeting_with_two_agenda_items_and_bad_lines():
    doc = parsed(FIXTURES, "A-79-PV.64")
    first, second = doc.children
    assert (first.number, first.attrs["considers"]) == ("125", "A/79/100")
    assert (second.number, second.attrs.get("continued")) == ("14", "true")
    assert second.title == ("Integrated and coordinated implementation of and follow-up to the outcomes of "
                            "the major United Nations conferences and summits")
    assert [(s.attrs.get("represents") or s.attrs["role"]) for s in second.children] == [
        "VNM", "EGY", "president", "president", "CUB"]
    # the recorded vote's lists and its result belong to no statement
    assert [p.text for s in second.children[2:4] for p in s.children] == [
        "We shall now take a decision on draft resolution A/79/L.30.",
        "I now give the floor to the representative of Cuba, who wishes to speak in explanation of vote."]
    norway, utopia, unattributed = first.children[1:]
    assert norway.attrs["on_behalf_of"] == "nordic-countries"
    assert utopia.attrs["represents_name"] == "Republic of Utopia" and "represents" not in utopia.attrs
    assert unattributed.attrs["role"] == "unknown"
    assert unattributed.children[0].text == "These words were printed with no speaker line before them."
    path = FIXTURES / "A-79-PV.64.txt"
    assert doc.warnings == [
        f"{path}:14: speaker's State or organization 'Republic of Utopia' is in no table; kept as printed",
        f"{path}:16: text with no speaker line, kept as an unattributed statement: "
        "'These words were printed with no speaker line before them.'",
        f"{path}:21: speaker line broken across 2 lines, rejoined: 'Mr. Abdelaziz (Egypt) (spoke in Arabic):'",
    ]


def test_a_notice_worded_otherwise_does_not_swallow_the_record():
    # The corrections notice is skipped up to its last sentence; one ending differently (a later
    # year's wording, a line broken inside the address) ends at the first line not in its words.
    text = (FIXTURES / "S-PV-9999.txt").read_text(encoding="utf-8").replace(
        "Document System of the United Nations (http://documents.un.org).", "Document System.")
    source = next(s for s in load_manifest(FIXTURES).sources if s.meta.id == "S-PV.9999")
    doc, = parse(text, ParseContext(meta=source.meta, instruments=Instruments(), path=source.path))
    assert [s.attrs.get("speaker") for s in statements(doc)] == [
        "Dupont", "Dieng", "Barbara Woodward", "Fu Cong", "Dupont", "Caccia"]


def test_a_record_with_no_manifest_entry_is_known_by_its_file_name(tmp_path):
    # The debates' records lost their masthead in extraction: the file name is the only place the
    # symbol is, and it makes the file a verbatim record, dated by its meeting.
    (tmp_path / "A-79-PV.64.txt").write_bytes((FIXTURES / "A-79-PV.64.txt").read_bytes())
    meta = detect_meta(tmp_path / "A-79-PV.64.txt", (tmp_path / "A-79-PV.64.txt").read_text(encoding="utf-8"))
    assert (meta.id, meta.symbol, meta.type) == ("A-79-PV.64", "A/79/PV.64", "verbatim_record")
    doc, = parse(meta.file.read_text(encoding="utf-8"), ParseContext(meta=meta, instruments=Instruments(), path=meta.file))
    assert doc.meta.date == "2024-12-10"
    assert [s.attrs.get("represents") for s in statements(doc)][:3] == [None, "NOR", None]


# -- in the graph --------------------------------------------------------------------------------
def test_a_pdf_record_keeps_every_statement_and_cites_its_printed_pages(tmp_path):
    # A_72_PV.99.en.pdf (tests/fixtures/make_pdfs.py): the first record in two columns with its
    # masthead, running heads on alternate sides, page numbers, and the corrections notice.
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "A_72_PV.99.en.pdf").write_bytes((ROOT / "tests" / "fixtures" / "A_72_PV.99.en.pdf").read_bytes())
    settings = make_settings(tmp_path / "data", corpus_dir=folder)
    store = OxigraphStore(settings.store_dir)
    report = run_ingest(settings, store, [folder])
    assert not report.errors, report.errors
    rows = store.select("""
        SELECT ?citation WHERE { ?s a r2p:Statement ; r2p:order ?o ; r2p:citation ?citation } ORDER BY ?o""")
    citations = [str(r["citation"]) for r in rows]
    assert len(citations) == len(EXPECTED_SPEAKERS["A-72-PV.99"])
    assert citations[:4] == ["A/72/PV.99 (President), p. 1", "A/72/PV.99 (Secretary-General), p. 1",
                             "A/72/PV.99 (President), p. 2", "A/72/PV.99 (Qatar), p. 3"]
    assert citations[-1] == "A/72/PV.99 (Morocco), p. 20"
    pages = [int(c.rsplit("p. ", 1)[1]) for c in citations]
    assert pages == sorted(pages)
    rows = store.select("""
        SELECT ?speech ?cited WHERE { ?s a r2p:Statement ; r2p:order ?o ; r2p:citation ?speech .
                                      ?p dcterms:isPartOf ?s ; r2p:order ?po ; r2p:citation ?cited } ORDER BY ?o ?po""")
    page = lambda citation: int(re.search(r", p\. (\d+)", citation).group(1))  # noqa: E731
    cited = [(str(r["speech"]), str(r["cited"])) for r in rows]
    # each paragraph by the page it starts on, and its place in the record: "A/72/PV.99 (Qatar), p. 3, ¶18"
    assert all(re.fullmatch(re.escape(speech.rsplit(", p. ", 1)[0]) + r", p\. \d+, ¶\d+", c) for speech, c in cited)
    assert all(page(c) >= page(speech) for speech, c in cited)
    assert sum(page(c) > page(speech) for speech, c in cited) > 10  # speeches run on to the next pages
    assert [page(c) for _, c in cited] == sorted(page(c) for _, c in cited)
    texts = " ".join(str(r["t"]) for r in store.select("SELECT ?t WHERE { ?p a r2p:Paragraph ; r2p:text ?t }"))
    assert "Corrections should be submitted" not in texts and "25/06/2018" not in texts


def test_citations_name_the_record_and_the_speaker_never_the_debated_report(debates_store):
    rows = debates_store.select("""
        SELECT ?citation ?text WHERE {
          ?s a r2p:Statement ; r2p:represents <https://w3id.org/r2p-kg/country/MEX> ; r2p:citation ?citation .
          ?p dcterms:isPartOf ?s ; r2p:order 1 ; r2p:text ?text }""")
    assert rows == [{"citation": "A/72/PV.99 (Mexico)",
                     "text": rows[0]["text"]}] and rows[0]["text"].startswith("Mexico welcomes")
    assert debates_store.select("""SELECT ?c WHERE { ?p r2p:citation ?c FILTER(CONTAINS(?c, "A/72/884")) }""") == []
    considered = debates_store.select("""SELECT DISTINCT ?d WHERE {
        <https://w3id.org/r2p-kg/doc/A-72-PV.105/agenda-item/132> r2p:considers ?d }""")
    assert considered == [{"d": "https://w3id.org/r2p-kg/doc/A-72-884"}]
    assert debates_store.select("""SELECT ?c WHERE { ?s a r2p:Statement ; r2p:represents
        <https://w3id.org/r2p-kg/country/FRA> ; r2p:citation ?c ; r2p:speakerRole <https://w3id.org/r2p-kg/role/president> }""") \
        == [{"c": "S/PV.9999 (France), p. 4"}]
    assert debates_store.select("""SELECT ?c WHERE { ?s a r2p:Statement ; r2p:order 2 ; r2p:citation ?c ;
        r2p:inDocument <https://w3id.org/r2p-kg/doc/A-72-PV.99> }""") == [{"c": "A/72/PV.99 (Secretary-General)"}]


def test_three_records_stay_three_documents(debates_store):
    rows = debates_store.select("""SELECT ?id (COUNT(?s) AS ?n) WHERE {
        ?d a r2p:VerbatimRecord ; dcterms:identifier ?id . ?s a r2p:Statement ; r2p:inDocument ?d }
        GROUP BY ?id ORDER BY ?id""")
    assert {r["id"]: int(r["n"]) for r in rows} == {
        "A/72/PV.99": 24, "A/72/PV.100": 32, "A/72/PV.105": 36, "A/79/PV.64": 9, "S/PV.9999": 6}


def test_records_conform_to_the_shapes_and_declare_their_terms(debates_store):
    conforms, report = validate_store(debates_store)
    assert conforms, report
    undeclared = debates_store.select("""SELECT DISTINCT ?term WHERE {
        { ?s ?term ?o } UNION { ?s a ?term } FILTER (STRSTARTS(STR(?term), STR(r2p:)))
        FILTER NOT EXISTS { GRAPH <https://w3id.org/r2p-kg/graph/ontology> { ?term rdfs:label ?l ; rdfs:comment ?c } } }""")
    assert undeclared == []
    assert debates_store.ask("""ASK { GRAPH <https://w3id.org/r2p-kg/graph/ontology> {
        <https://w3id.org/r2p-kg/group/friends-of-r2p> skos:prefLabel "Group of Friends of the Responsibility to Protect"@en } }""")
