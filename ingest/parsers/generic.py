"""Fallback parser for any text: every block is kept, in a part of its own or of the paragraph it continues.

Used for documents of unknown type and when a structural parser cannot make sense of a document,
so that a user's new file always yields all of its text as searchable paragraphs: numbered
paragraphs keep their printed numbers, lettered lists stay clauses of their paragraph, headings
become subsections and everything else an unnumbered paragraph. Only a UN masthead is left out
(its facts are the document's metadata).
"""
from __future__ import annotations

from ingest.model import ParsedDocument
from ingest.parsers.context import ParseContext
from ingest.parsers.report import build, masthead_end, split_blocks


def parse(text: str, ctx: ParseContext) -> list[ParsedDocument]:
    blocks = split_blocks(text)
    return [build(blocks[masthead_end(blocks):], ctx.meta, ctx)]

