"""The searchable passages: every node of the graph that carries its own text, with what it links to.

Read with a few flat SPARQL queries joined in Python (one per multi-valued property) rather than
one query with GROUP_CONCAT, so a paragraph with many countries and notes never multiplies rows.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

from kg.namespaces import R2P

_BASE_QUERY = """
SELECT ?p ?text ?doc ?citation ?number ?type ?symbol ?title ?doctype ?date WHERE {
  ?p r2p:text ?text ; r2p:inDocument ?doc .
  OPTIONAL { ?p r2p:citation ?citation }
  OPTIONAL { ?p r2p:number ?number }
  OPTIONAL { ?p a ?type . FILTER(STRSTARTS(STR(?type), STR(r2p:))) }
  OPTIONAL { ?doc dcterms:identifier ?symbol }
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc r2p:documentType ?doctype }
  OPTIONAL { ?doc dcterms:date ?date }
}"""
_LINKS_QUERY = "SELECT ?p ?o WHERE {{ ?p r2p:text ?t ; r2p:{prop} ?o }}"
_NOTES_QUERY = "SELECT ?p ?t WHERE { ?note oa:hasTarget ?p ; r2p:text ?t . ?p r2p:text ?own }"
LINKS = {"countries": "mentionsCountry", "risk_factors": "discussesRiskFactor", "crimes": "mentionsCrime"}


@dataclass
class Passage:
    """One searchable text and the facts a hit shows and filters on."""

    uri: str
    text: str
    document: str  # document URI
    doc_id: str  # last segment of the document URI, e.g. "A-67-929"
    symbol: str = ""
    title: str = ""
    doc_type: str = ""
    year: int | None = None
    number: str = ""
    kind: str = ""  # Paragraph, Clause, Note, ... (the r2p class)
    citation: str = ""
    countries: list[str] = field(default_factory=list)  # ISO 3166 alpha-3
    risk_factors: list[str] = field(default_factory=list)  # concept keys, e.g. "1"
    crimes: list[str] = field(default_factory=list)  # concept keys, e.g. "genocide"
    notes: list[str] = field(default_factory=list)  # study-guide notes annotating this passage

    @property
    def content_hash(self) -> str:
        """What the embedding depends on: the text alone (metadata changes never cost an encode)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def to_json(self) -> dict:
        return asdict(self)


def _key(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def fetch_passages(store) -> list[Passage]:
    """All passages in the store, sorted by URI so that builds are reproducible."""
    by_uri: dict[str, Passage] = {}
    for row in store.select(_BASE_QUERY):
        uri = row["p"]
        kind = row.get("type", "").removeprefix(R2P)
        passage = by_uri.get(uri)
        if passage is None:
            by_uri[uri] = Passage(uri=uri, text=row["text"], document=row["doc"], doc_id=_key(row["doc"]),
                                  symbol=row.get("symbol", ""), title=row.get("title", ""),
                                  doc_type=row.get("doctype", ""), year=_year(row.get("date")),
                                  number=row.get("number", ""), kind=kind, citation=row.get("citation", ""))
        elif kind and passage.kind in ("", "Annotation"):
            passage.kind = kind
    for attr, prop in LINKS.items():
        for row in store.select(_LINKS_QUERY.format(prop=prop)):
            values = getattr(by_uri[row["p"]], attr)
            key = _key(row["o"])
            if key not in values:
                values.append(key)
    for row in store.select(_NOTES_QUERY):
        by_uri[row["p"]].notes.append(row["t"])
    passages = sorted(by_uri.values(), key=lambda p: p.uri)
    for p in passages:
        p.countries.sort()
        p.risk_factors.sort()
        p.crimes.sort()
        p.notes.sort()
    return passages
