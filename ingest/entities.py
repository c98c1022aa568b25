"""Entity linking: countries, atrocity crimes, pillars, actors and risk factors, read from the taxonomy.

Every match term lives in ``ontology/taxonomies.ttl`` (SKOS labels of the concepts of each scheme
that names an ``r2p:mentionProperty``), so a new actor or a new country variant is a data change.
The country block of that file is generated from ``ingest/data/countries.tsv`` (UN names, variants,
demonyms, regions) and pycountry (ISO codes and official names): ``python -m ingest.entities
--write-taxonomy``.

One regular expression scans a text once for every term, longest terms first, so that
"Papua New Guinea" is never also read as "Guinea" and "South Sudan" never as "Sudan".
"""
from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import pycountry
from pyoxigraph import Literal, RdfFormat, parse

from ingest.namespaces import BASE, R2P, RDF, SKOS, country_uri

TAXONOMY_FILE = Path(files("r2p_ontology")) / "taxonomies.ttl"  # the installed package data
DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRIES_FILE = DATA_DIR / "countries.tsv"
NON_COUNTRY_FILE = DATA_DIR / "non_country_names.txt"
GENERATED_MARKER = "# ---- generated from ingest/data/countries.tsv"
REGIONS = {"Africa": "africa", "Americas": "americas", "Asia": "asia", "Europe": "europe", "Oceania": "oceania"}
STATUSES = ("member", "observer", "former")

# Capitalised words that may stand before a country name that is also a personal name ("In Chad"),
# as opposed to a given name ("Michael Jordan") or a feature ("Lake Chad").
_FUNCTION_WORDS = frozenset(
    "In The Of And From For To With By On At As Since Both Including While Although Unlike Like Between "
    "Across Within Neighbouring Whereas But Or Also Only Even Notably Namely".split()
)
# A demonym that names a language in a list such as "the Chinese, French, Russian, English, and Spanish texts".
_LANGUAGE_USE = re.compile(r"(?:,?\s*(?:and\s+)?[A-Z][a-z]+)*,?\s*(?:and\s+)?(?:texts?|languages?|versions?|translations?)\b")
_PREVIOUS_WORD = re.compile(r"([A-Za-z][\w'’-]*) $")
# The rest of a party's or movement's name after a country name: up to three capitalised words and a
# party noun. ("Sudan Armed Forces" is the State's army and stays a mention of the Sudan.)
# The same for an organization named after its country ("Japan Water Forum", "Zimbabwe Women Resources
# Centre", "Uganda National NGO Forum"): civil society, not the State. A State's own organs keep the link
# ("Kenya Revenue Authority", "Rwanda Defence Forces"), so Authority, Ministry, Forces, Council and
# Commission are not among the nouns.
_PARTY_NAME = re.compile(r"(?: [A-Z][\w'’-]+){0,3} (?:Army|Movement|Front|Party|Alliance|Congress|Coalition|Rally"
                         r"|Centre|Center|Forum|Foundation|Federation|Association|Society|Network|Trust|Institute)\b")
# A place named after the country's name: "Port Sudan" is a city, "Lake Chad" a lake.
_PLACE_BEFORE = re.compile(r"(?:Port|Lake|Mount|Cape) $")
_NEXT_WORD = re.compile(r" ([A-Z][a-z][\w'’-]*)")
_FIRST_WORD = re.compile(r"\w+")
_WORD = re.compile(r"(?<![\w-])\w+")  # where a term may start


@dataclass(frozen=True)
class Mention:
    property: str  # r2p property local name: mentionsCountry, mentionsCrime, ...
    uri: str
    surface: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """The last URI segment: an ISO code for countries, a concept key otherwise."""
        return self.uri.rsplit("/", 1)[-1]


# ---------------------------------------------------------------------------------------------------
# The taxonomy, as plain Python objects
# ---------------------------------------------------------------------------------------------------
@dataclass
class Concept:
    uri: str
    scheme: str | None = None
    pref_label: str = ""
    notation: str | None = None
    terms: list[str] = field(default_factory=list)  # prefLabel, altLabel, hiddenLabel
    demonyms: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)  # r2p:addressesRiskFactor
    region: str | None = None
    personal_name: bool = False
    is_country: bool = False


@dataclass
class Taxonomy:
    concepts: dict[str, Concept]
    mention_property: dict[str, str]  # scheme URI -> r2p property local name

    @classmethod
    def load(cls, path: Path = TAXONOMY_FILE) -> "Taxonomy":
        concepts: dict[str, Concept] = {}
        mention_property: dict[str, str] = {}

        def concept(uri: str) -> Concept:
            return concepts.setdefault(uri, Concept(uri))

        for t in parse(path=str(path), format=RdfFormat.TURTLE):
            s, p, o = t.subject.value, t.predicate.value, t.object
            if p == R2P + "mentionProperty":
                mention_property[s] = o.value.removeprefix(R2P)
            elif p == SKOS + "inScheme":
                concept(s).scheme = o.value
            elif p == SKOS + "prefLabel":
                concept(s).pref_label = o.value
                concept(s).terms.append(o.value)
            elif p in (SKOS + "altLabel", SKOS + "hiddenLabel"):
                concept(s).terms.append(o.value)
            elif p == R2P + "demonym":
                concept(s).demonyms.append(o.value)
            elif p == SKOS + "notation":
                concept(s).notation = o.value
            elif p == SKOS + "broader":
                concept(s).broader.append(o.value)
            elif p == R2P + "addressesRiskFactor":
                concept(s).addresses.append(o.value)
            elif p == R2P + "region":
                concept(s).region = o.value
            elif p == R2P + "alsoPersonalName":
                concept(s).personal_name = o.value == "true"
            elif p == RDF + "type" and o.value == R2P + "Country":
                concept(s).is_country = True
        return cls(concepts, mention_property)

    def scheme(self, name: str) -> list[Concept]:
        """Concepts of the scheme ``{BASE}{name}`` (e.g. "policy-option"), in a stable order."""
        uri = BASE + name
        return sorted((c for c in self.concepts.values() if c.scheme == uri), key=lambda c: c.uri)


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return Taxonomy.load()


# ---------------------------------------------------------------------------------------------------
# The linker
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Term:
    targets: tuple[tuple[str, str], ...]  # (property, uri); empty for a blocked name
    demonym: bool = False
    personal_name: bool = False


def _case_sensitive(term: str, is_country: bool) -> bool:
    """Country names and acronyms are matched as written ("Chad", "ICC"); other terms in any case."""
    return is_country or (term.isupper() and len(term) > 1)


class Linker:
    """Finds entity names in text and returns mentions with the graph property that records them."""

    def __init__(self, taxonomy: Taxonomy, blocked: tuple[str, ...] = ()):
        self.taxonomy = taxonomy
        exact: dict[str, dict] = {}
        folded: dict[str, dict] = {}

        def add(term: str, prop: str | None, concept: Concept | None, demonym: bool = False) -> None:
            sensitive = concept is None or _case_sensitive(term, concept.is_country)
            table, key = (exact, term) if sensitive else (folded, term.casefold())
            entry = table.setdefault(key, {"targets": [], "demonym": demonym, "personal": False})
            if concept is not None and (prop, concept.uri) not in entry["targets"]:
                entry["targets"].append((prop, concept.uri))
                entry["personal"] |= concept.personal_name and not demonym

        for concept in taxonomy.concepts.values():
            prop = taxonomy.mention_property.get(concept.scheme or "")
            if prop is None:
                continue
            for term in concept.terms:
                add(term, prop, concept)
            for term in concept.demonyms:
                add(term, prop, concept, demonym=True)
        for name in blocked:
            exact.setdefault(name, {"targets": [], "demonym": False, "personal": False})

        self._exact = {k: _Term(tuple(v["targets"]), v["demonym"], v["personal"]) for k, v in exact.items()}
        self._folded = {k: _Term(tuple(v["targets"]), v["demonym"], v["personal"]) for k, v in folded.items()}
        alternatives = [(t, False) for t in self._exact] + [(t, True) for t in self._folded]
        alternatives.sort(key=lambda a: (-len(a[0]), a[0]))
        if odd := [t for t, _ in alternatives if not _FIRST_WORD.match(t)]:
            raise ValueError(f"linker terms must start with a letter or digit: {odd[:5]}")
        self._pattern = _alternation(alternatives)
        # The same alternatives grouped by their first word, so that each word of a text is tried
        # against the few terms that start with it instead of all of them. A word spelled as an exact
        # term's first word gets that group (with the case-folded terms of the same letters); any
        # other ASCII word the case-folded terms' group of its lower case. A word with other letters
        # is matched against the whole alternation: Unicode case-folding ("K" Kelvin, long s) is
        # left to the regular expression engine.
        first = {t: _FIRST_WORD.match(t).group() for t, _ in alternatives}
        by_word: dict[str, list] = {}
        folded_by_word: dict[str, list] = {}
        for t, fold in alternatives:
            (folded_by_word if fold else by_word).setdefault(first[t].lower() if fold else first[t], []).append((t, fold))
        odd_folded = [(t, True) for t in self._folded if not first[t].isascii()]  # may fold onto any ASCII word
        self._by_word = {w: _alternation(group + folded_by_word.get(w.lower(), []) + odd_folded, sort=True)
                         for w, group in by_word.items()}
        self._folded_by_word = {w: _alternation(group + odd_folded, sort=True) for w, group in folded_by_word.items()}

    @classmethod
    def default(cls) -> "Linker":
        return cls(default_taxonomy(), tuple(_data_lines(NON_COUNTRY_FILE)))

    def link(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        for m in self._matches(text):
            surface = m.group(0)
            term = self._exact.get(surface) or self._folded.get(surface.casefold())
            if term is None or not term.targets:
                continue
            if term.demonym and _LANGUAGE_USE.match(text, m.end()):
                continue
            if term.personal_name and (_after_given_name(text, m.start()) or _before_surname(text, m.end())):
                continue
            if not term.demonym and _PARTY_NAME.match(text, m.end()):
                continue  # "Sudan Liberation Army", "Japan Water Forum": a party's or an organization's name
            if not term.demonym and _PLACE_BEFORE.search(text, max(0, m.start() - 6), m.start()):
                continue  # "Port Sudan": a city
            out.extend(Mention(prop, uri, surface, m.start(), m.end()) for prop, uri in term.targets)
        return out

    def _matches(self, text: str) -> list[re.Match]:
        """What ``self._pattern.finditer(text)`` finds, trying at each word only the terms that start with it."""
        out: list[re.Match] = []
        pos = 0
        for word in _WORD.finditer(text):
            start = word.start()
            if start < pos:  # inside the last match
                continue
            run = word.group()
            if run.isascii():
                pattern = self._by_word.get(run) or self._folded_by_word.get(run.lower())
                if pattern is None:
                    continue
            else:
                pattern = self._pattern
            if m := pattern.match(text, start):
                out.append(m)
                pos = m.end()
        return out


def _alternation(alternatives: list[tuple[str, bool]], sort: bool = False) -> re.Pattern:
    """Terms as one regular expression, longest first ("South Sudan" before "Sudan"), folded ones in any case."""
    if sort:
        alternatives = sorted(set(alternatives), key=lambda a: (-len(a[0]), a[0], a[1]))
    body = "|".join(f"(?i:{re.escape(t)})" if fold else re.escape(t) for t, fold in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")


def _after_given_name(text: str, start: int) -> bool:
    """True when a capitalised word that is not a function word stands right before ``start``."""
    m = _PREVIOUS_WORD.search(text[max(0, start - 40):start])
    return bool(m) and m.group(1)[0].isupper() and m.group(1) not in _FUNCTION_WORDS


def _before_surname(text: str, end: int) -> bool:
    """True when a capitalised word follows on the same name: "Jordan Lee Calderon", not "Jordan, Lebanon"."""
    m = _NEXT_WORD.match(text, end)
    return bool(m) and m.group(1) not in _FUNCTION_WORDS


def _data_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


# ---------------------------------------------------------------------------------------------------
# The country block of the taxonomy, generated from the data file and pycountry
# ---------------------------------------------------------------------------------------------------
@dataclass
class CountryRow:
    iso3: str
    iso2: str
    status: str
    region: str
    name: str
    variants: list[str]
    demonyms: list[str]
    personal_name: bool


def load_countries(path: Path = COUNTRIES_FILE) -> list[CountryRow]:
    """Rows of the countries file, checked: a bad line raises ValueError naming file, line and field."""
    rows: list[CountryRow] = []
    header_seen = False
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            header_seen = True
            continue
        if len(cells) != 7:
            raise ValueError(f"{path}:{lineno}: expected 7 tab-separated fields, found {len(cells)}")
        iso3, status, region, name, variants, demonyms, flags = cells
        if status not in STATUSES:
            raise ValueError(f"{path}:{lineno}: status '{status}' is not one of {', '.join(STATUSES)}")
        if region not in REGIONS:
            raise ValueError(f"{path}:{lineno}: region '{region}' is not one of {', '.join(REGIONS)}")
        record = (pycountry.historic_countries if status == "former" else pycountry.countries).get(alpha_3=iso3)
        if record is None:
            raise ValueError(f"{path}:{lineno}: iso3 '{iso3}' is not an ISO 3166 code known to pycountry")
        extra = [v for v in (getattr(record, a, None) for a in ("name", "official_name", "common_name"))
                 if v and "," not in v and "(" not in v] if status != "former" else []
        names = [n.strip() for n in variants.split("|") if n.strip()]
        names += [e.removeprefix("the ") for e in extra]
        rows.append(CountryRow(iso3, record.alpha_2, status, region, name,
                               [n for n in dict.fromkeys(names) if n != name],
                               [d.strip() for d in demonyms.split("|") if d.strip()],
                               "personal-name" in flags.split(",")))
    return rows


def _lit(value: str) -> str:
    return str(Literal(value, language="en"))


def country_turtle(rows: list[CountryRow]) -> str:
    scheme = f"<{BASE}country>"
    out = []
    for r in rows:
        types = "r2p:Country, r2p:FormerState, skos:Concept" if r.status == "former" else "r2p:Country, skos:Concept"
        lines = [f"{country_uri(r.iso3)} a {types} ; skos:inScheme {scheme} ; skos:topConceptOf {scheme} ;",
                 f"    skos:prefLabel {_lit(r.name)} ; skos:notation \"{r.iso3}\" ; r2p:isoAlpha2 \"{r.iso2}\" ;",
                 f"    r2p:unStatus \"{r.status}\" ; r2p:region <{BASE}region/{REGIONS[r.region]}>"]
        if r.variants:
            lines[-1] += " ;"
            lines.append(f"    skos:altLabel {', '.join(_lit(v) for v in r.variants)}")
        if r.demonyms:
            lines[-1] += " ;"
            lines.append(f"    r2p:demonym {', '.join(_lit(d) for d in r.demonyms)}")
        if r.personal_name:
            lines[-1] += " ;"
            lines.append("    r2p:alsoPersonalName true")
        out.append("\n".join(lines) + " .\n")
    return "".join(out)


def taxonomy_text(path: Path = TAXONOMY_FILE, rows: list[CountryRow] | None = None) -> str:
    """The taxonomy file with its generated country block replaced by a fresh one."""
    text = path.read_text(encoding="utf-8")
    head, marker, _ = text.partition(GENERATED_MARKER)
    if not marker:
        raise ValueError(f"{path}: no line starting with '{GENERATED_MARKER}'")
    marker_line = marker + text[len(head) + len(marker):].split("\n", 1)[0]
    return f"{head}{marker_line}\n{country_turtle(rows if rows is not None else load_countries())}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write-taxonomy", action="store_true", help="regenerate the country block of taxonomies.ttl")
    args = parser.parse_args(argv)
    if args.write_taxonomy:
        TAXONOMY_FILE.write_text(taxonomy_text(), encoding="utf-8")
        print(f"wrote {TAXONOMY_FILE}")


if __name__ == "__main__":
    main()
