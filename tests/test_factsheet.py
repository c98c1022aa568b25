"""Fact sheet parser: the Office brochure's two interleaved columns put back into sections and lists."""
from __future__ import annotations

import pytest

from ingest.manifest import load_manifest
from ingest.model import DocMeta
from ingest.parsers import ParseContext
from ingest.parsers.factsheet import parse
from ingest.references import Instruments
from tests.conftest import CORPUS

DOC = "https://w3id.org/r2p-kg/doc/osapg-office-brochure"


@pytest.fixture(scope="module")
def brochure():
    manifest = load_manifest(CORPUS)
    source = next(s for s in manifest.sources if s.meta.id == "osapg-office-brochure")
    [doc] = parse(source.path.read_text(encoding="utf-8"), ParseContext(source.meta, manifest.instruments,
                                                                         path=source.path))
    return doc


def _first_words(nodes, n=4):
    return [" ".join(node.text.split()[:n]) for node in nodes]


def test_sections_and_subsections(brochure):
    assert [(n.kind, n.number) for n in brochure.children] == [
        ("paragraph", "1"), ("section", "1"), ("section", "2"), ("section", "3")]
    assert [s.title for s in brochure.find("section")] == [
        "Core functions of the Office",
        "The Responsibility to Protect",
        "Understanding genocide, war crimes, ethnic cleansing and crimes against humanity",
    ]
    [core] = brochure.find("section", "1")
    assert [(s.kind, s.number, s.title) for s in core.children] == [
        ("subsection", None, "Monitoring and risk assessment"),
        ("subsection", None, "Enhancing capacity"),
        ("subsection", None, "Advising and mobilising"),
        ("subsection", None, "Advancing the Responsibility to Protect"),
        ("subsection", None, "Raising awareness"),
    ]
    assert brochure.warnings == []


def test_each_core_function_has_its_description_and_its_activities(brochure):
    """Items interrupted by the other column (e.g. "Analyze developments", "Provide technical assistance")
    are returned to the list they continue."""
    [core] = brochure.find("section", "1")
    activities = {s.title: [n for n in s.children if n.kind == "item"] for s in core.children}
    assert {title: _first_words(items) for title, items in activities.items()} == {
        "Monitoring and risk assessment": [
            "Collect and assess information", "Analyze developments worldwide based",
            "Maintain an internal database"],
        "Enhancing capacity": [
            "Conduct training seminars for", "Provide technical assistance to",
            "Promote and contribute to", "Provide strategic guidance to"],
        "Advising and mobilising": [
            "Advise the Secretary-General on", "Issue public statements and", "Convene key Under Secretaries-General"],
        "Advancing the Responsibility to Protect": [
            "Develop further political and", "Assist the Secretary-General in", "Encourage other inter-governmental bodies",
            "Assist the General Assembly,", "Identify ways to integrate"],
        "Raising awareness": [
            "Undertake outreach missions to", "Organize high-level events and", "Disseminate the Office’s Frameworks"],
    }
    assert [n.number for items in activities.values() for n in items] == [str(i) for i in range(1, 19)]
    descriptions = {s.title: [n.text for n in s.children if n.kind == "paragraph"] for s in core.children}
    assert descriptions["Advising and mobilising"] == [
        "Alerting the Secretary-General and, through him, the Security Council, to situations where there is a risk "
        "of genocide, war crimes, ethnic cleansing, or crimes against humanity; recommending preventive action by "
        "the United Nations and its partners; and mobilising the United Nations system, Member States, regional and "
        "sub-regional arrangements and civil society to prevent or halt these crimes."]
    assert all(len(texts) == 1 for texts in descriptions.values())
    # An item split by a blank line in the middle ("...Responsibility to Protect\n\nthrough continued...") is whole.
    assert activities["Advancing the Responsibility to Protect"][0].text == (
        "Develop further political and institutional consensus on the implementation of the Responsibility to "
        "Protect through continued consultations and engagement with Member States, civil society and the United "
        "Nations;")
    assert activities["Enhancing capacity"][3].text.endswith("and/or assist governments in doing so.")


def test_displaced_prose_goes_to_the_section_it_belongs_to(brochure):
    [r2p, crimes] = brochure.find("section")[1:]
    assert _first_words(r2p.children) == ["As stipulated in the", "The Heads of State"]
    assert _first_words(crimes.children) == [
        "Genocide is the deliberate",  # its own, after the heading
        "War crimes, ethnic cleansing",  # displaced among the core functions
        "Stemming from both structural",
        "Since the root causes",
    ]
    assert crimes.children[1].text.endswith("may constitute one of the other three crimes.")
    assert [r.doc for r in crimes.children[1].refs] == ["A-CONF.183-9"]  # the Rome Statute
    assert [n.number for n in brochure.find("paragraph")] == [str(i) for i in range(1, 13)]
    assert brochure.children[0].text.startswith("The Special Advisers on the Prevention of Genocide")


def test_a_plain_single_column_fact_sheet():
    text = ("About us\nWe protect people.\n\nWhat we do\n\nOur work is varied.\nActivities\n»» Train staff;\n"
            "»» Write reports.\n\nContact\nEmail us at the Office.\n")
    [doc] = parse(text, ParseContext(DocMeta(id="x", type="fact_sheet", title="X"), Instruments()))
    assert [(s.number, s.title, [(c.kind, c.number, c.text) for c in s.children]) for s in doc.find("section")] == [
        ("1", "About us", [("paragraph", "1", "We protect people.")]),
        ("2", "What we do", [("paragraph", "2", "Our work is varied."), ("item", "1", "Train staff;"),
                             ("item", "2", "Write reports.")]),
        ("3", "Contact", [("paragraph", "3", "Email us at the Office.")]),
    ]
    assert doc.warnings == []


def test_graph_sections_and_activities(corpus_store):
    rows = corpus_store.select(f"""SELECT ?text WHERE {{
        <{DOC}/section/1/subsection/2> a r2p:Subsection ; dcterms:title "Enhancing capacity" ;
            dcterms:isPartOf <{DOC}/section/1> ; r2p:inDocument <{DOC}> .
        ?item a r2p:Item ; dcterms:isPartOf <{DOC}/section/1/subsection/2> ; r2p:text ?text ; r2p:order ?o }}
        ORDER BY ?o""")
    assert [r["text"].split()[0:3] for r in rows] == [
        ["Conduct", "training", "seminars"], ["Provide", "technical", "assistance"],
        ["Promote", "and", "contribute"], ["Provide", "strategic", "guidance"]]
    rows = corpus_store.select(f"""SELECT ?title WHERE {{
        ?s a r2p:Section ; r2p:inDocument <{DOC}> ; dcterms:title ?title ; r2p:order ?o }} ORDER BY ?o""")
    assert [r["title"] for r in rows] == [
        "Core functions of the Office", "The Responsibility to Protect",
        "Understanding genocide, war crimes, ethnic cleansing and crimes against humanity"]
    assert corpus_store.ask(f"""ASK {{ <{DOC}/para/10> r2p:inSection <{DOC}/section/3> ;
        dcterms:references <https://w3id.org/r2p-kg/doc/A-CONF.183-9> }}""")


def test_a_list_before_any_heading_stays_in_the_lead_with_a_warning():
    [doc] = parse("Our activities\n»» Train staff;\n»» Write reports.\n",
                  ParseContext(DocMeta(id="x", type="fact_sheet", title="X"), Instruments(), path="new/sheet.txt"))
    assert [(n.kind, n.number, n.text) for n in doc.children] == [
        ("item", "1", "Train staff;"), ("item", "2", "Write reports.")]
    assert doc.warnings == ["new/sheet.txt:1: list header 'Our activities' before any section; its items go to the lead"]
