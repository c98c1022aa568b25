"""Country positions: what a State (or organization, or group) said on the R2P themes, over time.

Two views over the statement paragraphs tagged with themes (``r2p:raisesTheme``), where a speaker
is what a statement represents or the group it is made on behalf of:
- a timeline for one speaker: date, occasion, themes, the quote and its citation, ready to paste;
- a States x themes x years table counting the statements that raised each theme, each cell
  carrying the ``r2p positions`` filter that lists its quotes.

A statement collected by the Global Centre and also printed in a meeting record (same speaker,
same day; linked at ingestion by ``kg.statement_links``) is shown once, from the record, whose
citation is the official one.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from ingest.speakers import resolve
from ingest.namespaces import BASE, concept_uri, country_uri
from kg.cited_examples import inert
from kg.passages import speaker_id

FORMATS = ("md", "json", "csv")
MEDIA = {"md": "text/markdown; charset=utf-8", "json": "application/json", "csv": "text/csv; charset=utf-8"}

_STATEMENTS = """
  ?s a r2p:Statement ; r2p:represents|r2p:onBehalfOf ?speaker ; r2p:inDocument ?doc .
  ?p dcterms:isPartOf ?s ; r2p:raisesTheme ?theme ; r2p:text ?text ; r2p:citation ?citation ; r2p:order ?order .
  OPTIONAL { ?s dcterms:date ?date }
  BIND(SUBSTR(STR(?date), 1, 4) AS ?year)
  FILTER NOT EXISTS { ?s prov:alternateOf ?record }  # also in a meeting record: counted once, from the record
"""


@dataclass
class Position:
    date: str | None
    occasion: str | None
    themes: list[str]
    quote: str
    citation: str
    source: str | None  # the original's link (collected statements)
    paragraph: str  # the paragraph's URI


class PositionError(ValueError):
    """A speaker or theme the graph does not know; the message says which."""


def speaker_uri(name: str) -> str:
    """An ISO3 code, a State's or organization's name, or an ``organization/…``/``group/…`` id."""
    if "/" in name:
        return BASE + name.strip("/")
    if len(name) == 3 and name.isalpha() and name.isupper():
        return country_uri(name).value
    party = resolve(name)
    if party is None:
        raise PositionError(f"unknown speaker '{name}': give an ISO3 code (BRA), a name, or an id such as group/friends-of-r2p")
    return country_uri(party.key).value if party.kind == "country" else concept_uri(party.kind, party.key).value


def _filters(themes: list[str] | None, year_from: int | None, year_to: int | None, variable: str = "?wanted") -> str:
    """SPARQL restricting ``variable`` to the themes, and the statement's year to the range."""
    out = []
    if themes:
        out.append(f"VALUES {variable} {{ " + " ".join(f"<{concept_uri('theme', t).value}>" for t in themes) + " }")
        out.append(f"?p r2p:raisesTheme {variable} .")
    if year_from is not None:
        out.append(f"FILTER(xsd:integer(?year) >= {int(year_from)})")
    if year_to is not None:
        out.append(f"FILTER(xsd:integer(?year) <= {int(year_to)})")
    return "\n  ".join(out)


def timeline(store, speaker: str, *, themes: list[str] | None = None, year_from: int | None = None,
             year_to: int | None = None) -> list[Position]:
    """Every theme-raising paragraph of ``speaker``'s statements, oldest first."""
    uri = speaker_uri(speaker)
    _check_themes(store, themes)
    rows = store.select(f"""
        SELECT ?p ?date ?occasion ?text ?citation ?link (GROUP_CONCAT(DISTINCT STRAFTER(STR(?theme), "/theme/"); separator=" ") AS ?themes)
        WHERE {{
          BIND(<{uri}> AS ?speaker)
          {_STATEMENTS}
          {_filters(themes, year_from, year_to)}
          OPTIONAL {{ ?doc r2p:occasion ?collected }}
          OPTIONAL {{ ?s dcterms:isPartOf ?item . ?item a r2p:AgendaItem ; dcterms:title ?item_title }}
          OPTIONAL {{ ?doc dcterms:title ?doc_title }}
          OPTIONAL {{ ?s prov:hadPrimarySource ?link }}
          BIND(COALESCE(?collected, CONCAT(?doc_title, ": ", ?item_title), ?doc_title) AS ?occasion)
        }}
        GROUP BY ?p ?date ?occasion ?text ?citation ?link ?doc ?s ?order
        ORDER BY ?date ?doc ?s ?order""")
    return [Position(r.get("date"), r.get("occasion"), sorted(r["themes"].split()), r["text"], r["citation"],
                     r.get("link"), r["p"]) for r in rows]


def table(store, *, themes: list[str] | None = None, year_from: int | None = None,
          year_to: int | None = None) -> list[dict]:
    """Rows of (speaker, theme, year, statements, paragraphs), each with the filter that lists its quotes."""
    _check_themes(store, themes)
    rows = store.select(f"""
        SELECT ?speaker ?theme ?year (COUNT(DISTINCT ?s) AS ?statements) (COUNT(DISTINCT ?p) AS ?paragraphs) WHERE {{
          {_STATEMENTS}
          {_filters(themes, year_from, year_to, variable="?theme")}
        }}
        GROUP BY ?speaker ?theme ?year
        ORDER BY ?speaker ?year ?theme""")
    out = []
    for r in rows:
        speaker = speaker_id(r["speaker"])
        theme = r["theme"].rsplit("/", 1)[-1]
        out.append({"speaker": speaker, "theme": theme, "year": r.get("year"), "statements": int(r["statements"]),
                    "paragraphs": int(r["paragraphs"]),
                    "quotes": f"r2p positions --country {speaker} --theme {theme} --from {r.get('year')} --to {r.get('year')}",
                    "link": quotes_link(speaker, theme, r.get("year"))})
    return out


def positions(store, speaker: str | None = None, *, themes: list[str] | None = None, year_from: int | None = None,
              year_to: int | None = None, fmt: str = "md") -> str:
    """What `r2p positions` prints and /positions answers: ``speaker``'s timeline, or without one the table."""
    if fmt not in FORMATS:
        raise PositionError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    if speaker:
        return render_timeline(timeline(store, speaker, themes=themes, year_from=year_from, year_to=year_to), fmt)
    return render_table(table(store, themes=themes, year_from=year_from, year_to=year_to), fmt)


def quotes_link(speaker: str, theme: str, year: str | None) -> str:
    """The /positions address listing a table cell's quotes (its speaker, its theme, its year)."""
    years = {"from": year, "to": year} if year else {}
    return "/positions?" + urlencode({"country": speaker, "theme": theme, **years, "format": "md"})


def theme_keys(store) -> list[str]:
    return sorted(r["t"].rsplit("/", 1)[-1] for r in store.select("SELECT ?t WHERE { ?t skos:inScheme r2p:themes }"))


def _check_themes(store, themes: list[str] | None) -> None:
    known = set(theme_keys(store))
    unknown = sorted(set(themes or ()) - known)
    if unknown:
        raise PositionError(f"unknown theme(s) {', '.join(unknown)}: expected one of {', '.join(sorted(known))}")


def render_timeline(positions: list[Position], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(p) for p in positions], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["date", "occasion", "themes", "quote", "citation", "source"])
        for p in positions:
            writer.writerow([inert(c) for c in (p.date or "", p.occasion or "", " ".join(p.themes), p.quote, p.citation,
                                                 p.source or "")])
        return buffer.getvalue()
    lines = []
    for p in positions:
        lines.append(f"- **{p.date or 'undated'}**, {p.occasion or 'occasion unknown'} ({', '.join(p.themes)}): "
                     f"“{p.quote}” ({p.citation})")
    return "\n".join(lines) + "\n" if lines else "No statement paragraphs match.\n"


def render_table(rows: list[dict], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    columns = ["speaker", "theme", "year", "statements", "paragraphs", "quotes", "link"]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(f"`{r[c]}`" if c == "quotes" else str(r[c]) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"
