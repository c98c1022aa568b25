"""What a filter value may name, and the key the search index files it under.

A value resolves against the project's own tables: the taxonomies (countries, regions, crimes, risk
factors: a key, notation or label), pycountry (ISO codes, official names), the speaker tables, the
document types. The searcher files passages under these keys, and the API and the CLI refuse a value
none of the tables knows, so that a misspelt country is an error rather than an empty answer.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import pycountry

from ingest.entities import Taxonomy, default_taxonomy
from ingest.model import DOC_TYPES
from ingest.namespaces import BASE
from ingest.speakers import resolve as resolve_party
from search.filters import SearchError

DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
# The filters whose values are concepts of a taxonomy scheme, and that scheme.
SCHEMES = {"country": "country", "region": "region", "crime": "crime", "risk_factor": "risk-factor"}
_SPEAKERS_FILE = Path(files("r2p_ontology")) / "speakers.ttl"


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=None)
def _terms(scheme: str) -> dict[str, str]:
    """Folded key, notation and label of each concept of ``scheme`` -> the concept's key (its URI's tail)."""
    table: dict[str, str] = {}
    for concept in default_taxonomy().scheme(scheme):
        key = concept.uri.rsplit("/", 1)[-1]
        for term in (key, concept.notation, *concept.terms):
            if term:
                table.setdefault(_fold(term), key)
    return table


@lru_cache(maxsize=1)
def _speaker_ids() -> dict[str, str]:
    """Folded id -> id of the organizations and groups of the speaker table (``organization/african-union``)."""
    return {uri.removeprefix(BASE).casefold(): uri.removeprefix(BASE) for uri in Taxonomy.load(_SPEAKERS_FILE).concepts
            if uri.startswith((BASE + "organization/", BASE + "group/"))}


@lru_cache(maxsize=4096)
def _country(text: str) -> str | None:
    if (key := _terms("country").get(_fold(text))) is not None:
        return key
    try:  # an alpha-2 code, or a name only pycountry has (a State the taxonomy does not list)
        return pycountry.countries.lookup(text).alpha_3
    except LookupError:
        return None


@lru_cache(maxsize=4096)
def _speaker(text: str) -> str | None:
    text = text.removeprefix(BASE).removeprefix("country/")
    if "/" in text:
        kind, _, key = text.partition("/")
        if (known := _speaker_ids().get(text.casefold())) is not None:
            return known
        party = resolve_party(key)  # organization/eu: the European Union's id
        return f"{party.kind}/{party.key}" if party is not None and party.kind == kind.casefold() else None
    if len(text) == 3 and text.isalpha() and (code := _country(text)) is not None:
        return code
    party = resolve_party(text)
    if party is None:
        return None
    return party.key if party.kind == "country" else f"{party.kind}/{party.key}"


def resolve(key: str, value) -> str | None:
    """The folded key the index files ``value`` of filter ``key`` under, or None when no table knows it.

    A document or a year is not looked up (any symbol or year may be asked, and simply have no passage).
    """
    text = str(value).strip()
    if key in SCHEMES and text.startswith(BASE):  # a concept's URI
        text = text.rstrip("/").rsplit("/", 1)[-1]
    if key == "country":
        found = _country(text)
    elif key in SCHEMES:
        found = _terms(SCHEMES[key]).get(_fold(text))
    elif key == "speaker":
        found = _speaker(text)
    elif key == "doc_type":
        found = text if text.casefold() in DOC_TYPES else None
    else:
        found = text
    return None if found is None else found.casefold()


_HINTS = {
    "country": "give an ISO code such as KEN or a country name such as Kenya",
    "speaker": "give an ISO3 code such as CHN, a name such as Holy See, or an id such as group/friends-of-r2p",
    "risk_factor": "give a number from 1 to 14 or a factor's title",
}
_WHAT = {"doc_type": "document type", "risk_factor": "risk factor"}


def hint(key: str) -> str:
    """What filter ``key`` takes, short enough for an error message."""
    if key == "doc_type":
        return "known: " + ", ".join(DOC_TYPES)
    if key in ("region", "crime"):
        return "known: " + ", ".join(sorted(set(_terms(SCHEMES[key]).values())))
    return _HINTS.get(key, "")


def check_filters(filters: dict, spelt: dict[str, str] | None = None) -> None:
    """SearchError for the first filter value that cannot be resolved or read, named as the caller spelt
    its filter (``spelt``: filter key -> parameter or option, e.g. ``date_from`` -> ``from``)."""
    for key, value in filters.items():
        name = (spelt or {}).get(key, key)
        if key in ("date_from", "date_to"):
            if not DATE.fullmatch(str(value).strip()):
                raise SearchError(f"{name}: a date is 2013, 2013-07 or 2013-07-09; got {value!r}")
        elif resolve(key, value) is None:
            raise SearchError(f"{name}: unknown {_WHAT.get(key, key)} {value!r}; {hint(key)}")
