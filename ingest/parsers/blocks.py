"""The parser that keeps every block: the last resort when a document's structural parser does not fit.

Each block (text between blank lines) becomes one unnumbered paragraph, in order: nothing is
dropped, nothing is numbered that was not printed with a number (a printed "12." stays its number).
It reads blocks and numbers with the shapes every parser shares (``split_blocks``,
``NUMBERED_PARAGRAPH``), but builds no tree: what ``generic`` (the report parser's tree) misreads
still lands here whole.
"""
from __future__ import annotations

from ingest.lines import NUMBERED_PARAGRAPH
from ingest.model import Node, ParsedDocument
from ingest.parsers.context import ParseContext
from ingest.parsers.report import split_blocks
from ingest.references import find_references
from ingest.text import clean


def parse(text: str, ctx: ParseContext) -> list[ParsedDocument]:
    nodes = []
    for block in split_blocks(text):
        m = NUMBERED_PARAGRAPH.match(block)
        body = clean(block[m.end():] if m else block)
        nodes.append(Node("paragraph", m.group("num") if m else None, text=body,
                          refs=find_references(body, ctx.instruments)))
    return [ParsedDocument(ctx.meta, nodes)]
