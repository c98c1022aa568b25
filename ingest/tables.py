"""Tables in text: which blocks are tables, their rows and cells, and the caption printed over one.

A table reaches the parsers as one block, a row a line. ``ingest.pdf`` writes the cells it found
by position separated by tabs; a plain-text file may do the same, or align its columns with runs
of spaces. Both read alike here, so every route gives the same table. A block is a table only when
its shape says so plainly (several rows of cells, the columns of a space-aligned block starting at
the same places); anything less stays prose. Either way no text is lost: a table keeps every
cell's text, in reading order.
"""
from __future__ import annotations

import re

from ingest.text import clean

CELL_SEPARATOR = "\t"
_SPACED = re.compile(r" {2,}")
# "Table 1", "Table 2.", "Table A.1: Troop contributions", with the title on the same line or the next.
CAPTION = re.compile(r"^Table\s+(?P<num>[A-Z]?\d{1,3}(?:\.\d{1,2})?|[IVXL]{1,6})\b[.:]?\s*(?P<title>[^\n]*(?:\n[^\n]+){0,2})$")
MIN_ROWS = 2
_LABEL = re.compile(r"^\s*(?:\d{1,3}\.|\(?[a-z]{1,4}\)|\(\d{1,3}\)|[IVXLC]+\.|[A-Z]\.|[•\-–—*])\s")


def is_table(block: str) -> bool:
    """A block of rows of cells: most lines cut by tabs, or every line cut by aligned runs of spaces."""
    lines = [line for line in block.splitlines() if line.strip()]
    if len(lines) < MIN_ROWS:
        return False
    tabbed = sum(CELL_SEPARATOR in line.strip() for line in lines)
    if tabbed >= MIN_ROWS and 3 * tabbed >= 2 * len(lines):
        return True
    return _space_aligned(lines)


def _space_aligned(lines: list[str]) -> bool:
    """Every line has two cells or more, and at least two columns start at the same offset in every
    line (a plain-text table; prose has single spaces), and no line opens with a paragraph's or a
    list item's label."""
    if any(_LABEL.match(line) for line in lines):
        return False  # "1.   The seat of the Court…": numbered paragraphs set off by spaces
    starts = [_cell_starts(line) for line in lines]
    if any(len(s) < 2 for s in starts):
        return False
    shared = set(starts[0])
    for s in starts[1:]:
        shared &= set(s)
    return len(shared) >= 2


def _cell_starts(line: str) -> list[int]:
    starts = [len(line) - len(line.lstrip())]
    starts += [m.end() for m in _SPACED.finditer(line.rstrip()) if m.start() > starts[0]]
    return starts


def rows(block: str) -> list[list[str]]:
    """The table's rows in order, each a list of its cells' text (a cell's wrapped lines joined)."""
    lines = [line for line in block.splitlines() if line.strip()]
    split = (lambda line: line.split(CELL_SEPARATOR)) if any(CELL_SEPARATOR in line for line in lines) \
        else (lambda line: _SPACED.split(line.strip()))
    return [cells for cells in ([clean(c) for c in split(line) if c.strip()] for line in lines) if cells]


def row_text(cells: list[str]) -> str:
    """A row as stored: its cells in order, separated by a tab (the text of each kept as printed)."""
    return CELL_SEPARATOR.join(cells)


def table_block(table_rows: list[list[str]]) -> str:
    """Rows written as a table block: a row a line, cells separated by tabs, a row of one cell (a
    heading spanning the columns) ending in a tab so that each line still reads as a row."""
    return "\n".join(row_text(cells) + (CELL_SEPARATOR if len(cells) == 1 else "") for cells in table_rows)


def caption(block: str) -> tuple[str, str | None] | None:
    """``("1", "Leaders and commanders …")`` for a caption block "Table 1 / Leaders and commanders …"."""
    m = CAPTION.match(block.strip())
    if not m:
        return None
    return m["num"], clean(m["title"]) or None
