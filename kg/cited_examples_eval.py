"""Precision and recall of cited-example extraction against a hand-labelled gold set, shared by tests and benchmarks.

The gold set is JSON lines ``{"iso", "part" | "note_on", "kind", "year"}``; the project's set is
``tests/eval/examples_gold.jsonl``, and the caller names the file (the package never reads the tests).
Each extracted example is compared by (country, part, kind, year). The part is the paragraph or
footnote path ("A-67-929/para/46", "A-67-929/footnote/5"); a study-guide note is identified by the
part it annotates ("note on A-67-929/para/28"), not by its own number.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ingest.namespaces import BASE

DOC = BASE + "doc/"

Key = tuple[str, str, str, int | None]  # iso, where, kind, year


def load_gold(path: Path) -> list[Key]:
    keys = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            e = json.loads(line)
            where = f"note on {e['note_on']}" if "note_on" in e else e["part"]
            keys.append((e["iso"], where, e["kind"], e["year"]))
        except (json.JSONDecodeError, KeyError) as exc:
            raise ValueError(f"{path}:{lineno}: bad gold example ({exc})") from exc
    return keys


def extracted(store) -> list[Key]:
    """The key of every cited example in the graph."""
    rows = store.select("""
        SELECT ?iso ?part ?target ?kind ?year WHERE {
            ?ex a r2p:CitedExample ; r2p:country/skos:notation ?iso ; r2p:exampleKind/skos:notation ?kind ;
                prov:wasDerivedFrom ?part .
            OPTIONAL { ?ex r2p:year ?year } OPTIONAL { ?part oa:hasTarget ?target } }""")
    out = []
    for r in rows:
        where = f"note on {r['target'].removeprefix(DOC)}" if "target" in r else r["part"].removeprefix(DOC)
        out.append((r["iso"], where, r["kind"], int(r["year"]) if "year" in r else None))
    return out


@dataclass
class Score:
    precision: float
    recall: float
    missed: list[Key]
    wrong: list[Key]
    gold: int
    found: int


def score(gold: list[Key], found: list[Key]) -> Score:
    g, f = set(gold), set(found)
    hits = len(g & f)
    return Score(hits / len(f) if f else 0.0, hits / len(g) if g else 0.0,
                 sorted(g - f, key=str), sorted(f - g, key=str), len(g), len(f))
