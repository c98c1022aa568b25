"""Which R2P themes a statement paragraph raises: offline, deterministic, from lexical cues.

The themes, their definitions and their cues are data (``ontology/themes.ttl``, a SKOS scheme
whose concepts carry ``r2p:cuePattern`` regular expressions), so a refined definition and its cues
change together and in one place. A theme is raised when any of its cues occurs in the paragraph
once the names that merely contain a cue (``r2p:exceptPattern``) are blanked out.
Lexical cues were chosen over embedding similarity because they meet the targets on the labelled
set (tests/eval/themes.jsonl, benchmarks/bench_themes.py) and can be read and argued with; the
measured figures are in the README.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyoxigraph import RdfFormat, parse

THEMES_FILE = Path(__file__).resolve().parent.parent / "ontology" / "themes.ttl"
_THEME = "https://w3id.org/r2p-kg/theme/"
_CUE = "https://w3id.org/r2p-kg/ontology#cuePattern"
_EXCEPT = "https://w3id.org/r2p-kg/ontology#exceptPattern"
_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
_DEFINITION = "http://www.w3.org/2004/02/skos/core#definition"


@dataclass(frozen=True)
class Theme:
    key: str  # the concept's URI tail: "veto-restraint"
    label: str
    definition: str
    cues: tuple[re.Pattern, ...]
    excepts: tuple[re.Pattern, ...]  # names that contain a cue but do not raise the theme

    def raised_by(self, text: str) -> bool:
        for pattern in self.excepts:
            text = pattern.sub(" ", text)
        return any(cue.search(text) for cue in self.cues)


@lru_cache(maxsize=1)
def themes() -> tuple[Theme, ...]:
    """The scheme's themes in file order, with their compiled cues."""
    fields: dict[str, dict] = {}
    for triple in parse(path=str(THEMES_FILE), format=RdfFormat.TURTLE):
        subject = triple.subject.value
        if not subject.startswith(_THEME):
            continue
        entry = fields.setdefault(subject[len(_THEME):], {"cues": [], "excepts": []})
        if triple.predicate.value in (_CUE, _EXCEPT):
            entry["cues" if triple.predicate.value == _CUE else "excepts"].append(re.compile(triple.object.value, re.IGNORECASE))
        elif triple.predicate.value == _LABEL:
            entry["label"] = triple.object.value
        elif triple.predicate.value == _DEFINITION:
            entry["definition"] = triple.object.value
    return tuple(Theme(key, f["label"], f["definition"], tuple(f["cues"]), tuple(f["excepts"])) for key, f in fields.items())


def tag(text: str) -> list[str]:
    """The keys of the themes ``text`` raises, in the scheme's order."""
    return [theme.key for theme in themes() if theme.raised_by(text)]
