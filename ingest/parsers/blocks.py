"""The parser that keeps every block: the last resort when a document's structural parser does not fit.

Each block (text between blank lines) becomes one unnumbered paragraph, in order: nothing is
dropped, nothing is numbered that was not printed with a number (a printed "12." stays its number).
"""
from __future__ import annotations

import re

from ingest.model import Node, ParsedDocument
from ingest.parsers.context import ParseContext
from ingest.references import find_references
from ingest.text import clean

_PRINTED_NUMBER = re.compile(r"^\s*(\d{1,3})\.\s+(?=\S)")


def parse(text: str, ctx: ParseContext) -> list[ParsedDocument]:
    nodes = []
    for block in re.split(r"\n\s*\n|\f", text):
        if not block.strip():
            continue
        m = _PRINTED_NUMBER.match(block)
        body = clean(block[m.end():] if m else block)
        nodes.append(Node("paragraph", m.group(1) if m else None, text=body,
                          refs=find_references(body, ctx.instruments)))
    return [ParsedDocument(ctx.meta, nodes)]
