"""Tables on a PDF page, found from where pypdf draws each piece of text.

pypdf's text runs in content order, and a table's wrapped cells come column by column, so its rows
read as scattered short lines. Positions put them back: pieces at one height form a visual line; a
gap wider than ``CELL_GAP`` em between one piece's end and the next piece cuts the line into cells.
A table is a run of visual lines, at least two of them with two cells or more whose starts share
columns, where every other line lies inside one column (a wrapped cell). A line of body text
crosses the columns, so it ends the table; a paragraph's hanging number ("7." then its text) is a
label, not a cell. Rows: a line opens a new row unless it sits at the table's line spacing under a
row that has more cells (the rest of wrapped cells), and its cells join the cells above them.

Every piece of the lines a table takes goes into one of its cells, so a table found where there is
none still keeps all the text, only cut into rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.contents import LEADER

CELL_GAP = 0.8  # em: a wider gap after a drawn space separates cells (a word space is 0.25-0.6 em)
CHAR_WIDTH = 0.45  # em: a piece's width guessed from its length (pypdf does not report widths)
SAME_LINE = 1.5  # points: pieces this close in height are on one visual line
COLUMN_SLACK = 3.0  # points: cell starts this close are one column
MIN_TABLE_LINES = 2  # lines of two cells or more
PROSE_CELL = 30  # characters: a cell this long on both sides of most lines is a column of running text
_NUMBER = re.compile(r"^\d{1,3}\.$")
_ORGAN = re.compile(r"^(?:General Assembly|Security Council|Economic and Social Council|Human Rights Council)$")
_LEADER = re.compile(LEADER)
_LABEL = re.compile(r"^(?:\d{1,3}\.|\(?[a-z]{1,4}\)|\(\d{1,3}\)|[IVXLC]+\.|[A-Z]\.|[•\-–—*])$")


WORD_GAP = 0.2  # em: two pieces further apart than this have a space between them
_BROKEN = re.compile(r"[^\W\d_]-$")


@dataclass
class Cell:
    x: float
    end: float
    text: str = ""

    def run_on(self, text: str, gap: float, size: float) -> None:
        """A piece further along the same line: glued when drawn up against the text ("th" + "e SAF")."""
        space = not (self.text.endswith(" ") or text.startswith(" ")) and gap > WORD_GAP * size
        self.text += (" " if space else "") + text

    def wrap(self, text: str) -> None:
        """The cell's next line: a space between, none after a line-end hyphen ("Army-" / "Transitional")."""
        head = self.text.rstrip()
        self.text = head + ("" if _BROKEN.search(head) else " ") + text.strip()


@dataclass
class VisualLine:
    y: float
    size: float
    cells: list[Cell]
    owners: list[int]  # for each piece it holds, the index of the page line it comes from


def visual_lines(lines) -> list[VisualLine]:
    """The page's body text regrouped by height, top to bottom, each visual line cut into cells."""
    runs = []  # (y, size, cell, owner)
    for index, line in enumerate(lines):
        if not line.footnote:
            runs += [(y, size, cell, index) for y, size, cell in _runs(line.pieces)]
    runs.sort(key=lambda r: (-r[0], r[2].x))
    out: list[VisualLine] = []
    for y, size, cell, owner in runs:
        if out and abs(out[-1].y - y) < SAME_LINE:
            vline = out[-1]
            vline.owners.append(owner)
            vline.size = max(vline.size, size)
            last = vline.cells[-1]
            if cell.x - last.end < WORD_GAP * size:  # drawn up against the run before it: one cell
                last.run_on(cell.text, cell.x - last.end, size)
                last.end = max(last.end, cell.end)
            else:
                vline.cells.append(cell)
        else:
            out.append(VisualLine(y, size, [cell], [owner]))
    return out


def _runs(pieces) -> list[tuple[float, float, Cell]]:
    """The cells of one line as pypdf drew it, in drawing order. Pieces drawn one after the other are
    one cell (a word is often drawn in pieces: "th", "e SAF"), unless a space is drawn after the
    first and the second starts more than ``CELL_GAP`` em past that space. A drawn space also tells
    where a cell ends; without one, its end is guessed from its length."""
    out: list[tuple[float, float, Cell]] = []
    space_at: float | None = None
    for x, y, text, size in pieces:
        if x is None:  # drawn where pypdf does not say: it spans the page, and no table goes through it
            out.append((y, size, Cell(float("-inf"), float("inf"), text)))
            space_at = None
            continue
        if not text.strip():
            if out and space_at is None and abs(out[-1][0] - y) < SAME_LINE and x >= out[-1][2].x:
                space_at = x
                out[-1][2].end = x
            continue
        same_line = bool(out) and abs(out[-1][0] - y) < SAME_LINE and x >= out[-1][2].x
        if same_line and (space_at is None or x - space_at <= CELL_GAP * size):
            out[-1][2].run_on(text if space_at is None else " " + text, 0.0, size)
            out[-1][2].end = x + CHAR_WIDTH * size * len(text.rstrip())
        else:
            out.append((y, size, Cell(x, x + CHAR_WIDTH * size * len(text.rstrip()), text)))
        space_at = None
    for _, _, cell in out:
        cell.text = cell.text.strip()
    return out


def _multi(vline: VisualLine) -> bool:
    """Two cells or more, not a paragraph's or list item's hanging label before its text, nor a line
    of a table of contents (its dot leaders: contents are read as text, entry by entry)."""
    cells = vline.cells
    return (len(cells) >= 2 and not (len(cells) == 2 and _LABEL.match(cells[0].text))
            and not any(_LEADER.search(c.text) for c in cells))


def _columns(vlines: list[VisualLine]) -> list[float]:
    starts = sorted(c.x for v in vlines if _multi(v) for c in v.cells)
    columns: list[list[float]] = []
    for x in starts:
        if columns and x - columns[-1][-1] <= COLUMN_SLACK:
            columns[-1].append(x)
        else:
            columns.append([x])
    return [col[0] for col in columns if len(col) >= 2]


def _inside_a_column(vline: VisualLine, columns: list[float]) -> bool:
    """A line of one cell that starts at a column and ends before the next one: a wrapped cell."""
    cell = vline.cells[0]
    if len(vline.cells) != 1 or not any(abs(cell.x - c) <= COLUMN_SLACK for c in columns):
        return False
    following = [c for c in columns if c > cell.x + COLUMN_SLACK]
    return not following or cell.end <= following[0]


def find_tables(lines) -> list[tuple[set[int], list[list[str]]]]:
    """Each table on the page: the indices of the page lines it takes, and its rows of cells."""
    vlines = visual_lines(lines)
    tables = []
    i = 0
    while i < len(vlines):
        if not _multi(vlines[i]):
            i += 1
            continue
        j = i + 1
        while j < len(vlines):  # grow while lines are rows of cells or wrapped cells of the columns so far
            columns = _columns(vlines[i:j + 1]) or [c.x for c in vlines[i].cells]
            if not (_multi(vlines[j]) or _inside_a_column(vlines[j], columns)):
                break
            j += 1
        run = vlines[i:j]
        if _is_table(run) and _whole(run, lines):
            tables.append(({o for v in run for o in v.owners}, _rows(run)))
        i = j  # a run that is no table is text, all of it: no table starts inside it
    return tables


def _is_table(run: list[VisualLine]) -> bool:
    """Enough rows of cells in shared columns; not a numbered list printed with its numbers in a
    column of their own ("137." / "Morocco" / "13 June 1992": numbered paragraphs, each keeps its
    printed number; one such line is enough, as a scan's pieces mix lines of the list),
    nor a masthead's organs side by side ("General Assembly" / "Security Council")."""
    multi = [v for v in run if _multi(v)]
    if len(multi) < MIN_TABLE_LINES or len(_columns(run)) < 2 or _prose_columns(multi):
        return False
    numbered = any(_NUMBER.match(v.cells[0].text) for v in multi)
    return not numbered and not _ORGAN.match(run[0].cells[0].text)


def _prose_columns(multi: list[VisualLine]) -> bool:
    """A page set in two columns of running text (a verbatim record): most lines are two cells,
    each a column's full line of prose, where a table's cells are mostly short."""
    long = sum(len(v.cells) == 2 and all(len(c.text.strip()) >= PROSE_CELL for c in v.cells) for v in multi)
    return long >= 0.6 * len(multi)


def _whole(run: list[VisualLine], lines) -> bool:
    """The table holds every piece of the page lines it takes (the run is every visual line between
    its top and bottom). A page line that pypdf ran on from the table into the text around it would
    lose that text with the table: no table is made of it."""
    top, bottom = run[0].y + SAME_LINE, run[-1].y - SAME_LINE
    return all(bottom < y < top for v in run for o in v.owners for _, y, text, _ in lines[o].pieces if text.strip())


def _rows(run: list[VisualLine]) -> list[list[str]]:
    gaps = [a.y - b.y for a, b in zip(run, run[1:])]
    spacing = min(gaps) if gaps else 0.0
    rows: list[list[Cell]] = []
    previous: VisualLine | None = None
    for vline in run:
        goes_on = (previous is not None and rows and previous.y - vline.y <= 1.3 * spacing
                   and len(vline.cells) < len(rows[-1]))
        if goes_on:
            for cell in vline.cells:
                target = min(rows[-1], key=lambda c: (c.x > cell.x + COLUMN_SLACK, abs(c.x - cell.x)))
                target.wrap(cell.text)
        else:
            rows.append([Cell(c.x, c.end, c.text) for c in vline.cells])
        previous = vline
    return [[c.text.strip() for c in row if c.text.strip()] for row in rows]
