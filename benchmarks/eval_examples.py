"""Precision and recall of cited-example extraction against the hand-labelled set.

    .venv/bin/python -m benchmarks.eval_examples [--gold tests/eval/examples_gold.jsonl] [--data DIR]

Ingests the bundled corpus into a fresh store (or reads the store in ``--data``) and scores it with
``kg.cited_examples_eval`` against the gold set in ``tests/eval/examples_gold.jsonl``.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from kg.cited_examples_eval import extracted, load_gold, score
from kg.composition import Components
from kg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "eval" / "examples_gold.jsonl"


def _ingested_store(data: Path | None):
    if data is not None:
        return Components(Settings(data_dir=data)).store(read_only=True)
    components = Components(Settings(data_dir=Path(tempfile.mkdtemp(prefix="r2p-eval-")), corpus_dir=ROOT / "corpus"))
    report = components.ingest()
    for error in report.errors:
        print(f"ingest error: {error}", file=sys.stderr)
    return components.store()


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
