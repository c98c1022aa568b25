"""A searchable passage: one text of the graph with the facts a hit shows and filters on.

Plain data, so the search package never reads the graph: ``kg.passages`` reads these out of the
store, ``search.indexer`` indexes them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(slots=True)
class Passage:
    """One searchable text and the facts a hit shows and filters on (slots: a million of them are held)."""

    uri: str
    text: str
    document: str  # document URI
    doc_id: str  # last segment of the document URI, e.g. "A-67-929"
    symbol: str = ""
    title: str = ""
    doc_type: str = ""
    year: int | None = None
    date: str = ""  # ISO date of the document, e.g. "2013-07-09" (date ranges and sorting by date)
    number: str = ""
    kind: str = ""  # Paragraph, Clause, Note, ... (the r2p class)
    citation: str = ""
    countries: list[str] = field(default_factory=list)  # ISO 3166 alpha-3
    regions: list[str] = field(default_factory=list)  # UN M49 region keys of those countries, e.g. "africa"
    risk_factors: list[str] = field(default_factory=list)  # concept keys, e.g. "1"
    crimes: list[str] = field(default_factory=list)  # concept keys, e.g. "genocide"
    notes: list[str] = field(default_factory=list)  # study-guide notes annotating this passage
    # a clause's or item's lead-in ("genocide means any of the following acts ...:"); a table row's table title
    lead: str = ""
    # A statement's paragraph: who speaks, id -> name; the State or organization represented and any group
    # spoken for ("BRA": "Brazil", "group/friends-of-r2p": "Group of Friends ..."), as r2p positions names them.
    speakers: dict[str, str] = field(default_factory=dict)
    heading: str = ""  # the title of the treaty article it is or is part of ("Withdrawal")
    items: list[str] = field(default_factory=list)  # the texts of its clauses or items, in order (see units_of)

    def to_json(self) -> dict:
        return asdict(self)

