"""Hard-wrapped lines back into paragraphs, for texts whose paragraph breaks were lost in extraction.

Meeting records and collected statements come as one line per printed line, with blank lines where
a column or a page ended rather than where a paragraph did. Justified lines are nearly full, so a
paragraph shows itself by a short last line that closes a sentence, or by the shorter, indented
first line of the next one.
"""
from __future__ import annotations

import re

from ingest.text import clean

SENTENCE_END = re.compile(r"[.!?:;][”’\")\]]*$")


def join_lines(parts: list[str]) -> str:
    """Lines joined with one space; a line-end hyphen joins without one ("Secretary-" + "General")."""
    text = ""
    for part in parts:
        text = text + part if text.endswith("-") or not text else f"{text} {part}"
    return text


def line_width(lines: list[str]) -> int:
    """The median length of the text lines: the printed column width in characters."""
    lengths = sorted(len(line) for line in lines if len(line) > 20)
    return lengths[len(lengths) // 2] if lengths else 60


def paragraphs(lines: list[str], width: int | None = None) -> list[str]:
    """Cut lines into cleaned paragraphs; blank lines are ignored (they are column and page breaks)."""
    lines = [line.strip() for line in lines if line.strip()]
    width = width or line_width(lines)
    out: list[list[str]] = [[]]
    for line in lines:
        previous = out[-1][-1] if out[-1] else None
        if previous is not None and SENTENCE_END.search(previous) and (
                len(previous) < 0.8 * width or len(line) < 0.88 * width):
            out.append([])
        out[-1].append(line)
    return [text for text in (clean(join_lines(p)) for p in out) if text]
