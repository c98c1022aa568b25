"""Cross-references in running text: provisions of instruments named through the manifest's aliases."""
from __future__ import annotations

from functools import cache

import pytest

from ingest.manifest import load_manifest
from ingest.provisions import int_to_roman, renumber
from ingest.references import Instruments, find_references
from ingest.text import roman_to_int
from tests.conftest import CORPUS

CHARTER, GENOCIDE, ROME = "un-charter", "genocide-convention", "A-CONF.183-9"
BASE = "https://w3id.org/r2p-kg/doc/"


@cache
def instruments() -> Instruments:
    return load_manifest(CORPUS).instruments


def targets(text: str, names: Instruments | None = None) -> list[tuple]:
    return [(r.doc, r.path) for r in find_references(text, names or instruments())]


def art(*numbers: str) -> list[tuple]:
    return [(("article", n),) for n in numbers]


def test_provisions_of_the_same_document():
    assert targets("a decision made under Article 3 (1) (a) or Article 5 (1) (a);") == [
        (None, (("article", "3"), ("para", "1"), ("clause", "a"))),
        (None, (("article", "5"), ("para", "1"), ("clause", "a"))),
    ]
    assert targets("following a decision under Article 3 ( 1 ) (b);") == [
        (None, (("article", "3"), ("para", "1"), ("clause", "b")))]


def test_provisions_of_named_instruments():
    assert targets("acts described under Articles II and III of the Genocide Convention of 1948") == [
        (GENOCIDE, p) for p in art("II", "III")] + [(GENOCIDE, ())]
    assert targets("as set out in, for example, articles 6, 7 and 8 of the Rome Statute of the International "
                   "Criminal Court.") == [(ROME, p) for p in art("6", "7", "8")] + [(ROME, ())]
    assert targets("tools available under Chapters VI, VII and VIII of the Charter of the United Nations") == [
        (CHARTER, (("chapter", n),)) for n in ("VI", "VII", "VIII")] + [(CHARTER, ())]
    assert targets("Article 103 of the Charter") == [(CHARTER, (("article", "103"),)), (CHARTER, ())]
    assert targets("in line with paragraphs 138 and 139 of the World Summit Outcome.") == [
        ("A-RES-60-1", (("para", "138"),)), ("A-RES-60-1", (("para", "139"),)), ("A-RES-60-1", ())]
    assert targets("Common article 1 of the Geneva Conventions sets out") == [
        ("geneva-conventions-1949", (("article", "1"),)), ("geneva-conventions-1949", ())]
    assert targets("serious violations of article 3 common to the four Geneva Conventions of 12 August 1949") == [
        ("geneva-conventions-1949", (("article", "3"),)), ("geneva-conventions-1949", ())]


def test_a_name_with_a_letter_that_folds_to_ascii_is_the_instrument():
    """A case-insensitive pattern finds "Rome ſtatute" (a long s) and "GENOCİDE"; the lookup folds them alike."""
    assert targets("article 7 of the Rome ſtatute of the International Criminal Court") == [(ROME, art("7")[0]), (ROME, ())]
    assert targets("Article II of the GENOCİDE CONVENTION") == [(GENOCIDE, art("II")[0]), (GENOCIDE, ())]


def test_its_means_the_instrument_last_named_before_it():
    refs = find_references("obligations stemming from other treaties, except for the Charter of the United Nations "
                           "according to its article 103.", instruments())
    assert [(r.doc, r.path, r.surface) for r in refs] == [
        (CHARTER, (), "the Charter of the United Nations"), (CHARTER, (("article", "103"),), "article 103")]
    assert refs[1].title == "Charter of the United Nations"
    # With nothing named before it, "its" cannot be resolved: no link rather than a wrong one.
    assert targets("according to its article 103.") == []


def test_deictic_names_mean_the_citing_document():
    assert targets("in accordance with article III of the present Convention") == [(None, (("article", "III"),))]
    # A document's words for itself are never manifest aliases: they mean the citing document.
    assert targets("articles 5 and 8 of this Statute") == [(None, p) for p in art("5", "8")]
    assert targets("paragraph 1 of this Article") == [(None, (("para", "1"),))]


def test_rome_statute_citation_forms():
    assert targets("as defined in article 7, paragraph 2 f), enforced") == [
        (None, (("article", "7"), ("para", "2"), ("clause", "f")))]
    assert targets("the qualifications specified in paragraph 3 b) (ii).") == [
        (None, (("para", "3"), ("clause", "b"), ("clause", "ii")))]
    assert targets("The provisions of article 121, paragraphs 3 to 7, shall apply") == [
        (None, (("article", "121"), ("para", str(n)))) for n in range(3, 8)]
    # A singular "paragraph" takes one number; the next belongs to the list of articles.
    assert targets("under articles 15, 18, 19, 54, paragraph 2, 61, paragraph 7, and 72 must") == [
        (None, p) for p in (*art("15", "18", "19"), (("article", "54"), ("para", "2")),
                            (("article", "61"), ("para", "7")), *art("72"))]
    assert targets("Subject to paragraph 7, and to article 112") == [(None, (("para", "7"),)), (None, (("article", "112"),))]
    assert targets("in accordance with the procedures laid down in subparagraph a) until") == [(None, (("clause", "a"),))]
    assert targets("paragraphs 1 and 2 of article 12 of this Statute") == [
        (None, (("article", "12"), ("para", "1"))), (None, (("article", "12"), ("para", "2")))]


def test_citations_of_other_instruments_are_not_taken_for_this_document():
    # Unknown instrument: linking "article 19" to the citing document would be wrong.
    assert targets("in line with articles 19 and 20 of the International Covenant on Civil and Political Rights") == []
    # A known name that heads another instrument's name is not that instrument.
    assert targets("article 2 of the Convention on the Rights of the Child") == []
    assert targets("under article 3 of the Statute of the International Tribunal") == []


def test_resolution_paragraphs_stay_with_their_resolution():
    refs = find_references("Recalling paragraph 2 of resolution 808 (1993)", instruments())
    assert [(r.doc, r.path) for r in refs] == [("S-RES-808-1993", ()), ("S-RES-808-1993", (("para", "2"),))]


def test_article_numbers_follow_the_target_numbering():
    names = Instruments()
    names.add(GENOCIDE, ["Genocide Convention"], None, "Convention on the Prevention and Punishment of the Crime of Genocide",
              numbering="roman")
    names.add(ROME, ["Rome Statute"], "A/CONF.183/9", "Rome Statute of the International Criminal Court", numbering="arabic")
    assert targets("is established in article 1 of the Genocide Convention.", names) == [
        (GENOCIDE, (("article", "I"),)), (GENOCIDE, ())]
    assert targets("Articles II and III of the Genocide Convention", names)[:2] == [(GENOCIDE, p) for p in art("II", "III")]
    assert targets("Article VII of the Rome Statute", names)[0] == (ROME, (("article", "7"),))
    # A bare reference keeps the citing document's own numbering.
    assert targets("enumerated in article III", names) == [(None, (("article", "III"),))]


def test_unknown_numbering_is_an_error():
    with pytest.raises(ValueError, match=r"^x: article numbering 'greek' is not 'roman' or 'arabic'$"):
        Instruments().add("x", ["X"], None, "X", numbering="greek")


@pytest.mark.parametrize("value", [1, 4, 9, 14, 19, 40, 90, 103, 128, 1949, 3999])
def test_roman_numerals_round_trip(value):
    assert roman_to_int(int_to_roman(value)) == value
    assert renumber(str(value), "roman") == int_to_roman(value)
    assert renumber(int_to_roman(value), "arabic") == str(value)


def test_instrument_pattern_prefers_the_longest_name():
    refs = find_references("the Charter of the United Nations", instruments())
    assert [(r.doc, r.surface) for r in refs] == [(CHARTER, "the Charter of the United Nations")]
    assert find_references("the Charter\nof the United Nations", instruments())[0].surface == "the Charter\nof the United Nations"


def test_store_links_other_documents_to_treaty_provisions(corpus_store):
    """References found in the report and resolutions reach the treaty parts the treaty parser built."""
    rows = corpus_store.select(
        f"SELECT DISTINCT ?source WHERE {{ ?source dcterms:references <{BASE}{CHARTER}/chapter/VII> . "
        f"<{BASE}{CHARTER}/chapter/VII> a r2p:Chapter ; dcterms:title ?title . "
        f"FILTER(STRSTARTS(STR(?source), '{BASE}S-RES-794-1992/')) }} ORDER BY ?source")
    assert rows, "resolution 794 acts under Chapter VII of the Charter"
    assert corpus_store.ask(
        f"ASK {{ <{BASE}A-67-929/para/2> dcterms:references <{BASE}{CHARTER}/chapter/VI>, "
        f"<{BASE}{CHARTER}/chapter/VIII>, <{BASE}A-RES-60-1/para/138>, <{BASE}A-RES-60-1/para/139> }}")
    assert corpus_store.ask(
        f"ASK {{ <{BASE}A-CONF.183-9/article/8/para/2/clause/c> dcterms:references "
        f"<{BASE}geneva-conventions-1949/article/3>, <{BASE}geneva-conventions-1949> . "
        f"<{BASE}geneva-conventions-1949> dcterms:title 'Geneva Conventions of 12 August 1949' }}")


def test_every_masthead_symbol_shape_is_found_in_running_text_and_a_slash_pair_without_digits_is_none():
    """One symbol shape for the masthead and the body (ingest.masthead.SYMBOL_IN_TEXT)."""
    text = ("See A/ES-10/1043, A/79/PV.64, E/ICEF/2025/12, A/AC.109/2025/L.2 and S/25704/Add.1; "
            "HIV/AIDS and SLA/TC are no documents.")
    assert [r.symbol for r in find_references(text)] == [
        "A/ES-10/1043", "A/79/PV.64", "E/ICEF/2025/12", "A/AC.109/2025/L.2", "S/25704/Add.1"]


def test_instrument_names_are_found_where_the_whole_alternation_finds_them():
    """``mentions`` tries the names only where a word starts as one does; on every paragraph of the
    bundled corpus (debates aside), in its case, upper and lower case, and on Unicode case traps, it
    finds the same names at the same places as ``finditer`` of the one pattern (the behaviour before)."""
    names = instruments()
    texts = ["the ſtatute of the International Criminal Court, THE ROME STATUTE; the\nGenocide Convention",
             "Charter of the United Nations, the Charter, the Convention on the Rights of the Child"]
    for path in sorted(CORPUS.glob("[!d]*/*.txt")):
        texts += path.read_text(encoding="utf-8").split("\n\n")
    found = 0
    for text in texts:
        for variant in (text, text.upper(), text.lower()):
            expected = [m.span() for m in names.pattern().finditer(variant)]
            assert [m.span() for m in names.mentions(variant)] == expected, variant[:200]
            found += len(expected)
    assert found > 200  # the corpus cites many


def test_resolutions_are_read_wherever_the_word_starts_a_citation_and_nowhere_else():
    text = ("Resolutions 1325 (2000), 1820 (2008) and 1888 (2009); resolution 60/1 and 63/308, paragraph 2 of "
            "resolution 808 (1993), resolution 260 A (III), preResolution 5 (2000) and resolution 2150 (2014).")
    assert [(r.doc, r.path, r.surface) for r in find_references(text)] == [
        ("S-RES-1325-2000", (), "1325 (2000)"), ("S-RES-1820-2008", (), "1820 (2008)"),
        ("S-RES-1888-2009", (), "1888 (2009)"), ("A-RES-60-1", (), "resolution 60/1"),
        ("A-RES-63-308", (), "resolution 63/308"), ("S-RES-808-1993", (), "808 (1993)"),
        ("S-RES-808-1993", (("para", "2"),), "paragraph 2 of resolution 808 (1993)"),
        ("A-RES-260A-III", (), "resolution 260 A (III)"), ("S-RES-2150-2014", (), "2150 (2014)")]


def test_an_instrument_is_found_in_any_case_even_with_a_letter_that_folds_to_ascii():
    names = Instruments()
    names.add("kampala-convention", ["Kampala Convention"], None, "Kampala Convention")
    found = [(r.doc, r.surface) for t in ("under the \u212aampala Convention.", "under the KAMPALA CONVENTION",
                                          "no instrument here") for r in find_references(t, names)]
    assert found == [("kampala-convention", "the \u212aampala Convention"),
                     ("kampala-convention", "the KAMPALA CONVENTION")]
