"""Parser for UN reports and letters, as text files or as text from ``ingest.pdf``.

A UN document opens with a header block (symbol, "Distr.: General", date, "Original: English",
sessions, agenda items and their titles, the document title), then its body: roman-numbered
sections ("I. Introduction") and unnumbered subheadings, paragraphs numbered across sections,
lettered lists ("(a) ...") inside a paragraph, and footnotes. A letter has unnumbered paragraphs,
a signature and often an annex with its own headings. Input is blocks separated by blank lines,
as ``ingest.pdf`` also produces; a block may hold several numbered paragraphs or list items, one
per line.

The header fills the metadata the manifest left empty (named in ``meta.guessed``) and
``meta.extra`` (``agenda_items``, ``session``, ``signatory``). A paragraph's number is the one
printed; an unnumbered paragraph (a letter's, or text before a report's first numbered paragraph)
gets none, and ``kg.builder`` cites it by its position. No text is skipped: what fits no part
becomes an unnumbered paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.model import DocMeta, Node, ParsedDocument
from ingest.lines import (
    ANNEX_HEADING,
    FOOTNOTE_LINE,
    LETTERED_CLAUSE,
    NUMBERED_PARAGRAPH,
    ROMAN_CLAUSES,
    SECTION_HEADING,
    parse_date,
    rejoin_hyphen_breaks,
    warning,
)
from ingest import tables
from ingest.parsers.context import ParseContext
from ingest.references import SYMBOL_RE, find_references
from ingest.text import SUPERSCRIPT_DIGITS, TO_SUPERSCRIPT, clean, superscript_calls

SIGNED = re.compile(r"^\(Signed\)\s*(.+)$", re.DOTALL)
LETTER_TITLE = re.compile(r"^(?:Identical\s+)?[Ll]etters?\s+dated\b")
REPORT_BY = re.compile(r"^Report of the (Secretary-General)\b")
BYLINE = re.compile(r"^(?:Report|Note) (?:of|by) the Secretary-General$")  # the line that ends a title block
# A block of the masthead: "United Nations  A/80/73", the organs, "Distr.: General", the date of
# issue, "Original: English", and the sessions and agenda items with their titles.
MASTHEAD = re.compile(r"^(?:United Nations\b|Distr\.|Original:|\[Original:|\d{1,2} [A-Z][a-z]+ \d{4}$"
                      r"|(?:General Assembly|Security Council|Economic and Social Council|Human Rights Council)\b"
                      r"|[A-Z][a-z]+(?:-[a-z]+)? (?:session|year)\b|\d{4} session\b|(?:Agenda )?[Ii]tems? \d)")
# A sentence ends a paragraph; anything else (or a lowercase start) means the next block runs on.
_ENDS = (".", ":", ";", "!", "?", ".”", ".\"", ".’", ")", "”", "\"", "]")  # "]": "[To be completed]"
# "A. Opening of the session": a lettered subheading (its letter printed; "C." is no roman section after "B.").
LETTERED_HEADING = re.compile(r"^([A-Z])\.\s+([A-Z][^\n]{0,150}(?:\n(?![ \t]*[\d(])[^\n]{1,150}){0,2})(?<![.;,])$")


@dataclass
class Unit:
    """One piece of the body: a block, or one numbered paragraph or list item inside a block."""

    kind: str  # "section", "annex", "subsection", "heading", "paragraph", "clause", "footnote", "signature",
    # "table" (its rows as ``ingest.tables`` reads them), "caption" ("Table 1" and its title), "text"
    text: str
    number: str | None = None
    title: str | None = None


def parse(text: str, ctx: ParseContext) -> list[ParsedDocument]:
    blocks = split_blocks(text)
    letter = ctx.meta.type == "letter" or any(LETTER_TITLE.match(b) for b in blocks[:40])
    start = _body_start(blocks, letter)
    meta = _header_meta(blocks[:start], ctx.meta, letter)
    body = blocks[start:]
    if meta.title and (title := next((b for b in body[:5] if clean(b) == meta.title), None)):
        body.remove(title)  # the title block, kept as the document's title
    return [build(body, meta, ctx)]


def split_blocks(text: str) -> list[str]:
    """The text's blocks (separated by blank lines or form feeds), broken words rejoined."""
    return [b.strip() for b in re.split(r"\n[ \t\f]*\n|\f", rejoin_hyphen_breaks(text)) if b.strip()]


def masthead_end(blocks: list[str]) -> int:
    """Index of the first block after a UN masthead (symbol, organs, "Distr.", date, "Original:", sessions
    and agenda items), 0 when the text has none."""
    i = 0
    while i < min(len(blocks), 15) and MASTHEAD.match(blocks[i]):
        i += 1
    return i


def build(blocks: list[str], meta: DocMeta, ctx: ParseContext) -> ParsedDocument:
    """The body's tree from its blocks; every block ends up in a part."""
    units = [u for block in blocks for u in _units(block)]
    builder = _TreeBuilder(ctx, numbered=sum(u.kind == "paragraph" for u in units) >= 2)
    for unit in units:
        builder.add(unit)
    builder.end()
    doc = ParsedDocument(meta, builder.children + builder.footnotes, builder.warnings)
    if builder.signatory and "signatory" not in meta.extra:
        meta.extra["signatory"] = builder.signatory
    if not doc.find("paragraph"):
        doc.warnings.append(warning(ctx.path, None, "no paragraphs found"))
    return doc


def _body_start(blocks: list[str], letter: bool) -> int:
    """Index of the first body block: after a letter's title; else after the "Report of the
    Secretary-General" line that closes the title block (a summary or a transmittal note follows it),
    or at the first section or paragraph."""
    for i, block in enumerate(blocks):
        if letter and LETTER_TITLE.match(block):
            return i + 1
        if not letter and BYLINE.match(block):
            return i + 1
        if not letter and (SECTION_HEADING.match(block) or NUMBERED_PARAGRAPH.match(block)):
            return min(i, masthead_end(blocks))  # headings before the first paragraph are body too
    return masthead_end(blocks)


def _header_meta(header: list[str], given: DocMeta, letter: bool) -> DocMeta:
    """The manifest's metadata, completed from the header block; each filled field is named in ``guessed``."""
    meta = replace(given, extra=dict(given.extra), guessed=list(given.guessed))
    text = "\n".join(header)
    found: dict[str, str | None] = {"symbol": _symbol(text), "date": parse_date(text)}
    organs = [o for o in ("General Assembly", "Security Council", "Economic and Social Council") if o in text]
    reporter = next((m.group(1) for b in header if (m := REPORT_BY.match(b))), None)
    found["body"] = reporter or ("; ".join(organs) if organs else None)
    for name, value in found.items():
        if value and not getattr(meta, name):
            setattr(meta, name, value)
            if name not in meta.guessed:
                meta.guessed.append(name)
    title = _title(header, letter)
    if title and "title" in meta.guessed:
        meta.title = title
    sessions = [f"General Assembly, {m.lower()} session" for m in re.findall(r"\b([A-Z][a-z]+(?:-[a-z]+)?) session\b", text)]
    sessions += [f"Security Council, {m.lower()} year" for m in re.findall(r"\b([A-Z][a-z]+(?:-[a-z]+)?) year\b", text)]
    agenda = re.search(r"\bAgenda items?\s+(\d+(?:\s*(?:,|and)\s*\d+)*)", text)
    for key, value in (("session", "; ".join(sessions)), ("agenda_items", agenda and ", ".join(re.findall(r"\d+", agenda.group(1))))):
        if value and key not in meta.extra:
            meta.extra[key] = value
            meta.guessed.append(key)
    return meta


def _symbol(text: str) -> str | None:
    """The document symbol as printed, a joint symbol with an en dash: ``A/79/785–S/2025/94``."""
    m = SYMBOL_RE.search(text)
    if not m:
        return None
    symbol = m.group(0)
    if joint := re.match(rf"\s*[–—-]\s*({SYMBOL_RE.pattern})", text[m.end():]):
        symbol = f"{symbol}–{joint.group(1)}"
    return symbol


def _title(header: list[str], letter: bool) -> str | None:
    for i, block in enumerate(header):
        if letter and LETTER_TITLE.match(block):
            return clean(block)
        if REPORT_BY.match(block) and i > 0:
            return clean(header[i - 1])
    return None


def _units(block: str) -> list[Unit]:
    """Cut a block into units: a new unit starts at each line that opens a paragraph, item or footnote."""
    if tables.is_table(block):
        return [Unit("table", block)]
    if found := tables.caption(block):
        return [Unit("caption", block, number=found[0], title=found[1])]
    if m := SECTION_HEADING.match(block):
        return [Unit("section", "", number=m.group(1), title=clean(m.group(2)))]
    if m := LETTERED_HEADING.match(block):
        return [Unit("subsection", "", number=m.group(1), title=clean(m.group(2)))]
    if m := ANNEX_HEADING.match(block):
        kind = m["kind"].lower()
        lines = block.splitlines()
        first = next((i for i, line in enumerate(lines) if i and NUMBERED_PARAGRAPH.match(line)), len(lines))
        annex = Unit("annex", "", number=f"{kind}-{m['num']}" if m["num"] else kind, title=clean("\n".join(lines[:first])))
        return [annex, *_units("\n".join(lines[first:]))] if first < len(lines) else [annex]
    if m := SIGNED.match(block):
        return [Unit("signature", clean(", ".join(block[m.start(1):].splitlines())))]
    units: list[Unit] = []
    for line in block.splitlines():
        if m := NUMBERED_PARAGRAPH.match(line):
            units.append(Unit("paragraph", line[m.end():], number=m.group(1)))
        elif m := LETTERED_CLAUSE.match(line):
            units.append(Unit("clause", line[m.end():], number=m.group(1)))
        elif m := FOOTNOTE_LINE.match(line):
            units.append(Unit("footnote", line[m.end():], number=m.group(1).translate(SUPERSCRIPT_DIGITS)))
        elif units:
            units[-1].text += "\n" + line
        else:
            units.append(Unit("text", line))
    if len(units) == 1 and units[0].kind == "paragraph" and _is_heading(units[0].text):
        units[0].kind = "heading"  # "1. SAF-aligned joint force": a numbered heading, if its number says so
    return units


def _is_heading(text: str) -> bool:
    """An unnumbered subheading: up to three short lines, capitalised, not ending like a sentence."""
    text = text.strip()
    return (text.count("\n") < 3 and len(text) <= 160 and text[:1].isupper()
            and not text.endswith((".", ",", ";", ":")))


class _TreeBuilder:
    """Places units in the tree: sections at the top, paragraphs in the current (sub)section."""

    def __init__(self, ctx: ParseContext, numbered: bool):
        self.ctx = ctx
        self.numbered = numbered
        self.children: list[Node] = []
        self.footnotes: list[Node] = []
        self.warnings: list[str] = []
        self.section: Node | None = None
        self.subsection: Node | None = None
        self.heading: Node | None = None  # a numbered heading ("1. SAF-aligned joint force") under a subsection
        self.paragraph: Node | None = None
        self.clause: Node | None = None  # the innermost current list item
        self.letter: Node | None = None  # the current lettered item, parent of roman ones
        self.last_number = 0
        self.outer_number = 0  # the last number of the body's numbering while an annex numbers its own
        self.signatory: str | None = None
        self.caption: Unit | None = None  # "Table 1 …", waiting for the table it names

    def container(self) -> list[Node]:
        node = self.heading or self.subsection or self.section
        return node.children if node else self.children

    def add(self, unit: Unit) -> None:
        if self.caption is not None and not self.caption.title and unit.kind == "text" and _is_heading(unit.text):
            self.caption.title = unit.text  # "Table 3", then its title in a block of its own
            self.caption.text += "\n" + unit.text
            return
        if self.caption is not None and unit.kind != "table":
            self.end()  # a caption with no table under it is a heading or text, as it reads
        if unit.kind == "caption":
            self.caption = unit
            return
        if unit.kind == "table":
            self._table(unit)
            return
        if unit.kind == "heading" and self._continues_numbering(int(unit.number)):
            unit.kind = "paragraph"  # short, but it continues the paragraphs' numbering or a list: no heading
        if unit.kind == "subsection" or (unit.kind == "section" and self._next_letter(unit.number)):
            self.subsection = _titled("subsection", unit)
            (self.section.children if self.section else self.children).append(self.subsection)
            self.heading = self.paragraph = self.clause = self.letter = None
        elif unit.kind in ("section", "annex"):
            self.section = _titled("section", unit)
            self.children.append(self.section)
            self.subsection = self.heading = self.paragraph = self.clause = self.letter = None
        elif unit.kind == "heading":
            self._heading(unit)
        elif unit.kind == "footnote":
            self._footnote(unit)
        elif unit.kind == "signature" and self.signatory is None:  # the letter's own signer
            self.signatory = unit.text
            self.paragraph = self.clause = self.letter = None
        elif unit.kind == "signature":  # an annex's or an enclosure's signer: kept where it is printed
            self._paragraph(None, f"(Signed) {unit.text}")
        elif (self.signatory and self.paragraph is None and self.section is None
              and (_is_heading(unit.text) or unit.text.lstrip()[:1].islower())):  # the signer's titles, wrapped
            self.signatory = f"{self.signatory}, {clean(', '.join(unit.text.splitlines()))}"
        elif unit.kind == "paragraph" and int(unit.number) > self.last_number:
            self.last_number = int(unit.number)
            self._paragraph(unit.number, unit.text)
        elif unit.kind == "paragraph" and self.outer_number and int(unit.number) == self.outer_number + 1 \
                and self.paragraph is None:
            self.last_number = self.outer_number = int(unit.number)  # back to the body's numbering after an annex
            self._paragraph(unit.number, unit.text)
        elif unit.kind == "paragraph" and self._restarts(unit):
            self.outer_number = max(self.outer_number, self.last_number)
            self.last_number = int(unit.number)
            if (node := self.heading or self.subsection or self.section) is not None:
                node.attrs["numbering"] = "restarts"  # its paragraphs are addressed within it
            self._paragraph(unit.number, unit.text)
        elif unit.kind == "clause" and self.paragraph is not None:
            self._clause(unit)
        elif unit.kind == "paragraph" and self.paragraph is not None:
            self._clause(unit)  # a number out of sequence: an item of a list inside the paragraph, as printed
        else:  # plain text
            self._text(_printed(unit))

    def end(self) -> None:
        """Place what is still waiting: a caption that no table followed is read as any other block."""
        caption, self.caption = self.caption, None
        if caption is not None:
            self._text(caption.text)

    def _table(self, unit: Unit) -> None:
        """A table in the current (sub)section, under its caption if one came just before it: a row
        per printed row, each holding its cells' text (``ingest.tables``), footnote calls linked."""
        caption, self.caption = self.caption, None
        title, calls = superscript_calls(caption.title or "") if caption else ("", [])
        table = Node("table", caption.number if caption else None, title=clean(title) or None, footnotes=calls)
        for cells in tables.rows(unit.text):
            text, calls = superscript_calls(tables.row_text(cells))
            table.children.append(Node("row", text=text.strip(), footnotes=calls,
                                       refs=find_references(text, self.ctx.instruments)))
        self.container().append(table)

    def _text(self, text: str) -> None:
        if self.heading is not None and not (self.heading.children or self.heading.text) \
                and text.lstrip()[:1].islower():  # "1. The Panel strived … by the" / "of the Security Council …"
            self._paragraph_after_all(self.heading)
        target = self.clause or self.paragraph
        if target is not None and self._runs_on(target, text):
            self._append(target, text)
        elif self.paragraph is not None and self.numbered and not _is_heading(text):
            self._append(self.paragraph, text)  # UN reports number every paragraph: more of the same one
        elif _is_heading(text):
            title, calls = superscript_calls(text)  # "Sawitri Assanangkornchai¹ (Thailand) 2030": a call, linked
            self.subsection = Node("subsection", title=clean(title), footnotes=calls)
            (self.section.children if self.section else self.children).append(self.subsection)
            self.heading = self.paragraph = self.clause = self.letter = None
        elif self.numbered:
            node = self.subsection or self.section
            if node is not None:  # introductory text under a heading, before its first paragraph
                node.text = clean(f"{node.text} {text}")
            else:
                self._paragraph(None, text)
        else:
            self._paragraph(None, text)

    def _next_letter(self, numeral: str) -> bool:
        """A one-letter "roman numeral" (C, D, I, L, M, V, X) that follows the current lettered subheading."""
        current = self.subsection.number if self.subsection is not None else None
        return len(numeral) == 1 and bool(current) and len(current) == 1 and ord(numeral) == ord(current) + 1

    def _restarts(self, unit: Unit) -> bool:
        """A "1." right under a heading starts a new numbering (an annex, a chapter, each decision of a
        compendium), where a "1." inside a paragraph is a list item of it. So does any number out of
        sequence right under a heading whose own text came first (a list whose "1." the print or a
        scan garbled: "1.- Antigua and Barbuda", "2. Australia")."""
        under_text = bool((node := self.heading or self.subsection or self.section) and node.text)
        return ((unit.number == "1" or under_text) and self.paragraph is None
                and unit.text.lstrip()[:1].isupper())

    @staticmethod
    def _runs_on(node: Node, text: str) -> bool:
        """A block continues the previous paragraph when that one stopped mid-sentence or this starts lowercase."""
        return not node.text.endswith(_ENDS) or text.lstrip()[:1].islower()

    def _paragraph(self, number: str | None, text: str) -> None:
        self.paragraph = Node("paragraph", number)
        self.clause = self.letter = None
        self._append(self.paragraph, text)
        self.container().append(self.paragraph)

    def _continues_numbering(self, number: int) -> bool:
        """``number`` is the next paragraph's, or the next item of a list numbered inside the paragraph."""
        items = [c.number for c in self.paragraph.children if c.number.isdigit()] if self.paragraph else []
        return number == self.last_number + 1 or bool(items) and number == int(items[-1]) + 1

    def _paragraph_after_all(self, heading: Node) -> None:
        """A numbered heading that the next block continues mid-sentence was a paragraph's first line."""
        parent = self.subsection or self.section
        (parent.children if parent else self.children).remove(heading)
        self.heading = None
        text = heading.title + "".join(f"{n}".translate(TO_SUPERSCRIPT) for n in heading.footnotes)
        self.add(Unit("paragraph", text, number=heading.number))

    def _heading(self, unit: Unit) -> None:
        """A numbered heading, under the current subsection (or section): its paragraphs go in it."""
        title, calls = superscript_calls(unit.text)
        self.heading = Node("subsection", unit.number, title=clean(title), footnotes=calls)
        parent = self.subsection or self.section
        (parent.children if parent else self.children).append(self.heading)
        self.paragraph = self.clause = self.letter = None

    def _clause(self, unit: Unit) -> None:
        """A numbered or lettered item of the current paragraph (a lettered one under the numbered item
        before it), or a roman (i), (ii) item of the current lettered one."""
        node = Node("clause", unit.number)
        self._append(node, unit.text)
        sub = (unit.number in ROMAN_CLAUSES and self.letter is not None
               and not (unit.number == "i" and self.letter.number == "h"))
        last = self.paragraph.children[-1] if self.paragraph.children else None
        item = last if last is not None and last.number.isdigit() and not unit.number.isdigit() else None
        (self.letter if sub else item or self.paragraph).children.append(node)
        if not sub:
            self.letter = node
        self.clause = node

    def _footnote(self, unit: Unit) -> None:
        if any(f.number == unit.number for f in self.footnotes):  # an annex that numbers its own footnotes
            self.warnings.append(warning(self.ctx.path, None, f"footnote {unit.number} printed twice; both kept"))
        node = Node("footnote", unit.number)
        self._append(node, unit.text)
        self.footnotes.append(node)

    def _append(self, node: Node, text: str) -> None:
        """Add text to a node, moving footnote calls to ``node.footnotes`` and finding references."""
        body, calls = superscript_calls(text)
        node.text = clean(f"{node.text} {body}")
        node.footnotes += [c for c in calls if c not in node.footnotes]
        node.refs = find_references(node.text, self.ctx.instruments)


def _titled(kind: str, unit: Unit) -> Node:
    """A heading's node: a footnote call printed on its title ("Chad⁵⁷") is linked, not kept as text."""
    title, calls = superscript_calls(unit.title or "")
    return Node(kind, unit.number, title=clean(title) if unit.title is not None else None, footnotes=calls)


def _printed(unit: Unit) -> str:
    """A unit put back as printed, for a number or label that turned out not to open a new part."""
    if unit.kind == "paragraph":
        return f"{unit.number}. {unit.text}"
    if unit.kind == "clause":
        return f"({unit.number}) {unit.text}"
    return unit.text
