"""The passage a query cites, which goes first whatever the retrievers say.

A delegate types a citation as they read it: "A/67/929 para 41", "S/RES/794 (1992), preambular paragraph 5"
(or "preamble, para 5"), "S/2013/399, paragraph 24" (the same
report's Security Council symbol), "resolution 827 (1993), paragraph 4", "resolution 60/1, paragraph 138" (the General Assembly's
A/RES/60/1), "A/72/PV.99 para 68" (a
paragraph of a verbatim record, inside a speech), "para 71(b)" (a clause), "A/CONF.183/9 article 27", or
a treaty by its name: "Article 51 of the UN Charter", "Rome Statute article 27", "Genocide Convention
article 9" (its articles are numbered I, II, ...). A name is matched against the titles of the documents
that have articles: most shared words wins, a shorter title breaks a tie (the Genocide Convention before
the Optional Protocol to it), and an acronym counts as the words it abbreviates (UN, ICC). A citation of
something the index does not hold ranks the query as usual, with a notice saying what is missing, so a
delegate who mistyped a number, or asks for a document nobody ingested, is told so.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from search.passages import Passage

_NUM = (r"(?P<num>\d+|[IVXLC]+)\b(?:(?P<subs>(?:\s*\((?:\d+|[a-z]{1,6})\))+)"  # "7(1)(h)", "8(2)(b)(xxvi)"
        r"|,?\s*para(?:graph)?\.?\s*(?P<subpara>\d+))?")
_SUB = re.compile(r"\((\d+|[a-z]{1,6})\)")
# A UN symbol has a number somewhere ("A/B testing" is no symbol): A/67/929, S/PV.8000, A/ES-10/L.22.
_UN_SYMBOL = r"\b(?<!/)[AS](?=/\S*\d)(?:/[A-Z0-9.\-]*[A-Z0-9])+"
_BY_SYMBOL = re.compile(
    r"(?:(?P<symbol>" + _UN_SYMBOL + r")|\bresolution\s+(?:(?P<ga>\d{1,3}/\d{1,3})|(?P<res>\d{1,4})))"
    r"(?:\s*\((?P<year>\d{4})\))?"
    r"[,\s]*(?P<kind>preamb(?:ular|le)[,\s]+para(?:graph)?|preambular|para(?:graph)?|art(?:icle)?|¶)\.?\s*" + _NUM,
    re.IGNORECASE)
_SYMBOL = re.compile(_UN_SYMBOL + r"(?:\s*\(\d{4}\))?"
                     r"|\bresolution\s+(?P<ga>\d{1,3}/\d{1,3})|\bresolution\s+(?P<res>\d{3,4})(?:\s*\((?P<year>\d{4})\))?",
                     re.IGNORECASE)
_ARTICLE = re.compile(r"\bart(?:icle)?\.?\s*" + _NUM, re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_STOP = frozenset({"of", "the", "on", "and", "to", "for", "in", "a", "an", "article", "art"})
_ROMAN = {"M": 1000, "CM": 900, "D": 500, "CD": 400, "C": 100, "XC": 90, "L": 50, "XL": 40, "X": 10, "IX": 9,
          "V": 5, "IV": 4, "I": 1}


def _slug(symbol: str) -> str:
    """A symbol as the documents' ids spell it: "S/RES/827 (1993)" -> "S-RES-827-1993"."""
    return re.sub(r"[\s()]+", "-", symbol.strip().upper().replace("/", "-")).strip("-")


def _numbers(num: str) -> list[str]:
    """An article number as written and in the other numbering: "9" and "IX", "IX" and "9"."""
    if num.isdigit():
        value, roman = int(num), ""
        for letters, worth in _ROMAN.items():
            while value >= worth:
                roman, value = roman + letters, value - worth
        return [num, roman]
    value, rest = 0, num.upper()
    for letters, worth in _ROMAN.items():
        while rest.startswith(letters):
            value, rest = value + worth, rest[len(letters):]
    return [num.upper(), str(value)] if not rest else [num.upper()]


def _acronyms(words: Sequence[str]) -> set[str]:
    """The initials of the runs of capitalised words in a title: "the International Criminal Court" -> icc, ic, cc."""
    runs, run = [], ""
    for w in [*words, ""]:
        if w[:1].isupper():
            run += w[0]
        else:
            runs.append(run)
            run = ""
    return {r[i:j].casefold() for r in runs for i in range(len(r)) for j in range(i + 2, len(r) + 1)}


class Cited(NamedTuple):
    """What a query cites: the passage id, or None with a notice when the index lacks what it names."""

    pid: int | None = None
    notice: str | None = None


class CitationIndex:
    """Every passage by its document and its path in that document, and the documents by symbol and title."""

    def __init__(self, passages: Iterable[Passage]):
        self._paths: dict[str, dict[str, int]] = {}  # doc id -> path ("para/71/clause/b") -> passage id
        self._symbols: dict[str, set[str]] = {}  # slug of any of a document's symbols -> its doc ids
        self._titles: dict[str, tuple[frozenset[str], int]] = {}  # doc id -> (title words and acronyms, length)
        self._title: dict[str, str] = {}  # doc id -> its title, as a notice names it
        for pid, p in enumerate(passages):
            paths = self._paths.setdefault(p.doc_id, {})
            paths.setdefault(p.uri.split(f"/doc/{p.doc_id}/", 1)[-1], pid)
            for symbol in [p.doc_id, *re.split(r"\s*[–—]\s*", p.symbol or "")]:
                if symbol:
                    self._symbols.setdefault(_slug(symbol), set()).add(p.doc_id)
            if p.doc_id not in self._titles and p.title:
                self._title[p.doc_id] = p.title
                words = _WORD.findall(p.title)
                self._titles[p.doc_id] = (frozenset(w.casefold() for w in words) - _STOP | _acronyms(words), len(words))
        self._with_articles = {doc for doc, paths in self._paths.items() if any(path.startswith("article/") for path in paths)}

    def _symbols_in(self, query: str) -> Iterable[tuple[str, str]]:
        """(slug, as written where other passages cite it) of each document ``query`` names by a UN symbol,
        "resolution 1674 (2006)" or "resolution 60/1", with or without a paragraph."""
        for m in _SYMBOL.finditer(query):
            if m["ga"]:
                yield _slug(f"A/RES/{m['ga']}"), f"resolution {m['ga']}"
            elif m["res"]:
                yield f"S-RES-{int(m['res'])}" + (f"-{m['year']}" if m["year"] else ""), f"resolution {m['res']}"
            else:
                yield _slug(m.group(0)), m.group(0).upper()

    def missing(self, query: str) -> list[str]:
        """The documents ``query`` names that the index does not hold, as they are written where others cite them."""
        named: list[str] = []
        for slug, said in self._symbols_in(query):
            if not self._docs_of(slug) and said not in named:
                named.append(said)
        return named

    def held(self, query: str) -> list[str]:
        """The ids of the documents ``query`` names that the index holds ("A/72/PV.99 Latvia on the formal debate")."""
        return sorted({doc for slug, _ in self._symbols_in(query) for doc in self._docs_of(slug)})

    def _docs_of(self, slug: str) -> list[str]:
        """The documents a symbol's slug names: its own, or any year of it ("S-RES-688" is S/RES/688 (1991))."""
        return sorted({d for key, ids in self._symbols.items() if key == slug or key.startswith(slug + "-") for d in ids})

    def find(self, query: str) -> Cited:
        """The passage ``query`` cites; an empty ``Cited`` when it cites nothing."""
        m = _BY_SYMBOL.search(query)
        if m is not None:
            kind = m["kind"].lower()
            kind = "article" if kind.startswith("art") else "preamble" if kind.startswith("preamb") else "para"
            symbol = m["symbol"] or (f"A/RES/{m['ga']}" if m["ga"] else None)
            slug = _slug(symbol) if symbol else f"S-RES-{int(m['res'])}"
            symbol = symbol or f"resolution {m['res']}"
            if m["year"]:
                slug, symbol = f"{slug}-{m['year']}", f"{symbol} ({m['year']})"
            docs = self._docs_of(slug)
            if not docs:
                return Cited(None, f"{symbol} is not in the search index")
            return self._first(docs, kind, m, symbol)
        m = _ARTICLE.search(query)
        named = self._named(query) if m is not None else []
        return self._first(named, "article", m, self._title[named[0]]) if named else Cited()

    def _named(self, query: str) -> list[str]:
        """The documents with articles whose title the query names, best first (at most one)."""
        words = {w.casefold() for w in _WORD.findall(query)} - _STOP
        scored = [(len(words & title), -length, doc) for doc, (title, length) in self._titles.items()
                  if doc in self._with_articles]
        best = max(scored, default=(0, 0, ""))
        return [best[2]] if best[0] else []

    def _first(self, docs: list[str], kind: str, m: re.Match, name: str) -> Cited:
        subs = _SUB.findall(m["subs"] or "") or ([m["subpara"]] if m["subpara"] else [])
        def part(depth: int) -> str:
            label = {"para": "paragraph", "preamble": "preambular paragraph"}.get(kind, kind)
            return f"{label} {m['num']}" + "".join(f"({sub})" for sub in subs[:depth])

        for doc in docs:
            paths = self._paths[doc]
            for num in _numbers(m["num"]) if kind == "article" else [m["num"]]:
                found, depth = self._at(paths, f"preamble/para/{num}" if kind == "preamble" else f"{kind}/{num}", subs)
                if found is not None and depth < len(subs):  # "article 7(1)(z)": article 7(1) has no (z)
                    return Cited(found, f"{name} has no {part(len(subs))} in the search index; "
                                        f"its {part(depth)} comes first")
                if found is not None:
                    return Cited(found)
        return Cited(None, f"{name} has no {part(len(subs))} in the search index")

    @staticmethod
    def _at(paths: dict[str, int], base: str, subs: list[str]) -> tuple[int | None, int]:
        """The passage at ``base`` or its sub-parts ``subs``, one level each ("article/7", then its "para/1", then
        that one's "clause/h"), with how many of ``subs`` it reached: the path itself, else its first part; a
        record's paragraph is found inside its speech ("agenda-item/132/statement/10/para/68"), and only there:
        a resolution's "para 15" is never its fifteenth preambular paragraph."""
        if subs:
            for path in paths:
                if path.startswith(base + "/") and path.count("/") == base.count("/") + 2 and path.endswith("/" + subs[0]):
                    found, depth = CitationIndex._at(paths, path, subs[1:])
                    return found, depth + 1
        if base in paths:
            return paths[base], 0
        top = base.split("/", 1)[0] + "/"
        inside = not any(path.startswith(top) for path in paths)  # a record numbers the paragraphs of its speeches
        for path, pid in paths.items():
            if path.startswith(base + "/") or inside and path.endswith("/" + base):
                return pid, 0
        return None, 0
