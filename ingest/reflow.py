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
    return [text for _, text in numbered_paragraphs(list(enumerate(lines)), width)]


def numbered_paragraphs(lines: list[tuple[int, str]], width: int | None = None) -> list[tuple[int, str]]:
    """``paragraphs`` of (line number, line) pairs, each paragraph with the number of its first line, so
    that a paragraph of a PDF record can be cited by the page it starts on."""
    lines = [(n, line.strip()) for n, line in lines if line.strip()]
    width = width or line_width([line for _, line in lines])
    out: list[list[tuple[int, str]]] = [[]]
    for n, line in lines:
        previous = out[-1][-1][1] if out[-1] else None
        if previous is not None and SENTENCE_END.search(previous) and (
                len(previous) < 0.8 * width or len(line) < 0.88 * width):
            out.append([])
        out[-1].append((n, line))
    joined = [(p[0][0], clean(join_lines([line for _, line in p]))) for p in out if p]
    return [(n, text) for n, text in joined if text]
