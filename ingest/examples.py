"""Cited examples: a country named as an instance of a practice, a situation, a historical case,
a participation or the venue of a meeting, with the year, the sentence and the paragraph.

Study-guide authors need "who did what, when, and where it is said". The extractor reads the
country mentions the linker found in one paragraph (or note, or footnote), and for each sentence
that names a country decides, from the cue patterns in ``ingest/data/example_cues.toml``, what
the country is cited as; it dates the example from the sentence ("In 2008", "from 1976 to 1983",
"since 2008") or, failing that, from the next sentence when that one names no country (the
report often dates an institution in the sentence after the one that names it). A sentence that
lists several countries gives one example per country; a country cited twice for the same kind
in one paragraph gives one example.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pyoxigraph import NamedNode

from ingest.entities import DATA_DIR, Linker, Mention, Taxonomy, default_taxonomy
from ingest.lines import MONTH
from ingest.text import fold, sentences
from ingest.namespaces import concept_uri, country_uri, prov, r2p, rdf, xsd

CUES_FILE = DATA_DIR / "example_cues.toml"
KINDS = ("practice", "situation", "historical", "participation", "venue")

_YEAR = r"((?:19|20)\d\d)"
# Dating phrases, most specific first: (pattern, how to read it, words every match holds or None).
# A sentence without the words is not searched: most hold none, and a search costs more.
_PERIODS = [
    (re.compile(rf"\bfrom (?:{MONTH} )?{_YEAR} to (?:{MONTH} )?{_YEAR}\b"), "range", "from "),
    (re.compile(rf"\bbetween {_YEAR} and {_YEAR}\b"), "range", "between "),
    (re.compile(r"\bduring the ((?:19|20)\d)0s\b"), "decade", "during the "),
    (re.compile(rf"\b[Ss]ince (?:(?:early|late|mid-) ?)?(?:{MONTH} )?{_YEAR}\b"), "since", "ince "),
    (re.compile(rf"\b(?:[Ii]n|[Aa]s (?:of|at)|[Bb]y|[Oo]n) (?:(?:early|late|mid-) ?)?(?:\d{{1,2}} )?(?:{MONTH} )?(?:\d{{1,2}} )?{_YEAR}\b"), "year", None),
]
# Not a calendar's 2064 (Nepal), nor the end of a telephone number broken at its hyphen ("230- 1900").
_BARE_YEAR = re.compile(r"(?<![\w/.-])(?<!\d-\s)(19\d\d|20[0-4]\d)(?![\w/-])")
_SPACE_WORDS = re.compile(r"\s+")
_LEADING_ARTICLE = re.compile(r"^(?:The|In|A|An)\s+")
_OBJECT_ARTICLE = re.compile(r"^(?:an?|the)\s+")
_ANY_YEAR = re.compile(r"(?:19|20)\d")  # what every dating phrase and bare year holds


@dataclass
class Dating:
    year: int
    year_end: int | None
    phrase: str
    position: int


def find_dating(sentence: str, near: int = 0) -> Dating | None:
    """The year or period a sentence gives, nearest to position ``near``; dating phrases before bare years."""
    return _nearest(datings(sentence), near)


def _nearest(found: list[Dating], near: int) -> Dating | None:
    return min(found, key=lambda d: abs(d.position - near)) if found else None


def datings(sentence: str) -> list[Dating]:
    """Every year or period a sentence gives, of the first kind of phrase it has (bare years last)."""
    if _ANY_YEAR.search(sentence) is None:
        return []
    found: list[Dating] = []
    for pattern, how, words in _PERIODS:
        if words is not None and words not in sentence:
            continue
        for m in pattern.finditer(sentence):
            if how == "range":
                found.append(Dating(int(m.group(1)), int(m.group(2)), m.group(0), m.start()))
            elif how == "decade":
                start = int(m.group(1) + "0")
                found.append(Dating(start, start + 9, m.group(0), m.start()))
            else:
                found.append(Dating(int(m.group(1)), None, m.group(0), m.start()))
        if found and how != "year":  # a period ("from 1976 to 1983") also contains "in"-less years
            break
    if not found:
        found = [Dating(int(m.group(1)), None, m.group(0), m.start()) for m in _BARE_YEAR.finditer(sentence)]
    return found


# ---------------------------------------------------------------------------------------------------
# Cue data
# ---------------------------------------------------------------------------------------------------
_LITERAL = re.compile(r"[a-z0-9 '-]*", re.IGNORECASE)


def literal_starts(pattern: str) -> list[str] | None:
    """The words any match of ``pattern`` starts with, in lower case ("failures?" → ["failure"];
    "(?:presented|tabled) by" → ["presented", "tabled"]), or None when they cannot be read off it.

    A sentence that contains none of them (case-folded) cannot match, so the pattern need not run."""
    body = re.sub(r"^(?:\\b)+", "", pattern)
    if _top_level_bar(body):
        return None
    if body.startswith("(?:"):
        close = _group_end(body)
        if close is None or body[close + 1:close + 2] in ("?", "*", "{"):
            return None
        alternatives = body[3:close].split("|")
        if not all(_LITERAL.fullmatch(a) and a for a in alternatives):
            return None
        return [a.lower() for a in alternatives]
    run = _LITERAL.match(body).group()
    if body[len(run):len(run) + 1] in ("?", "*", "{"):  # the last character is optional
        run = run[:-1]
    return [run.lower()] if run else None


def _top_level_bar(pattern: str) -> bool:
    depth, i = 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "[":
            i = pattern.index("]", i + 2) if "]" in pattern[i + 2:] else len(pattern)
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


def _group_end(pattern: str) -> int | None:
    """Index of the ``)`` that closes the group opening ``pattern``, or None if its content is not plain."""
    close = pattern.find(")")
    return close if close > 0 and "(" not in pattern[1:close] and "\\" not in pattern[:close] else None


@dataclass
class Alternation:
    """Patterns joined into one regular expression (any pattern matching is the alternation matching,
    and one scan costs a fraction of one scan per pattern), with the words its matches start with."""
    pattern: re.Pattern
    starts: tuple[str, ...] | None  # None: some pattern has no literal start, the alternation always runs

    def could_match(self, folded: str) -> bool:
        """False when ``folded`` (a sentence read through ``fold``) holds none of the start words."""
        return self.starts is None or any(map(folded.__contains__, self.starts))


@dataclass
class KindCue:
    """A kind's cue patterns, each list one alternation."""
    name: str
    sentence: Alternation | None
    before: re.Pattern | None
    after: re.Pattern | None

    def matches_around(self, sentence: str, start: int, end: int) -> bool:
        """The cues that depend on where the country is: just before it or just after it."""
        return ((self.before is not None and self.before.search(sentence, 0, start) is not None)
                or (self.after is not None and self.after.match(sentence[end:]) is not None))


@dataclass
class Cues:
    kinds: list[KindCue]
    default_kind: str
    skip_document_types: set[str]
    footnote_list_kind: str
    ignore_before: re.Pattern | None
    heads: list[str]
    quoted_suffixes: list[str]
    verbs: list[str]
    nominal: dict[str, str]
    max_words: int

    @classmethod
    def load(cls, path: Path = CUES_FILE) -> "Cues":
        data = tomllib.loads(path.read_text(encoding="utf-8"))

        def compile_all(patterns: list[str], where: str) -> re.Pattern | None:
            """One alternation of ``patterns`` (None for none), each checked alone first so an error names it."""
            for p in patterns:
                try:
                    re.compile(p, re.IGNORECASE)
                except re.error as exc:
                    raise ValueError(f"{path}: {where}: bad pattern {p!r}: {exc}") from exc
            return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None

        kinds = []
        for i, k in enumerate(data["kind"], start=1):
            if k.get("name") not in KINDS:
                raise ValueError(f"{path}: [[kind]] #{i}: name {k.get('name')!r} is not one of {', '.join(KINDS)}")
            sentence, before, after = (compile_all(k.get(f, []), f"{k['name']}.{f}") for f in ("sentence", "before", "after"))
            starts = [literal_starts(p) for p in k.get("sentence", [])]
            kinds.append(KindCue(k["name"], sentence and Alternation(
                sentence, None if None in starts else tuple(dict.fromkeys(w for ws in starts for w in ws))), before, after))
        for key in ("default_kind", "footnote_list_kind"):
            if data[key] not in KINDS:
                raise ValueError(f"{path}: {key} {data[key]!r} is not one of {', '.join(KINDS)}")
        what = data["what"]
        return cls(kinds, data["default_kind"], set(data["skip_document_types"]), data["footnote_list_kind"],
                   compile_all(data["ignore"]["before"], "ignore.before"), what["heads"], what["quoted_suffixes"],
                   what["verbs"], what["nominal"], what["max_words"])

    def sentence_kinds(self, sentence: str) -> list[bool]:
        """For each kind, whether a cue of the whole sentence matches: the same for every country in it.

        Most sentences hold none of a kind's words, and a substring check costs far less than a search."""
        folded = fold(sentence)
        return [cue.sentence is not None and cue.sentence.could_match(folded)
                and cue.sentence.pattern.search(sentence) is not None for cue in self.kinds]

    def kind_of(self, sentence: str, start: int, end: int, sentence_kinds: list[bool]) -> str | None:
        """The first kind whose cues match, or None when none does (the default kind applies).

        ``sentence_kinds``: ``self.sentence_kinds(sentence)``, computed once per sentence."""
        for cue, in_sentence in zip(self.kinds, sentence_kinds):
            if in_sentence or cue.matches_around(sentence, start, end):
                return cue.name
        return None

    def ignored(self, sentence: str, start: int) -> bool:
        return self.ignore_before is not None and self.ignore_before.search(sentence, 0, start) is not None


# ---------------------------------------------------------------------------------------------------
# Short labels: what is cited
# ---------------------------------------------------------------------------------------------------
class WhatFinder:
    """A short label of what a sentence cites: a quoted name, a named institution or law, or a verb's object."""

    def __init__(self, cues: Cues):
        self.cues = cues
        word = r"[A-Z][\w'’-]*"
        connector = r"(?:of|on|for|and|the|to|against)"
        # Title-case runs with lowercase connectors: "Commission for Reception, Truth and Reconciliation".
        self._name = re.compile(rf"{word}(?:(?:\s+{connector})*(?:\s+|,\s+(?=[A-Z]))(?:{word}|(?:19|20)\d\d))*")
        self._head = re.compile(r"\b(?:" + "|".join(f"(?:{h})" for h in cues.heads) + r")\b")  # any head noun
        # The heads and verbs as words a sentence must hold for a name or a verb to be found: most sentences
        # hold none, and looking for the words costs far less than the searches (None: a head is a pattern).
        # The heads are capitalised: one search for any of them skips along to the capital letters.
        self._head_words = (re.compile("|".join(re.escape(h) for h in cues.heads))
                            if all(_LITERAL.fullmatch(h) for h in cues.heads) else None)
        self._verb_words = tuple(cues.verbs)
        suffixes = "|".join(cues.quoted_suffixes)
        self._quoted = re.compile(rf"[\"“]([^\"”]{{2,80}})[\"”](\s+(?:{suffixes})\b)?")
        verbs = "|".join(re.escape(v) for v in sorted(cues.verbs, key=len, reverse=True))
        stop = r"which|that|who|when|while|and|or|as|including|based|building|the|a|in"
        self._verb = re.compile(rf"\b({verbs})\s+(.+?)(?=[;:.]|,\s+(?:{stop})\b|\s(?:which|that|who|in order|and (?:created|took|has|was))\b|$)")

    def find(self, sentence: str, start: int, end: int) -> str | None:
        """``start``/``end``: the country name, ``end`` extended over a list it heads ("Kenya, Rwanda and Uganda")."""
        if m := self._quoted.search(sentence):
            return (m.group(1) + (m.group(2) or "")).strip()
        names = [n for n in self._names(sentence) if self._has_head(n[0])] if self._may_name(sentence) else []
        containing = [n for n in names if n[1] <= start < n[2]]
        if containing:
            return containing[0][0]
        verb = self._verb.search(sentence, end) if any(map(sentence.__contains__, self._verb_words)) else None
        if verb and verb.start() - end <= 30:  # "Kenya, Rwanda ... have established national committees"
            return self._object(verb)
        if names:
            return min(names, key=lambda n: abs(n[1] - start))[0]
        return self._object(verb) if verb else None

    def _object(self, verb: re.Match) -> str:
        words = _SPACE_WORDS.split(_OBJECT_ARTICLE.sub("", verb.group(2).strip()))
        obj = " ".join(words[: self.cues.max_words]).rstrip(",; ")
        prefix = self.cues.nominal.get(verb.group(1))
        return f"{prefix} {obj}" if prefix else obj

    def _names(self, sentence: str) -> list[tuple[str, int, int]]:
        out = []
        for m in self._name.finditer(sentence):
            text = m.group(0).rstrip(", ")
            text = _LEADING_ARTICLE.sub("", text)
            out.append((text, m.start(), m.start() + len(m.group(0))))
        return out

    def _has_head(self, name: str) -> bool:
        return self._head.search(name) is not None

    def _may_name(self, sentence: str) -> bool:
        """False when no name in ``sentence`` can have a head: the sentence holds none of the head words."""
        return self._head_words is None or self._head_words.search(sentence) is not None


# ---------------------------------------------------------------------------------------------------
# Examples
# ---------------------------------------------------------------------------------------------------
@dataclass
class CitedExample:
    country: str  # ISO 3166 alpha-3
    kind: str
    quote: str
    index: int = 0  # 1-based position among the examples of its paragraph
    year: int | None = None
    year_end: int | None = None
    period: str | None = None
    what: str | None = None
    policy_options: list[str] = field(default_factory=list)
    risk_factors: list[str] = field(default_factory=list)
    crimes: list[str] = field(default_factory=list)
    origin: str = "un-text"  # or "guide-note"
    in_footnote: bool = False

    def uri(self, paragraph_uri: NamedNode) -> NamedNode:
        return NamedNode(f"{paragraph_uri.value}/example/{self.index}")

    def write(self, builder, paragraph_uri: NamedNode, context: dict) -> None:
        """Add this example's triples: the paragraph is its provenance (prov:wasDerivedFrom)."""
        ex = self.uri(paragraph_uri)
        builder.add(ex, rdf.type, r2p.CitedExample)
        builder.add(ex, r2p.country, country_uri(self.country))
        builder.add(ex, r2p.exampleKind, concept_uri("example-kind", self.kind))
        builder.lit(ex, r2p.quote, self.quote)
        builder.lit(ex, r2p.what, self.what)
        if self.year is not None:
            builder.lit(ex, r2p.year, f"{self.year:04d}", xsd.gYear)
            if self.period != str(self.year):  # a bare year's words are its r2p:year
                builder.lit(ex, r2p.period, self.period)
        if self.year_end is not None:
            builder.lit(ex, r2p.yearEnd, f"{self.year_end:04d}", xsd.gYear)
        builder.add(ex, prov.wasDerivedFrom, paragraph_uri)
        if self.in_footnote:
            builder.add(ex, r2p.inFootnote, paragraph_uri)
        for uri in self.policy_options:
            builder.add(ex, r2p.policyOption, NamedNode(uri))
        for uri in self.risk_factors:
            builder.add(ex, r2p.relatedRiskFactor, NamedNode(uri))
        for uri in self.crimes:
            builder.add(ex, r2p.relatedCrime, NamedNode(uri))
        if self.origin != "un-text":  # the default is not written; its document and section come from the paragraph
            builder.lit(ex, r2p.origin, self.origin)


@dataclass
class _Sentence:
    text: str
    start: int
    end: int
    names_country: bool | None = None  # asked of the linker once, when a dating depends on it

    @cached_property
    def datings(self) -> list[Dating]:
        """Read once: the next sentence's dating is asked again when that sentence's own examples are."""
        return datings(self.text)


def _split(text: str) -> list[_Sentence]:
    out, pos = [], 0
    for s in sentences(text):
        start = text.find(s, pos)
        out.append(_Sentence(s, start, start + len(s)))
        pos = start + len(s)
    return out


_LIST_ONLY = re.compile(r"^(?:[\s,;.]|\band\b|\bthe\b)*$")  # what is left of a bare list of names


class ExampleExtractor:
    """Finds cited examples in one part of a document, given the linker's mentions in its text."""

    def __init__(self, taxonomy: Taxonomy, cues: Cues, linker: Linker):
        self.taxonomy = taxonomy
        self.cues = cues
        self.linker = linker  # to tell whether a following sentence names a country
        self.what = WhatFinder(cues)
        options = taxonomy.scheme("policy-option")
        self._headings = {c.pref_label.casefold(): c for c in options if not c.broader}
        # Each term with what any match of it reads as through ``fold`` (None for a term with other letters
        # than ASCII ones, whose case-insensitive matches are left to the regular expression engine).
        self._measures = [(c, [(re.compile(rf"(?<!\w){re.escape(t)}(?!\w)", re.IGNORECASE), t.lower() if t.isascii() else None)
                               for t in c.terms[1:]]) for c in options if c.broader]

    @classmethod
    def default(cls) -> "ExampleExtractor":
        return cls(default_taxonomy(), Cues.load(), Linker.default())

    def extract(self, node, mentions: list[Mention], context: dict) -> list[CitedExample]:
        doc = context["doc"]
        countries = [m for m in mentions if m.property == "mentionsCountry"]
        if not countries or doc.type in self.cues.skip_document_types:
            return []
        text = node.text
        parts = _split(text)
        footnote_list = node.kind == "footnote" and _LIST_ONLY.match(_strip_mentions(text, countries)) is not None
        found: dict[tuple[str, str], CitedExample] = {}
        for i, sent in enumerate(parts):
            here = [m for m in countries if sent.start <= m.start < sent.end]
            sentence_kinds = self.cues.sentence_kinds(sent.text) if here and not footnote_list else None
            for j, m in enumerate(here):
                start, end = m.start - sent.start, m.end - sent.start
                if self.cues.ignored(sent.text, start):
                    continue
                kind = (self.cues.footnote_list_kind if footnote_list
                        else self.cues.kind_of(sent.text, start, end, sentence_kinds))
                if kind is None:
                    # A sentence with no cue that names a country already cited as a situation or a
                    # historical case goes on about it ("This has resulted in a political vacuum within Syria").
                    if any((m.key, k) in found for k in ("situation", "historical")):
                        continue
                    kind = self.cues.default_kind
                key = (m.key, kind)
                example = found.get(key)
                if example is None:
                    example = found[key] = CitedExample(m.key, kind, sent.text)
                    list_end = _list_end(text, here[j:]) - sent.start
                    example.what = self.what.find(sent.text, start, list_end)
                    self._date(example, parts, i, start)
                elif example.year is None and example.quote == sent.text:
                    self._date(example, parts, i, start)
        examples = list(found.values())
        risk_in_text = [m.uri for m in mentions if m.property == "discussesRiskFactor"]
        for n, example in enumerate(examples, start=1):
            example.index = n
            example.in_footnote = node.kind == "footnote"
            example.origin = "guide-note" if doc.type == "study_guide" else "un-text"
            self._classify(example, text, context, mentions, risk_in_text)
        return examples

    def _date(self, example: CitedExample, parts: list[_Sentence], i: int, near: int) -> None:
        dating = _nearest(parts[i].datings, near)
        if dating is None and i + 1 < len(parts):
            following = parts[i + 1]
            dating = _nearest(following.datings, 0)  # linking it costs more: only a dated sentence is asked
            if dating is not None and self._names_country(following):
                dating = None
        if dating is not None:
            example.year, example.year_end, example.period = dating.year, dating.year_end, dating.phrase

    def _names_country(self, sentence: _Sentence) -> bool:
        if sentence.names_country is None:
            sentence.names_country = any(m.property == "mentionsCountry" for m in self.linker.link(sentence.text))
        return sentence.names_country

    def _classify(self, example: CitedExample, text: str, context: dict, mentions: list[Mention],
                  risk_in_text: list[str]) -> None:
        sent_start = text.find(example.quote)
        sent_end = sent_start + len(example.quote)
        example.crimes = list(dict.fromkeys(
            m.uri for m in mentions if m.property == "mentionsCrime" and sent_start <= m.start < sent_end))
        heading = self._headings.get((context.get("section_title") or "").casefold())
        measure = None
        if heading is not None or (context.get("section_title") is None and example.kind in ("practice", "participation")):
            measure = self._measure(text, example.quote, heading)
        options = [c.uri for c in (heading, measure) if c is not None]
        if measure is not None and heading is None:
            options += measure.broader
        example.policy_options = list(dict.fromkeys(options))
        example.risk_factors = list(dict.fromkeys(risk_in_text + (measure.addresses if measure else [])))

    def _measure(self, text: str, quote: str, heading):
        """The measure (narrower policy option) whose terms the paragraph uses most; the sentence breaks ties."""
        best, best_score = None, (0, 0)
        # A term is counted only where its words are (a substring check): most of the ~150 terms are not in
        # a paragraph, and counting them all cost 3 ms an example.
        folded_text, folded_quote = fold(text), fold(quote)
        for concept, patterns in self._measures:
            if heading is not None and heading.uri not in concept.broader:
                continue
            score = (sum(len(p.findall(text)) for p, words in patterns if words is None or words in folded_text),
                     sum(len(p.findall(quote)) for p, words in patterns if words is None or words in folded_quote))
            if score > best_score:
                best, best_score = concept, score
        return best


_LIST_GLUE = re.compile(r"^(?:,\s*|\s+)(?:and\s+)?(?:the\s+)?$")


def _list_end(text: str, mentions: list[Mention]) -> int:
    """End of the list of country names that starts with ``mentions[0]`` ("Kenya, Rwanda, Uganda and the ...")."""
    end = mentions[0].end
    for m in mentions[1:]:
        if m.start < end:
            continue
        if not _LIST_GLUE.match(text[end:m.start]):
            break
        end = m.end
    return end


def _strip_mentions(text: str, mentions: list[Mention]) -> str:
    out, pos = [], 0
    for m in sorted(mentions, key=lambda m: m.start):
        out.append(text[pos:m.start])
        pos = max(pos, m.end)
    out.append(text[pos:])
    return "".join(out)

