"""Parser for a study guide that reproduces a UN report and interleaves its own notes with it.

The WIMUN guide prints the Secretary-General's 2013 report (A/67/929) with notes headed by the
paragraph or section they comment on ("24 Did you know that...", "III Did you know that...",
"b) Did you know that..."). Notes are inserted mid-sentence, page breaks split paragraphs, and
passages (the document header, paragraphs 1-3, paragraphs 71-73) are printed two or three times.

One pass over the lines classifies each line (see ``study_guide_lines``) and keeps two cursors:
the report paragraph being written and the note being written. An unlabelled prose line goes to
one of them by the rules in ``_Parser._prose``; a line whose text is already in the report is a
repeat and only moves the cursor. Returns the report (its meta from the manifest's ``embeds``)
and the guide (front matter and notes, each note targeting the report part it annotates).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime

from ingest.model import DocMeta, IngestError, Node, ParsedDocument, Ref
from ingest.lines import warning
from ingest.parsers.context import ParseContext
from ingest.parsers.study_guide_lines import (
    HEADER_DATE,
    HEADER_END,
    NOTE_HEADING,
    clause,
    clean_line,
    footnote,
    is_header_start,
    is_list_item,
    looks_like_heading,
    paragraph,
    section,
)
from ingest.references import find_references
from ingest.text import roman_to_int

_TERMINAL = (".", ":", ";", "?", "!", '"', "”", ")")
_MIN_REPEAT = 25  # shorter continuation lines may occur twice by chance ("sector."), longer ones do not
_VARIANT_RATIO = 0.9  # a reprinted paragraph this similar to the first print is the same paragraph
_HEADER_MAX_LINES = 40  # a UN document header is about 20 lines; past this, the closing line is missing


@dataclass
class _Place:
    """Where a report paragraph lives, so a repeat can move the cursor back there."""

    section: Node | None
    subsection: Node | None
    line: int


@dataclass
class _Parser:
    ctx: ParseContext
    report: DocMeta
    lines: list[str]
    warnings: list[str] = field(default_factory=list)
    top: list[Node] = field(default_factory=list)  # report paragraphs printed before any section
    sections: dict[str, Node] = field(default_factory=dict)
    section: Node | None = None
    subsection: Node | None = None
    paras: dict[str, Node] = field(default_factory=dict)
    places: dict[str, _Place] = field(default_factory=dict)
    para: Node | None = None
    last_number: int = 0
    footnotes: dict[str, Node] = field(default_factory=dict)
    notes: list[tuple[Node, int]] = field(default_factory=list)
    note_open: bool = False  # the note's last line invites more (ends with ':' or '?', or is a list item)
    mode: str = "report"  # "note" while a note's text is being written
    front: list[list[str]] = field(default_factory=list)
    header: list[str] | None = None
    header_line: int = 0

    # -- driver -----------------------------------------------------------------------------------
    def run(self) -> None:
        starts = {i for i in range(len(self.lines)) if is_header_start(self.lines, i)}
        body_from = min(starts, default=0)
        self._front_matter(self.lines[:body_from])
        i = body_from
        while i < len(self.lines):
            if i in starts:
                i = self._header(i)
                continue
            s = self.lines[i].strip()
            if s:
                self._line(i + 1, s, i)
            i += 1
        self._finish()

    def _line(self, no: int, s: str, index: int) -> None:
        if m := NOTE_HEADING.match(s):
            return self._note(no, m["label"], m["kind"], m["title"])
        if (found := section(s)) and roman_to_int(found[0]):
            return self._section(no, *found)
        if (found := paragraph(s)) and self._is_paragraph(*found):
            return self._paragraph(no, *found)
        if found := footnote(s):
            return self._footnote(no, *found)
        if (found := clause(s)) and self.mode == "report":
            return self._clause(no, *found)
        if looks_like_heading(s) and self._next_is_new_paragraph(index):
            return self._subsection(s)
        self._prose(no, s)

    def warn(self, no: int, message: str) -> None:
        self.warnings.append(warning(self.ctx.path or self.ctx.meta.file, no, message))

    # -- guide front matter and the report's header ---------------------------------------------
    def _front_matter(self, lines: list[str]) -> None:
        block: list[str] = []
        for line in lines + [""]:
            if line.strip():
                block.append(clean_line(line)[0])
            elif block:
                self.front.append(block)
                block = []

    def _header(self, start: int) -> int:
        """Consume a UN document header; check the first against the manifest, later ones against the first."""
        window = [line.strip() for line in self.lines[start:start + _HEADER_MAX_LINES]]
        if HEADER_END not in window:
            self.warn(start + 1, f"document header without a '{HEADER_END}' line within {_HEADER_MAX_LINES} "
                                 "lines; only its first line skipped")
            return start + 1
        end = start + window.index(HEADER_END)
        block = [clean_line(line)[0] for line in self.lines[start:end + 1] if line.strip()]
        if self.header is None:
            self.header, self.header_line = block, start + 1
            self._check_header(start, block)
        elif block != self.header:
            self.warn(start + 1, f"repeated document header differs from the first one (line {self.header_line}); "
                                 "kept the first")
        self.mode, self.para = "report", None
        return end + 1

    def _check_header(self, start: int, block: list[str]) -> None:
        title = block[-2] if len(block) >= 2 else None
        if title and title != self.report.title:
            self.warn(start + 1, f"header title '{title}' differs from the manifest title '{self.report.title}'")
        for line in block:
            if HEADER_DATE.match(line):
                try:
                    date = datetime.strptime(line, "%d %B %Y").date().isoformat()
                except ValueError:
                    self.warn(start + 1, f"header date '{line}' is not a date")
                    continue
                if self.report.date and date != self.report.date:
                    self.warn(start + 1, f"header date {date} differs from the manifest date {self.report.date}")

    # -- report structure ---------------------------------------------------------------------------
    def _section(self, no: int, number: str, title: str) -> None:
        title = clean_line(title)[0]
        if number in self.sections:
            node = self.sections[number]
            if node.title != title:
                self.warn(no, f"section {number} reprinted as '{title}', first printed as '{node.title}'; kept the first")
        else:
            expected = len(self.sections) + 1
            if roman_to_int(number) != expected:
                self.warn(no, f"section {number} where section {expected} was expected")
            node = Node("section", number, title=title)
            self.sections[number] = node
        self.section, self.subsection, self.para, self.mode = node, None, None, "report"

    def _subsection(self, s: str) -> None:
        node = Node("subsection", None, title=clean_line(s)[0])
        (self.section.children if self.section else self.top).append(node)
        self.subsection, self.para, self.mode = node, None, "report"

    def _next_is_new_paragraph(self, index: int) -> bool:
        following = next((line.strip() for line in self.lines[index + 1:] if line.strip()), "")
        found = paragraph(following)
        return bool(found) and int(found[0]) == self.last_number + 1

    def _is_paragraph(self, number: str, body: str) -> bool:
        """A numbered line opens a report paragraph, unless a note is being written and the number
        is neither the next one nor a reprint (then it is an item of the note's own list)."""
        if self.mode == "report" or int(number) == self.last_number + 1:
            return True
        return number in self.paras and _similar(self.paras[number].text, clean_line(body)[0])

    def _paragraph(self, no: int, number: str, body: str) -> None:
        text, calls = clean_line(body)
        if number in self.paras:
            node = self.paras[number]
            place = self.places[number]
            self._reprint(no, f"paragraph {number}", node, place.line, text)
            self.section, self.subsection = place.section, place.subsection
        else:
            if int(number) != self.last_number + 1:
                self.warn(no, f"paragraph {number} follows paragraph {self.last_number}")
            node = Node("paragraph", number, text=text, footnotes=calls)
            container = self.subsection or self.section
            (container.children if container else self.top).append(node)
            self.paras[number] = node
            self.places[number] = _Place(self.section, self.subsection, no)
            self.last_number = max(self.last_number, int(number))
        self.para, self.mode = node, "report"

    def _reprint(self, no: int, what: str, node: Node, first_line: int, text: str) -> None:
        """A part printed again: identical or a prefix is a repeat; a longer print completes a truncated
        first one; a near-identical one is a variant, reported and dropped in favour of the first print."""
        if node.text.startswith(text):
            return
        if text.startswith(node.text):
            node.text = text
            return
        if _similar(node.text, text):
            self.warn(no, f"{what} reprinted with different wording ({_word_diff(node.text.split(), text.split())}); "
                          f"kept the text of line {first_line}")
        else:
            self.warn(no, f"{what} reprinted with a different text, not placed: '{text[:80]}'")

    def _clause(self, no: int, letter: str, body: str) -> None:
        text, calls = clean_line(body)
        if self.para is None:
            self.warn(no, f"clause ({letter}) outside any paragraph, not placed: '{text[:80]}'")
            return
        existing = next((c for c in self.para.children if c.kind == "clause" and c.number == letter), None)
        if existing is not None:
            self._reprint(no, f"paragraph {self.para.number} ({letter})", existing, no, text)
            return
        self.para.children.append(Node("clause", letter, text=text, footnotes=calls))

    def _footnote(self, no: int, number: str, body: str) -> None:
        text, _ = clean_line(body)
        if number in self.footnotes:
            self._reprint(no, f"footnote {number}", self.footnotes[number], no, text)
        else:
            self.footnotes[number] = Node("footnote", number, text=text)
        self.mode = "report"

    # -- prose lines: report continuation or note text ----------------------------------------------
    def _prose(self, no: int, s: str) -> None:
        """Decide where an unlabelled line belongs.

        While a note is being written, its first line, list items, a line ending with ':' and a
        line after one ending with ':' or '?' or after a list item belong to the note. A line that
        starts in lower case (or with a number, when the report paragraph stopped mid-sentence) is
        the report paragraph resuming after the note. A plain sentence after a finished prose note
        is taken as the report resuming too, and reported, since nothing in the line says so.
        """
        if self.mode == "note":
            note = self.notes[-1][0]
            lower = s[0].islower()
            resumes_number = s[0].isdigit() and not is_list_item(s) and self._para_unfinished()
            if not note.text or (not lower and not resumes_number and
                                 (is_list_item(s) or self.note_open or s.endswith(":"))):
                note.text = f"{note.text} {clean_line(s)[0]}".strip()
                self.note_open = is_list_item(s) or s.endswith((":", "?"))
                return
            if not lower and not resumes_number and self.para is not None:
                self.warn(no, f"prose after note '{note.attrs['heading']}' read as the continuation "
                              f"of paragraph {self.para.number}")
        self._continue(no, s)

    def _para_unfinished(self) -> bool:
        return self.para is not None and not self.para.text.endswith(_TERMINAL)

    def _continue(self, no: int, s: str) -> None:
        text, calls = clean_line(s)
        if len(text) >= _MIN_REPEAT:
            owner = next((p for p in self.paras.values() if text in p.text), None)
            if owner is not None:  # a reprinted passage: move back to where it belongs
                place = self.places[owner.number]
                self.para, self.section, self.subsection, self.mode = owner, place.section, place.subsection, "report"
                return
        if self.para is None:
            self.warn(no, f"text outside any report paragraph or note, not placed: '{text[:80]}'")
            return
        self.para.text = f"{self.para.text} {text}"
        self.para.footnotes += [c for c in calls if c not in self.para.footnotes]
        self.mode = "report"

    # -- notes -------------------------------------------------------------------------------------------
    def _note(self, no: int, label: str, kind: str, title: str) -> None:
        heading = clean_line(f"{label} {kind}")[0]
        node = Node("note", str(len(self.notes) + 1), title=clean_line(title)[0] or None,
                    attrs={"note_kind": kind, "heading": heading}, target=self._target(no, label))
        self.notes.append((node, no))
        self.mode, self.note_open = "note", False

    def _target(self, no: int, label: str) -> Ref:
        """"72" -> paragraph 72; "III" -> section III; "0" -> the report as a whole (the guide's
        introduction to R2P); "b)" -> clause (b) of the latest paragraph with one, since the guide's
        lettered notes gloss the recommendation list of paragraph 71 (b): the Framework of Analysis)."""
        doc = self.report.id
        if label == "0":
            return Ref(surface=label, doc=doc)
        if label.isdigit():
            return Ref(surface=label, doc=doc, path=(("para", label),))
        if label.endswith(")"):
            letter = label[0]
            for para in reversed(list(self.paras.values())):
                if any(c.kind == "clause" and c.number == letter for c in para.children):
                    return Ref(surface=label, doc=doc, path=(("para", para.number), ("clause", letter)))
            self.warn(no, f"note '{label}' names no clause ({letter}) of any paragraph before it; attached to the report")
            return Ref(surface=label, doc=doc)
        return Ref(surface=label, doc=doc, path=(("section", label),))

    # -- end of text -----------------------------------------------------------------------------------
    def _finish(self) -> None:
        if not self.paras:
            self.warn(len(self.lines), "no numbered report paragraphs found")
        for number in range(1, self.last_number + 1):
            if str(number) not in self.paras:
                self.warn(len(self.lines), f"paragraph {number} not found")
        called = {fn for node in self._report_nodes() for fn in node.footnotes}
        for number in sorted(set(self.footnotes) - called, key=int):
            self.warn(len(self.lines), f"footnote {number} is called by no paragraph")
        for number in sorted(called - set(self.footnotes), key=int):
            self.warn(len(self.lines), f"footnote {number} is called but its text is not in the file")
        for note, no in self.notes:
            path = dict(note.target.path)
            if "para" in path and path["para"] not in self.paras:
                self.warn(no, f"note '{note.attrs['heading']}' targets paragraph {path['para']}, not in the report")
            if "section" in path and path["section"] not in self.sections:
                self.warn(no, f"note '{note.attrs['heading']}' targets section {path['section']}, not in the report")
            if not note.text:
                self.warn(no, f"note '{note.attrs['heading']}' has no text")
                note.text = note.attrs["heading"]
        for node in self._report_nodes() + [n for n, _ in self.notes]:
            node.refs = find_references(node.text, self.ctx.instruments)

    def _report_nodes(self) -> list[Node]:
        nodes = [n for root in self.top + list(self.sections.values()) for n in root.walk()]
        return [n for n in nodes if n.kind in ("paragraph", "clause")] + list(self.footnotes.values())

    def documents(self) -> list[ParsedDocument]:
        footnotes = sorted(self.footnotes.values(), key=lambda n: int(n.number))
        report = ParsedDocument(self.report, self.top + list(self.sections.values()) + footnotes, self.warnings)
        guide_children = [self._front_section()] if self.front else []
        guide = ParsedDocument(self.ctx.meta, guide_children + [n for n, _ in self.notes], [])
        return [report, guide]


    def _front_section(self) -> Node:
        """The guide's cover: its one-line capitalised blocks make the title, the other blocks
        (address, contacts) its paragraphs."""
        blocks = list(self.front)
        title_lines = []
        while blocks and len(blocks[0]) == 1 and blocks[0][0].isupper():
            title_lines.append(blocks.pop(0)[0])
        paragraphs = [Node("paragraph", str(i), text=", ".join(block)) for i, block in enumerate(blocks, start=1)]
        return Node("section", None, title=" · ".join(title_lines) or None, children=paragraphs)


def _similar(old: str, new: str) -> bool:
    """Two prints of one passage: the same text, a truncated one, or a word or two changed."""
    if old.startswith(new) or new.startswith(old):
        return True
    return difflib.SequenceMatcher(None, old.split(), new.split()).ratio() >= _VARIANT_RATIO


def _word_diff(old: list[str], new: list[str]) -> str:
    changes = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if op != "equal":
            changes.append(f"'{' '.join(new[b1:b2])}' for '{' '.join(old[a1:a2])}'")
    return ", ".join(changes)


def parse(text: str, ctx: ParseContext) -> list[ParsedDocument]:
    reports = [m for m in ctx.embeds if m.type == "report"]
    if not reports:
        raise IngestError(ctx.path or ctx.meta.file or ctx.meta.id,
                          "study guide: the manifest lists no embedded report ([[document.embeds]] with type = \"report\")")
    parser = _Parser(ctx, reports[0], text.splitlines())
    parser.run()
    return parser.documents()
