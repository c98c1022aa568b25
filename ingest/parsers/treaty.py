"""Parser for treaties and protocols: preamble, Parts/Chapters, Articles, paragraphs, clauses, items.

Works line by line on the text as the sources give it, which is messy in different ways:

- the draft Protocol breaks sentences with blank lines, puts "Article 1" and its title on lines of
  their own, and mixes dash items "- ...", lettered clauses "(a)" and numbered paragraphs "1.";
- the Genocide Convention numbers Articles in roman and has unnumbered paragraphs, one per line;
- the Rome Statute and the Charter (Dutch treaty database) start with a Dutch title line, glue
  paragraph numbers to their text ("1.To"), write clauses "a)", "(a)", "(i)" or "a.promoting",
  and put a whole preamble on one line with words glued together ("determinedto", "aims.Accordingly").

A marker only opens a new part when it is the one expected next (paragraph 3 after 2, clause "b"
after "a"), so a line that starts with "(a)" because "Article 5 (1) (a)" was broken across lines
stays in its sentence. Text that is not under a marker belongs to the enclosing part: an Article's
lead text and its unnumbered paragraphs are the Article's own text. Roman "(i)" and letter "i)" are
told apart by what is expected next and by the marker's style.

Subheadings inside Charter chapters ("Composition", "Voting") become sections numbered by their
place in the chapter ("IV.1"), since they print no number and need distinct URIs. The closing
formula ("IN WITNESS WHEREOF ... DONE at Rome") is kept as a final unnumbered section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.model import Node, ParsedDocument, Ref
from ingest.lines import (
    CLAUSE_MARKER,
    DASH_ITEM,
    NUMBERED_PARAGRAPH_GLUED,
    opening_phrase,
    rejoin_hyphen_breaks,
    warning,
)
from ingest.parsers.context import ParseContext
from ingest.provisions import int_to_roman
from ingest.references import find_references
from ingest.text import clean, roman_to_int

HEADINGS = {
    "part": re.compile(r"^PART\s+(\d+|[IVXLC]+)$"),
    "chapter": re.compile(r"^CHAPTER\s+(\d+|[IVXLC]+)$"),
    "article": re.compile(r"^Article\s+(\d+(?:\s+(?:bis|ter|quater))?|[IVXLC]+)$"),
}
TESTIMONIUM = re.compile(r"^IN (?:WITNESS|FAITH) WHEREOF\b")
PREAMBLE_WORD = re.compile(r"^preamble\b\s*", re.IGNORECASE)
TERMINAL = (".", ",", ";", ":")

# Extraction glue in the Dutch database copies: "aims.Accordingly", "freedom,and", "determinedto".
_GLUED_STOP = re.compile(r"(?<=[a-z)])\.(?=[A-Z])")
_GLUED_COMMA = re.compile(r",(?=[A-Za-z])")
_GLUED_TO = re.compile(r"\b(and|ends|\w+ed)to\b")

# Preamble: where a preambular paragraph starts, and the closing formula ("Have agreed as follows:").
_OPENING_AT = re.compile(r"(?:[,;:](?:\s+and)?\s+)(?=[A-Z])")
_CLOSING = re.compile(r"\b(?:have\s+(?:agreed|resolved)|hereby\s+agree)\b", re.IGNORECASE)
_CHARTER_LIST = re.compile(r"(?<=,)\s*(?=and\s+(?:for\s+these\s+ends\s+)?to\s)")


@dataclass(eq=False)
class _Frame:
    """A part being read: its node, its raw lines, and for clauses the marker style and kind."""

    node: Node
    lines: list[str] = field(default_factory=list)
    style: str = ""
    roman: bool = False
    last_blank: bool = False


def parse(text: str, ctx: ParseContext) -> list[ParsedDocument]:
    lines = [line.strip() for line in _repair(text).splitlines()]
    warnings: list[str] = []
    start = _front_matter_end(lines)
    body = next((i for i in range(start, len(lines)) if _heading(lines[i])), len(lines))
    children: list[Node] = []
    preamble = _preamble([ln for ln in lines[start:body] if ln])
    if preamble is not None:
        children.append(preamble)
    reader = _BodyReader(lines, body, ctx, warnings)
    children += reader.read()
    doc = ParsedDocument(ctx.meta, children, warnings)
    if not doc.find("article"):
        warnings.append(warning(ctx.path, None, "no articles found (expected lines such as 'Article 1')"))
    _check_sequence(doc, ctx, warnings)
    for node in children:
        _link(node, ctx, article=None, paragraph=None)
    return [doc]


def _repair(text: str) -> str:
    text = rejoin_hyphen_breaks(text)
    text = _GLUED_STOP.sub(". ", text)
    text = _GLUED_COMMA.sub(", ", text)
    return _GLUED_TO.sub(r"\1 to", text)


def _heading(line: str) -> tuple[str, str] | None:
    for kind, pattern in HEADINGS.items():
        if m := pattern.match(line):
            return kind, re.sub(r"\s+", " ", m.group(1))
    return None


def _title_like(line: str) -> bool:
    """A heading line: short, capitalised, no closing punctuation, not a marker."""
    return (bool(line) and len(line) <= 120 and line[0].isupper() and not line.endswith(TERMINAL)
            and not _heading(line) and not NUMBERED_PARAGRAPH_GLUED.match(line) and not TESTIMONIUM.match(line))


def _front_matter_end(lines: list[str]) -> int:
    """Index after the title lines (the Dutch and English titles): short lines with no punctuation."""
    i = 0
    while i < len(lines) and (not lines[i] or (_title_like(lines[i]) and not PREAMBLE_WORD.match(lines[i]))):
        i += 1
    return i


# -- preamble ---------------------------------------------------------------------------------------

def _preamble(lines: list[str]) -> Node | None:
    text = clean(PREAMBLE_WORD.sub("", "\n".join(lines)))
    if not text:
        return None
    closing = ""
    if m := _CLOSING.search(text):
        text, closing = text[: m.start()].rstrip(), text[m.start():]
    cuts = [m.end() for m in _OPENING_AT.finditer(text) if _opening_phrase(text[m.end():])]
    if cuts:
        intro, pieces = text[: cuts[0]].strip(), [text[a:b].strip() for a, b in zip(cuts, cuts[1:] + [len(text)])]
        if _opening_phrase(intro):  # the preamble opens on a phrase, with no "The Contracting Parties,"
            intro, pieces = "", [intro] + pieces
    else:  # the Charter: "We the peoples ... determined to save ..., and to reaffirm ..."
        intro, pieces = "", [p.strip() for p in _CHARTER_LIST.split(text)]
    preamble = Node("preamble", text=" ".join(p for p in (intro, closing) if p))
    for number, piece in enumerate(pieces, start=1):
        node = Node("preambular", str(number), text=piece)
        if phrase := _opening_phrase(piece):
            node.attrs["opening_phrase"] = phrase
        preamble.children.append(node)
    return preamble


def _opening_phrase(text: str) -> str | None:
    """"Having considered", "Mindful of", "Recognizing" (from "RECOGNIZING"): the phrase a preambular paragraph opens with."""
    return opening_phrase(text, adjective_object=True)


# -- body ----------------------------------------------------------------------------------------

class _BodyReader:
    """Reads Parts/Chapters/sections/Articles and what they contain, one line at a time."""

    def __init__(self, lines: list[str], start: int, ctx: ParseContext, warnings: list[str]):
        self.lines, self.i, self.ctx, self.warnings = lines, start, ctx, warnings
        self.top: list[Node] = []
        self.group: Node | None = None  # current part or chapter
        self.section: Node | None = None
        self.stack: list[_Frame] = []  # article, paragraph, clause(s), item
        self.frames: dict[int, _Frame] = {}  # by id() of the node

    def read(self) -> list[Node]:
        blank = True
        while self.i < len(self.lines):
            line = self.lines[self.i]
            self.i += 1
            if not line:
                blank = True
                continue
            self._line(line, blank)
            blank = False
        for frame in self.frames.values():
            frame.node.text = clean("\n".join(frame.lines))
        return self.top

    def _next_line(self) -> str | None:
        """The next non-blank line, consumed."""
        while self.i < len(self.lines):
            line = self.lines[self.i]
            self.i += 1
            if line:
                return line
        return None

    def _peek(self) -> str | None:
        return next((ln for ln in self.lines[self.i:] if ln), None)

    def _open(self, node: Node, parent: list[Node], **kw) -> _Frame:
        parent.append(node)
        frame = _Frame(node, **kw)
        self.frames[id(node)] = frame
        return frame

    def _line(self, line: str, blank: bool) -> None:
        if heading := _heading(line):
            kind, number = heading
            if kind == "article":
                self._article(number)
            else:
                title = self._next_line()
                self.group = Node(kind, number, title=title)
                self.top.append(self.group)
                self.section, self.stack = None, []
            return
        if TESTIMONIUM.match(line):
            self.group, self.section = None, None
            self.stack = [self._open(Node("section"), self.top)]
            self.stack[0].lines.append(line)
            return
        if (self.group is not None and blank and _title_like(line)
                and (nxt := self._peek()) and (_heading(nxt) or ("", ""))[0] == "article"):
            chapter = self.group
            number = f"{chapter.number}.{sum(c.kind == 'section' for c in chapter.children) + 1}"
            self.section = Node("section", number, title=line)
            chapter.children.append(self.section)
            self.stack = []
            return
        if not self.stack:
            self.warnings.append(warning(self.ctx.path, self.i, f"text outside any article: {line[:60]!r}"))
            return
        if self._marker(line):
            return
        self._continue(line, blank)

    def _article(self, number: str) -> None:
        parent = (self.section or self.group).children if (self.section or self.group) else self.top
        frame = self._open(Node("article", number), parent)
        self.stack = [frame]
        nxt = self._peek()
        if nxt and _title_like(nxt) and not CLAUSE_MARKER.match(nxt) and not DASH_ITEM.match(nxt):
            frame.node.title = clean(self._next_line())

    def _marker(self, line: str) -> bool:
        """Open the paragraph, clause or item ``line`` starts, if it is one expected here."""
        if m := NUMBERED_PARAGRAPH_GLUED.match(line):
            article = self.stack[0]
            paras = [c for c in article.node.children if c.kind == "paragraph"]
            if m.group(1) == str(len(paras) + 1):
                self.stack = [article, self._open(Node("paragraph", m.group(1)), article.node.children)]
                self.stack[-1].lines.append(line[m.end():])
                return True
            return False
        if m := CLAUSE_MARKER.match(line):
            token = m.group("paren") or m.group("close") or m.group("dot")
            style = "paren" if m.group("paren") else "close" if m.group("close") else "dot"
            return self._clause(token, style, line[m.end():])
        if m := DASH_ITEM.match(line):
            holder = next((f for f in reversed(self.stack) if f.node.kind != "item" and _ends(f, ":")),
                          next(f for f in reversed(self.stack) if f.node.kind != "item"))
            self.stack = self.stack[: self.stack.index(holder) + 1]
            self.stack.append(self._open(Node("item", str(sum(c.kind == "item" for c in holder.node.children) + 1)),
                                         holder.node.children))
            self.stack[-1].lines.append(line[m.end():])
            return True
        return False

    def _clause(self, token: str, style: str, rest: str) -> bool:
        """Open clause ``token`` where it is expected: next in an open list (the outermost one that
        expects it: "c)" after a nested "a) b)" returns to the outer list), or first of a new list
        under the innermost part that introduces one (empty, or ending with ":")."""
        holder, roman = None, False
        for frame in self.stack:
            letters = self._clauses(frame, roman=False)
            if letters and token == _next_letter(letters[-1].node.number):
                holder = frame
                break
        starts_roman = token == "i" and style != "dot" and self._list_start(roman=True)
        if holder is not None and starts_roman and self._clauses(holder, roman=False)[-1].style != style:
            holder = None  # "(i)" under "h)": a sub-list, not the ninth letter
        if holder is None:
            for frame in self.stack:
                romans = self._clauses(frame, roman=True)
                if romans and style != "dot" and token == _next_roman(romans[-1].node.number):
                    holder, roman = frame, True
                    break
        if holder is None and token == "a":
            holder = self._list_start(roman=False)
        if holder is None and starts_roman:
            holder, roman = starts_roman, True
        if holder is None:
            return False
        self.stack = self.stack[: self.stack.index(holder) + 1]
        frame = self._open(Node("clause", token), holder.node.children, style=style, roman=roman)
        frame.lines.append(rest)
        self.stack.append(frame)
        return True

    def _list_start(self, roman: bool) -> _Frame | None:
        """The innermost open part that can take a new list of clauses, if it has none yet."""
        for frame in reversed(self.stack):
            kind = frame.node.kind
            if kind == "item":
                continue
            if (kind in ("article", "paragraph") or not "".join(frame.lines).strip() or _ends(frame, ":")
                    or (roman and kind == "clause" and not frame.roman)):
                return None if self._clauses(frame, roman) else frame
        return None

    def _clauses(self, holder: _Frame, roman: bool) -> list[_Frame]:
        frames = (self.frames[id(c)] for c in holder.node.children if c.kind == "clause")
        return [f for f in frames if f.roman == roman]

    def _continue(self, line: str, blank: bool) -> None:
        """A line under no marker: the sentence goes on, or (after a finished sentence and a blank
        line) the text returns to the enclosing part, as "for the purpose of:" between item lists."""
        frame = self.stack[-1]
        while blank and len(self.stack) > 1 and frame.node.kind in ("clause", "item") and _ends(frame, ".", ";"):
            self.stack.pop()
            frame = self.stack[-1]
        frame.lines.append(line)


def _next_letter(letter: str) -> str:
    return chr(ord(letter[-1]) + 1) if len(letter) == 1 else ""


def _next_roman(numeral: str) -> str:
    return int_to_roman(roman_to_int(numeral) + 1).lower()


def _ends(frame: _Frame, *endings: str) -> bool:
    text = " ".join(frame.lines).rstrip()
    return text.endswith(endings)


def _check_sequence(doc: ParsedDocument, ctx: ParseContext, warnings: list[str]) -> None:
    """Warn when Articles are not numbered 1, 2, 3... (a lost or duplicated heading)."""
    numbers = [a.number for a in doc.find("article")]
    values = [int(n) if n.isdigit() else roman_to_int(n) for n in (re.match(r"\w+", n).group(0) for n in numbers)]
    for prev, (number, value) in zip([0] + values, zip(numbers, values)):
        if value is not None and prev is not None and value not in (prev, prev + 1):
            warnings.append(warning(ctx.path, None, f"Article {number} follows Article number {prev}: a heading may be missing"))


# -- references -------------------------------------------------------------------------------------

def _link(node: Node, ctx: ParseContext, article: str | None, paragraph: str | None) -> None:
    """References of each part; a bare "paragraph 2" or "subparagraph a)" is read in the current article."""
    if node.kind == "article":
        article, paragraph = node.number, None
    elif node.kind == "paragraph":
        paragraph = node.number
    source = f"{node.title}. {node.text}" if node.title and node.kind == "article" else node.text
    refs: list[Ref] = []
    for ref in find_references(source, ctx.instruments):
        doc = None if ref.doc == ctx.meta.id else ref.doc
        path = ref.path
        if doc is None and path and article is not None:
            if path[0][0] == "para":
                path = (("article", article),) + path
            elif path[0][0] == "clause":
                path = (("article", article),) + ((("para", paragraph),) if paragraph else ()) + path
        if doc is None and not path:
            continue  # "this Protocol" in the Protocol: the document itself, not a link
        refs.append(Ref(ref.surface, doc, path, ref.symbol, ref.title))
    node.refs = list(dict.fromkeys(refs))
    for child in node.children:
        _link(child, ctx, article, paragraph)
