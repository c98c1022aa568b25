"""PDF to text through pypdf: caps for untrusted files, page furniture stripped, paragraphs rebuilt.

The aim is text that looks like the same document saved as plain text, so that every parser reads
both routes alike: blocks separated by a blank line, a paragraph split by a page break joined
again, footnote calls and footnote numbers as superscript digits (``implementation.¹``,
``¹ Resolution 60/1.``), and no page furniture (running symbol heads, job numbers, barcode text,
page numbers).

pypdf's plain extraction loses the layout that marks paragraphs, so lines are rebuilt from the
positions pypdf reports to a text visitor: a new block starts where the vertical gap is wider
than the page's usual line spacing, or where a line starts right of the previous one (a
first-line indent, as UN documents print paragraphs). Across a page break only the indent can
tell, so a PDF whose paragraphs are neither indented nor spaced joins them; UN documents are.

Bounds: the file size and page count are capped here; pypdf caps decompressed stream sizes
itself (``pypdf.filters``); the wall-clock and memory bounds (pypdf has had infinite loops) are
set by ``ingest.isolation.run_bounded``, which runs each file's reading and parsing in a forked
child that is killed after ``R2P_PARSE_TIMEOUT_S`` — a thread could not be stopped.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

from ingest.lines import ANNEX_HEADING, rejoin_hyphen_breaks
from ingest.model import IngestError
from ingest.masthead import SYMBOL, page_one_lines
from ingest.pdf_tables import find_tables
from ingest.tables import table_block
from ingest.text import TO_SUPERSCRIPT, normalize_space

# Page furniture lives in the top and bottom tenth of a page; only lines there are candidates.
FURNITURE_ZONE = 0.10
# A line made only of these is furniture: job number "25-02437" ("GE.25-11220", "25-03320*"), "(E)",
# issue date "180225", barcode "*2502437*", page numbers "2/6", "Page 3 of 6", and an old page's "/...".
_FURNITURE_TOKEN = re.compile(r"(?:GE\.)?\d{2}-\d{5}\*?|/\.\.\.|\([A-Z]\)|\d{6}|\*\d{5,}\*|\d{1,4}/\d{1,4}|\d{1,4}|(?i:page|of)")
_FOOTNOTE_LINE = re.compile(r"^\s*(\d{1,3})(?=\s+\S)")
_BROKEN_AT_END = re.compile(r"[^\W\d_]-\s*$")
_MASTHEAD_OPENING = re.compile(r"^\s*United Nations\s+[A-Z]{1,4}/")
_ORIGINAL = re.compile(r"^\s*Original:")
# "III. Challenges and opportunities in accessing and controlling / data", "B. Economic Commission
# for Europe": a heading. It opens a block even at a page top, and a second line that hangs under its
# title, right of the numeral, goes on it.
_HANGING_HEADING = re.compile(r"^\s*(?:[IVXLC]+|[A-Z])\.\s+[A-Z][^.;:]*$")
# "2. Women and girls²⁰" at a page top: a numbered heading (no sentence punctuation) opens a block too.
_NUMBERED_HEADING = re.compile(r"^\s*\d{1,3}\.\s+[A-Z][^.;:,]*$")
_RULE = re.compile(r"^\s*_{5,}\s*$")  # the rule over a page's footnotes
_JOB_NUMBER = re.compile(r"\b\d{2}-\d{5}\b")
_SYMBOL_SEPARATOR = re.compile(r"\s*[–—-]\s*|\s+")
_YEAR = re.compile(r"\(\d{4}\)")  # "S/RES/808 (1993)"


@dataclass
class Line:
    """One extracted line with where it starts on the page and its largest font size."""

    text: str = ""
    x: float | None = None
    y: float | None = None
    size: float = 0.0
    footnote: bool = False  # part of a footnote at the page foot
    footnote_start: bool = False  # the first line of one
    last_size: float = 0.0  # type size of the line's last piece of text, while the line is read
    pieces: list[tuple[float | None, float, str, float]] = field(default_factory=list)  # (x, y, text, size) as drawn
    table: bool = False  # a table found on the page: its rows, one a line, cells separated by tabs


class ReadPdf:
    """A PDF read once, since pypdf's extraction is most of an ingestion's time: its text is joined from
    the pages' lines with or without page marks, and page 1's plain extraction is kept for the masthead."""

    def __init__(self, path: Path, pages: list[list[Line]], first_page, first_plain: str):
        self.path, self.pages = path, pages
        self._first_page, self._first_plain = first_page, first_plain

    def text(self, *, page_marks: bool = False) -> str:
        """The text without page furniture, blocks separated by blank lines; ``page_marks``: a line
        "3/12" where page 4 begins, in the form of a record's own footer, for the meeting-record
        parser, which cites a statement by the page its speaker line is printed on."""
        text = rejoin_hyphen_breaks(join_blocks(self.pages, page_marks=page_marks))
        if not text.strip():
            raise IngestError(self.path, "PDF has no extractable text (scanned image?)")
        return text.replace("\x00", "")  # pypdf's NULs for glyphs it cannot map are no text

    @cached_property
    def page_one(self) -> list[str]:
        """Page 1 as printed lines, for the masthead (``ingest.masthead.page_one_lines``)."""
        return page_one_lines(self._first_page, self._first_plain)


def read_pdf(path: Path, *, max_bytes: int, max_pages: int) -> ReadPdf:
    """Extract every page of a PDF once, within the size and page limits, or an IngestError naming the file."""
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(path, f"PDF is {size} bytes, over the limit of {max_bytes} (R2P_PDF_MAX_BYTES)")
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            _decrypt(reader, path)
        pages = reader.pages
        if len(pages) > max_pages:
            raise IngestError(path, f"PDF has {len(pages)} pages, over the limit of {max_pages} (R2P_PDF_MAX_PAGES)")
        extracted = [_page_lines(page) for page in pages]
        boxes = [(float(page.mediabox.bottom), float(page.mediabox.height)) for page in pages]
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as exc:
        raise IngestError(path, f"unreadable PDF ({type(exc).__name__}: {exc})") from exc
    page_lines = [lines for lines, _ in extracted]
    tabled = [with_tables(lines, first=i == 0) for i, lines in enumerate(strip_furniture(page_lines, boxes))]
    return ReadPdf(path, tabled, pages[0] if pages else None, extracted[0][1] if extracted else "")


def _decrypt(reader: PdfReader, path: Path) -> None:
    """Open a PDF encrypted with an empty user password (print/copy restrictions only); refuse others."""
    try:
        opened = reader.decrypt("")
    except (DependencyError, NotImplementedError) as exc:
        raise IngestError(path, f"PDF is encrypted with an unsupported method ({exc}); decrypt it first") from exc
    if not opened:
        raise IngestError(path, "PDF is encrypted with a password; decrypt it first")


def _page_lines(page) -> tuple[list[Line], str]:
    """The page's lines in content order, with positions (raised small digits become superscripts),
    and its text as pypdf's plain extraction gives it."""
    lines = [Line()]

    def visit(text, cm, tm, font_dict, font_size):
        for i, segment in enumerate(text.split("\n")):
            if i:
                lines.append(Line())
            line = lines[-1]
            scale = abs(tm[3] * cm[3])
            size = font_size * scale if scale else font_size
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if segment.strip():
                if line.y is None:
                    line.x, line.y = x, y
                elif segment.strip().isdigit() and size < 0.8 * line.last_size:
                    # A footnote call: digits smaller than the text just before them (not than the
                    # line's largest type: "A/HRC/RES/59/25" beside a large "United Nations" is none).
                    segment = segment.translate(TO_SUPERSCRIPT)
                line.last_size = size
                line.size = max(line.size, size)
            if segment and line.y is not None:  # a segment after a line break in one run: where, pypdf does not say
                line.pieces.append((x, y, segment, size) if not i else (None, line.y, segment, size))
            line.text += segment

    plain = page.extract_text(visitor_text=visit)
    lines = _masthead_first([line for line in lines if line.text.strip() and line.y is not None])
    _mark_footnotes(lines)
    return [line for line in lines if not _RULE.match(line.text)], plain


def _masthead_first(lines: list[Line]) -> list[Line]:
    """A masthead printed at the page foot (Geneva documents: "United Nations A/HRC/RES/59/25 …
    Original: English" under the footnotes) moved to the top, where readers and parsers expect it."""
    start = next((i for i, line in enumerate(lines) if i > 3 and _MASTHEAD_OPENING.match(line.text)), None)
    if start is None:
        return lines
    end = next((j for j in range(start, min(start + 8, len(lines))) if _ORIGINAL.match(lines[j].text)), None)
    if end is None:
        return lines
    return lines[start:end + 1] + lines[:start] + lines[end + 1:]


def _mark_footnotes(lines: list[Line]) -> None:
    """Mark the footnotes at the page foot: the lines after a rule (``__________________``), or else a
    closing run of lines set smaller than the body that opens with a footnote number.

    Inside the region a line opens a new footnote when it starts with the next number in sequence
    (the first one may start anywhere), so a note's own line that begins "25 per cent" stays in it.
    """
    body_size = _mode((round(line.size, 1) for line in lines for _ in line.text), default=0.0)
    rule = next((i for i in range(len(lines) - 1, -1, -1) if _RULE.match(lines[i].text)), None)
    if rule is not None:
        start = rule + 1
    else:
        start = len(lines)
        while start > 0 and lines[start - 1].size < 0.95 * body_size:
            start -= 1
        if start == len(lines) or not _FOOTNOTE_LINE.match(lines[start].text):
            return
    expected: int | None = None
    for line in lines[start:]:
        m = _FOOTNOTE_LINE.match(line.text)
        if m and (expected is None or int(m.group(1)) == expected):
            line.text = m.group(1).translate(TO_SUPERSCRIPT) + line.text[m.end():]
            line.footnote_start = True
            expected = int(m.group(1)) + 1
        line.footnote = expected is not None  # lines before the first number in a ruled region stay body


def _mode(values, default):
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else default


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", normalize_space(text))


def strip_furniture(pages: list[list[Line]], boxes: list[tuple[float, float]]) -> list[list[Line]]:
    """Drop running heads, job numbers, barcode text and page numbers from the top and bottom of pages.

    Page 1's masthead symbol is kept (it identifies the document); on later pages a line of
    symbols only (``A/79/785``, ``S/RES/808 (1993)``) is a running head. A line seen in the zone of at least half the pages (digits
    ignored) is a running head too.
    """

    def in_zone(line: Line, box: tuple[float, float]) -> bool:
        bottom, height = box
        return line.y < bottom + height * FURNITURE_ZONE or line.y > bottom + height * (1 - FURNITURE_ZONE)

    seen = Counter(key for lines, box in zip(pages, boxes)
                   for key in {_furniture_key(line.text) for line in lines if in_zone(line, box)})
    repeated = {key for key, n in seen.items() if len(pages) > 1 and n * 2 >= len(pages) and n > 1}

    def symbols_only(line: Line) -> bool:
        parts = [p for p in _SYMBOL_SEPARATOR.split(line.text.strip()) if p]
        return all(SYMBOL.fullmatch(p) or _YEAR.fullmatch(p) or _FURNITURE_TOKEN.fullmatch(p) for p in parts)

    def furniture(line: Line, index: int, box) -> bool:
        tokens = line.text.split()
        if _JOB_NUMBER.search(line.text) and all(_FURNITURE_TOKEN.fullmatch(t) for t in tokens):
            return True  # a job number line, wherever a short last page leaves it
        if not in_zone(line, box):  # a rotated (landscape) page prints its running head at the side
            return index > 0 and _furniture_key(line.text) in repeated and symbols_only(line)
        if _furniture_key(line.text) in repeated or all(_FURNITURE_TOKEN.fullmatch(t) for t in line.text.split()):
            return True
        return index > 0 and symbols_only(line)

    return [[line for line in lines if not furniture(line, i, box)] for i, (lines, box) in enumerate(zip(pages, boxes))]


def with_tables(lines: list[Line], *, first: bool = False) -> list[Line]:
    """The page's lines with each table found on it (``ingest.pdf_tables``) in place of the lines it
    takes: one line holding its rows, cells separated by tabs, where its first line was. Page 1's
    masthead, up to "Original:", is never a table (its columns are the masthead's facts)."""
    start = 0
    if first:
        start = next((i + 1 for i, line in enumerate(lines[:20]) if _ORIGINAL.match(line.text)), 0)
    tables = find_tables(lines[start:])
    if not tables:
        return lines
    taken = {start + i: n for n, (owners, _) in enumerate(tables) for i in owners}
    out: list[Line] = []
    for i, line in enumerate(lines):
        if i not in taken:
            out.append(line)
        elif i == min(k for k, n in taken.items() if n == taken[i]):
            rows = tables[taken[i]][1]
            out.append(Line(table_block(rows), x=line.x, y=line.y, size=line.size, table=True))
    return out


def join_blocks(pages: list[list[Line]], *, page_marks: bool = False) -> str:
    """Lines joined into blocks (blank line between blocks), across page breaks.

    A block starts after a wider vertical gap than the page's usual leading, after a jump up the
    page (a new column or text box), or at a line indented right of the previous one. At a page
    break a line runs on from the previous page only if both sit at their page's left margin, or
    the previous page ended on a broken word. Footnotes are set aside while the body flows past
    them, so a sentence interrupted by a page's footnotes is one block again; the footnotes follow
    the block they interrupted.
    """
    out: list[str] = []
    pending: list[list[str]] = []  # footnotes waiting for the end of the body block they interrupted
    prev: Line | None = None
    prev_page = 0
    margins: list[float] = []
    for page_no, lines in enumerate(pages):
        body = [line for line in lines if not line.footnote]
        gaps = [round(a.y - b.y, 1) for a, b in zip(body, body[1:]) if a.y - b.y > 0]
        leading = _mode(gaps, default=0.0)
        margin = _mode((round(line.x) for line in body for _ in line.text), default=0.0)
        margins.append(margin)
        for line in lines:
            text = line.text.strip(" \n") if line.table else line.text.strip()
            if line.footnote:
                if line.footnote_start or not pending:
                    pending.append([text])
                else:
                    pending[-1].append(text)
                continue
            if prev is None:
                new_block = False
            elif line.table or prev.table:  # a table is a block of its own
                new_block = True
            else:
                em = line.size or 10.0
                indented = line.x > prev.x + em / 2
                if page_no != prev_page:  # a paragraph runs on only from the left margin to the left margin
                    broken_word = bool(_BROKEN_AT_END.search(prev.text)) and text[:1].islower()
                    new_block = not broken_word and (indented or line.x > margin + em / 2
                                                     or abs(prev.x - margins[prev_page]) > em / 2
                                                     or bool(_HANGING_HEADING.match(text) or ANNEX_HEADING.match(text)
                                                             or _NUMBERED_HEADING.match(text)))
                else:
                    gap = prev.y - line.y
                    heading_goes_on = indented and bool(_HANGING_HEADING.match(prev.text)) and gap <= 1.3 * leading
                    new_block = (indented and not heading_goes_on) or gap <= 0 or gap > 1.3 * leading
            if new_block:
                _flush(pending, out)
                out.append("")
            if page_marks and page_no != prev_page:
                out.append(f"{page_no}/{len(pages)}")  # page ``page_no`` (1-based) ended before this line
            out.append(text)
            prev, prev_page = line, page_no
    _flush(pending, out)
    return "\n".join(out) + "\n"


def _flush(footnotes: list[list[str]], out: list[str]) -> None:
    for note in footnotes:
        out.extend(["", *note])
    footnotes.clear()
