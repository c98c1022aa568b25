"""Find cross-references in text: UN document symbols, resolutions, and provisions of instruments.

Every reference becomes a ``Ref`` to a document id (and a path inside it), whether or not the target
is in the corpus: the builder creates a stub document node for targets it has not ingested, so a
link made today resolves once the target document is added.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.masthead import SYMBOL_IN_TEXT
from ingest.model import Ref
from ingest.provisions import provision_refs, renumber  # articles, chapters, instrument names
from ingest.text import fold, matches_at
from ingest.namespaces import resolution_id, symbol_slug


@dataclass
class Instruments:
    """Names by which documents are cited (``"Rome Statute"`` -> its id), from the manifest.

    ``by_name`` maps a lower-cased name to (doc id, symbol, title); ``numbering`` maps a doc id to
    the numbering its articles are printed in ("roman" for the Genocide Convention's "Article II"),
    so that "article 2 of the Genocide Convention" reaches the article as the target prints it.
    """

    by_name: dict[str, tuple[str, str | None, str]] = field(default_factory=dict)
    numbering: dict[str, str] = field(default_factory=dict)
    _compiled: tuple = field(default=((), None, None, None), init=False, repr=False, compare=False)

    def add(self, doc_id: str, names: list[str], symbol: str | None, title: str, numbering: str | None = None) -> None:
        for name in names:
            self.by_name[name.lower()] = (doc_id, symbol, title)
        if numbering:
            if numbering not in ("roman", "arabic"):
                raise ValueError(f"{doc_id}: article numbering '{numbering}' is not 'roman' or 'arabic'")
            self.numbering[doc_id] = numbering

    def merge(self, other: "Instruments") -> None:
        """Add the names (and numberings) of another manifest's documents."""
        self.by_name.update(other.by_name)
        self.numbering.update(other.numbering)

    def lookup(self, name: str) -> tuple[str, str | None, str] | None:
        """The instrument a name the pattern matched stands for: folded as the pattern matched it ("ſ" is "s")."""
        return self.by_name.get(re.sub(r"\s+", " ", fold(name).strip()))

    def article_number(self, doc_id: str, number: str) -> str:
        """``number`` in the numbering ``doc_id`` prints its articles in (unchanged when unknown)."""

        return renumber(number, self.numbering.get(doc_id))

    def pattern(self) -> re.Pattern[str] | None:
        """One regex matching any known name, longest first so "Charter of the United Nations" beats "Charter".

        A name followed by "on/of/for/against <Capitalised>" is the head of another instrument's
        name ("the Convention on the Rights of the Child"), so it does not match there.
        """
        if not self.by_name:
            return None
        key = frozenset(self.by_name)
        if self._compiled[0] == key:  # compiled once per set of names: called for every paragraph
            return self._compiled[1]
        names = sorted(key, key=lambda n: (-len(n), n))
        alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
        pattern = re.compile(
            r"\b(?:the\s+)?(" + alternatives + r")\b"
            r"(?!\s+(?:on|of|for|against|relating\s+to|concerning)\s+(?:the\s+)?(?-i:[A-Z]))",
            re.IGNORECASE,
        )
        # where a match can start: "the" or not, then the first two letters of a name (same case rules)
        firsts = sorted({re.escape(n[:2]).replace(r"\ ", r"\s") for n in names})
        lead = re.compile(r"\b(?=(?:the\s+)?(?:" + "|".join(firsts) + "))", re.IGNORECASE)
        # what a text read through ``fold`` must hold for any name to match: the name's start up to its first
        # space (six characters at most), when each is ASCII and two characters long at least (else None)
        starts = [re.match(r"\S{0,6}", n).group() for n in names]
        needles = tuple(sorted(set(starts))) if all(len(w) >= 2 and w.isascii() for w in starts) else None
        self._compiled = (key, pattern, lead if all(_WORD_CHAR.match(n) for n in names) else None, needles)
        return pattern

    def mentions(self, text: str) -> list[re.Match]:
        """The matches of ``pattern()`` in ``text``, the same as its ``finditer`` gives.

        It is tried only where a word starts as some name starts (its first two letters), or is "the" before
        one: the alternation of every name tried at every position of the text cost ~0.3 ms a paragraph.
        """
        pattern = self.pattern()
        if pattern is None:
            return []
        lead, needles = self._compiled[2:]
        if needles is not None and not any(map(fold(text).__contains__, needles)):
            return []  # most paragraphs name no instrument: one look at the text instead of a search
        if lead is None:  # a name that starts with a sign: no word start to look for
            return list(pattern.finditer(text))
        found: list[re.Match] = []
        end = 0
        for candidate in lead.finditer(text):
            at = candidate.start()
            if at >= end and (m := pattern.match(text, at)):
                found.append(m)
                end = m.end()
        return found


_WORD_CHAR = re.compile(r"\w")
# A/67/929, S/2013/399, A/CONF.183/9, A/ES-10/1043, A/79/PV.64, S/25704/Add.1: the masthead's symbol shape.
SYMBOL_RE = SYMBOL_IN_TEXT
# Security Council: "resolution 808 (1993)", "resolutions 1325 (2000), 1820 (2008) and 1888 (2009)".
SC_RES_LIST = re.compile(
    r"\b[Rr]esolutions?\s+((?:\d{2,4}\s*\(\d{4}\)(?:\s*,\s*|\s+and\s+|,\s+and\s+)?)+)"
)
SC_RES_ITEM = re.compile(r"(\d{2,4})\s*\((\d{4})\)")
# General Assembly: "resolution 60/1", "resolutions 60/1 and 63/308", "resolution 260 A (III)".
GA_RES_LIST = re.compile(r"\b[Rr]esolutions?\s+((?:\d{1,3}/\d{1,4}(?:\s*,\s*|\s+and\s+)?)+)")
GA_RES_ITEM = re.compile(r"(\d{1,3})/(\d{1,4})")
GA_OLD_RES = re.compile(r"\b[Rr]esolution\s+(\d{1,4})\s+([A-Z])?\s*\(([IVXL]+)\)")
# "paragraph 2 of resolution 808 (1993)": a paragraph of the resolution that follows.
PARA_OF = re.compile(r"\bparagraphs?\s+(\d+)(?:\s*(?:,|and)\s*(\d+))*\s+of\s+(?:its\s+|the\s+)?$")


def find_references(text: str, instruments: Instruments | None = None) -> list[Ref]:
    """All references in ``text``, in order of appearance, without duplicates."""
    refs: list[tuple[int, Ref]] = []
    refs += _symbol_refs(text)
    refs += _resolution_refs(text)

    refs += provision_refs(text, instruments or Instruments())
    seen: set[tuple] = set()
    out = []
    for _, ref in sorted(refs, key=lambda r: r[0]):
        key = (ref.doc, ref.path)
        if key not in seen:
            seen.add(key)
            out.append(ref)
    return out


def _symbol_refs(text: str) -> list[tuple[int, Ref]]:
    out = []
    for m in matches_at(SYMBOL_RE, text, [s.start() for s in _SYMBOL_START.finditer(text)]):
        symbol = m.group(0)
        if symbol.startswith(("S/RES/", "A/RES/")):
            continue  # resolutions are handled with their year below
        out.append((m.start(), Ref(surface=symbol, doc=symbol_slug(symbol), symbol=symbol)))
        if add := _AND_ADD.match(text, m.end()):  # "S/25704 and Add.1": the addendum is a document too
            addendum = f"{symbol}/Add.{add.group(1)}"
            out.append((m.start(), Ref(surface=addendum, doc=symbol_slug(addendum), symbol=addendum)))
    return out


# Where a symbol can start (its letters and first slash): found by skipping along to capital letters, where
# the symbol pattern, which opens with a look-ahead, would be tried at every character.
_SYMBOL_START = re.compile(r"[A-Z]{1,6}/")
_AND_ADD = re.compile(r"\s+and\s+Add\.(\d+)")


# Where every match of the resolution patterns above starts: they are tried there only, instead of at
# every character of every paragraph.
_RESOLUTION_WORD = re.compile(r"[Rr]esolution")


def _resolution_refs(text: str) -> list[tuple[int, Ref]]:
    out: list[tuple[int, Ref]] = []
    starts = [m.start() for m in _RESOLUTION_WORD.finditer(text)]
    if not starts:
        return out
    for m in matches_at(SC_RES_LIST, text, starts):
        para = PARA_OF.search(text[max(0, m.start() - 60) : m.start()])
        for item in SC_RES_ITEM.finditer(m.group(1)):
            number, year = int(item.group(1)), item.group(2)
            doc = resolution_id(number, year, "S")
            symbol = f"S/RES/{number} ({year})"
            pos = m.start(1) + item.start()
            out.append((pos, Ref(surface=item.group(0), doc=doc, symbol=symbol)))
            if para and item.start() == 0:
                for p in [para.group(1)] + ([para.group(2)] if para.group(2) else []):
                    out.append((pos, Ref(surface=f"paragraph {p} of resolution {item.group(0)}", doc=doc,
                                         path=(("para", p),), symbol=symbol)))
    for m in matches_at(GA_RES_LIST, text, starts):
        for item in GA_RES_ITEM.finditer(m.group(1)):
            symbol = f"A/RES/{item.group(1)}/{item.group(2)}"
            out.append((m.start(1) + item.start(), Ref(surface=f"resolution {item.group(0)}",
                                                       doc=resolution_id(f"{item.group(1)}/{item.group(2)}", body="A"),
                                                       symbol=symbol)))
    for m in matches_at(GA_OLD_RES, text, starts):
        number = f"{m.group(1)}{m.group(2) or ''}({m.group(3)})"
        symbol = f"A/RES/{m.group(1)}{' ' + m.group(2) if m.group(2) else ''} ({m.group(3)})"
        out.append((m.start(), Ref(surface=m.group(0), doc=resolution_id(number, body="A"), symbol=symbol)))
    return out
