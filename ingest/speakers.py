"""Who a speaker speaks for: a printed State, organization or group name resolved to its node key.

Records print the represented entity in parentheses ("(Plurinational State of Bolivia)", "(European
Union)") and collections in their own spelling ("Bolivia", "EU", "Ivory Coast"). Names are matched
exactly after folding case, accents, apostrophes and hyphens, never by substring, so "Guinea" is
not "Papua New Guinea". States come from ``ingest/data/countries.tsv`` (plus pycountry's names for
the same codes), organizations and groups from ``ontology/speakers.ttl``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry
from pyoxigraph import RdfFormat, parse

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRIES_FILE = DATA_DIR / "countries.tsv"
ALIASES_FILE = DATA_DIR / "speaker_aliases.tsv"
SPEAKERS_FILE = Path(__file__).resolve().parent.parent / "ontology" / "speakers.ttl"
_BASE = "https://w3id.org/r2p-kg/"
# The speaker's own words that they speak for a group; "aligns itself with the statement made on
# behalf of ..." names someone else's statement and does not match.
ON_BEHALF = re.compile(r"\b(?:I|[Ww]e)\s+(?:have the (?:honour|pleasure|privilege) to\s+|am (?:honoured|pleased) to\s+|"
                       r"would like to\s+|wish to\s+)?(?:speak|deliver|make|am speaking|am delivering|take the floor|"
                       r"read out)\b[^.;]{0,80}?\bon behalf of (?P<group>[^.;:]{3,160})")
_JOINT_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_LABELS = {"http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel"}
_OBSERVER = _BASE + "ontology#observerStatus"


@dataclass(frozen=True)
class Party:
    """A resolved speaker entity: ``kind`` is country, organization or group; ``key`` its URI tail."""

    kind: str
    key: str
    name: str  # the preferred name
    observer: bool = False  # an observer State or organization (the Holy See, the EU)


def fold(name: str) -> str:
    """The comparison form of a name: no accents, case, apostrophes, hyphens, "the" or stray spaces."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[’'`]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


@lru_cache(maxsize=1)
def _table() -> dict[str, Party]:
    table: dict[str, Party] = {}

    def put(name: str, party: Party) -> None:
        if name:
            table.setdefault(fold(name), party)

    for line in COUNTRIES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "iso3\t")):
            continue
        cols = line.split("\t")
        iso3, status, name, variants = cols[0], cols[1], cols[3], cols[4] if len(cols) > 4 else ""
        party = Party("country", iso3, name, observer=status == "observer")
        put(name, party)
        for variant in variants.split("|"):
            put(variant, party)
        record = pycountry.countries.get(alpha_3=iso3)
        for attr in ("name", "official_name", "common_name"):
            put(getattr(record, attr, "") if record else "", party)
    names: dict[str, list[str]] = {}
    observers: set[str] = set()
    for triple in parse(path=str(SPEAKERS_FILE), format=RdfFormat.TURTLE):
        subject = triple.subject.value
        if not subject.startswith((_BASE + "organization/", _BASE + "group/")):
            continue
        if triple.predicate.value in _LABELS:
            names.setdefault(subject, []).append(triple.object.value)
        elif triple.predicate.value == _OBSERVER and triple.object.value == "true":
            observers.add(subject)
    for subject, labels in names.items():
        kind, key = subject[len(_BASE):].split("/", 1)
        party = Party(kind, key, labels[0], observer=subject in observers)
        for label in labels:
            put(label, party)
    by_key = {(p.kind, p.key): p for p in table.values()}
    for line in ALIASES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, kind, key = line.split("\t")
            put(name, by_key[(kind, key)])
    return table


def resolve(name: str) -> Party | None:
    """The State, organization or group printed as ``name``; None when it is in no table."""
    return _table().get(fold(name))


def find_group(text: str) -> Party | None:
    """The group or organization named at the start of ``text`` ("the Group of Friends of ... , which"),
    trying the longest run of words first so that "the European Union and its member States" wins."""
    words = text.split()
    for n in range(min(len(words), 12), 0, -1):
        party = resolve(" ".join(words[:n]).rstrip(",.;:"))
        if party is not None:
            return party
    return None


def joint(names: str) -> list[Party] | None:
    """The parties of a joint statement ("Costa Rica and Denmark", "Estonia, Lithuania and Latvia"), when
    every one of two or more is in the tables; None otherwise."""
    parties = [resolve(part) for part in _JOINT_SPLIT.split(names.strip()) if part]
    return parties if len(parties) > 1 and all(parties) else None


def joint_attr(parties: list[Party]) -> str:
    """A statement's ``joint`` attr, the other States it is made for, as kg.builder reads it: "country/DNK ..."."""
    return " ".join(f"{p.kind}/{p.key}" for p in parties)


def spoken_for_states(opening: str, represents: str | None = None) -> list[Party]:
    """The States a statement is made on behalf of when its opening lists them ("I have the honour to
    speak on behalf of Estonia, Lithuania and Latvia"), the speaker's own State left out."""
    m = ON_BEHALF.search(opening[:600])
    parties = (joint(m.group("group")) if m else None) or []
    return [p for p in parties if not (p.kind == "country" and p.key == represents)]


def spoken_for(opening: str, represents: str | None = None) -> Party | None:
    """The group a statement is made on behalf of, from its opening words ("I have the honour to speak
    on behalf of the Group of Friends of the Responsibility to Protect"); None for "on behalf of my
    Government" and for a State naming itself ("on behalf of Portugal", said by Portugal)."""
    m = ON_BEHALF.search(opening[:600])
    group = find_group(m.group("group")) if m else None
    if group is None or group.kind == "country" and group.key == represents:
        return None
    return group
