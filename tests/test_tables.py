"""Tables kept as tables (issue 11 §4): found by position in real UN PDFs and by shape in plain text,
stored as r2p:Table parts with their caption and rows, text intact, cited, searchable, valid.
The PDF (tests/fixtures/realdocs) is pages 1, 3, 6, 7 and 33 of S/2025/239, a panel of experts' report."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest import tables
from ingest.model import DocMeta
from ingest.parsers import ParseContext, parser_for
from ingest.pdf import read_pdf
from ingest.references import Instruments
from ingest.namespaces import graph_uri
from kg.builder import GraphBuilder
from kg.passages import fetch_passages
from kg.store import OxigraphStore
from kg.validate import validate_store

PDF = Path(__file__).parent / "fixtures" / "realdocs" / "S_2025_239.p1-3-6-7-33.en.pdf"


def parse(text: str, doc_type: str = "letter", doc_id: str = "S-2025-239"):
    meta = DocMeta(id=doc_id, type=doc_type, title="", symbol=doc_id.replace("-", "/"), guessed=["title"])
    return parser_for(doc_type)(text, ParseContext(meta, Instruments()))[0]


@pytest.fixture(scope="module")
def text():
    return read_pdf(PDF, max_bytes=10_000_000, max_pages=50).text()


@pytest.fixture(scope="module")
def doc(text):
    return parse(text)


def test_a_captioned_table_keeps_its_number_title_and_rows_in_order(doc):
    first = doc.find("table")[0]
    assert (first.number, first.title) == ("1", "Leaders and commanders of SAF-aligned and non-aligned groups")
    assert [row.text for row in first.children] == [
        "Group\tPolitical leader\tKey commander in Darfur",
        "SAF-aligned",
        "Sudan Liberation Army-Minni Minawi (SLA/MM)\tMinni Minawi\tJuma Haggar",  # a cell wrapped on two lines
        "Justice and Equality Movement (JEM)\tGibril Ibrahim\tTijani Duhaib",
        "Gathering of the Sudan Liberation Forces (GSLF)/Janna faction\tAbdallah Janna\tAboud Adam Khater",
        "Sudan Liberation Movement/ Army-Transitional Council (SLA/TC)/ Osman Abdul Jabar faction"
        "\tSalah Adam Tor “Rasas”\tOsman Abdul Jabar Osman",
        "Non-aligned forces",
        "SLA/TC\tAl-Hadi Idris\tSaleh Osman, known as Jabal Si",
        "GSLF\tAl-Tahir Hajar\tAhmed Abu Tonga and Abdulrahim Yagoup"]


def test_a_table_continued_on_the_next_page_is_an_unnumbered_table_and_figures_stay_cells(doc):
    found = doc.find("table")
    assert [(t.number, len(t.children)) for t in found] == [("1", 9), (None, 3), ("4", 5)]
    assert found[1].children[1].text == "JEM/Sandal faction\tSuleiman Sandal\tMohamed Bushara Yahya “Disco”"
    assert found[2].children[3].text == ("Tokarev rifle (Norinco CQ 3-56 copy)\t2,000,000–2,500,000\t770–960"
                                         "\tLess popular due to higher price and scarce ammunition")


def test_no_table_is_read_into_the_masthead_contents_or_paragraphs(text, doc):
    """Page 1's masthead and page 3's contents are set in columns too; they stay text. So do the
    numbered paragraphs between the tables, with their printed numbers."""
    blocks_with_cells = [b for b in text.split("\n\n") if "\t" in b]
    assert [b.split("\t", 1)[0] for b in blocks_with_cells] == ["Group", "Group", "Weapon type"]
    assert "Original: French" in text.split("\t")[0] and "Contents" in text.split("\t")[0]
    assert [p.number for p in doc.find("paragraph") if p.number in ("7", "8", "9", "10")] == ["7", "8", "9", "10"]


def test_no_word_of_a_page_with_a_table_is_lost(text, doc):
    page = " ".join(__import__("pypdf").PdfReader(str(PDF)).pages[2].extract_text().split())
    kept = " ".join(f"{n.title or ''} {n.text}" for n in doc.walk())
    for words in ("Leaders and commanders of SAF-aligned", "Ahmed Abu Tonga and Abdulrahim Yagoup",
                  "employed a strategy to instil fear", "Table 1"):
        assert words in page
    assert "Ahmed Abu Tonga and Abdulrahim Yagoup" in kept and "employed a strategy to instil fear" in kept


@pytest.fixture(scope="module")
def store(doc):
    builder = GraphBuilder(graph_uri("S-2025-239"))
    builder.document(doc)
    store = OxigraphStore()
    store.replace_graph(builder.graph, builder.quads)
    return store


def test_tables_in_the_graph_with_their_citations(store):
    rows = store.select("""SELECT ?t ?num ?title ?cite { ?t a r2p:Table ; r2p:citation ?cite
        OPTIONAL { ?t r2p:number ?num } OPTIONAL { ?t dcterms:title ?title } } ORDER BY ?cite""")
    assert [(r["t"].rsplit("/doc/", 1)[1], r.get("num"), r["cite"]) for r in rows] == [
        ("S-2025-239/table/1", "1", "S/2025/239, table 1"),
        ("S-2025-239/table/4", "4", "S/2025/239, table 4"),
        ("S-2025-239/table/1-2", None, "S/2025/239, unnumbered table 1")]  # the printed "Table 1" has /table/1
    row = store.select("""SELECT ?text ?cite ?order { <https://w3id.org/r2p-kg/doc/S-2025-239/table/4/row/2>
        a r2p:TableRow ; r2p:text ?text ; r2p:citation ?cite ; r2p:order ?order ;
        dcterms:isPartOf <https://w3id.org/r2p-kg/doc/S-2025-239/table/4> }""")
    assert row == [{"text": "FN FAL 7.62x51mm\t1,500,000\t600\t–", "cite": "S/2025/239, table 4, row 2", "order": "2"}]


def test_rows_are_search_passages_led_by_their_table_title(store):
    passages = {p.uri.rsplit("/doc/", 1)[1]: p for p in fetch_passages(store)}
    row = passages["S-2025-239/table/4/row/5"]
    assert (row.kind, row.text, row.lead) == ("TableRow", "DShK machine gun\tNot specified\tHeavy weapon, available",
                                              "Weapons available on arms black markets")
    assert "S-2025-239/table/4" not in passages  # the rows carry the text, once


def test_the_tables_satisfy_the_shapes(store):
    conforms, report = validate_store(store)
    assert conforms, report


def test_a_plain_text_table_aligned_with_spaces_or_tabs():
    aligned = ("Table 2\nTroop contributions\n\n"
               "Country        Troops    Police\n"
               "Bangladesh     1 200     40\n"
               "Rwanda         980       120\n\n"
               "1. The Council thanks them.\n")
    doc = parse(aligned, "document", "X")
    (table,) = doc.find("table")
    assert (table.number, table.title) == ("2", "Troop contributions")
    assert [r.text for r in table.children] == ["Country\tTroops\tPolice", "Bangladesh\t1 200\t40", "Rwanda\t980\t120"]
    assert doc.find("paragraph", "1")[0].text == "The Council thanks them."
    assert tables.rows("a\tb\nc\td") == [["a", "b"], ["c", "d"]]


def test_prose_and_a_caption_with_no_table_stay_text():
    """Justified prose has single spaces; two lines that happen to hold double spaces in different
    places are no table; a "Table 3" line with no table under it stays where it is, as text."""
    assert not tables.is_table("The Council,  recalling its resolutions,\ndecides  to remain seized of the matter.")
    doc = parse("Table 3 shows the trend.\n\nThe figures rose in 2024 and again in 2025.\n", "document", "X")
    assert doc.find("table") == []
    assert " ".join(n.text or n.title or "" for n in doc.walk()).startswith("Table 3 shows the trend.")


def test_a_footnote_call_on_a_heading_is_linked_not_kept_in_its_title():
    """E/2025/9/Add.12 lists members one a line ("Sawitri Assanangkornchai¹ (Thailand) 2030"), S/2025/239
    prints calls on its lettered headings ("C. Chad⁵⁷"): the call is the heading's footnote, and its
    word stays whole (a title "Assanangkornchai¹" was a word no reader searches)."""
    doc = parse("1. The members are as follows:\n\nSawitri Assanangkornchai¹ (Thailand) 2030\n\n"
                "C. Chad⁵⁷\n\n2. The border stayed open.\n\n¹ Elected from the list of the WHO.\n\n⁵⁷ See annex.\n",
                "note", "E-2025-9-Add.12")
    headings = [(n.number, n.title, n.footnotes) for n in doc.walk() if n.kind in ("section", "subsection")]
    assert headings == [(None, "Sawitri Assanangkornchai (Thailand) 2030", ["1"]), ("C", "Chad", ["57"])]
