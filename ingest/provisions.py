"""References to provisions of instruments, in any document type.

Recognised (case as in real texts; separators ", ", " and ", " or ", ranges " to "):

- articles, with sub-divisions: "Article 3 (1) (a)", "Article 3 ( 1 ) (b)", "article 7, paragraph 2 f)",
  "Articles II and III of the Genocide Convention", "articles 6, 7 and 8 of the Rome Statute",
  "its article 103", "Common article 1 of the Geneva Conventions",
  "article 3 common to the four Geneva Conventions";
- chapters and parts: "Chapters VI, VII and VIII of the Charter", "Part 9";
- paragraphs: "paragraphs 138 and 139 of the World Summit Outcome", "paragraph 3 b) (i)",
  "paragraph 2 of article 7"; "subparagraph a)".

The target document is the instrument named after "of" (or "common to"); "this Statute", "the
present Convention" and a bare reference mean the document the text is in (``doc=None``); "its"
means the instrument last named before it in the same text. A reference "of" something that is
not a known instrument (another treaty, a resolution: "paragraph 2 of resolution 808 (1993)") is
left to other finders or dropped, since linking it to the citing document would be wrong.

Paths are relative to the document for articles, chapters and parts; a bare "paragraph 2" or
"subparagraph a)" is relative to where it occurs (the treaty parser anchors it in the current
article; in a report it is the report's own paragraph).

Article numbers keep the target's own numbering: a target registered as roman in ``Instruments``
(the Genocide Convention prints "Article II") turns "article 2 of the Genocide Convention" into
article "II", and an arabic target turns "Article II" into "2"; a bare reference keeps the number
as printed, since a document cites itself in its own numbering.
"""
from __future__ import annotations

import re

from ingest.model import Ref
from ingest.text import roman_to_int

_KEYWORD = re.compile(
    r"\b(?P<common>[Cc]ommon\s+)?(?P<kw>[Aa]rticles?|[Cc]hapters?|[Ss]ub-?paragraphs?|[Pp]aragraphs?|Parts?)\s+"
    r"(?=\d|[IVXLC]+\b|\(?[a-z]{1,4}\))"
)
# What any match of ``_KEYWORD`` holds: most paragraphs hold none, and are not scanned for it.
_KEYWORD_STEMS = ("rticle", "hapter", "aragraph", "Part")
_SEGMENT = {"article": "article", "chapter": "chapter", "paragraph": "para", "subparagraph": "clause",
            "sub-paragraph": "clause", "part": "part"}
_NUMBERS = {
    "article": re.compile(r"\d+(?:\s+(?:bis|ter|quater)\b)?|[IVXLC]+\b"),
    "chapter": re.compile(r"\d+\b|[IVXLC]+\b"),
    "part": re.compile(r"\d+\b|[IVXLC]+\b"),
    "para": re.compile(r"\d+\b"),
    "clause": re.compile(r"\(?([a-z]{1,4})\)"),
}
# A sub-division after a number: "(1)", "( 1 )", "(a)", "(iv)", or the Rome Statute's " f)".
_SUB = re.compile(r"\s*\(\s*(\d{1,3}|[a-z]{1,4})\s*\)|\s+([a-z]{1,4})\)(?!\w)")
_LIST_SEP = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+")
_RANGE = re.compile(r"\s+to\s+(\d+)\b")
_THEN_PARAGRAPHS = re.compile(r"\s*,\s*paragraphs?\s+")
_OF = re.compile(r"\s*,?\s+of\s+")
_COMMON_TO = re.compile(r"\s+common\s+to\s+(?:the\s+)?(?:(?:two|three|four)\s+)?")
_DEICTIC = re.compile(r"(?:this|the\s+present|the\s+current)\s+([A-Z][a-z]+)\b")
_ITS = re.compile(r"\bits\s+$")
_FOREIGN = re.compile(r"(?:its\s+|the\s+|that\s+)?(?:[A-Z]|resolutions?\b|decisions?\b|annex)")
_MAX_RANGE = 30


def provision_refs(text: str, instruments) -> list[tuple[int, Ref]]:
    """(position, Ref) for every instrument named and every provision cited in ``text``."""
    names = _instrument_mentions(text, instruments)
    out: list[tuple[int, Ref]] = []
    for start, end, doc in names:
        doc_id, symbol, title = doc
        out.append((start, Ref(surface=text[start:end], doc=doc_id, symbol=symbol, title=title)))
    end = 0
    if not any(word in text for word in _KEYWORD_STEMS):
        return out
    for m in _KEYWORD.finditer(text):
        if m.start() < end:
            continue  # inside a citation already read: "paragraph 2" of "article 7, paragraph 2 f)"
        refs, end = _provision(text, m, names, instruments)
        out += refs
    return out


def _instrument_mentions(text: str, instruments) -> list[tuple[int, int, tuple]]:
    return [(m.start(), m.end(), instruments.lookup(m.group(1))) for m in instruments.mentions(text)]


def _provision(text: str, m: re.Match, names, instruments) -> tuple[list[tuple[int, Ref]], int]:
    """The references of one citation starting at keyword ``m``, and where the citation ends."""
    kw = m.group("kw").lower().rstrip("s")
    segment = _SEGMENT[kw]
    items, pos = _items(text, m.end(), segment, plural=m.group("kw").lower().endswith("s"))
    if not items:
        return [], m.end()
    if segment in ("para", "clause") and (of := _OF.match(text, pos)):  # "paragraph 2 of article 7"
        art = re.match(r"[Aa]rticle\s+", text[of.end():])
        if art:
            arts, after = _items(text, of.end() + art.end(), "article", plural=False)
            if len(arts) == 1:
                items = [arts[0] + i for i in items]
                pos = after
    target = _target(text, m.start(), pos, names, instruments)
    if target is False:
        return [], pos
    doc = target[0] if target else None
    symbol, title = (target[1], target[2]) if target else (None, None)
    refs = []
    for path in items:
        if doc is not None:
            path = tuple((seg, instruments.article_number(doc, num)) if seg == "article" else (seg, num)
                         for seg, num in path)
        refs.append((m.start(), Ref(surface=text[m.start():pos], doc=doc, path=path, symbol=symbol, title=title)))
    return refs, pos


def _items(text: str, pos: int, segment: str, plural: bool) -> tuple[list[tuple], int]:
    """Numbered items from ``pos``: each a path (("article", "3"), ("para", "1"), ("clause", "a")).

    Only a plural keyword takes a list ("paragraphs 8 and 9"); after a singular one the next number
    belongs to the enclosing list: "articles 54, paragraph 2, 61, paragraph 7, and 72".
    """
    items: list[tuple] = []
    number_re = _NUMBERS[segment]
    while True:
        n = number_re.match(text, pos)
        if not n:
            break
        number = n.group(1) if segment == "clause" else re.sub(r"\s+", " ", n.group(0))
        pos = n.end()
        if segment == "para" and (r := _RANGE.match(text, pos)) and 0 < int(r.group(1)) - int(number) <= _MAX_RANGE:
            items += [((segment, str(k)),) for k in range(int(number), int(r.group(1)) + 1)]
            pos = r.end()
        else:
            path = [(segment, number)]
            while sub := _SUB.match(text, pos):
                value = sub.group(1) or sub.group(2)
                path.append(("para" if segment == "article" and len(path) == 1 and value.isdigit() else "clause", value))
                pos = sub.end()
            paras: list[tuple] = []
            if segment == "article" and (then := _THEN_PARAGRAPHS.match(text, pos)):  # "article 7, paragraph 2 f)"
                paras, after = _items(text, then.end(), "para", plural=then.group(0).rstrip().endswith("s"))
                if paras:
                    pos = after
            items += [tuple(path) + p for p in paras] or [tuple(path)]
        sep = _LIST_SEP.match(text, pos)
        if not plural or not sep or not number_re.match(text, sep.end()):
            break
        pos = sep.end()
    return items, pos


def _target(text: str, start: int, pos: int, names, instruments):
    """The cited document: (id, symbol, title); None for the citing document; False for an unknown one."""
    pattern = instruments.pattern()
    for lead in (_OF, _COMMON_TO):
        if not (m := lead.match(text, pos)):
            continue
        at = m.end()
        if pattern is not None and (named := pattern.match(text, at)):
            return instruments.lookup(named.group(1))
        if d := _DEICTIC.match(text, at):
            return instruments.lookup(d.group(0))  # "this Protocol" when the manifest names it, else None
        if _FOREIGN.match(text, at):
            return False
    if _ITS.search(text[max(0, start - 5):start]):
        return _antecedent(start, names)
    return None


def _antecedent(start: int, names):
    """What "its" stands for: the instrument named last before ``start``, if any."""
    before = [doc for s, e, doc in names if e <= start]
    return before[-1] if before else False


def int_to_roman(value: int) -> str:
    """``14`` -> ``"XIV"``: the inverse of ``ingest.text.roman_to_int``."""
    out = []
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, value = divmod(value, number)
        out.append(letters * count)
    return "".join(out)


def renumber(number: str, style: str | None) -> str:
    """An article number in a target's own numbering ("roman" or "arabic"); unchanged otherwise."""
    if style == "roman" and number.isdigit() and 0 < int(number) < 4000:
        return int_to_roman(int(number))
    if style == "arabic" and (value := roman_to_int(number)) is not None:
        return str(value)
    return number
