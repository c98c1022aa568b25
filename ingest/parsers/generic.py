"""Fallback parser for any text: numbered paragraphs ("12. ...") when the text has them, else blocks.

Used for documents of unknown type, so that a user's new file always yields searchable paragraphs.
"""
from __future__ import annotations

import re

from ingest.model import Node, ParsedDocument
from ingest.lines import NUMBERED_PARAGRAPH as NUMBERED
from ingest.parsers import ParseContext
from ingest.references import find_references
from ingest.text import clean


def parse(text: str, ctx: ParseContext) -> list[ParsedDocument]:
    blocks = [b for b in re.split(r"\n\s*\n|\f", text) if b.strip()]
    numbered = [b for b in blocks if NUMBERED.match(b)]
    nodes: list[Node] = []
    if len(numbered) >= 3:
        for block in blocks:
            m = NUMBERED.match(block)
            if m:
                body = clean(block[m.end():])
                nodes.append(Node("paragraph", m.group(1), text=body, refs=find_references(body, ctx.instruments)))
            elif nodes and not nodes[-1].text.endswith((".", ":", ";")):
                nodes[-1].text = f"{nodes[-1].text} {clean(block)}"  # a paragraph split by a page break
    else:
        for i, block in enumerate(blocks, start=1):
            body = clean(block)
            if len(body) > 1:
                nodes.append(Node("paragraph", str(len(nodes) + 1), text=body, refs=find_references(body, ctx.instruments)))
    warnings = [] if nodes else [f"{ctx.path}: no paragraphs found"]
    return [ParsedDocument(ctx.meta, nodes, warnings)]
