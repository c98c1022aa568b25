"""What each line of the study guide looks like: note headings, report headings, numbered
paragraphs, footnotes, lettered clauses, list items, and the UN document header.

Kept apart from the parser's state machine so the line shapes can be read (and changed) in one place.
"""
from __future__ import annotations

import re

from ingest.lines import FOOTNOTE_LINE, LETTERED_CLAUSE, NUMBERED_PARAGRAPH, SECTION_HEADING
from ingest.text import SUPERSCRIPT_DIGITS, clean, superscript_calls

NOTE_KINDS = ("Did you know that...", "Something to think about", "Interesting facts...")
# "24 Did you know that...", "III Did you know that...", "b) Did you know that...",
# "51 Interesting facts...**RECENT UPDATES**" (the rest of the line is the note's title).
NOTE_HEADING = re.compile(
    r"^(?P<label>\d{1,3}|[IVXL]+|[a-z]\))\s+(?P<kind>" + "|".join(re.escape(k) for k in NOTE_KINDS) + r")\s*(?P<title>.*)$"
)
_SECTION_TITLE = re.compile(r"[A-Z][^.:;]*$")  # "III. Risk factors": the report's section titles have no stop
# "72. The consequences…", "41. **National accountability mechanisms** can…"; a lower-case start
# ("1. those focused on…") is a list inside a note, not a report paragraph.
_PARAGRAPH_START = re.compile(r"[\"“(\[*A-Z0-9]")
_LIST_ITEM = re.compile(r"^(?:[-•*]\s+|\d{1,2}\.\s+(?=[a-z]))")
_HEADER_ORGANS = re.compile(r"^(?:General Assembly|Security Council)(?:\s+(?:General Assembly|Security Council))*$")
HEADER_END = "Report of the Secretary-General"
HEADER_DATE = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$")  # "9 July 2013"
_MARKDOWN_URL_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")


def section(s: str) -> tuple[str, str] | None:
    """(number, title) of a report section heading."""
    m = SECTION_HEADING.match(s)
    return (m["num"], m["title"]) if m and _SECTION_TITLE.fullmatch(m["title"]) else None


def paragraph(s: str) -> tuple[str, str] | None:
    """(number, text) of a report paragraph."""
    m = NUMBERED_PARAGRAPH.match(s)
    return (m["num"], s[m.end():]) if m and _PARAGRAPH_START.match(s, m.end()) else None


def footnote(s: str) -> tuple[str, str] | None:
    """(number, text) of a footnote: "¹ Resolution 60/1." """
    m = FOOTNOTE_LINE.match(s)
    return (m["num"].translate(SUPERSCRIPT_DIGITS), s[m.end():]) if m and s[m.end() - 1].isspace() else None


def clause(s: str) -> tuple[str, str] | None:
    """(letter, text) of a lettered clause: "- (a) Appoint a…" """
    m = LETTERED_CLAUSE.match(s)
    return (m["letter"], s[m.end():]) if m else None


def is_header_start(lines: list[str], i: int) -> bool:
    """The organs line of a UN document header ("General Assembly Security Council"), followed by "Distr.:"."""
    if not _HEADER_ORGANS.match(lines[i].strip()):
        return False
    following = next((line.strip() for line in lines[i + 1:] if line.strip()), "")
    return following.startswith("Distr.")


def is_list_item(s: str) -> bool:
    return bool(_LIST_ITEM.match(s))


def looks_like_heading(s: str) -> bool:
    """An unnumbered subheading: a short capitalised line with no closing punctuation."""
    return len(s.split()) <= 10 and s[0].isupper() and not s.endswith((".", ":", ";", ",", "?", "!"))


def clean_line(raw: str) -> tuple[str, list[str]]:
    """A line's clean text and the footnotes it calls: links to real pages keep their address,
    ``[Syrian Arab Republic](#)`` keeps its words, ``<http://…>`` loses its brackets."""
    text, calls = superscript_calls(raw)
    text = _AUTOLINK.sub(r"\1", _MARKDOWN_URL_LINK.sub(r"\1 (\2)", text))
    return clean(text), calls
