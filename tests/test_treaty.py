"""The treaty parser on the real corpus texts: exact structure, texts and cross-references."""
from __future__ import annotations

from functools import cache

import pytest

from ingest.manifest import load_manifest
from ingest.model import Ref
from ingest.parsers import ParseContext
from ingest.parsers.treaty import parse
from tests.conftest import CORPUS

PROTOCOL, GENOCIDE, ROME, CHARTER = "genocide-optional-protocol-draft", "genocide-convention", "A-CONF.183-9", "un-charter"
BASE = "https://w3id.org/r2p-kg/doc/"


@cache
def parsed(doc_id: str):
    manifest = load_manifest(CORPUS)
    source = next(s for s in manifest.sources if s.id == doc_id)
    docs = parse(source.path.read_text(encoding="utf-8"), ParseContext(source.meta, manifest.instruments, path=source.path))
    assert len(docs) == 1
    return docs[0]


def article(doc_id: str, number: str):
    (node,) = parsed(doc_id).find("article", number)
    return node


def child(node, kind: str, number: str):
    (found,) = [c for c in node.children if c.kind == kind and c.number == number]
    return found


def paths(node) -> set[tuple]:
    return {(r.doc, r.path) for r in node.refs}


@pytest.mark.parametrize("doc_id", [PROTOCOL, GENOCIDE, ROME, CHARTER])
def test_no_warnings_and_no_empty_parts(doc_id):
    doc = parsed(doc_id)
    assert doc.warnings == []
    assert [n for n in doc.walk() if not n.text and not n.children] == []
    # The Dutch title lines and the English title are not text of the treaty.
    assert not any("Verenigde Naties" in n.text or "Statuut" in n.text for n in doc.walk())


# -- the draft Optional Protocol ------------------------------------------------------------------------

def test_protocol_has_nine_articles_with_their_titles():
    assert [(a.number, a.title) for a in parsed(PROTOCOL).find("article")] == [
        ("1", "Object and Purpose"),
        ("2", "Prevention and information sharing"),
        ("3", "Decision on genocide and genocidal acts"),
        ("4", "Recommendations on genocide"),
        ("5", "Regional Organizations"),
        ("6", "Peacekeeping and Rapid Response Forces"),
        ("7", "Other norms of international law"),
        ("8", "Dispute settlement"),
        ("9", "Signature, Ratification, Entry into force, Accession"),
    ]


def test_protocol_preamble_paragraphs_and_opening_phrases():
    (preamble,) = parsed(PROTOCOL).find("preamble")
    assert preamble.text == "The Contracting Parties, Have agreed as follows:"
    assert [(p.number, p.attrs.get("opening_phrase")) for p in preamble.children] == [
        ("1", "Having considered"), ("2", "Resolving"), ("3", "Agreeing"), ("4", "Mindful of"), ("5", "Being convinced"),
    ]
    # The blank line in the middle of the first sentence is gone.
    assert preamble.children[0].text == ("Having considered the need to strengthen the enforcement of the Convention on "
                                         "the Prevention and Punishment of the Crime of Genocide;")
    assert (GENOCIDE, ()) in paths(preamble.children[0])


def test_protocol_article_3_paragraphs_and_clauses():
    a3 = article(PROTOCOL, "3")
    assert a3.text == ""
    assert [(p.kind, p.number) for p in a3.children] == [("paragraph", "1"), ("paragraph", "2")]
    p1 = child(a3, "paragraph", "1")
    assert p1.text == "The Contracting Parties recognize and agree that:"
    assert [c.number for c in p1.children] == ["a", "b", "c", "d"]
    assert child(a3, "paragraph", "2").text == ("Such decisions shall not be used as evidence of State or individual "
                                                "responsibility before an international tribunal.")
    clause_a = child(p1, "clause", "a")
    assert clause_a.text.startswith("On advice from the Secretary-General of the United Nations with regard to any acts "
                                    "described under Articles II and III of the Genocide Convention of 1948, including")
    assert {(GENOCIDE, (("article", "II"),)), (GENOCIDE, (("article", "III"),))} <= paths(clause_a)


def test_protocol_article_4_links_article_3_and_charter_article_103():
    a4 = article(PROTOCOL, "4")
    assert a4.text.endswith("except for the Charter of the United Nations according to its article 103.")
    assert paths(a4) == {(None, (("article", "3"),)), (CHARTER, ()), (CHARTER, (("article", "103"),))}


def test_protocol_clause_references_to_its_own_clauses():
    a5 = article(PROTOCOL, "5")
    p2 = child(a5, "paragraph", "2")
    # "Article 5 (1)\n(a) to pre-authorize": the "(a)" that starts a line is part of the reference, not a clause.
    assert [c.number for c in p2.children] == ["a", "b", "c"]
    clause_a = child(p2, "clause", "a")
    assert "under Article 5 (1) (a) to pre-authorize interventions" in clause_a.text
    assert paths(clause_a) == {(None, (("article", "5"), ("para", "1"), ("clause", "a"))), (None, (("article", "3"),))}
    assert paths(child(p2, "clause", "b")) == {(None, (("article", "3"), ("para", "1"), ("clause", "a")))}
    # "Article 3\n( 1 )  (b)": spaces inside the brackets.
    clause_b = child(child(article(PROTOCOL, "6"), "paragraph", "1"), "clause", "b")
    assert paths(clause_b) == {(None, (("article", "3"), ("para", "1"), ("clause", "b")))}


def test_protocol_dash_items_under_article_and_under_clause():
    a1 = article(PROTOCOL, "1")
    assert [c.kind for c in a1.children] == ["item"] * 5
    assert a1.children[1].text == ("Establish institutions tasked with rapid recognition of situations that may lead to "
                                   "mass atrocities, in particular genocide;")
    clause_d = child(article(PROTOCOL, "2"), "clause", "d")
    assert [i.number for i in clause_d.children] == ["1", "2", "3", "4"]
    assert clause_d.children[3].text.startswith("ensure that urgent information reaches the public, journalists")
    assert [c.number for c in article(PROTOCOL, "2").children] == ["a", "b", "c", "d", "e"]


def test_protocol_article_9_keeps_its_unnumbered_paragraphs_and_line_broken_words():
    text = article(PROTOCOL, "9").text
    assert text.startswith("This Optional Protocol shall be open until 31 December 20__ for signatures")
    assert "with the Secretary-General of the United Nations. After 1 January 20__ the present Protocol" in text
    assert "any State-Party to the Convention" in text


# -- the Genocide Convention -------------------------------------------------------------------------

def test_genocide_convention_roman_articles_and_preamble():
    doc = parsed(GENOCIDE)
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
             "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX"]
    assert [a.number for a in doc.find("article")] == roman
    (preamble,) = doc.find("preamble")
    assert preamble.text == "THE CONTRACTING PARTIES, HEREBY AGREE AS HEREINAFTER PROVIDED:"
    assert [p.attrs["opening_phrase"] for p in preamble.children] == ["Having considered", "Recognizing", "Being convinced"]


def test_genocide_convention_article_2_clauses():
    a2 = article(GENOCIDE, "II")
    assert a2.text == ("In the present Convention, genocide means any of the following acts committed with intent to "
                       "destroy, in whole or in part, a national, ethnical, racial or religious group, as such:")
    assert [(c.number, c.text) for c in a2.children] == [
        ("a", "Killing members of the group;"),
        ("b", "Causing serious bodily or mental harm to members of the group;"),
        ("c", "Deliberately inflicting on the group conditions of life calculated to bring about its physical "
              "destruction in whole or in part;"),
        ("d", "Imposing measures intended to prevent births within the group;"),
        ("e", "Forcibly transferring children of the group to another group."),
    ]


def test_genocide_convention_unnumbered_paragraphs_and_own_references():
    a7 = article(GENOCIDE, "VII")
    assert a7.children == []
    assert a7.text == ("Genocide and the other acts enumerated in article III shall not be considered as political crimes "
                       "for the purpose of extradition. The Contracting Parties pledge themselves in such cases to grant "
                       "extradition in accordance with their laws and treaties in force.")
    assert paths(a7) == {(None, (("article", "III"),))}
    xvii = article(GENOCIDE, "XVII")
    assert paths(child(xvii, "clause", "c")) == {(None, (("article", "XIII"),))}
    assert paths(article(GENOCIDE, "VIII")) == {(CHARTER, ()), (None, (("article", "III"),))}


# -- the Rome Statute ----------------------------------------------------------------------------------

def test_rome_statute_parts_and_articles():
    doc = parsed(ROME)
    parts = doc.find("part")
    assert [p.number for p in parts] == [str(i) for i in range(1, 14)]
    assert (parts[1].title, parts[12].title) == ("JURISDICTION, ADMISSIBILITY AND APPLICABLE LAW", "FINAL CLAUSES")
    assert [a.number for a in doc.find("article")] == [str(i) for i in range(1, 129)]
    assert [a.number for a in parts[1].children] == [str(i) for i in range(5, 22)]
    assert article(ROME, "7").title == "Crimes against humanity"
    assert article(ROME, "10").title is None  # printed without a title
    assert article(ROME, "10").text.startswith("Nothing in this Part shall be interpreted")


def test_rome_statute_preamble_on_one_line():
    (preamble,) = parsed(ROME).find("preamble")
    assert preamble.text == "The States Parties to this Statute, Have agreed as follows:"
    assert [p.attrs["opening_phrase"] for p in preamble.children] == [
        "Conscious", "Mindful", "Recognizing", "Affirming", "Determined", "Recalling", "Reaffirming", "Emphasizing",
        "Determined", "Emphasizing", "Resolved"]
    assert (CHARTER, ()) in paths(preamble.children[6])


def test_rome_statute_article_7_letter_i_is_a_letter():
    p1 = child(article(ROME, "7"), "paragraph", "1")
    assert p1.text.startswith("For the purpose of this Statute, “crime against humanity” means any of the following acts")
    assert [c.number for c in p1.children] == list("abcdefghijk")
    assert child(p1, "clause", "a").text == "Murder;"
    assert child(p1, "clause", "i").text == "Enforced disappearance of persons;"
    assert [c.number for c in child(article(ROME, "7"), "paragraph", "2").children] == list("abcdefghi")


def test_rome_statute_article_8_roman_clauses_nested_in_letters():
    p2 = child(article(ROME, "8"), "paragraph", "2")
    assert [c.number for c in p2.children] == list("abcdef")
    romans = lambda letter: [c.number for c in child(p2, "clause", letter).children]  # noqa: E731
    assert len(romans("a")) == 8 and romans("a")[-1] == "viii"
    assert len(romans("b")) == 26 and romans("b")[-1] == "xxvi"
    assert romans("c") == ["i", "ii", "iii", "iv"] and romans("d") == []
    xxii = child(child(p2, "clause", "b"), "clause", "xxii")
    assert (None, (("article", "7"), ("para", "2"), ("clause", "f"))) in paths(xxii)
    # "serious violations of article 3 common to the four Geneva Conventions of 12 August 1949"
    assert ("geneva-conventions-1949", (("article", "3"),)) in paths(child(p2, "clause", "c"))
    # "Paragraph 2 c) applies to armed conflicts...": read inside Article 8.
    assert paths(child(p2, "clause", "d")) == {(None, (("article", "8"), ("para", "2"), ("clause", "c")))}


def test_rome_statute_three_levels_of_clauses_in_article_93():
    p10 = child(article(ROME, "93"), "paragraph", "10")
    assert p10.text == ""
    assert [c.number for c in p10.children] == ["a", "b", "c"]
    b = child(p10, "clause", "b")
    assert [c.number for c in b.children] == ["i", "ii"]
    assert [c.number for c in child(b, "clause", "i").children] == ["a", "b"]
    assert child(child(b, "clause", "ii"), "clause", "a").text.startswith(
        "If the documents or other types of evidence have been obtained with the assistance of a State")


def test_rome_statute_amendment_articles_reference_other_articles():
    p5 = child(article(ROME, "121"), "paragraph", "5")
    assert {(None, (("article", n),)) for n in ("5", "6", "7", "8")} <= paths(p5)
    p3 = child(article(ROME, "123"), "paragraph", "3")
    assert paths(p3) == {(None, (("article", "121"), ("para", str(n)))) for n in range(3, 8)}
    assert paths(child(article(ROME, "105"), "paragraph", "1")) == {
        (None, (("article", "103"), ("para", "1"), ("clause", "b")))}


def test_rome_statute_closing_formula_is_kept_apart():
    last = parsed(ROME).children[-1]
    assert (last.kind, last.number) == ("section", None)
    assert last.text == ("IN WITNESS WHEREOF, the undersigned, being duly authorized thereto by their respective "
                         "Governments, have signed this Statute. DONE at Rome, this 17th day of July 1998.")
    assert not article(ROME, "128").text.endswith("1998.")


# -- the Charter ---------------------------------------------------------------------------------------

def test_charter_chapters_sections_and_articles():
    doc = parsed(CHARTER)
    chapters = doc.find("chapter")
    assert [c.number for c in chapters] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
                                            "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX"]
    assert chapters[6].title == "Action with respect to threats to the peace, breaches of the peace and acts of aggression"
    assert [a.number for a in doc.find("article")] == [str(i) for i in range(1, 112)]
    assert [(s.number, s.title, [a.number for a in s.children]) for s in chapters[3].children] == [
        ("IV.1", "Composition", ["9"]),
        ("IV.2", "Functions and Powers", [str(i) for i in range(10, 18)]),
        ("IV.3", "Voting", ["18", "19"]),
        ("IV.4", "Procedure", ["20", "21", "22"]),
    ]
    assert [a.number for a in chapters[15].children] == ["102", "103", "104", "105"]


def test_charter_article_103_and_article_2_paragraph_4():
    a103 = article(CHARTER, "103")
    assert a103.children == [] and a103.title is None
    assert a103.text == ("In the event of a conflict between the obligations of the Members of the United Nations under "
                         "the present Charter and their obligations under any other international agreement, their "
                         "obligations under the present Charter shall prevail.")
    a2 = article(CHARTER, "2")
    assert a2.text == ("The Organization and its Members, in pursuit of the Purposes stated in Article 1, shall act in "
                       "accordance with the following Principles.")
    assert paths(a2) == {(None, (("article", "1"),))}
    assert [p.number for p in a2.children] == [str(i) for i in range(1, 8)]
    # "4.All Members" in the source: the number is glued to the text.
    assert child(a2, "paragraph", "4").text == (
        "All Members shall refrain in their international relations from the threat or use of force against the "
        "territorial integrity or political independence of any state, or in any other manner inconsistent with the "
        "Purposes of the United Nations.")


def test_charter_dotted_clauses_and_chapter_references():
    a13 = article(CHARTER, "13")
    p1 = child(a13, "paragraph", "1")
    assert [c.number for c in p1.children] == ["a", "b"]
    assert child(p1, "clause", "a").text.startswith("promoting international cooperation in the political field")
    assert paths(child(a13, "paragraph", "2")) == {
        (None, (("article", "13"), ("para", "1"), ("clause", "b"))), (None, (("chapter", "IX"),)), (None, (("chapter", "X"),))}


def test_charter_preamble_glued_words_are_repaired():
    (preamble,) = parsed(CHARTER).find("preamble")
    texts = [p.text for p in preamble.children]
    assert len(texts) == 8
    assert texts[0].startswith("We the peoples of the United Nations determined to save succeeding generations")
    assert texts[3] == "and to promote social progress and better standards of life in larger freedom,"
    assert texts[4].startswith("and for these ends to practice tolerance")
    assert preamble.text.startswith("Have resolved to combine our efforts to accomplish these aims. Accordingly, our")


def test_self_references_name_no_document():
    """"this Protocol", "the present Charter": the document itself, neither a link nor an id."""
    for doc_id in (PROTOCOL, ROME, CHARTER):
        for node in parsed(doc_id).walk():
            assert all(r.doc != doc_id for r in node.refs)
            assert all(r.path for r in node.refs if r.doc is None)


def test_a_treaty_with_no_articles_is_reported(tmp_path):
    manifest = load_manifest(CORPUS)
    meta = next(s for s in manifest.sources if s.id == CHARTER).meta
    path = tmp_path / "empty-treaty.txt"
    (doc,) = parse("Some Treaty\n\nThe Parties, agree to nothing.\n", ParseContext(meta, manifest.instruments, path=path))
    assert doc.warnings == [f"{path}: no articles found (expected lines such as 'Article 1')"]


def test_missing_article_heading_is_reported(tmp_path):
    manifest = load_manifest(CORPUS)
    meta = next(s for s in manifest.sources if s.id == CHARTER).meta
    path = tmp_path / "gap.txt"
    (doc,) = parse("Article 1\n\nOne.\n\nArticle 3\n\nThree.\n", ParseContext(meta, manifest.instruments, path=path))
    assert doc.warnings == [f"{path}: Article 3 follows Article number 1: a heading may be missing"]
    assert [a.text for a in doc.find("article")] == ["One.", "Three."]


# -- in the store ----------------------------------------------------------------------------------------

def test_store_links_protocol_articles_to_their_targets(corpus_store):
    a4, a3 = f"<{BASE}{PROTOCOL}/article/4>", f"<{BASE}{PROTOCOL}/article/3>"
    charter_103 = f"<{BASE}{CHARTER}/article/103>"
    assert corpus_store.ask(f"ASK {{ {a4} dcterms:references {charter_103} . {charter_103} a r2p:Article ; "
                            f"r2p:number '103' }}")
    assert corpus_store.ask(f"ASK {{ {a4} dcterms:references {a3} . {a3} dcterms:title 'Decision on genocide and genocidal acts' }}")
    rows = corpus_store.select(
        f"SELECT ?target WHERE {{ <{BASE}{PROTOCOL}/article/3/para/1/clause/a> dcterms:references ?target . "
        f"?target a r2p:Article }} ORDER BY ?target")
    assert [r["target"] for r in rows] == [f"{BASE}{GENOCIDE}/article/II", f"{BASE}{GENOCIDE}/article/III"]
    clause = f"<{BASE}{PROTOCOL}/article/5/para/2/clause/b>"
    assert corpus_store.ask(f"ASK {{ {clause} dcterms:references <{BASE}{PROTOCOL}/article/3/para/1/clause/a> . "
                            f"<{BASE}{PROTOCOL}/article/3/para/1/clause/a> a r2p:Clause }}")


def test_store_every_treaty_reference_to_a_corpus_treaty_reaches_an_existing_part(corpus_store):
    treaties = " ".join(f"<{BASE}{d}>" for d in (PROTOCOL, GENOCIDE, ROME, CHARTER))
    rows = corpus_store.select(
        f"SELECT DISTINCT ?target WHERE {{ ?source r2p:inDocument ?doc ; dcterms:references ?target . "
        f"VALUES ?doc {{ {treaties} }} FILTER(CONTAINS(STR(?target), '/article/') || CONTAINS(STR(?target), '/chapter/')) "
        f"FILTER NOT EXISTS {{ ?target r2p:inDocument ?any }} "
        f"FILTER(STRSTARTS(STR(?target), '{BASE}{PROTOCOL}/') || STRSTARTS(STR(?target), '{BASE}{GENOCIDE}/') "
        f"|| STRSTARTS(STR(?target), '{BASE}{ROME}/') || STRSTARTS(STR(?target), '{BASE}{CHARTER}/')) }}")
    assert rows == []


def test_cross_document_reference_carries_the_target_title():
    """The builder names a stub target from the Ref when the target is not ingested."""
    ref = article(PROTOCOL, "4").refs[-1]
    assert ref == Ref(surface="article 103", doc=CHARTER, path=(("article", "103"),), symbol=None,
                      title="Charter of the United Nations")
