"""A printed table of contents, blanked out of a document's text before it is parsed.

Why: its entries ("A. Unveiling the conflict .......... 8") read as headings and paragraphs, so a
parser opened sections for them and the search indexed the list itself: in the Panel of Experts'
report S/2025/239 the contents page ranked first for a question on humanitarian law. Nothing is
lost: the sections the contents list are the body's own headings, parsed where they stand.
Lines are blanked, not removed, so that every later warning still names the right line.
"""
from __future__ import annotations

import re

LEADER = r"(?:\.\s?){4,}"  # a dot leader: four dots or more, spaced or not (also how a table's cell is told from one)
# An entry's end: a leader, then its page (or its paragraphs and page: "1–12   3"); a form's
# "Signature ......" without a number is no entry.
_ENTRY = re.compile(LEADER + r"\s*(?:\d{1,4}(?:\s*[-–]\s*\d{1,4})?\s+)*\d{1,4}\s*$")
_HEADING = re.compile(r"(?:table\s+of\s+)?contents", re.IGNORECASE)
_COLUMNS = re.compile(r"(?:(?:paragraphs?|pages?|chapter|annex|section|decision|resolution|item)\s*)+",
                      re.IGNORECASE)  # the columns' heads: "Chapter  Page", "Decision  Page"
_PAGE_COLUMN = re.compile(r"\b(?:pages?|paragraphs?)\b", re.IGNORECASE)
_PAGE_MARK = re.compile(r"\d+/\d+")  # "3/42": a PDF's page break, kept (pages are counted by it)
_MIN_ENTRIES = 2  # one leader line alone may be a body's; a contents has several
_WRAP = 2  # an entry's title may run over this many lines (blank lines between) before the one with its leader


def without_contents(text: str) -> str:
    """``text`` with each table of contents blanked (its heading, column heads and entries)."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        end, entries = _block(lines, i)
        if entries >= _MIN_ENTRIES:
            first = i if _HEADING.fullmatch(lines[i].strip()) else _heads_before(lines, i)
            for j in range(first, end):
                if not _PAGE_MARK.fullmatch(lines[j].strip()):
                    lines[j] = ""
            i = end
        else:
            i += 1
    return "\n".join(lines)


def _block(lines: list[str], start: int) -> tuple[int, int]:
    """(the line after the contents starting at ``start``, how many entries it has); (start, 0) when
    none starts there. A contents starts at its heading or at its first entry."""
    i, entries = start, 0
    if _HEADING.fullmatch(lines[i].strip()):
        i += 1
    elif not _ENTRY.search(lines[i]):
        return start, 0
    while i < len(lines):
        line = lines[i].strip()
        if not line or _PAGE_MARK.fullmatch(line) or _COLUMNS.fullmatch(line):
            i += 1
        elif _ENTRY.search(line):
            entries, i = entries + 1, i + 1
        elif (wrapped := _wrapped_until(lines, i)) is not None:
            entries, i = entries + 1, wrapped + 1
        else:
            break
    while i > start and not lines[i - 1].strip():  # the blank lines after it belong to the body
        i -= 1
    return i, entries


def _heads_before(lines: list[str], start: int) -> int:
    """Where a contents found at its first entry really starts: at its column heads ("Decision  Page")
    when they stand just above it, or one line above that entry's group ("Annual session, 10–13 June")."""
    above = [j for j in range(start - 1, max(start - 1 - 2 * _WRAP, -1), -1) if lines[j].strip()][:2]
    for j in above:  # a lone "Annex" or "Resolution" is a body's heading: the heads name the page column
        if _COLUMNS.fullmatch(lines[j].strip()) and _PAGE_COLUMN.search(lines[j]):
            return j
    return start


def _wrapped_until(lines: list[str], i: int) -> int | None:
    """The line holding the leader of an entry whose title starts at line ``i`` and wraps, or None.
    A PDF's text may put a blank line inside a wrapped title; they are skipped, not counted."""
    seen = 0
    for j in range(i + 1, min(i + 1 + 2 * _WRAP, len(lines))):
        line = lines[j].strip()
        if not line:
            continue
        if _ENTRY.search(line):
            return j
        seen += 1
        if seen == _WRAP:
            return None
    return None
