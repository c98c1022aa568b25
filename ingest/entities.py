"""Entity linking: countries (ISO 3166 via pycountry), crimes, actors, pillars and risk factors.

One linker scans a text once for every name, longest names first, so that "Papua New Guinea" is
never also read as "Guinea", and returns mentions with the graph property that records them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pycountry

from kg.namespaces import country_uri


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


def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value and "," not in value:
                names[value] = c.alpha_3
    return names


class Linker:
    """Finds entity names in text; ``names`` maps a surface form to (property, uri)."""

    def __init__(self, names: dict[str, tuple[str, str]]):
        self.names = names
        ordered = sorted(names, key=len, reverse=True)
        self._pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in ordered) + r")(?![\w-])")

    @classmethod
    def default(cls) -> "Linker":
        names = {name: ("mentionsCountry", country_uri(iso).value) for name, iso in _country_names().items()}
        return cls(names)

    def link(self, text: str) -> list[Mention]:
        out = []
        for m in self._pattern.finditer(text):
            prop, uri = self.names[m.group(1)]
            out.append(Mention(prop, uri, m.group(1), m.start(), m.end()))
        return out
