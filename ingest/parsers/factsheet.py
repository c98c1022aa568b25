"""Parser for fact sheets: headed sections, "Title: text" blocks, activity lists — de-interleaved.

A brochure typeset in two columns and flattened to text interleaves its columns: an activity list
is interrupted by the next block of the other column, prose of a later section lands between the
blocks of an earlier one. The text is first cut into units (heading, list header, item, "Title:
text" block, prose), then each unit is given an owner by rules that follow from the layout:

- "Title: text" blocks under a heading are that section's subsections (the Office's core
  functions); a list header ("Associated activities") goes to the first such subsection that has
  no list yet, because side-by-side columns put their headers one after the other;
- an item directly under a header or an item belongs to that list; an item after a gap resumes the
  oldest list still open (its last item ended with ";" rather than ".");
- prose that names a section's subject verbatim ("the responsibility to protect") goes to that
  section; other prose found among "Title: text" subsections, which hold one paragraph each, was
  displaced from another section and goes to the one whose title shares most words with it;
  a paragraph that follows another without a blank line stays with it.

Displaced paragraphs come after a section's own ones. Paragraph and item numbers run through the
document, because sections do not scope numbers in URIs (``ingest.model.KINDS``).
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from ingest.model import Node, ParsedDocument
from ingest.parsers.context import ParseContext
from ingest.lines import unwrap
from ingest.references import find_references

ITEM = re.compile(r"^(?:»»|»|•|▪|■|–|-)\s+")
TITLED = re.compile(r"^(?P<title>[A-Z][^:.;,]{2,60}):\s+(?P<rest>\S.*)$")
_STOPWORDS = {"the", "of", "and", "to", "in", "a", "an", "for", "by", "with", "on", "as", "at", "or", "its", "their"}
_SENTENCE_END = (".", "!", "?")
_REPAIRS = [(re.compile(r"\bSecretaryGeneral\b"), "Secretary-General")]  # hyphen lost at a column break


@dataclass
class Unit:
    kind: str  # heading, list_header, item, titled, prose
    lines: list[str]
    line_no: int
    after_gap: bool  # preceded by a blank line
    glued: bool = False  # prose that follows other prose without a blank line


@dataclass
class Container:
    """A section or subsection being assembled: its own children, and those displaced into it."""

    node: Node
    own: list[Node] = field(default_factory=list)
    displaced: list[Node] = field(default_factory=list)
    titled: bool = False  # a "Title: text" subsection, which owns exactly one paragraph
    has_list: bool = False
    parent: Container | None = None


@dataclass
class ActivityList:
    owner: Container
    open: bool = True


def parse(text: str, ctx: ParseContext) -> list[ParsedDocument]:
    return [FactSheetParser(text, ctx).parse()]


class FactSheetParser:
    def __init__(self, text: str, ctx: ParseContext):
        self.lines = [line.strip() for line in text.splitlines()]
        self.ctx = ctx
        self.where = str(ctx.path or ctx.meta.file or ctx.meta.id)
        self.warnings: list[str] = []
        lengths = [len(line) for line in self.lines if line]
        self.short = 0.85 * statistics.median(lengths) if lengths else 0

    def warn(self, line_no: int, message: str) -> None:
        self.warnings.append(f"{self.where}:{line_no + 1}: {message}")

    # -- pass 1: units ---------------------------------------------------------------------------
    def units(self) -> list[Unit]:
        units: list[Unit] = []
        gap = True
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            if not line:
                gap, i = True, i + 1
                continue
            current = units[-1] if units else None
            mid_sentence = (current is not None and not gap and current.kind not in ("heading", "list_header")
                            and not current.lines[-1].endswith(_SENTENCE_END))
            if ITEM.match(line):
                units.append(Unit("item", [ITEM.sub("", line)], i, gap))
            elif current and (line[0].islower() or mid_sentence):
                current.lines.append(line)
            elif (heading := self._heading_at(i, current, gap)) is not None:
                units.append(Unit("list_header" if self._item_at(i + len(heading)) else "heading", heading, i, gap))
                i += len(heading)
                gap = False
                continue
            elif current and not self._starts_unit(current, line, gap):
                current.lines.append(line)
            elif TITLED.match(line):
                units.append(Unit("titled", [line], i, gap))
            else:
                glued = bool(current and current.kind == "prose" and not gap)
                units.append(Unit("prose", [line], i, gap, glued))
            gap, i = False, i + 1
        return units

    def _starts_unit(self, current: Unit, line: str, gap: bool) -> bool:
        """Whether an upper-case line after ``current`` opens a new unit rather than continuing it."""
        if gap or current.kind in ("heading", "list_header"):
            return True
        last = current.lines[-1]
        return current.kind == "item" or bool(TITLED.match(line)) or len(last) < self.short

    def _heading_at(self, i: int, current: Unit | None, gap: bool) -> list[str] | None:
        """The lines of a heading starting at line ``i``: short, unpunctuated, not ending on a function word.

        A heading opens a block (after a blank line, a heading, or a paragraph's short last line); a list
        header ("Associated activities") is recognised by the item on the very next line.
        """
        lines = [self.lines[i]]
        j = i + 1
        while j < len(self.lines) and self.lines[j] and self.lines[j][0].islower():
            lines.append(self.lines[j])
            j += 1
        text = " ".join(lines)
        last_word = text.split()[-1]
        if (len(text) > 100 or text[-1] in ".,;:!?" or not text[0].isupper() or TITLED.match(text)
                or not last_word.isalpha() or last_word.lower() in _STOPWORDS):
            return None
        opens_block = (gap or current is None or current.kind in ("heading", "list_header")
                       or len(current.lines[-1]) < self.short)
        return lines if opens_block or self._item_at(j) else None

    def _item_at(self, j: int) -> bool:
        return j < len(self.lines) and bool(ITEM.match(self.lines[j]))

    # -- pass 2: owners --------------------------------------------------------------------------
    def parse(self) -> ParsedDocument:
        units = self.units()
        lead: list[Node] = []
        sections = {id(u): Container(Node("section", str(n), title=unwrap(u.lines)))
                    for n, u in enumerate((u for u in units if u.kind == "heading"), start=1)}
        subsections: list[Container] = []
        lists: list[ActivityList] = []
        current: Container | None = None  # innermost container
        section: Container | None = None
        last_list: ActivityList | None = None
        last_prose: tuple[Container, bool] | None = None  # owner of the last paragraph, and displaced?
        previous: Unit | None = None
        for unit in units:
            text = unwrap(unit.lines)
            for pattern, replacement in _REPAIRS:
                text = pattern.sub(replacement, text)
            if unit.kind == "heading":
                section = current = sections[id(unit)]
            elif unit.kind == "titled" and section is not None:
                m = TITLED.match(text)
                # Unnumbered in print: the builder counts them within their section (.../section/1/subsection/2).
                current = Container(Node("subsection", title=m.group("title")), titled=True, parent=section)
                section.own.append(current.node)
                subsections.append(current)
                current.own.append(self._node("paragraph", m.group("rest")))
                last_prose = (current, False)
            elif unit.kind == "list_header":
                owner = next((s for s in subsections if s.parent is section and not s.has_list), current)
                if owner is None:
                    self.warn(unit.line_no, f"list header {text!r} before any section; its items go to the lead")
                else:
                    owner.has_list = True
                last_list = ActivityList(owner) if owner else None
                if last_list:
                    lists.append(last_list)
            elif unit.kind == "item":
                if not (previous and previous.kind in ("item", "list_header") and not unit.after_gap):
                    last_list = next((lst for lst in lists if lst.open), None)
                if last_list is None:
                    last_list = ActivityList(current) if current else None
                    if last_list:
                        lists.append(last_list)
                item = self._node("item", text)
                if last_list is None:
                    lead.append(item)
                else:
                    last_list.owner.own.append(item)
                    last_list.open = not text.endswith(_SENTENCE_END)
            elif section is None:
                lead.append(self._node("paragraph", text))
            else:
                last_prose = self._prose_owner(unit, text, current, section, list(sections.values()), last_prose)
                owner, displaced = last_prose
                (owner.displaced if displaced else owner.own).append(self._node("paragraph", text))
            previous = unit
        for container in subsections + list(sections.values()):
            container.node.children = container.own + container.displaced
        children = lead + [s.node for s in sections.values()]
        self._number(children)
        if not children:
            self.warnings.append(f"{self.where}: no text found")
        return ParsedDocument(self.ctx.meta, children, self.warnings)

    def _prose_owner(self, unit: Unit, text: str, current: Container, section: Container,
                     sections: list[Container], last_prose: tuple[Container, bool] | None) -> tuple[Container, bool]:
        """Who a prose paragraph belongs to, and whether it was displaced there (see the module doc)."""
        if unit.glued and last_prose is not None:
            return last_prose
        lowered = text.lower()
        for s in sections:  # a heading left with nothing of its own is waiting for its column
            subject = re.sub(r"^(the|a|an)\s+", "", s.node.title.lower())
            if subject in lowered and not any(n.kind == "paragraph" for n in s.own + s.displaced):
                return s, s is not section
        if current.titled:
            scores = [(_overlap(text, s.node.title), -i, s) for i, s in enumerate(sections) if s is not section]
            best = max(scores, default=None, key=lambda t: t[:2])
            if best and best[0] > 0:
                return best[2], True
            self.warn(unit.line_no, f"paragraph {text[:40]!r} follows a one-paragraph block; kept there")
        return current, False

    def _node(self, kind: str, text: str) -> Node:
        return Node(kind, text=text, refs=find_references(text, self.ctx.instruments))

    @staticmethod
    def _number(children: list[Node]) -> None:
        """Number paragraphs and items through the document, in the final tree's order."""
        counts = {"paragraph": 0, "item": 0}
        stack = list(reversed(children))
        while stack:
            node = stack.pop()
            if node.kind in counts:
                counts[node.kind] += 1
                node.number = str(counts[node.kind])
            stack.extend(reversed(node.children))


def _words(text: str) -> set[str]:
    """Content words, crudely singularised, for comparing a paragraph with a section title."""
    return {w.rstrip("s") for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _STOPWORDS}


def _overlap(text: str, title: str) -> int:
    return len(_words(text) & _words(title))
