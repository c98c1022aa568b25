"""Cited examples: extraction from report paragraphs, guide notes and footnotes; the graph; the renderers."""
from __future__ import annotations

import json

import pytest

from ingest.entities import Linker
from ingest.examples import ExampleExtractor, find_dating, literal_starts
from ingest.model import DocMeta, Node
from dataclasses import replace

from kg.cited_examples import (ExampleFilter, example_facets, examples_csv, examples_markdown, find_examples,
                               render_examples)
from kg.cited_examples_eval import extracted, load_gold, score
from kg.catalogue import example_label
from tests.conftest import EVAL

REPORT = DocMeta(id="A-67-929", type="report", title="Responsibility to protect: State responsibility and prevention",
                 symbol="A/67/929–S/2013/399")
GUIDE = DocMeta(id="wimun-2025-ga2-study-guide", type="study_guide", title="WIMUN New York 2025 Study Guide")
RESOLUTION = DocMeta(id="S-RES-794-1992", type="resolution", title="Security Council resolution 794 (1992)")
DOC = "https://w3id.org/r2p-kg/doc/"
GOLD = EVAL / "examples_gold.jsonl"

# Paragraph texts copied from corpus/seeds/wimun-2025-study-guide-ga2-r2p-sg-report-2013.txt.
PARA_46 = ('In 2008, Australia adopted the "Closing the Gap" strategy at the national level, which is aimed at reducing '
           'disparities between the indigenous and non-indigenous populations with respect to life expectancy, child '
           'mortality, access to early childhood education, educational achievement and employment. In Ecuador, the '
           'Constitution serves as the foundation for social protection policies and more inclusive economic growth. '
           'The adoption of a national development plan has paved the way for the promotion of inclusiveness and '
           'transparency by incorporating social actors in the development process.')
PARA_72 = ("The consequences of the failure by States to protect their populations were evident in the brutal legacy of "
           "the twentieth century. Since the beginning of the twenty-first century, we have again witnessed atrocity "
           "crimes that are the direct consequence of the failure of States to take preventive action, including in "
           "Côte d'Ivoire, the Democratic Republic of the Congo, Kenya, Sri Lanka, the Sudan and the Syrian Arab "
           "Republic. These situations are particularly tragic when we know that they could have been prevented.")
PARA_10 = ("In addition to written submissions, in April 2013, the Secretariat held consultations with more than 120 "
           "Member States from Africa, Asia, Europe and Latin America and the Caribbean in meetings with regional "
           "groupings in New York. In addition, Slovenia organized a consultative meeting in Ljubljana, in which 31 "
           "European Member States participated. The consultations and written contributions informed the content "
           "of the present report.")
PARA_30_PART = ("The Holocaust did not originate in the gas chambers and the genocide in Rwanda did not start with "
                "massacres in churches. Those genocides started with hate speech, discrimination and marginalization. "
                "In Argentina, the identification of perceived political opponents by the military regime that ruled "
                "from 1976 to 1983 was a step towards widespread arbitrary detentions, enforced disappearances, torture "
                "and other acts that constituted atrocity crimes.")
PARA_57 = ("Some States have already taken this step. In 2010, Denmark and Ghana launched an initiative on the "
           "responsibility to protect focal points. Australia and Costa Rica have since joined the organizing group. "
           "At present, 28 States representing all regions have appointed national responsibility to protect focal "
           "points. As with any national initiative, each State has approached this function from its own perspective. "
           "In Denmark, the appointment of a national focal point on the responsibility to protect was followed by the "
           "establishment of an inter-ministerial coordination mechanism, based on each ministry's relevance to the "
           "implementation of the three pillars of the responsibility to protect. In a separate initiative, a series of "
           "regional conferences on the prevention of genocide organized by Argentina, Cambodia, Switzerland and the "
           "United Republic of Tanzania since 2008 has led to the creation of a network of genocide prevention focal "
           "points and facilitated an exchange of lessons learned.")
PARA_59 = ("In Africa, Kenya, Rwanda, Uganda and the United Republic of Tanzania have established national committees on "
           "the prevention and punishment of the crime of genocide, war crimes, crimes against humanity and all forms "
           "of discrimination, based on the Protocol of the International Conference on the Great Lakes Region and "
           "building on the Genocide Convention and the Rome Statute of the International Criminal Court. All 11 Member "
           "States of this subregional body have committed to establishing similar committees.")
FOOTNOTE_5 = ("Angola, Burundi, Central African Republic, Democratic Republic of the Congo, Kenya, Uganda, Republic of the "
              "Congo, Rwanda, Sudan, United Republic of Tanzania and Zambia.")
NOTE_ON_24 = ("The Rome Statute of the International Criminal Court is the treaty that established the International "
              "Criminal Court (ICC) in the Hague. 1 July 2022 marked the 20th anniversary of the entering into force of "
              "the Rome Statute, which was ratified by Ireland in March 2002. Under the Rome Statute the ICC has "
              "jurisdiction over four categories of the most serious crimes of concern to the international community; "
              "genocide, crimes against humanity, war crimes and crimes of aggression.")


@pytest.fixture(scope="module")
def extractor() -> ExampleExtractor:
    return ExampleExtractor.default()


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker.default()


def run(extractor, linker, text, meta=REPORT, kind="paragraph", section_title=None):
    node = Node(kind, "1", text=text)
    return extractor.extract(node, linker.link(text), {"doc": meta, "section": None, "section_title": section_title})


def brief(examples):
    return [(e.country, e.kind, e.year, e.year_end, e.what) for e in examples]


def test_para_46_australia_2008_closing_the_gap(extractor, linker):
    examples = run(extractor, linker, PARA_46, section_title="Building national resilience")
    assert brief(examples) == [("AUS", "practice", 2008, None, "Closing the Gap strategy"),
                               ("ECU", "practice", None, None, "Constitution")]
    australia = examples[0]
    assert australia.quote == PARA_46.split(" In Ecuador")[0]
    assert australia.period == "In 2008"
    assert australia.origin == "un-text"
    assert australia.policy_options == ["https://w3id.org/r2p-kg/policy-option/building-national-resilience",
                                        "https://w3id.org/r2p-kg/policy-option/horizontal-equality"]
    assert australia.risk_factors == ["https://w3id.org/r2p-kg/risk-factor/9"]


def test_a_measure_is_read_from_its_terms_in_any_case(extractor, linker):
    # "ſocial protection" (a long s) matches the term "social protection" case-insensitively, as "DISPARITIES"
    # does "disparities": two terms of horizontal equality against one ("constitution") of the option before it.
    text = "In 2008, Kenya adopted a plan to address DISPARITIES and \u017focial protection, and a new Constitution."
    [kenya] = run(extractor, linker, text, section_title="Building national resilience")
    assert kenya.policy_options == ["https://w3id.org/r2p-kg/policy-option/building-national-resilience",
                                    "https://w3id.org/r2p-kg/policy-option/horizontal-equality"]


def test_para_72_six_situations_share_one_sentence(extractor, linker):
    examples = run(extractor, linker, PARA_72)
    assert [(e.country, e.kind, e.index) for e in examples] == [
        ("CIV", "situation", 1), ("COD", "situation", 2), ("KEN", "situation", 3),
        ("LKA", "situation", 4), ("SDN", "situation", 5), ("SYR", "situation", 6)]
    assert {e.quote for e in examples} == {PARA_72.split(". ")[1] + "."}


def test_country_named_as_place_of_a_meeting_is_a_venue(extractor, linker):
    assert brief(run(extractor, linker, PARA_10)) == [("SVN", "venue", None, None, "consultative meeting in Ljubljana")]


def test_historical_cases_with_a_period(extractor, linker):
    assert brief(run(extractor, linker, PARA_30_PART)) == [("RWA", "historical", None, None, None),
                                                           ("ARG", "historical", 1976, 1983, None)]


def test_para_57_participation_and_practice_of_the_same_country(extractor, linker):
    assert brief(run(extractor, linker, PARA_57)) == [
        ("DNK", "participation", 2010, None, "initiative on the responsibility to protect focal points"),
        ("GHA", "participation", 2010, None, "initiative on the responsibility to protect focal points"),
        ("AUS", "participation", None, None, "organizing group"),
        ("CRI", "participation", None, None, "organizing group"),
        ("DNK", "practice", None, None, None),
        ("ARG", "participation", 2008, None, None), ("KHM", "participation", 2008, None, None),
        ("CHE", "participation", 2008, None, None), ("TZA", "participation", 2008, None, None)]


def test_one_example_per_listed_country_and_a_footnote_list_is_participation(extractor, linker):
    what = "national committees on the prevention and punishment of the crime of genocide"
    assert brief(run(extractor, linker, PARA_59)) == [(iso, "practice", None, None, what) for iso in ("KEN", "RWA", "UGA", "TZA")]
    footnote = run(extractor, linker, FOOTNOTE_5, kind="footnote")
    assert [(e.country, e.kind, e.in_footnote) for e in footnote] == [
        (iso, "participation", True) for iso in ("AGO", "BDI", "CAF", "COD", "KEN", "UGA", "COG", "RWA", "SDN", "TZA", "ZMB")]


def test_guide_note_is_marked_as_such(extractor, linker):
    examples = run(extractor, linker, NOTE_ON_24, meta=GUIDE, kind="note")
    assert brief(examples) == [("IRL", "participation", 2002, None, "Rome Statute")]
    assert examples[0].origin == "guide-note"


def test_resolutions_and_treaties_give_mentions_not_examples(extractor, linker):
    text = "Recognizing the unique character of the present situation in Somalia"
    assert linker.link(text)[0].key == "SOM"
    assert run(extractor, linker, text, meta=RESOLUTION) == []


@pytest.mark.parametrize("sentence, expected", [
    ("In 2008, Australia adopted the strategy", (2008, None, "In 2008")),
    ("the military regime that ruled from 1976 to 1983 was", (1976, 1983, "from 1976 to 1983")),
    ("conferences organized by Argentina since 2008 has led", (2008, None, "since 2008")),
    ("a 1990 pardon was overturned in 2003, when", (2003, None, "in 2003")),
    ("atrocities committed during the 1990s", (1990, 1999, "during the 1990s")),
    ("The Act, 2064 (2007) established a quota", (2007, None, "2007")),
    ("under Security Council resolution 1325 and document A/63/677", None),
    ("TELEPHONE (212) 230- 1900 Fax (212) 230-1172 E-mail: kazakhstan@un.int", None),  # a letterhead's numbers
])
def test_dating(sentence, expected):
    d = find_dating(sentence)
    assert (d.year, d.year_end, d.phrase) == expected if expected else d is None


# -- in the ingested graph ------------------------------------------------------------------------
def test_para_46_example_triples(corpus_store):
    ex = f"{DOC}A-67-929/para/46/example/1"
    rows = corpus_store.select(f"SELECT ?p ?o {{ <{ex}> ?p ?o }}")
    names = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "rdf:type",
             "http://www.w3.org/ns/prov#wasDerivedFrom": "prov:wasDerivedFrom"}
    got = {(names.get(r["p"], r["p"].removeprefix("https://w3id.org/r2p-kg/ontology#")), r["o"]) for r in rows}
    assert got == {
        ("rdf:type", "https://w3id.org/r2p-kg/ontology#CitedExample"),
        ("country", "https://w3id.org/r2p-kg/country/AUS"),
        ("exampleKind", "https://w3id.org/r2p-kg/example-kind/practice"),
        ("quote", PARA_46.split(" In Ecuador")[0]),
        ("what", "Closing the Gap strategy"), ("year", "2008"), ("period", "In 2008"),
        ("prov:wasDerivedFrom", f"{DOC}A-67-929/para/46"),  # its document, section and origin: the paragraph's
        ("policyOption", "https://w3id.org/r2p-kg/policy-option/building-national-resilience"),
        ("policyOption", "https://w3id.org/r2p-kg/policy-option/horizontal-equality"),
        ("relatedRiskFactor", "https://w3id.org/r2p-kg/risk-factor/9"),
    }


def test_a_bare_year_is_not_repeated_as_the_period(corpus_store):
    """"the 2006 general election in Guyana": r2p:year 2006 and no r2p:period triple; the period shown is still "2006"."""
    ex = f"{DOC}A-67-929/para/38/example/1"
    assert corpus_store.select(f"SELECT ?p ?o {{ <{ex}> ?p ?o FILTER(?p IN (r2p:year, r2p:period)) }}") == [
        {"p": "https://w3id.org/r2p-kg/ontology#year", "o": "2006"}]
    [found] = [e for e in find_examples(corpus_store, ExampleFilter(country="GUY", document="A/67/929")) if e.uri == ex]
    assert (found.year, found.period) == (2006, "2006")


def test_example_label_is_computed_not_stored(corpus_store):
    """The page's name of an example comes from its country and what it cites (issue 14: no rdfs:label triple)."""
    assert example_label(corpus_store, f"{DOC}A-67-929/para/46/example/1") == "Australia: Closing the Gap strategy"
    assert example_label(corpus_store, f"{DOC}A-67-929/para/46") is None


def test_para_72_and_the_venue_in_the_graph(corpus_store):
    rows = corpus_store.select(f"""SELECT ?ex ?iso ?kind {{ ?ex prov:wasDerivedFrom ?p ; r2p:country/skos:notation ?iso ;
        r2p:exampleKind/skos:notation ?kind VALUES ?p {{ <{DOC}A-67-929/para/72> <{DOC}A-67-929/para/10> }} }} ORDER BY ?ex""")
    assert [(r["ex"].removeprefix(DOC), r["iso"], r["kind"]) for r in rows] == [
        ("A-67-929/para/10/example/1", "SVN", "venue")] + [
        (f"A-67-929/para/72/example/{n}", iso, "situation")
        for n, iso in enumerate(["CIV", "COD", "KEN", "LKA", "SDN", "SYR"], start=1)]


def test_footnote_5_names_the_great_lakes_states_in_the_graph(corpus_store):
    rows = corpus_store.select(f"SELECT ?iso {{ ?ex r2p:inFootnote <{DOC}A-67-929/footnote/5> ; r2p:country/skos:notation ?iso }}")
    assert len(rows) == 11


def test_extraction_meets_the_gold_set(corpus_store):
    result = score(load_gold(GOLD), extracted(corpus_store))
    assert result.precision >= 0.98
    assert result.recall >= 0.99
    assert result.missed == [("COD", "note on A-67-929/para/28", "situation", None)]


# -- rendering ----------------------------------------------------------------------------------------
KEN_BRIEF = """# Kenya (KEN): cited examples

## Promoting and protecting human rights

- **National Cohesion and Integration Commission** (2008, practice): “In Kenya, the National Cohesion and Integration Commission was established in 2008 to facilitate and promote equality of opportunity, good relations, harmony and peaceful coexistence between persons of different ethnic and racial backgrounds and to advise the Government on measures to increase knowledge, improve practices on cohesion, eliminate discrimination and strengthen good governance.”[^1]

## Adopting targeted measures to prevent atrocity crimes

- **national committees on the prevention and punishment of the crime of genocide** (practice): “In Africa, Kenya, Rwanda, Uganda and the United Republic of Tanzania have established national committees on the prevention and punishment of the crime of genocide, war crimes, crimes against humanity and all forms of discrimination, based on the Protocol of the International Conference on the Great Lakes Region and building on the Genocide Convention and the Rome Statute of the International Criminal Court.”[^2]

## Situations of concern

- **Situation of concern**: “Since the beginning of the twenty-first century, we have again witnessed atrocity crimes that are the direct consequence of the failure of States to take preventive action, including in Côte d'Ivoire, the Democratic Republic of the Congo, Kenya, Sri Lanka, the Sudan and the Syrian Arab Republic.”[^3]
- **Situation of concern**: “R2P-driven strategies have had a number of successes, notably in stopping the recurrence of violence in Kenya, the West African cases of Sierra Leone, Liberia, Guinea, Côte d'Ivoire and The Gambia, and in Kyrgyzstan.”[^4] — *study guide note*

## International participation

- **Participation**: “Angola, Burundi, Central African Republic, Democratic Republic of the Congo, Kenya, Uganda, Republic of the Congo, Rwanda, Sudan, United Republic of Tanzania and Zambia.”[^5]

[^1]: A/67/929–S/2013/399, para. 52.
[^2]: A/67/929–S/2013/399, para. 59.
[^3]: A/67/929–S/2013/399, para. 72.
[^4]: WIMUN New York 2025 Study Guide: General Assembly Plenary 2, note 15 (on A/67/929–S/2013/399, para. 28).
[^5]: A/67/929–S/2013/399, para. 59, footnote 5.
"""


def test_country_brief_in_markdown(corpus_store):
    assert render_examples(corpus_store, ExampleFilter(country="KEN"), "md") == KEN_BRIEF
    assert render_examples(corpus_store, ExampleFilter(country="kenya"), "md") == KEN_BRIEF


def test_markdown_bullets_with_footnote_citations(corpus_store):
    assert render_examples(corpus_store, ExampleFilter(kind="venue"), "md") == (
        "- **Slovenia**, consultative meeting in Ljubljana (venue): “In addition, Slovenia organized a consultative "
        "meeting in Ljubljana, in which 31 European Member States participated.”[^1]\n"
        "- **Armenia**, 5th Global Forum against the Crime of Genocide (venue): “On December 12-13 Armenia hosted the "
        "5th Global Forum against the Crime of Genocide.”[^2]\n\n"
        "[^1]: A/67/929–S/2013/399, para. 10.\n[^2]: A/79/785–S/2025/94, ¶3.\n")  # the letter prints no numbers


def test_table_csv_and_json(corpus_store):
    assert render_examples(corpus_store, ExampleFilter(region="Oceania"), "table") == (
        "ISO  Country    Kind           Year  What                      Citation\n"
        "---  ---------  -------------  ----  ------------------------  ---------------------------------------------------"
        "----------------------------------------------------\n"
        "AUS  Australia  practice       2008  Closing the Gap strategy  A/67/929–S/2013/399, para. 46\n"
        "AUS  Australia  participation        organizing group          A/67/929–S/2013/399, para. 57\n"
        "AUS  Australia  situation                                      WIMUN New York 2025 Study Guide: General Assembly "
        "Plenary 2, note 20 (on A/67/929–S/2013/399, para. 46)\n"
        "3 examples\n")
    assert render_examples(corpus_store, ExampleFilter(document="A/67/929", text="closing the gap"), "csv") == (
        "iso,country,kind,when,what,citation,origin,quote\n"
        'AUS,Australia,practice,2008,Closing the Gap strategy,"A/67/929–S/2013/399, para. 46",un-text,"'
        + PARA_46.split(" In Ecuador")[0].replace('"', '""') + '"\n')
    data = json.loads(render_examples(corpus_store, ExampleFilter(country="ARG", year_from=1970, year_to=1985), "json"))
    assert [(d["uri"].removeprefix(DOC), d["year"], d["year_end"], d["period"], d["kind"]) for d in data] == [
        ("A-67-929/para/30/example/2", 1976, 1983, "from 1976 to 1983", "historical")]


@pytest.mark.parametrize("flt, expected", [
    (ExampleFilter(policy_option="targeted measures", year_from=2010),
     ["A-67-929/para/57/example/1", "A-67-929/para/57/example/2", "A-67-929/para/58/example/1", "A-67-929/para/62/example/1"]),
    (ExampleFilter(crime="crimes-against-humanity", kind="practice"),
     [f"A-67-929/para/40/example/{n}" for n in range(1, 6)] + [f"A-67-929/para/59/example/{n}" for n in range(1, 5)]),
    (ExampleFilter(risk_factor="9", country="Canada"), ["A-67-929/para/36/example/1"]),
    (ExampleFilter(year_from=1990, year_to=1999),
     ["A-67-929/para/43/example/1", "wimun-2025-ga2-study-guide/note/1/example/1", "wimun-2025-ga2-study-guide/note/1/example/2"]),
    (ExampleFilter(document="A/79/785–S/2025/94"), ["A-79-785/para/3/example/1", "A-79-785/para/19/example/1"]),
    (ExampleFilter(country="Narnia"), []),
    (ExampleFilter(text='") } DROP ALL #'), []),  # a filter value is a literal, never query syntax
])
def test_filters(corpus_store, flt, expected):
    assert [e.uri.removeprefix(DOC) for e in find_examples(corpus_store, flt)] == expected


def test_unknown_format_is_a_clear_error(corpus_store):
    with pytest.raises(ValueError, match="unknown format 'xml': expected one of table, json, csv, md"):
        render_examples(corpus_store, ExampleFilter(), "xml")


# -- facets and exports for reference managers ---------------------------------------------------------------
def test_example_facets_count_what_each_filter_would_keep(corpus_store):
    oceania = find_examples(corpus_store, ExampleFilter(region="Oceania"))
    facets = example_facets(oceania)
    assert facets["country"] == {"values": [{"value": "AUS", "label": "Australia", "count": 3}], "truncated": False}
    assert facets["kind"]["values"] == [{"value": "participation", "label": "participation", "count": 1},
                                        {"value": "practice", "label": "practice", "count": 1},
                                        {"value": "situation", "label": "situation of concern", "count": 1}]
    assert facets["year"]["values"] == [{"value": 2008, "label": "2008", "count": 1}]
    everything = example_facets(find_examples(corpus_store, ExampleFilter()))
    africa = next(v for v in everything["region"]["values"] if v["value"] == "Africa")
    assert africa["count"] == len(find_examples(corpus_store, ExampleFilter(region="Africa")))


def test_csl_json_and_ris_carry_the_document_pinpoint_and_quote(corpus_store):
    flt = ExampleFilter(document="A/67/929", text="closing the gap")
    [item] = json.loads(render_examples(corpus_store, flt, "csljson"))
    assert item == {"id": DOC + "A-67-929/para/46/example/1", "type": "report",
                    "title": "Responsibility to protect: State responsibility and prevention",
                    "number": "A/67/929–S/2013/399", "publisher": "United Nations", "URL": DOC + "A-67-929/para/46/example/1",
                    "note": "A/67/929–S/2013/399, para. 46", "abstract": PARA_46.split(" In Ecuador")[0],
                    "keyword": "Australia", "issued": {"date-parts": [[2013, 7, 9]]}}
    ris = render_examples(corpus_store, flt, "ris")
    assert ris.splitlines()[:9] == [
        "TY  - RPRT", "TI  - Responsibility to protect: State responsibility and prevention", "AU  - United Nations",
        "PB  - United Nations", "M1  - A/67/929–S/2013/399", "PY  - 2013", "DA  - 2013/07/09", "KW  - Australia",
        "N1  - A/67/929–S/2013/399, para. 46"]
    assert ris.endswith("ER  - \n") and ris.count("TY  - ") == 1


def _hostile(corpus_store):
    [example] = find_examples(corpus_store, ExampleFilter(document="A/67/929", text="closing the gap"))
    return example


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cell_starting_with_a_formula_character_is_neutralised(corpus_store, lead):
    """OWASP CSV injection: an ingested text saying =HYPERLINK(...) must not run in the author's spreadsheet."""
    example = replace(_hostile(corpus_store), what=lead + 'HYPERLINK("http://evil.example","x")', quote=lead + "1+1")
    row = examples_csv([example]).splitlines()[1] if lead not in "\r" else examples_csv([example])
    assert f"'{lead}HYPERLINK" in row and f"'{lead}1+1" in row


def test_markdown_export_escapes_html_in_document_text(corpus_store):
    example = replace(_hostile(corpus_store), what="<img src=x onerror=alert(1)>", quote="a <script>x()</script> & b",
                      citation="<b>A/67/929</b>, para. 46")
    md = examples_markdown([example])
    assert "<img" not in md and "<script>" not in md and "<b>" not in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md and "“a &lt;script&gt;x()&lt;/script&gt; &amp; b”[^1]" in md
    assert md.endswith("[^1]: &lt;b&gt;A/67/929&lt;/b&gt;, para. 46.\n")


@pytest.mark.parametrize("pattern, starts", [
    (r"\bfailures?\b", ["failure"]),
    (r"\bsuccess(?:es)?\b", ["success"]),
    (r"\b(?:presented|sponsored|tabled) by\b", ["presented", "sponsored", "tabled"]),
    (r"\borganized an? (?:\w+ ){0,3}meeting", ["organized a"]),
    (r"\bhosted\b|\bvenue\b", None),  # two alternatives at the top: no one start
    (r"(?=x)abc", None),
    (r"(?:a|b.c)d", None),
])
def test_the_words_a_cue_pattern_starts_with(pattern, starts):
    """A sentence holding none of these words is not searched for the cue, so they must be in every match."""
    assert literal_starts(pattern) == starts
