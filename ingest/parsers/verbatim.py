"""Verbatim records of meetings (GA ``A/<session>/PV.<n>``, Security Council ``S/PV.<n>``).

A record is a sequence of statements, each opening with a speaker line printed as
``Mr. Sandoval Mendiolea (Mexico) (spoke in Spanish):`` or ``The President:``, under the agenda
items the meeting took up. Extraction flattens the two columns, so a speaker line is often broken
across lines, the chair changes in the middle of a statement ("Mr. Biang (Gabon), Vice-President,
took the Chair."), and procedural lines sit between statements. This parser rejoins speaker lines
(with a warning, since the break is where attribution goes wrong), keeps procedural lines out of
statements and files every statement under the item it was made on.

The tree: agenda items (``agenda_item``, numbered as printed, ``considers`` naming the document
debated), statements (``statement``, attrs naming speaker, honorific, represented State or
organization, role, group spoken for, language), paragraphs (unnumbered, in order). The record's
own symbol is its identity; the debated report is only what an item considers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.lines import MONTHS
from ingest.model import Node, ParsedDocument
from ingest.parsers.context import ParseContext
from ingest.reflow import join_lines, line_width, numbered_paragraphs
from ingest.references import find_references
from ingest.speakers import Party, joint_attr, resolve, spoken_for, spoken_for_states
from ingest.text import clean
from ingest.themes import tag, themes

HONORIFICS = (r"Mr|Mrs|Ms|Miss|Mme|Dr|Sir|Dame|Lord|Baroness|Archbishop|Monsignor|Msgr|Cardinal|Bishop|"
              r"Sheikh|Sheikha|Prince|Princess|King|Queen|Dato'?|Datuk|Tan Sri")
LANGUAGES = {"Arabic": "ar", "Chinese": "zh", "English": "en", "French": "fr", "Russian": "ru", "Spanish": "es"}
_SPOKE_IN = r"(?:\s*\((?:spoke in|interpretation from) (?P<lang>[A-Z][a-z]+)\))?"  # older records: "interpretation from"
# The presiding officer and the Secretariat, named by their office.
OFFICE_SPEAKER = re.compile(
    r"^The (?P<office>Acting President|President|Deputy Secretary-General|Secretary-General|Chair|Acting Chair)"
    + _SPOKE_IN + r":\s*")
# A delegate or official: honorific, name as printed, the State or organization in parentheses.
PERSON_SPEAKER = re.compile(
    rf"^(?P<hon>(?:{HONORIFICS})\.?)\s+(?P<name>[^\s():.,;][^():;]{{0,80}}?)"
    r"(?:\s*\((?P<party>[^()]{2,90})\))?(?:,\s*(?P<title>[^():;]{3,120}?))?" + _SPOKE_IN + r":\s*")
# A speaker line that the reflow broke: an honorific and a name whose parentheses do not close on the line.
SPEAKER_START = re.compile(rf"^(?:(?:{HONORIFICS})\.?\s+\S|The (?:Acting )?President\b)")
CHAIR_CHANGE = re.compile(
    rf"^(?:In the absence of the President,\s*)?(?P<hon>(?:{HONORIFICS})\.?)\s+(?P<name>[^()]+?)\s*\((?P<party>[^()]+)\),"
    r"\s*(?:Vice-President|President|Vice-Chair),\s*(?:took|resumed) the Chair\.$")
PRESIDENT_RESUMES = re.compile(r"^The President (?:took|resumed|returned to) the Chair\.$")
PROCEDURAL = re.compile(
    r"^(?:The meeting (?:was called to order|rose|was suspended|was resumed|resumed|began)\b.*"
    r"|It was so decided\.|The agenda was adopted\.|Adoption of the agenda"
    r"|The meeting was suspended.*|(?:The )?[Dd]raft (?:resolution|decision)\b.*\bwas (?:adopted|rejected)\b.*"
    r"|A recorded vote was taken\.|\((?:resolution|decision) [^)]+\)\.?)$")  # the last: a result's broken tail
# A recorded vote's lists of States, from "In favour:" to the line that gives the result.
VOTE_START = re.compile(r"^(?:In favour|Against|Abstaining):")
VOTE_END = re.compile(r"\bwas (?:adopted|rejected)\b")
AGENDA_ITEM = re.compile(r"^Agenda items? (?P<number>\d+[a-z]?(?:\s*\([a-z]\))?(?:\s*(?:and|,)\s*\d+[a-z]?)*)"
                         r"(?P<continued>\s*\(continued\))?$")
CONSIDERED = re.compile(r"^(?P<title>(?:Report|Note|Letter|Draft resolution|Draft decision)[^()]*?)\s*"
                        r"\((?P<symbol>[A-Z][^()]*/[^()]+)\)\.?$")
MEETING = re.compile(r"^(?P<number>\d+)(?:st|nd|rd|th)\s+(?:plenary\s+)?meeting$")
MEETING_DATE = re.compile(r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+"
                          r"(?P<day>\d{1,2})\s+(?P<month>[A-Z][a-z]+)\s+(?P<year>\d{4}),\s+(?P<time>.+)$")
PRESIDENT_LINE = re.compile(r"^(?:President:\s*)?(?P<hon>(?:" + HONORIFICS + r")\.?)\s+(?P<name>.+?)[\s.]*"
                            r"\.\s?\.\s?\.[\s.]*\((?P<party>[^()]+)\)$")
# Page furniture that PDF extraction leaves: running heads, page and job numbers, the record's notice.
FURNITURE = re.compile(r"^(?:\d{1,3}/\d{1,3}|\d{2}-\d{5}(?:\s.*)?|\d{1,3}/\d{1,3}\s+\d{2}-\d{5}.*"
                       r"|[AS]/\S+\s.*\d{2}/\d{2}/\d{4}|\d{2}/\d{2}/\d{4}\s.*[AS]/\S+"
                       r"|\*\d{7,}\*|Official Records|United Nations(?:\s+[AS]/\S+)?|General Assembly|Security Council|Provisional)$")
# A page footer's "3/12": page 3 ended here (only PDF-derived records have them).
PAGE_NUMBER = re.compile(r"(?:^|\s)(?P<page>\d{1,3})/\d{1,3}(?:\s|$)")
CAPACITY = re.compile(r"\bin my (?:national )?capacity as (?:the )?representative of (?P<party>[^.,;:]+)")
NOTICE_START = "This record contains the text of speeches"  # "delivered in English" may be on the next line
NOTICE_END = re.compile(r"\(http://documents\.un\.org\)\.?$|Official Document System of the United Nations.*\.$")
NOTICE_MAX_LINES = 16  # five printed lines across the page; PDF extraction may break it into a dozen or more
NOTICE_WORDS = frozenset(re.findall(r"[a-z]+", (
    "This record contains the text of speeches delivered in English and of the translation of speeches "
    "delivered in other languages. Corrections should be submitted to the original languages only. They "
    "should be incorporated in a copy of the record and sent under the signature of a member of the "
    "delegation concerned to the Chief of the Verbatim Reporting Service, room U-0506 "
    "(verbatimrecords@un.org). Corrected records will be reissued electronically on the Official Document "
    "System of the United Nations (http://documents.un.org).").lower()))
MAX_SPEAKER_LINES = 4  # a speaker line longer than this is not a speaker line


@dataclass
class _Statement:
    node: Node
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)


@dataclass
class _Record:
    """Parsing state: the open agenda item and statement, who is in the Chair."""

    path: str
    doc: ParsedDocument
    items: list[Node] = field(default_factory=list)
    item: Node | None = None
    statement: _Statement | None = None
    president: dict[str, str] = field(default_factory=dict)  # name and honorific from the masthead
    acting: dict[str, str] = field(default_factory=dict)  # the Vice-President who last took the Chair
    statements: list[_Statement] = field(default_factory=list)

    def warn(self, line_no: int, message: str) -> None:
        self.doc.warnings.append(f"{self.path}:{line_no}: {message}")


def parse(text: str, ctx: ParseContext) -> list[ParsedDocument]:
    doc = ParsedDocument(meta=ctx.meta)
    record = _Record(path=str(ctx.path or ctx.meta.file or ctx.meta.id), doc=doc)
    lines, pages = _drop_furniture(text.splitlines())
    start = _read_masthead(lines, record)
    _read_body(lines, start, record)
    def page_at(line_no: int) -> str:  # the printed page a line is on
        return str(next((p for n, p in reversed(pages) if n <= line_no), 1))

    for statement in record.statements:
        if pages:
            statement.node.attrs["page"] = page_at(int(statement.node.attrs["line"]))
    width = line_width([t for _, t in lines])
    for statement in record.statements:
        found = numbered_paragraphs(statement.lines, width)
        statement.node.children = [speech_paragraph(text, ctx) for _, text in found]
        if pages:  # each paragraph cited by the page it starts on, which a long speech's later ones are not
            for (line_no, _), child in zip(found, statement.node.children):
                child.attrs["page"] = page_at(line_no)
        if not statement.node.children:
            record.warn(int(statement.node.attrs["line"]), "statement has no text after its speaker line")
        opening = statement.node.children[0].text if statement.node.children else ""
        if group := spoken_for(opening, statement.node.attrs.get("represents")):
            statement.node.attrs.update(on_behalf_of_kind=group.kind, on_behalf_of=group.key)
        if others := spoken_for_states(opening, statement.node.attrs.get("represents")):
            statement.node.attrs["joint"] = joint_attr(others)  # "on behalf of Estonia, Lithuania and Latvia"
        _presiding_state(statement.node, record)
    doc.children = record.items
    if not record.statements:
        record.warn(1, "no speaker line found: the record has no statements")
    return [doc]


# -- lines --------------------------------------------------------------------------------------
def _drop_furniture(raw: list[str]) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    """Numbered lines without page furniture or the record's corrections notice (blank lines kept),
    and where each printed page starts: (line number, page), from the footers' page numbers."""
    out: list[tuple[int, str]] = []
    pages: list[tuple[int, int]] = []
    notice_left = 0  # lines the corrections notice may still take
    for number, line in enumerate(raw, start=1):
        line = line.strip()
        if line.startswith(NOTICE_START):
            notice_left = NOTICE_MAX_LINES
        if notice_left and line and _in_notice(line):
            # It ends at its last sentence, at a line not in its words, or NOTICE_MAX_LINES lines on:
            # a notice worded or broken differently must never swallow the record.
            notice_left = 0 if NOTICE_END.search(line) else notice_left - 1
            continue
        notice_left = notice_left if not line else 0
        if FURNITURE.match(line):
            if "/" in line and (m := PAGE_NUMBER.search(line)) and not line.startswith(("A/", "S/")):
                pages.append((number, int(m.group("page")) + 1))
            continue
        out.append((number, line))
    return out, pages


def _in_notice(line: str) -> bool:
    """Most of the line's words are the corrections notice's own (its wording varies a little by year)."""
    words = re.findall(r"[a-z]+", line.lower())
    return bool(words) and sum(w in NOTICE_WORDS for w in words) >= 0.8 * len(words)


def _window(lines: list[tuple[int, str]], i: int, count: int) -> tuple[str, int]:
    """The text of up to ``count`` non-blank lines from ``i``, joined, and the index after them."""
    parts, j = [], i
    while j < len(lines) and len(parts) < count:
        if lines[j][1]:
            parts.append(lines[j][1])
        j += 1
    return join_lines(parts), j


# -- masthead -----------------------------------------------------------------------------------
def _read_masthead(lines: list[tuple[int, str]], record: _Record) -> int:
    """Meeting number, date, time, place and President from the lines before the first item or speaker."""
    meta = record.doc.meta
    for i, (_, line) in enumerate(lines):
        if AGENDA_ITEM.match(line) or PROCEDURAL.match(line) or _speaker_at(lines, i) or CHAIR_CHANGE.match(line):
            return i
        if line.startswith("In the absence of the President"):
            return i
        if m := MEETING.match(line):
            meta.extra.setdefault("meeting", m.group("number"))
        elif m := MEETING_DATE.match(line):
            if m.group("month") in MONTHS:
                date = f"{m.group('year')}-{MONTHS.index(m.group('month')) + 1:02d}-{int(m.group('day')):02d}"
                meta.date = meta.date or date
                meta.extra.setdefault("meeting_time", m.group("time"))
                if i + 1 < len(lines) and lines[i + 1][1] and not lines[i + 1][1].startswith("President"):
                    meta.extra.setdefault("place", lines[i + 1][1])
        elif m := PRESIDENT_LINE.match(line if line.startswith(("President", "Mr", "M")) else ""):
            if "presided_by" not in meta.extra:
                meta.extra["presided_by"] = f"{m.group('hon')} {m.group('name')} ({m.group('party')})"
                record.president = {"honorific": m.group("hon"), "name": m.group("name").strip()}
    return len(lines)


# -- body ---------------------------------------------------------------------------------------
def _read_body(lines: list[tuple[int, str]], i: int, record: _Record) -> None:
    while i < len(lines):
        number, line = lines[i]
        if not line:
            i += 1
            continue
        if m := AGENDA_ITEM.match(line):
            i = _open_item(lines, i, record, m)
            continue
        chair, after = _chair_change(lines, i)
        if chair is not None:
            record.acting = chair
            i = after
            continue
        if PRESIDENT_RESUMES.match(line):
            i += 1
            continue
        if VOTE_START.match(line):  # the lists of a recorded vote belong to no speaker
            while i < len(lines) and not VOTE_END.search(lines[i][1]):
                i += 1
            record.statement = None
            i += 1
            continue
        if PROCEDURAL.match(line):
            record.statement = None  # what follows a procedural line is not the last speaker's text
            if line == "The agenda was adopted.":
                i = _open_item(lines, i + 1, record, None)
                continue
            i += 1
            continue
        speaker = _speaker_at(lines, i)
        if speaker is not None:
            m, after, used = speaker
            if used > 1:
                record.warn(number, f"speaker line broken across {used} lines, rejoined: '{m.group(0).strip()}'")
            _open_statement(m, number, record)
            rest = m.string[m.end():].strip()
            if rest:
                record.statement.lines.append((number, rest))
            i = after
            continue
        if record.statement is None:
            if record.item is not None and not record.item.children and _item_title_line(line, record.item):
                i += 1
                continue
            record.warn(number, f"text with no speaker line, kept as an unattributed statement: '{line[:60]}'")
            _open_statement(None, number, record)
        record.statement.lines.append((number, line))
        i += 1


def _open_item(lines, i: int, record: _Record, m) -> int:
    """Start an agenda item; its title runs until the document it considers, or the first speaker."""
    item = Node(kind="agenda_item", number=m.group("number") if m else None)
    record.items.append(item)
    record.item = item
    record.statement = None
    if m is not None and m.group("continued"):
        item.attrs["continued"] = "true"
    j = i + 1 if m is not None else i
    title: list[str] = []
    while j < len(lines):
        line = lines[j][1]
        if not line:
            j += 1
            continue
        if _speaker_at(lines, j) or AGENDA_ITEM.match(line) or PROCEDURAL.match(line) or _chair_change(lines, j)[0]:
            break
        if c := CONSIDERED.match(line):
            item.attrs.setdefault("considers", c.group("symbol").strip())
            item.attrs.setdefault("considers_title", c.group("title").strip())
            j += 1
            continue
        if item.attrs.get("considers") or len(title) >= 6:
            break
        title.append(line)
        j += 1
    if title:
        item.title = clean(join_lines(title))
    return j


def _item_title_line(line: str, item: Node) -> bool:
    return bool(CONSIDERED.match(line)) or (item.title is not None and line in item.title)


def _chair_change(lines, i: int) -> tuple[dict[str, str] | None, int]:
    first = lines[i][1] if i < len(lines) else ""
    if not (first.startswith("In the absence of the President") or SPEAKER_START.match(first)):
        return None, i
    for count in range(1, MAX_SPEAKER_LINES + 1):
        text, after = _window(lines, i, count)
        if m := CHAIR_CHANGE.match(text):
            return {"honorific": m.group("hon"), "name": m.group("name").strip(), "party": m.group("party")}, after
        if text.endswith("."):
            break
    return None, i


def _speaker_at(lines, i: int):
    """(match, index after the speaker line, lines used) when a speaker line starts at ``i``."""
    first = lines[i][1] if i < len(lines) else ""
    if not SPEAKER_START.match(first) and not first.startswith("The "):
        return None
    for count in range(1, MAX_SPEAKER_LINES + 1):  # the fewest lines that make a speaker line
        text, after = _window(lines, i, count)
        m = OFFICE_SPEAKER.match(text) or PERSON_SPEAKER.match(text)
        if m and (m.re is OFFICE_SPEAKER or _plausible_person(m)):
            return m, after, count
        if ":" in text:
            return None
    return None


def _plausible_person(m: re.Match) -> bool:
    """A name (capitalised words) with a State in parentheses, or a bare short name ("Mr. Dieng:")."""
    name = m.group("name").strip()
    words = name.split()
    if not words or len(words) > 7 or not all(w[0].isupper() or w in ("de", "da", "del", "van", "von", "bin", "al", "el", "dos", "y", "La")
                                             or w[0] in "’'" for w in words):
        return False
    return True


def _open_statement(m: re.Match | None, line_no: int, record: _Record) -> None:
    node = Node(kind="statement", attrs={"line": str(line_no)})
    statement = _Statement(node)
    if m is None:
        node.attrs["role"] = "unknown"
    elif m.re is OFFICE_SPEAKER:
        office = m.group("office")
        if office in ("Secretary-General", "Deputy Secretary-General"):
            node.attrs.update(role="secretary-general", office=office, represents_kind="organization",
                              represents="united-nations")
        else:
            acting = office.startswith("Acting")
            node.attrs.update(role="acting-president" if acting else "president", office=office)
            chair = record.acting if acting else record.president
            if chair.get("name"):
                node.attrs.update(speaker=chair["name"], honorific=chair["honorific"])
    else:
        node.attrs.update(speaker=m.group("name").strip(), honorific=m.group("hon"))
        printed = m.group("party")
        if m.group("title"):
            node.attrs["title"] = m.group("title").strip()
        if printed:
            _represents(node, printed.strip(), line_no, record)
        else:
            node.attrs["role"] = "official"
    if m is not None and m.group("lang"):
        language = m.group("lang")
        node.attrs["language"] = LANGUAGES.get(language, language.lower())
    elif m is not None:
        node.attrs["language"] = "en"  # the record prints only the languages other than English
    record.statement = statement
    record.statements.append(statement)
    # statements before any agenda item (tributes, elections) sit at the document level
    (record.item.children if record.item is not None else record.items).append(node)


def _represents(node: Node, printed: str, line_no: int, record: _Record) -> None:
    party: Party | None = resolve(printed)
    node.attrs["represents_name"] = printed
    if party is None:
        node.attrs["role"] = "representative"
        record.warn(line_no, f"speaker's State or organization '{printed}' is in no table; kept as printed")
        return
    node.attrs.update(represents_kind=party.kind, represents=party.key,
                      role="observer" if party.observer else "representative")


def _presiding_state(node: Node, record: _Record) -> None:
    """A Council President who speaks "in my capacity as the representative of France" speaks for France."""
    if node.attrs.get("role") not in ("president", "acting-president") or node.attrs.get("represents"):
        return
    for paragraph in node.children:
        if m := CAPACITY.search(paragraph.text):
            _represents(node, m.group("party").strip(), int(node.attrs["line"]), record)
            node.attrs["role"] = "president" if node.attrs["office"] == "President" else "acting-president"
            return


def speech_paragraph(text: str, ctx: ParseContext) -> Node:
    """A paragraph of a statement, with its references and the themes it raises."""
    node = Node(kind="paragraph", text=text, refs=find_references(text, ctx.instruments))
    if themes := tag(text):
        node.attrs["themes"] = " ".join(themes)
    return node


def preload() -> None:
    """Load the speaker and theme tables (see ``ingest.parsers.preload``)."""
    resolve("")
    themes()
