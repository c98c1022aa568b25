"""The line grammar of UN texts, declared once for every parser.

Every parser reads the same shapes: a numbered paragraph ``12. The Council…``, a lettered or
roman clause ``(a)``/``(iv)``, a dash item, a footnote opening with its superscript number, a
word broken at a line end, a date ``9 July 2013``. Declaring them here keeps the parsers from
drifting apart (they once held five copies of the paragraph shape) and gives one warning format.
"""
from __future__ import annotations

import re
from pathlib import Path

from ingest.text import clean

# "12. The Council…": the number as printed, then at least one space. (\d{1,3}: a year "2025." is not one.)
NUMBERED_PARAGRAPH = re.compile(r"^\s*(?P<num>\d{1,3})\.\s+(?=\S)")
# The same with the text glued to the number ("1.To"), as treaty copies from databases print it.
NUMBERED_PARAGRAPH_GLUED = re.compile(r"^\s*(\d{1,3})\.(?!\d)\s*")
# "(a) …", "(iv) …", and "- (a) …" where a web copy made the list a bullet list.
LETTERED_CLAUSE = re.compile(r"^\s*(?:[-•]\s*)?\((?P<letter>[a-z]{1,4})\)\s+(?=\S)")
# "f) …": a clause whose opening parenthesis a scan lost; only trusted where the letter is the one expected.
LETTERED_CLAUSE_LOOSE = re.compile(r"^\s*\(?([a-z]{1,4})\)\s+(?=\S)")
# Every print style of a clause marker, for texts that mix them: "(a)", "( a )", "(iv)", "a)", "iv)",
# and the Charter's glued "a.promoting"; the group that matched tells the style.
CLAUSE_MARKER = re.compile(r"^(?:\(\s*(?P<paren>[a-z]{1,2}|[ivxl]{1,6})\s*\)|(?P<close>[a-z]{1,2}|[ivxl]{1,6})\)"
                           r"|(?P<dot>[a-z])\.(?=[a-z]))\s*")
ROMAN_CLAUSES = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"})
DASH_ITEM = re.compile(r"^\s*[-–—•]\s*")
# "¹ Resolution 60/1.": a footnote's text opens with its number in superscript (``ingest.pdf`` writes them so).
FOOTNOTE_LINE = re.compile(r"^\s*(?P<num>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*(?=\S)")
# "Annex", "Annex II", "Enclosure", "Annex to the letter dated …": the heading of an annex or enclosure.
ANNEX_HEADING = re.compile(r"^(?P<kind>Annex|Enclosure|Appendix)(?:\s+(?P<num>[IVX]+|\d+))?\b(?P<rest>.*)$", re.DOTALL)
# "III. Risk factors": a roman-numbered section heading on a line of its own.
# Its title may wrap over three lines, none opening a paragraph or a clause, the last without a stop.
SECTION_HEADING = re.compile(r"^(?P<num>[IVXLC]+)\.\s+(?P<title>\S[^\n]{0,150}(?:\n(?![ \t]*[\d(])[^\n]{1,150}){0,2})"
                             r"(?<![.;,])$")

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
MONTH = "(?:" + "|".join(MONTHS) + ")"
DATE = re.compile(rf"\b(\d{{1,2}})\s+({MONTH})\s+(\d{{4}})\b")  # "9 July 2013"

# A word broken at a line end: "Secretary-\nGeneral", "benefit- \nsharing". It starts where a word
# does (the lookbehind), else every letter of every word is tried as a start; the line break alone
# is searched first, as most texts have none.
_BROKEN_WORD = re.compile(r"(?<![^\W\d_])([^\W\d_]+)-[ \t]*\n[ \t]*([^\W\d_]+)")
_LINE_END_HYPHEN = re.compile(r"-[ \t]*\n")


# Opening phrases of preambular paragraphs (resolutions and treaties).
# The rule: optional adverbs ("Deeply", "Also strongly"), the head word (a participle in -ing or -ed,
# or one of the adjectives below), the head's fixed complement ("Taking note", "Bearing in mind",
# "Having considered", "Expressing … its grave alarm"), trailing "also/further/once again", and a
# "with …" manner phrase ("Noting also with grave concern"). What follows ("in this regard", "that",
# the object) is the paragraph's content, not its opening.
_PRE_ADVERB = r"(?:[A-Z]?[a-z]+ly|[Aa]lso|[Ff]urther|[Oo]nce\s+again|[Aa]gain)"
_ADJECTIVES = r"(?i:mindful|aware|conscious|cognizant|desirous|anxious|confident)"
_HEAD = re.compile(rf"^(?=[A-Z])(?:{_PRE_ADVERB}\s+)*(?P<head>[A-Z]?[a-z]{{2,}}(?:ing|ed)|Being|{_ADJECTIVES})\b")
_NOT_HEADS = {"united", "federal", "limited", "related"}  # capitalised -ed words that start wrapped lines
_POST_ADVERBS = re.compile(r"(?:\s+(?:also|further|once\s+again|again|once\s+more)\b)+")
_COMPLEMENTS = {head: re.compile(rf"\s+(?:{pattern})\b") for head, pattern in {
    "taking": r"note|into\s+account|into\s+consideration",
    "bearing": r"in\s+mind",
    "keeping": r"in\s+mind",
    "paying": r"tribute",
    "having": r"[a-z]+",
    "being": r"[a-z]+",
    "expressing": r"(?:its\s+|their\s+)?(?:(?:deep|grave|serious|profound|great|full|strong|sincere)\s+)?"
                  r"(?:alarm|concern|appreciation|gratitude|satisfaction|regret|support|hope|conviction|determination)",
}.items()}
_CAPITALS = re.compile(r"^[A-Z]{2,}(?:\s+[A-Z]{2,})*\b")  # "HAVING CONSIDERED" in a treaty's printed preamble
_STOP = r"(?:of|the|that|at|its|their|a|an|to|for|on|in|by)"
_WITH = re.compile(rf"\s+with(?:\s+(?!{_STOP}\b)[a-z]+){{1,3}}")


def opening_phrase(text: str, *, adjective_object: bool = False) -> str | None:
    """The opening phrase of a preambular paragraph, by the rule above; None when it has none.

    A head printed in capitals reads as written in lower case ("RECOGNIZING" -> "Recognizing").
    ``adjective_object``: an adjective head keeps its "of" ("Mindful of"), as treaties are cited.
    """
    text = _CAPITALS.sub(lambda c: c.group(0).capitalize(), text, count=1)  # "HAVING CONSIDERED" -> "Having considered"
    m = _HEAD.match(text)
    if not m or m.group("head").lower() in _NOT_HEADS:
        return None
    end = m.end()
    for step in (_POST_ADVERBS, _COMPLEMENTS.get(m.group("head").lower()), _POST_ADVERBS, _WITH):
        if step is not None and (s := step.match(text, end)):
            end = s.end()
    if adjective_object and re.match(_ADJECTIVES, m.group("head")) and (o := re.match(r"\s+of\b", text[end:])):
        end += o.end()
    return text[:end]


def parse_date(text: str) -> str | None:
    """The first "9 July 2013"-style date in ``text`` as ISO ``2013-07-09``."""
    m = DATE.search(text)
    if not m:
        return None
    return f"{m.group(3)}-{MONTHS.index(m.group(2)) + 1:02d}-{int(m.group(1)):02d}"


def rejoin_hyphen_breaks(text: str) -> str:
    """Rejoin words broken at a line end, leaving no space behind.

    The rule: the hyphen stays ("benefit-sharing", "Secretary-General"), unless the same text spells
    the word unbroken and never with the hyphen ("implemen-/tation" where "implementation" occurs).
    UN documents are typeset without syllable hyphenation, so a line-end hyphen is nearly always a
    compound's own (on the 64 development PDFs: 126 breaks whose hyphenated form recurs, none whose
    unbroken form does, 89 with neither — all compounds or names such as "Bobo-Dioulasso").
    """
    if _LINE_END_HYPHEN.search(text) is None:
        return text
    flat = text.replace("\n", " ")

    def join(m: re.Match) -> str:
        head, tail = m.group(1), m.group(2)
        unbroken = re.search(rf"\b{head}{tail}\b", flat, re.IGNORECASE)
        if unbroken and not re.search(rf"\b{head}-{tail}\b", flat):
            return head + tail
        return f"{head}-{tail}"

    return _BROKEN_WORD.sub(join, text)


def unwrap(lines: list[str] | str) -> str:
    """One cleaned paragraph from its hard-wrapped lines, broken words rejoined."""
    text = lines if isinstance(lines, str) else "\n".join(lines)
    return clean(rejoin_hyphen_breaks(text))


def warning(where: Path | str | None, line: int | None, message: str) -> str:
    """The one warning format: ``file:line: message`` (``line`` counted from 1), or ``file: message``."""
    return f"{where}{f':{line}' if line is not None else ''}: {message}"
