"""Precision and recall of cited-example extraction against the hand-labelled set.

    .venv/bin/python benchmarks/eval_examples.py [--gold tests/eval/examples_gold.jsonl] [--data DIR]

Ingests the bundled corpus into a fresh store (or reads the store in ``--data``) and compares each
extracted example's (country, part, kind, year) with the gold set in ``tests/eval/examples_gold.jsonl``.
The part is the paragraph or footnote path ("A-67-929/para/46", "A-67-929/footnote/5"); a study-guide
note is identified by the part it annotates ("note on A-67-929/para/28"), not by its own number.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.namespaces import BASE  # noqa: E402

GOLD = ROOT / "tests" / "eval" / "examples_gold.jsonl"
DOC = BASE + "doc/"

Key = tuple[str, str, str, int | None]  # iso, where, kind, year


def load_gold(path: Path = GOLD) -> list[Key]:
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


def _ingested_store(data: Path | None):
    from ingest.entities import Linker
    from ingest.examples import ExampleExtractor
    from kg.ingestion import ingest
    from kg.settings import Settings
    from kg.store import OxigraphStore

    if data is not None:
        return OxigraphStore(Settings(data_dir=data).store_dir, read_only=True)
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="r2p-eval-")), corpus_dir=ROOT / "corpus")
    store = OxigraphStore(settings.store_dir)
    report = ingest(None, settings, store, linker=Linker.default(), example_extractor=ExampleExtractor.default())
    for error in report.errors:
        print(f"ingest error: {error}", file=sys.stderr)
    return store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precision and recall of cited-example extraction.")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--data", type=Path, default=None, help="read an already ingested data directory")
    args = parser.parse_args(argv)
    result = score(load_gold(args.gold), extracted(_ingested_store(args.data)))
    print(f"gold examples: {result.gold}, extracted: {result.found}")
    print(f"precision: {result.precision:.3f}")
    print(f"recall:    {result.recall:.3f}")
    for key in result.missed:
        print(f"missed: {key}")
    for key in result.wrong:
        print(f"wrong:  {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
