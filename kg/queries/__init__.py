"""Documented example SPARQL queries for researchers: one ``.rq`` file each, opening with
``# Title`` and ``# one-line description`` comment lines (shown on the web page's SPARQL tab)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

QUERY_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DocumentedQuery:
    name: str
    title: str
    description: str
    text: str


def load_queries() -> dict[str, DocumentedQuery]:
    out = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
        out[path.stem] = DocumentedQuery(path.stem, comments[0] if comments else path.stem,
                                      " ".join(comments[1:]), text)
    return out
