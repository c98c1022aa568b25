"""Parser for United Nations resolutions (Security Council, General Assembly).

A resolution is: a heading ("RESOLUTION 827 (1993)"), an adoption line (before the text: "Adopted
by the Security Council at its 3217th meeting, on 25 May 1993", or "of 5 April 1991" under the
heading with "Adopted unanimously at the 3288th meeting." after the text), the body's name ("The
Security Council,"), preambular paragraphs, numbered operative paragraphs with lettered
subparagraphs, sometimes an annex, and in the yearbook copies footnotes whose calls are bare
numbers in the text ("…the Secretary-General; 18").

Preambular paragraphs are not numbered in print; they are cut where a paragraph ends with a comma
(or semicolon, colon) and the next line opens with an opening phrase (see ``opening_phrase``), so
hard-wrapped lines and stray blank lines inside a paragraph are rejoined.

Long resolutions (sanctions, mission mandates) group their operative paragraphs under headings of
their own lines ("Arms Embargo", "UNMISS Mandate"): each becomes a section holding the paragraphs
under it, which keep their addresses (``para/9``), instead of a preambular paragraph or the tail of
the paragraph above.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ingest.model import DocMeta, IngestError, Node, ParsedDocument, Ref
from ingest.lines import (
    FOOTNOTE_LINE,
    LETTERED_CLAUSE_LOOSE,
    NUMBERED_PARAGRAPH,
    opening_phrase,
    parse_date,
    unwrap,
    warning,
)
from ingest.parsers.context import ParseContext
from ingest.references import find_references
from ingest.text import SUPERSCRIPT_DIGITS, clean, superscript_calls
from ingest.namespaces import slug

HEADING = re.compile(r"^\s*RESOLUTION\s+(\d{1,4})\s*\((\d{4})\)\s*$", re.IGNORECASE | re.MULTILINE)
# "The Security Council,", "The Human Rights Council,", "The Commission on the Status of Women,".
BODY_LINE = re.compile(r"^\s*The\s+((?:[A-Z][\w’'-]*\s+(?:(?:and|of|on|for|the)\s+)*)*"
                       r"(?:Council|Assembly|Commission|Committee|Board|Conference|Forum))\s*,\s*$", re.MULTILINE)
# "79/123. Title" under "Resolution adopted by the General Assembly on 9 December 2024" (GA, HRC).
NUMBERED_HEADING = re.compile(r"^\s*(\d{1,3}/\d{1,4})\.\s+(\S.*)$", re.MULTILINE)
ADOPTED_BY_ON = re.compile(r"Resolution adopted by the (?P<body>[A-Z][\w ]+?) on (?P<date>\d{1,2} \w+ \d{4})")
_RESOLUTION_SYMBOL = {"General Assembly": "A/RES/{}", "Human Rights Council": "A/HRC/RES/{}"}
# The date may be gone: the pipeline takes the masthead's date line out of page 1, and a resolution
# adopted on its date of issue prints that same line after "on".
ADOPTED_BEFORE = re.compile(
    r"Adopted by the (?P<body>Security Council|General Assembly) at its (?P<meeting>\d+)(?:st|nd|rd|th)"
    r" (?:plenary )?meeting(?:,? on (?P<date>\d{1,2} \w+ \d{4})|,? on\b)?"
)
DATE_LINE = re.compile(r"^\s*of\s+(\d{1,2}\s+\w+\s+\d{4})\s*$", re.MULTILINE)
ADOPTED_AFTER = re.compile(
    r"^Adopted (?P<unanimous>unanimously )?at the (?P<meeting>\d+)(?:st|nd|rd|th) (?:plenary )?meeting"
    r"(?: by (?P<vote>.+))?$"
)
ANNEX = re.compile(r"^\s*(?:ANNEX|Annex)(?:\s+[IVX\d]+)?\s*$")  # a line of its own
_ENDS = (",", ";", ":", ".")
HEADING_MAX_WORDS = 15  # "Prevention of Illicit Exports of Petroleum, including Crude Oil and Refined Petroleum Products"
FOOTNOTE_TEXT = re.compile(r"^\s*(\d{1,3})\s+(?=[A-Z])")

# -- operative verbs -----------------------------------------------------------------------------
_ACTING = re.compile(r"^Acting under [^,]+,\s+")
_OP_ADVERBS = re.compile(r"^(?:(?:[A-Z]?[a-z]+ly|[Aa]lso|[Ff]urther|[Hh]ereby|[Aa]gain|[Oo]nce\s+again)\s+)+")
_VERB = re.compile(r"^([A-Za-z]+s)\b(\s+(?:upon|on)\b)?")

# -- repairs and footnote calls ------------------------------------------------------------------
_REPAIRS = [
    (re.compile(r"\(\s*[$8]/(\d{4,5})"), r"(S/\1"),  # "($/25240", "(8/25307)": OCR of "S/"
    (re.compile(r"(?<=[,;.])\s*°"), ""),  # a footnote call scanned as a degree sign
    (re.compile(r",\s*;"), ","),
    (re.compile(r"([.;])\s+\.$"), r"\1"),
    (re.compile(r"(?<=\w)~(?=-)"), ""),  # "Secretary~-General"
    (re.compile(r"\b(the|of|a|an|and) ,\s+"), r"\1 "),  # "of the ,\nSecretary-General": a stray comma
    (re.compile(r"\b(?!(?:etc|para|paras|art|cf|no|vol)\.)([a-z]{2,})\. (?=[a-z])"), r"\1 "),  # "support for. the"
]
_CALL = re.compile(r"(?P<prev>\S+)\s+(?P<n>\d{1,3})(?=\s*$|\s+and\s)")
_PROVISION_WORDS = {"paragraph", "paragraphs", "article", "articles", "chapter", "chapters", "resolution",
                    "resolutions", "annex", "annexes", "part", "parts", "section", "sections", "rule", "rules",
                    "para", "paras", "footnote", "footnotes", "no", "nos"}
# "paragraph 10 below", "under paragraph 5": a paragraph of this resolution (not "paragraph 7, of the Charter").
_OWN_PARAGRAPH = re.compile(r"\bparagraphs?\s+(\d{1,3})\b(?!\s*,?\s*of\b)(?!\s*\()")
_ICJ_ORDER = re.compile(r"International Court of Justice,? in its Order of (\d{1,2} \w+ \d{4})")


def operative_verb(text: str) -> str | None:
    """The verb an operative paragraph opens with: "Also requests" -> "Requests", "Calls upon"."""
    rest = _OP_ADVERBS.sub("", _ACTING.sub("", text), count=1)
    m = _VERB.match(rest)
    if not m:
        return None
    verb = m.group(1)[0].upper() + m.group(1)[1:]
    return verb + m.group(2) if m.group(2) and verb == "Calls" else verb


def parse(text: str, ctx: ParseContext) -> list[ParsedDocument]:
    return [ResolutionParser(text, ctx).parse()]


class ResolutionParser:
    """One resolution's text -> its tree and its metadata; problems become warnings naming the line."""

    def __init__(self, text: str, ctx: ParseContext):
        self.lines = text.splitlines()
        self.text = text
        self.ctx = ctx
        self.where = str(ctx.path or ctx.meta.file or ctx.meta.id)
        self.warnings: list[str] = []
        self.calls_without_text: list[str] = []
        self.footnote_numbers: set[str] = set()

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(warning(self.where, None if line is None else line + 1, message))

    # -- the whole ---------------------------------------------------------------------------
    def parse(self) -> ParsedDocument:
        page_notes = self._page_footnotes()
        start = self._preamble_start()
        op_start = next((i for i in range(start, len(self.lines))
                         if (m := NUMBERED_PARAGRAPH.match(self.lines[i])) and m.group(1) == "1"), None)
        end = next((i for i in range(op_start or start, len(self.lines))
                    if self.lines[i].lstrip().startswith("Adopted ")), len(self.lines))
        annex = next((i for i in range(op_start or start, end) if ANNEX.match(self.lines[i])), None)
        body_end = annex if annex is not None else end
        trailer, after = self._trailer(end)
        footnotes = page_notes + self._footnotes(after)
        self.footnote_numbers = {f.number for f in footnotes}
        meta = self._meta(start, trailer)
        if op_start is not None:
            headings = self._headings(start, body_end)
            first = next((h for h, (last, _) in headings.items() if h < op_start and last < op_start), None)
            preamble = self._preamble(self._blocks(start, op_start if first is None else first))
            operative = self._operative(op_start if first is None else first, body_end, headings)
        else:
            preamble, operative = self._unnumbered(self._blocks(start, body_end))
        opening = BODY_LINE.search(self.text)  # "The Security Council,", as the treaty parser keeps "The States Parties,"
        children = [Node("preamble", text=opening.group(0).strip() if opening else "", children=preamble)] + operative
        if annex is not None:
            children.append(self._annex(annex, end))
        children += footnotes
        if self.calls_without_text:
            missing = ", ".join(dict.fromkeys(self.calls_without_text))
            self.warn(None, f"footnote calls with no footnote text (removed from the text): {missing}")
        return ParsedDocument(meta, children, self.warnings)

    def _page_footnotes(self) -> list[Node]:
        """Footnotes a PDF printed at page feet ("¹ See FCCC/CP/2015/10/Add.1."): taken out of the
        lines (left blank, so line numbers hold) and returned as footnote nodes."""
        notes: list[Node] = []
        lines: list[str] = []
        for i, line in enumerate(self.lines + [""]):
            m = FOOTNOTE_LINE.match(line)
            if m and (i == 0 or not self.lines[i - 1].strip() or lines):
                if lines:
                    notes.append(self._footnote_node(lines))
                lines = [line]
            elif lines and line.strip():
                lines.append(line)
            elif lines:
                notes.append(self._footnote_node(lines))
                lines = []
            else:
                continue
            if i < len(self.lines):
                self.lines[i] = ""
        self.text = "\n".join(self.lines)
        return notes

    def _footnote_node(self, lines: list[str]) -> Node:
        m = FOOTNOTE_LINE.match(lines[0])
        body = unwrap([lines[0][m.end():], *lines[1:]])
        return Node("footnote", m.group("num").translate(SUPERSCRIPT_DIGITS), text=body, refs=self._refs(body))

    def _preamble_start(self) -> int:
        """The line after "The Security Council,"; failing that, the first line with an opening phrase."""
        m = BODY_LINE.search(self.text)
        if m:
            return self.text.count("\n", 0, m.end()) + 1
        self.warn(None, "no 'The Security Council,' line; the preamble starts at the first opening phrase")
        return next((i for i, line in enumerate(self.lines)
                     if i and opening_phrase(line.strip()) and not line.lstrip().startswith("Adopted")), 0)

    def _title_block(self, block: str, start: int) -> str:
        """The masthead's title block (it stops at the line giving the type) with the head lines that
        follow it before the body: the rest of a wrapped draft line, the date after "on", the subject.
        They are no paragraph, and were kept nowhere else."""
        body_line = BODY_LINE.search(self.text)
        head = self.text[:body_line.start()] if body_line else "\n".join(self.lines[:start])
        lines = [re.sub(r"\s+", " ", line).strip() for line in head.splitlines() if line.strip()]
        last = block.splitlines()[-1] if block else None
        if last not in lines:
            return block
        return "\n".join([block, *lines[lines.index(last) + 1:]])

    def _trailer(self, end: int) -> tuple[list[str], int]:
        """The adoption line after the text (and its wrapped lines), and the index of the line after it."""
        out: list[str] = []
        i = end
        while i < len(self.lines) and (self.lines[i].strip() or not out):
            if self.lines[i].strip():
                out.append(self.lines[i])
            i += 1
        return out, i

    # -- metadata ----------------------------------------------------------------------------
    def _meta(self, start: int, trailer: list[str]) -> DocMeta:
        given = self.ctx.meta
        meta = replace(given, extra=dict(given.extra), guessed=list(given.guessed))
        head = unwrap(self.lines[:start])
        adoption = ADOPTED_AFTER.match(_adoption_sentence(unwrap(trailer)))
        number = year = date = body = meeting = vote = None
        title = None
        if m := HEADING.search("\n".join(self.lines[:start])):
            number, year = m.group(1), m.group(2)
            title = f"Resolution {int(number)} ({year})"
        elif m := NUMBERED_HEADING.search("\n".join(self.lines[:start])):
            number, title = m.group(1), clean(m.group(0))
        if m := ADOPTED_BY_ON.search(head):
            body, date = m.group("body"), parse_date(m.group("date"))
        elif m := ADOPTED_BEFORE.search(head):
            body, meeting, date = m.group("body"), m.group("meeting"), m.group("date") and parse_date(m.group("date"))
            if title:  # the title as the UN library records it: "Resolution 2785 (2025) / adopted by … on 14 July 2025"
                title = f"{title} / a{re.sub(r',? on$', '', m.group(0))[1:]}"
        elif m := DATE_LINE.search("\n".join(self.lines[:start])):
            date = parse_date(m.group(1))
        if m := BODY_LINE.search("\n".join(self.lines[:start])):
            body = body or m.group(1)
        if adoption:
            meeting = meeting or adoption.group("meeting")
            vote = "unanimous" if adoption.group("unanimous") else adoption.group("vote")
        if meeting:
            meta.extra["meeting"] = meeting
        else:
            self.warn(None, "no meeting number found")
        if vote:
            meta.extra["vote"] = vote
        if date:  # the day of adoption, a fact of its own: the date of issue may be days later (HRC, GA)
            meta.extra["adopted_on"] = date
        if "title_block" in meta.extra:
            meta.extra["title_block"] = self._title_block(meta.extra["title_block"], start)
        self._fill(meta, "date", date)
        self._fill(meta, "body", body)
        if title and (not meta.title or "title" in meta.guessed):
            meta.title = title
        if number and year and body == "Security Council":
            self._fill(meta, "symbol", f"S/RES/{int(number)} ({year})")
        elif number and body in _RESOLUTION_SYMBOL:
            self._fill(meta, "symbol", _RESOLUTION_SYMBOL[body].format(number))
        elif not number:
            self.warn(0, "no 'RESOLUTION <number> (<year>)' heading")
        return meta

    def _fill(self, meta: DocMeta, name: str, found: str | None) -> None:
        """Fill a field the manifest left empty (and say it was guessed); report a contradiction."""
        given = getattr(meta, name)
        if found is None:
            return
        if not given:
            setattr(meta, name, found)
            meta.guessed.append(name)
        elif given != found and name not in meta.guessed:
            self.warn(None, f"{name} in the text is {found!r} but the manifest says {given!r}; kept the manifest's")

    # -- preamble ----------------------------------------------------------------------------
    def _blocks(self, start: int, stop: int) -> list[tuple[int, list[str]]]:
        """Unnumbered paragraphs: a new one where a clause ends (",", ";", ":") and the next line opens with
        an opening phrase, or after a blank line with an operative verb; otherwise lines are rejoined."""
        blocks: list[tuple[int, list[str]]] = []
        gap = False
        for i in range(start, stop):
            line = self.lines[i].strip()
            if not line:
                gap = True
                continue
            if not blocks or (_ends_clause(self._strip_calls(" ".join(blocks[-1][1]))[0])
                              and (opening_phrase(line) or (gap and operative_verb(line)))):
                blocks.append((i, [line]))
            else:
                blocks[-1][1].append(line)
            gap = False
        return blocks

    def _preamble(self, blocks: list[tuple[int, list[str]]]) -> list[Node]:
        nodes = []
        for order, (line_no, lines) in enumerate(blocks, start=1):
            node = self._text_node("preambular", str(order), lines)
            phrase = opening_phrase(node.text)
            if phrase:
                node.attrs["opening_phrase"] = phrase
            else:
                self.warn(line_no, f"preambular paragraph {order} has no opening phrase: {node.text[:40]!r}")
            nodes.append(node)
        return nodes

    def _unnumbered(self, blocks: list[tuple[int, list[str]]]) -> tuple[list[Node], list[Node]]:
        """A resolution whose operative paragraphs are not numbered: they start at the first paragraph that
        opens with an operative verb rather than an opening phrase, and are numbered by their order."""
        first = next((k for k, (_, lines) in enumerate(blocks)
                      if operative_verb(lines[0]) and not opening_phrase(lines[0])), None)
        if first is None:
            raise IngestError(self.where, "resolution has no operative paragraphs (none numbered, "
                                          "none opening with a verb such as 'Decides')")
        self.warn(blocks[first][0], "operative paragraphs are not numbered; numbered by their order")
        operative = []
        for number, (_, lines) in enumerate(blocks[first:], start=1):
            node = self._text_node("paragraph", str(number), lines)
            node.attrs["operative_verb"] = operative_verb(node.text) or ""
            operative.append(node)
        return self._preamble(blocks[:first]), operative

    # -- operative part ----------------------------------------------------------------------
    def _headings(self, start: int, stop: int) -> dict[int, tuple[int, str]]:
        """Heading lines among the operative paragraphs: first line -> (last line, title).

        A heading is one to three lines that end in no punctuation, right before a numbered paragraph
        with a blank line between, after a paragraph that ended (";", "." or, before paragraph 1, the
        preamble's ","), and that open neither a clause nor a preambular phrase: a wrapped paragraph's last line ends
        in ";" or "." in a resolution, so it is never taken for one. (Not the operative verbs: their
        rule takes "Arms Embargo" for a verb.)
        """
        found: dict[int, tuple[int, str]] = {}
        for i in range(start, stop):
            if not (numbered := NUMBERED_PARAGRAPH.match(self.lines[i])):
                continue
            last = i - 1
            while last >= start and not self.lines[last].strip():
                last -= 1
            if last == i - 1 or last < start:
                continue  # no blank line between (the line is the paragraph's), or nothing above in the body
            first = last
            while (first - 1 >= start and last - first < 2
                   and (above := self.lines[first - 1].strip()) and not above.endswith(_ENDS)):
                first -= 1
            lines = [line.strip() for line in self.lines[first:last + 1]]
            title = unwrap(lines)
            if (lines[-1].endswith(_ENDS)
                    or not title[0].isupper() or len(title.split()) > HEADING_MAX_WORDS
                    or NUMBERED_PARAGRAPH.match(title) or LETTERED_CLAUSE_LOOSE.match(title)
                    or opening_phrase(title)):
                continue
            above = next((self.lines[j].strip() for j in range(first - 1, start - 1, -1) if self.lines[j].strip()), "")
            if above and not (above.endswith((";", ".")) or (numbered.group("num") == "1" and above.endswith(","))):
                continue  # the paragraph above runs on into it (a preamble ends with a comma)
            found[first] = (last, title)
        return found

    def _operative(self, start: int, stop: int, headings: dict[int, tuple[int, str]]) -> list[Node]:
        paragraphs: list[tuple[int, str, list[str], list[tuple[int, str, list[str]]]]] = []
        sections: list[tuple[int, str]] = []  # (index in paragraphs of the first one under it, heading)
        last = 0
        skip_to = -1
        for i in range(start, stop):
            line = self.lines[i]
            if i <= skip_to or not line.strip():
                continue
            if i in headings:
                skip_to, title = headings[i]
                sections.append((len(paragraphs), title))
                continue
            m = NUMBERED_PARAGRAPH.match(line)
            if m and int(m.group(1)) > last:
                if int(m.group(1)) != last + 1:
                    self.warn(i, f"operative paragraphs jump from {last} to {m.group(1)}")
                last = int(m.group(1))
                paragraphs.append((i, m.group(1), [line[m.end():].strip()], []))
                continue
            clauses = paragraphs[-1][3]
            c = LETTERED_CLAUSE_LOOSE.match(line)
            expected = chr(ord(clauses[-1][1]) + 1) if clauses else "a"
            if c and c.group(1) == expected:
                if not line.lstrip().startswith("("):
                    self.warn(i, f"subparagraph ({expected}) printed as '{expected})'")
                clauses.append((i, expected, [line[c.end():].strip()]))
            elif clauses:
                clauses[-1][2].append(line.strip())
            else:
                paragraphs[-1][2].append(line.strip())
        nodes = []
        for line_no, number, lines, clauses in paragraphs:
            node = self._text_node("paragraph", number, lines)
            verb = operative_verb(node.text)
            if verb:
                node.attrs["operative_verb"] = verb
            else:
                self.warn(line_no, f"operative paragraph {number} opens with no verb: {node.text[:40]!r}")
            node.children = [self._text_node("clause", letter, clause_lines) for _, letter, clause_lines in clauses]
            nodes.append(node)
        if not sections:
            return nodes
        bounds = [k for k, _ in sections] + [len(nodes)]
        grouped = nodes[:bounds[0]]
        for (k, title), end in zip(sections, bounds[1:]):
            grouped.append(Node("section", title=title, children=nodes[k:end]))
        return grouped

    def _annex(self, start: int, stop: int) -> Node:
        """An annex: a titled section whose blank-line blocks become paragraphs numbered within it."""
        section = Node("section", title=self.lines[start].strip())
        block: list[str] = []
        for line in self.lines[start + 1 : stop] + [""]:
            if line.strip():
                block.append(line.strip())
            elif block:
                node = self._text_node("paragraph", None, block)
                node.number = f"annex-{len(section.children) + 1}"
                section.children.append(node)
                block = []
        return section

    def _footnotes(self, start: int) -> list[Node]:
        """Footnote texts after the adoption line: "18 Ibid., Supplement for …"."""
        notes: list[tuple[str, list[str]]] = []
        for line in self.lines[start:]:
            if m := FOOTNOTE_TEXT.match(line):
                notes.append((m.group(1), [line[m.end():].strip()]))
            elif notes and line.strip():
                notes[-1][1].append(line.strip())
        nodes = []
        for number, lines in notes:
            body = _repair(unwrap(lines))
            nodes.append(Node("footnote", number, text=body, refs=self._refs(body)))
        return nodes

    # -- text of one part --------------------------------------------------------------------
    def _text_node(self, kind: str, number: str | None, lines: list[str]) -> Node:
        text, raised = superscript_calls(unwrap(lines))
        body, calls = self._strip_calls(_repair(text))
        calls = raised + calls
        found = [c for c in calls if c in self.footnote_numbers]
        self.calls_without_text += [c for c in calls if c not in self.footnote_numbers]
        return Node(kind, number, text=body, refs=self._refs(body), footnotes=found)

    def _strip_calls(self, text: str) -> tuple[str, list[str]]:
        """Remove bare-number footnote calls ("Council, 123", "Front 12 and as"); return their numbers."""
        calls: list[str] = []

        def drop(m: re.Match) -> str:
            before = text[: m.start()].split()[-2:]
            words = [w.strip(",;.()").lower() for w in before + [m.group("prev")]]
            prev = m.group("prev")
            if any(w in _PROVISION_WORDS for w in words):
                return m.group(0)
            if not (prev[-1] in ",;.)" or (prev[0].isupper() and any(ch.isalpha() for ch in prev))):
                return m.group(0)
            calls.append(m.group("n"))
            return prev

        return _CALL.sub(drop, text), calls

    def _refs(self, text: str) -> list[Ref]:
        refs = find_references(text, self.ctx.instruments)
        known = {(r.doc, r.path) for r in refs}
        for m in _OWN_PARAGRAPH.finditer(text):
            before = text[max(0, m.start() - 25) : m.start()]
            if re.search(r"Article\s+\w+,\s*$", before):
                continue  # "Article 2, paragraph 7, of the Charter" is a provision of another instrument
            ref = Ref(surface=m.group(0), path=(("para", m.group(1)),))
            if (None, ref.path) not in known:
                known.add((None, ref.path))
                refs.append(ref)
        for m in _ICJ_ORDER.finditer(text):
            refs.append(_icj_order(m, text))
        return refs


def _icj_order(m: re.Match, text: str) -> Ref:
    """An order of the International Court of Justice, named by its date and, when given, its case."""
    date = parse_date(m.group(1))
    title = f"International Court of Justice, Order of {m.group(1)}"
    case = re.match(r"\s+in the case concerning ", text[m.end():])
    if case:
        start = m.end() + case.end()
        depth, i = 0, start
        while i < len(text):  # the case name ends after its balanced parentheses: "(A v. B (C))"
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if text[i] == ")" and depth == 0:
                case_name = text[start : i + 1]
                title += f", {case_name[0].upper()}{case_name[1:]}"
                break
            i += 1
    return Ref(surface=m.group(0), doc=f"ICJ-order-{slug(date or m.group(1))}", title=title)


def _adoption_sentence(tail: str) -> str:
    """"Adopted at the 2982nd meeting by 10 votes to 3 (Cuba, Yemen, Zimbabwe), with 2 abstentions (China, India).":
    the first sentence, whose full stops may sit inside the parenthesised lists."""
    depth = 0
    for i, ch in enumerate(tail):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "." and depth == 0:
            return tail[:i]
    return tail


def _repair(text: str) -> str:
    for pattern, replacement in _REPAIRS:
        text = pattern.sub(replacement, text)
    if "[" not in text:
        text = re.sub(r"(?<=\w)\](?=\s)", "", text)  # "all] parties": a stray bracket from the scan
    return text


def _ends_clause(text: str) -> bool:
    return text.rstrip().endswith((",", ";", ":"))
