"""Documented example SPARQL queries for researchers: one ``.rq`` file each, opening with
``# Title`` and ``# one-line description`` comment lines (shown on the web page's SPARQL tab)."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import takewhile
from pathlib import Path

QUERY_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DocumentedQuery:
    name: str
    title: str
    description: str
    text: str


def load_queries() -> dict[str, DocumentedQuery]:
    """Every query by name (the file's stem); the web page, /queries and the tests read them here."""
    out = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        # Only the opening comment lines: a comment inside the query is not its description.
        comments = [line[1:].strip() for line in takewhile(lambda line: line.startswith("#"), text.splitlines())]
        out[path.stem] = DocumentedQuery(path.stem, comments[0] if comments else path.stem,
                                      " ".join(comments[1:]), text)
    return out
