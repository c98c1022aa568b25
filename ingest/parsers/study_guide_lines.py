"""What each line of the study guide looks like: note headings, report headings, numbered
paragraphs, footnotes, lettered clauses, list items, and the UN document header.

Kept apart from the parser's state machine so the line shapes can be read (and changed) in one place.
"""
from __future__ import annotations

import re

from ingest.text import clean, superscript_calls

NOTE_KINDS = ("Did you know that...", "Something to think about", "Interesting facts...")
# "24 Did you know that...", "III Did you know that...", "b) Did you know that...",
# "51 Interesting facts...**RECENT UPDATES**" (the rest of the line is the note's title).
NOTE_HEADING = re.compile(
    r"^(?P<label>\d{1,3}|[IVXL]+|[a-z]\))\s+(?P<kind>" + "|".join(re.escape(k) for k in NOTE_KINDS) + r")\s*(?P<title>.*)$"
)
SECTION = re.compile(r"^(?P<num>[IVXL]+)\.\s+(?P<title>[A-Z][^.:;]*)$")  # "III. Risk factors"
# "72. The consequences…", "41. **National accountability mechanisms** can…"; a lower-case start
# ("1. those focused on…") is a list inside a note, not a report paragraph.
PARAGRAPH = re.compile(r"^(?P<num>\d{1,3})\.\s+(?P<body>[\"“(\[*A-Z0-9].*)$")
FOOTNOTE = re.compile(r"^(?P<num>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s+(?P<body>\S.*)$")  # "¹ Resolution 60/1."
CLAUSE = re.compile(r"^(?:[-•]\s*)?\((?P<letter>[a-z])\)\s+(?P<body>\S.*)$")  # "- (a) Appoint a…"
_LIST_ITEM = re.compile(r"^(?:[-•*]\s+|\d{1,2}\.\s+(?=[a-z]))")
_HEADER_ORGANS = re.compile(r"^(?:General Assembly|Security Council)(?:\s+(?:General Assembly|Security Council))*$")
HEADER_END = "Report of the Secretary-General"
HEADER_DATE = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$")  # "9 July 2013"
_MARKDOWN_URL_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")


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
