"""Text clean-up shared by the parsers: the extraction mess every source has in common."""
from __future__ import annotations

import re
import unicodedata

_SPACE = r"[ \t\u00a0\u2000-\u200b\u202f]"
# A run of spaces that is not already one plain space: the runs ``normalize_space`` has to change
# (replacing every space by a space cost more than the rest of the clean-up together).
_ODD_SPACES = re.compile(rf"[\t\u00a0\u2000-\u200b\u202f]{_SPACE}*| {_SPACE}+")
# "m a y", "a n y": a word whose letters were spaced out by the PDF extractor (3+ single letters).
_LETTER_SPACED = re.compile(r"\b(?:[a-z] ){2,}[a-z]\b")
# What every such word holds from its second letter on: a quick search (it starts with a space)
# that rules most paragraphs out before the slower one that tries a word boundary everywhere.
_LETTER_SPACED_MIDDLE = re.compile(r" [a-z] [a-z]\b")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUPERSCRIPT_RE = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def normalize_space(text: str) -> str:
    """One space between words, no soft hyphens, NFC; keeps paragraph meaning intact."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    return _ODD_SPACES.sub(" ", text.replace("\n", " ")).strip()


def join_letter_spaced(text: str) -> str:
    """``"m a y"`` -> ``"may"``: rejoin words whose letters the extractor spaced apart."""
    if _LETTER_SPACED_MIDDLE.search(text) is None:
        return text
    return _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)


def strip_markup(text: str) -> str:
    """Drop the Markdown emphasis and links a web copy added (``**2005 World Summit**``, ``[Syria](#)``)."""
    return _BOLD.sub(r"\1", _MARKDOWN_LINK.sub(r"\1", text))


def clean(text: str) -> str:
    """The standard clean-up for a paragraph's text."""
    return normalize_space(join_letter_spaced(strip_markup(text)))


def superscript_calls(text: str) -> tuple[str, list[str]]:
    """Footnote calls written as superscripts (``implementation.¹``): the text without them, and their numbers."""
    calls = [m.group(0).translate(SUPERSCRIPT_DIGITS) for m in SUPERSCRIPT_RE.finditer(text)]
    return SUPERSCRIPT_RE.sub("", text), calls


# Characters other than ASCII letters that a case-insensitive regular expression matches with one
# (İ, ı, ſ, the Kelvin sign): read as that letter when a text is checked for words.
_ASCII_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_ODD_LETTERS = re.compile("[\u0130\u0131\u017f\u212a]")


def fold(text: str) -> str:
    """``text`` in lower case, the odd letters as ASCII: an ASCII word that a case-insensitive pattern finds
    in ``text`` is a substring of this, so a text without the word need not be searched."""
    if _ODD_LETTERS.search(text) is None:  # nearly always: translating reads every character in Python
        return text.lower()
    return text.translate(_ASCII_FOLDS).lower()


def matches_at(pattern: re.Pattern, text: str, starts: list[int]) -> list[re.Match]:
    """What ``pattern.finditer(text)`` finds, for a pattern that never matches empty and whose every
    match begins at one of ``starts`` (ascending): a search tried at every character costs more than
    finding the few places where a match can begin (a word it starts with) and trying it there."""
    found: list[re.Match] = []
    end = 0
    for at in starts:
        if at >= end and (m := pattern.match(text, at)):
            found.append(m)
            end = m.end()
    return found


_SENTENCE_END = re.compile(r"(?<=[.!?;])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_ABBREVIATIONS = ("e.g.", "i.e.", "para.", "paras.", "art.", "No.", "Mr.", "Ms.", "Dr.", "U.N.", "St.", "vol.", "cf.", "etc.")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations such as ``para.`` and ``e.g.`` intact."""
    parts = _SENTENCE_END.split(text)
    out: list[str] = []
    for part in parts:
        if out and out[-1].endswith(_ABBREVIATIONS):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return [s.strip() for s in out if s.strip()]


ROMAN = re.compile(r"^(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def roman_to_int(numeral: str) -> int | None:
    """``"XIV"`` -> 14; None when the string is not a roman numeral."""
    numeral = numeral.upper()
    if not ROMAN.match(numeral):
        return None
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for i, ch in enumerate(numeral):
        v = values[ch]
        total += -v if i + 1 < len(numeral) and values[numeral[i + 1]] > v else v
    return total
