"""Cited examples out of the graph: filter them and render them for study-guide authors.

One SPARQL query fetches every example with its country, kind, dating, quote and citation; the
filters are SPARQL conditions built from escaped literals, so a filter value can never change the
query's shape. Renderers: a text table, JSON, CSV, and Markdown ready to paste into a guide (one
bullet per example with a footnote citation; with a country filter, a country brief grouped by topic).
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import asdict, dataclass, field

from pyoxigraph import Literal

from ingest.namespaces import BASE, symbol_slug
from search.facets import Facets, facet_counts

FORMATS = ("table", "json", "csv", "md", "csljson", "ris")
KIND_TOPICS = {  # Markdown group titles for examples outside the report's policy options
    "situation": "Situations of concern",
    "historical": "Historical cases",
    "participation": "International participation",
    "practice": "National practice",
    "venue": "Meetings hosted",
}


@dataclass(frozen=True)
class ExampleFilter:
    """Every field optional; all given fields must hold. Text fields match case-insensitively."""

    country: str | None = None  # ISO alpha-3 or alpha-2 code, or a name ("Kenya", "Syria")
    region: str | None = None  # UN M49 region: Africa, Americas, Asia, Europe, Oceania
    risk_factor: str | None = None  # number ("9") or words of its title ("discrimination")
    policy_option: str | None = None  # words of a heading or measure ("Building national resilience")
    crime: str | None = None  # genocide, war-crimes, crimes-against-humanity, ethnic-cleansing, incitement
    kind: str | None = None  # practice, situation, historical, participation, venue
    year_from: int | None = None
    year_to: int | None = None
    document: str | None = None  # document id or UN symbol ("A/67/929", "A-67-929")
    text: str | None = None  # words the quote or the label contains


@dataclass
class Example:
    uri: str
    iso: str
    country: str
    region: str
    kind: str
    kind_label: str
    quote: str
    citation: str
    origin: str
    year: int | None = None
    year_end: int | None = None
    period: str | None = None
    what: str | None = None
    document: str = ""
    document_uri: str = ""
    section: str | None = None
    heading: str | None = None  # the report heading (top policy option) the example falls under
    policy_options: list[str] = field(default_factory=list)
    risk_factors: list[str] = field(default_factory=list)
    crimes: list[str] = field(default_factory=list)

    @property
    def when(self) -> str:
        if self.year is None:
            return ""
        return f"{self.year}–{self.year_end}" if self.year_end and self.year_end != self.year else str(self.year)


def sparql_literal(value: str) -> str:
    """A SPARQL string literal with every special character escaped (how any caller's text enters a query)."""
    return str(Literal(value))


def _lc(value: str) -> str:
    return sparql_literal(value.casefold())


def _conditions(flt: ExampleFilter) -> list[str]:
    out = []
    if flt.country:
        out.append(f"""FILTER EXISTS {{ ?c skos:notation|r2p:isoAlpha2|skos:prefLabel|skos:altLabel ?cn
                         FILTER(LCASE(STR(?cn)) = {_lc(flt.country.strip())}) }}""")
    if flt.region:
        out.append(f"FILTER(LCASE(STR(?regionLabel)) = {_lc(flt.region.strip())})")
    if flt.kind:
        out.append(f"FILTER(?kind = {sparql_literal(flt.kind.strip().lower())})")
    if flt.crime:
        out.append(f"""FILTER EXISTS {{ ?ex r2p:relatedCrime ?cr . ?cr skos:notation|skos:prefLabel ?crn
                         FILTER(LCASE(STR(?crn)) = {_lc(flt.crime.strip())}) }}""")
    if flt.risk_factor:
        value = flt.risk_factor.strip()
        test = (f"STR(?rfn) = {sparql_literal(value)}" if value.isdigit()
                else f"CONTAINS(LCASE(STR(?rfn)), {_lc(value)})")
        out.append(f"FILTER EXISTS {{ ?ex r2p:relatedRiskFactor ?rf . ?rf skos:notation|skos:prefLabel ?rfn FILTER({test}) }}")
    if flt.policy_option:
        out.append(f"""FILTER EXISTS {{ ?ex r2p:policyOption ?po . ?po skos:notation|skos:prefLabel ?pon
                         FILTER(CONTAINS(LCASE(STR(?pon)), {_lc(flt.policy_option.strip())})) }}""")
    if flt.year_from is not None:
        out.append(f"FILTER(BOUND(?year) && xsd:integer(STR(COALESCE(?yearEnd, ?year))) >= {int(flt.year_from)})")
    if flt.year_to is not None:
        out.append(f"FILTER(BOUND(?year) && xsd:integer(STR(?year)) <= {int(flt.year_to)})")
    if flt.document:
        doc_id = symbol_slug(flt.document)
        out.append(f"""FILTER(LCASE(STRAFTER(STR(?doc), "{BASE}doc/")) = {_lc(doc_id)}
                         || LCASE(STR(COALESCE(?docSymbol, ""))) = {_lc(flt.document.strip())})""")
    if flt.text:
        out.append(f"FILTER(CONTAINS(LCASE(CONCAT(?quote, \" \", COALESCE(?what, \"\"))), {_lc(flt.text.strip())}))")
    return out


def query_text(flt: ExampleFilter) -> str:
    """The SPARQL SELECT behind ``find_examples`` (shown to researchers who want to adapt it)."""
    conditions = "\n    ".join(_conditions(flt))
    return f"""
SELECT ?ex ?iso ?countryLabel ?regionLabel ?kind ?kindLabel ?year ?yearEnd ?period ?what ?quote ?origin ?doc ?docSymbol
       ?citation ?section
       (GROUP_CONCAT(DISTINCT ?poLabel; separator="|") AS ?options) (SAMPLE(?headingLabel) AS ?heading)
       (GROUP_CONCAT(DISTINCT ?rfNum; separator="|") AS ?risks)
       (GROUP_CONCAT(DISTINCT ?crimeKey; separator="|") AS ?crimes)
WHERE {{
    ?ex a r2p:CitedExample ; r2p:country ?c ; r2p:exampleKind ?k ; r2p:quote ?quote ; prov:wasDerivedFrom ?part .
    ?part r2p:inDocument ?doc .
    OPTIONAL {{ ?ex r2p:origin ?noteOrigin }} BIND(COALESCE(?noteOrigin, "un-text") AS ?origin)
    ?c skos:notation ?iso ; skos:prefLabel ?countryLabel .
    ?c r2p:region ?region . ?region skos:prefLabel ?regionLabel .  # every country has one (SHACL); OPTIONAL here cost 15x
    ?k skos:notation ?kind ; skos:prefLabel ?kindLabel .
    OPTIONAL {{ ?ex r2p:year ?year }} OPTIONAL {{ ?ex r2p:yearEnd ?yearEnd }} OPTIONAL {{ ?ex r2p:period ?period }}
    OPTIONAL {{ ?ex r2p:what ?what }} OPTIONAL {{ ?part r2p:inSection/dcterms:title ?section }}
    OPTIONAL {{ ?doc dcterms:identifier ?docSymbol }}
    OPTIONAL {{ ?part r2p:citation ?partCitation }}
    OPTIONAL {{ ?caller r2p:hasFootnote ?part ; r2p:citation ?callerCitation }}
    OPTIONAL {{ ?part oa:hasTarget/r2p:citation ?targetCitation }}
    BIND(IF(BOUND(?callerCitation), CONCAT(?callerCitation, ", footnote ", STRAFTER(STR(?part), "/footnote/")),
         IF(BOUND(?targetCitation), CONCAT(?partCitation, " (on ", ?targetCitation, ")"), ?partCitation)) AS ?citation)
    OPTIONAL {{ ?ex r2p:policyOption/skos:prefLabel ?poLabel }}
    OPTIONAL {{ ?ex r2p:policyOption ?heading . ?heading skos:topConceptOf ?scheme ; skos:prefLabel ?headingLabel }}
    OPTIONAL {{ ?ex r2p:relatedRiskFactor/skos:notation ?rfNum }}
    OPTIONAL {{ ?ex r2p:relatedCrime/skos:notation ?crimeKey }}
    {conditions}
}}
GROUP BY ?ex ?iso ?countryLabel ?regionLabel ?kind ?kindLabel ?year ?yearEnd ?period ?what ?quote ?origin ?doc ?docSymbol ?citation ?section
"""


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split("|") if v]


def _order(example: Example) -> tuple:
    """Document order: the UN text before guide notes, then by document, paragraph number, example number."""
    numbers = [int(n) for n in re.findall(r"/(\d+)(?=/|$)", example.uri)]
    return (example.origin != "un-text", example.document, numbers)


def find_examples(store, flt: ExampleFilter) -> list[Example]:
    rows = store.select(query_text(flt))
    out = []
    for r in rows:
        out.append(Example(
            uri=r["ex"], iso=r["iso"], country=r["countryLabel"], region=r.get("regionLabel", ""), kind=r["kind"],
            kind_label=r["kindLabel"], quote=r["quote"], citation=r.get("citation", ""), origin=r["origin"],
            year=int(r["year"]) if "year" in r else None, year_end=int(r["yearEnd"]) if "yearEnd" in r else None,
            period=r.get("period") or r.get("year"), what=r.get("what"), document=r.get("docSymbol") or r["doc"].rsplit("/", 1)[-1],
            document_uri=r["doc"],
            section=r.get("section"), heading=r.get("heading"), policy_options=sorted(_split(r.get("options"))),
            risk_factors=sorted(_split(r.get("risks")), key=int), crimes=sorted(_split(r.get("crimes")))))
    return sorted(out, key=_order)


# Facets of a set of examples: the (value, label) pairs each holds; the value is what the filter of the
# same name takes (a year is the from/to pair). Adding a facet is one entry.
EXAMPLE_FACETS: Facets = {
    "country": lambda e: [(e.iso, e.country)],
    "region": lambda e: [(e.region, e.region)] if e.region else [],
    "year": lambda e: [(e.year, e.when)] if e.year is not None else [],
    "kind": lambda e: [(e.kind, e.kind_label)],
    "document": lambda e: [(e.document, e.document)],
    "risk_factor": lambda e: [(r, f"risk factor {r}") for r in e.risk_factors],
    "crime": lambda e: [(c, c.replace("-", " ")) for c in e.crimes],
}


def example_facets(examples: list[Example]) -> dict[str, dict]:
    return facet_counts(examples, EXAMPLE_FACETS)


_DOCUMENT_FACTS = """
SELECT ?d ?title ?type ?date { GRAPH ?g { ?d prov:wasDerivedFrom ?g ; dcterms:title ?title ; r2p:documentType ?type .
  OPTIONAL { ?d dcterms:date ?date } } }
"""


def _document_facts(store) -> dict[str, dict]:
    """Document URI -> title, type and date, read from the document's own graph (not other graphs' stubs)."""
    return {r["d"]: r for r in store.select(_DOCUMENT_FACTS)}


# ---------------------------------------------------------------------------------------------------
# Renderers
# ---------------------------------------------------------------------------------------------------
def render_examples(store, flt: ExampleFilter, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}': expected one of {', '.join(FORMATS)}")
    examples = find_examples(store, flt)
    if fmt == "json":
        return json.dumps([asdict(e) for e in examples], ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        return examples_csv(examples)
    if fmt == "md":
        return _brief(examples) if flt.country else examples_markdown(examples)
    if fmt == "csljson":
        return json.dumps(_csl_items(examples, _document_facts(store)), ensure_ascii=False, indent=1) + "\n"
    if fmt == "ris":
        return _ris(examples, _document_facts(store))
    return _table(examples)


_COLUMNS = ("iso", "country", "kind", "when", "what", "citation", "origin", "quote")


def _row(e: Example) -> list[str]:
    return [inert(c) for c in (e.iso, e.country, e.kind, e.when, e.what or "", e.citation, e.origin, e.quote)]


def inert(cell: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection): ``=``, ``+``, ``-``, ``@``,
    tab or CR first gets a leading apostrophe. Document text is untrusted: any ingested PDF can say ``=HYPERLINK(...)``."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


_CSL_TYPES = {"report": "report", "resolution": "legislation", "treaty": "treaty", "letter": "document"}


def _issued(date: str | None) -> dict | None:
    parts = [int(x) for x in (date or "").split("-") if x.isdigit()]
    return {"date-parts": [parts]} if parts else None


def _csl_items(examples: list[Example], docs: dict[str, dict]) -> list[dict]:
    """CSL-JSON for reference managers (Zotero, Mendeley): the cited document, with the example's pinpoint and quote."""
    items = []
    for e in examples:
        doc = docs.get(e.document_uri, {})
        item = {"id": e.uri, "type": _CSL_TYPES.get(doc.get("type", ""), "document"),
                "title": doc.get("title", e.document), "number": e.document, "publisher": "United Nations",
                "URL": e.uri, "note": e.citation, "abstract": e.quote, "keyword": e.country}
        if _issued(doc.get("date")):
            item["issued"] = _issued(doc.get("date"))
        items.append(item)
    return items


_RIS_TYPES = {"report": "RPRT", "resolution": "GOVDOC", "treaty": "LEGAL", "letter": "GEN"}


def _ris(examples: list[Example], docs: dict[str, dict]) -> str:
    """RIS records (EndNote, Zotero, Mendeley import): one per example, the quote as abstract, the pinpoint as note."""
    records = []
    for e in examples:
        doc = docs.get(e.document_uri, {})
        date = doc.get("date") or ""
        lines = [("TY", _RIS_TYPES.get(doc.get("type", ""), "GEN")), ("TI", doc.get("title", e.document)),
                 ("AU", "United Nations"), ("PB", "United Nations"), ("M1", e.document),
                 ("PY", date[:4]), ("DA", date.replace("-", "/")), ("KW", e.country), ("N1", e.citation),
                 ("AB", e.quote), ("UR", e.uri), ("ID", e.uri)]
        records.append("\n".join(f"{tag}  - {' '.join(value.split())}" for tag, value in lines if value) + "\nER  - \n")
    return "\n".join(records)


def examples_csv(examples: list[Example]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_COLUMNS)
    writer.writerows(_row(e) for e in examples)
    return out.getvalue()


def _table(examples: list[Example]) -> str:
    """A plain-text table of the short columns (the quote is in the other formats)."""
    header = ["ISO", "Country", "Kind", "Year", "What", "Citation"]
    rows = [[e.iso, e.country, e.kind, e.when, _clip(e.what or "", 50), e.citation] for e in examples]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n{len(examples)} example{'s' if len(examples) != 1 else ''}\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _md(text: str) -> str:
    """Document text as Markdown text: HTML in it is shown, never run, by a renderer that passes HTML through."""
    return html.escape(text, quote=False)


def _bullet(e: Example, n: int, with_country: bool) -> str:
    """``- **Australia**, Closing the Gap strategy (2008, practice): “quote”[^1]``; the country is left out in a brief."""
    facts = ", ".join(x for x in (e.when, e.kind_label) if x)
    what = _md(e.what) if e.what else None
    if with_country:
        lead = f"**{_md(e.country)}**" + (f", {what}" if what else "") + f" ({facts})"
    elif what:
        lead = f"**{what}** ({facts})"
    else:
        lead = f"**{e.kind_label[0].upper()}{e.kind_label[1:]}**" + (f" ({e.when})" if e.when else "")
    source = " — *study guide note*" if e.origin == "guide-note" else ""
    return f"- {lead}: “{_md(e.quote)}”[^{n}]{source}"


def _footnotes(examples: list[Example]) -> list[str]:
    return [f"[^{n}]: {_md(e.citation)}." for n, e in enumerate(examples, start=1)]


def examples_markdown(examples: list[Example]) -> str:
    if not examples:
        return "_No cited examples match._\n"
    lines = [_bullet(e, n, True) for n, e in enumerate(examples, start=1)]
    return "\n".join(lines + [""] + _footnotes(examples)) + "\n"


def _topic(e: Example) -> str:
    """The report's heading (top policy option) when the example has one, else what kind of example it is."""
    return e.heading or KIND_TOPICS[e.kind]


def _brief(examples: list[Example]) -> str:
    """A country brief: every example about one country, grouped by topic, with footnote citations."""
    if not examples:
        return "_No cited examples match._\n"
    first = examples[0]
    countries = sorted({(e.country, e.iso) for e in examples})
    title = f"{first.country} ({first.iso})" if len(countries) == 1 else ", ".join(f"{c} ({i})" for c, i in countries)
    # Headings in the order the report reaches them, then the kinds; document order within a topic.
    order = list(dict.fromkeys(e.heading for e in examples if e.heading)) + list(KIND_TOPICS.values())
    ordered = sorted(examples, key=lambda e: order.index(_topic(e)))
    lines = [f"# {title}: cited examples", ""]
    topic = None
    for n, e in enumerate(ordered, start=1):
        if _topic(e) != topic:
            if topic is not None:
                lines.append("")
            topic = _topic(e)
            lines += [f"## {topic}", ""]
        lines.append(_bullet(e, n, len(countries) > 1))
    return "\n".join(lines + [""] + _footnotes(ordered)) + "\n"
