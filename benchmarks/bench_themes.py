"""Theme tagging against the labelled paragraphs: precision and recall per theme, and their macro means.

    python -m benchmarks.bench_themes [--split test|tune|all] [--errors]

The labelled set (tests/eval/themes.jsonl) is split by statement into a tuning half, used to refine
the cues in ontology/themes.ttl, and a test half, reported here by default. Targets (issue 12):
macro precision >= 0.85, macro recall >= 0.80.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from ingest.themes import tag, themes

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "eval" / "themes.jsonl"


def load(split: str) -> list[dict]:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split == "all" or r["split"] == split]


def scores(rows: list[dict]) -> dict[str, dict[str, float]]:
    """Per theme: tp, fp, fn, precision, recall (a theme with no prediction and no label scores 1)."""
    out = {}
    predicted = [set(tag(r["text"])) for r in rows]
    for theme in themes():
        tp = sum(theme.key in p and theme.key in r["themes"] for p, r in zip(predicted, rows))
        fp = sum(theme.key in p and theme.key not in r["themes"] for p, r in zip(predicted, rows))
        fn = sum(theme.key not in p and theme.key in r["themes"] for p, r in zip(predicted, rows))
        out[theme.key] = {"tp": tp, "fp": fp, "fn": fn, "precision": tp / (tp + fp) if tp + fp else 1.0,
                          "recall": tp / (tp + fn) if tp + fn else 1.0}
    return out


def macro(per_theme: dict[str, dict[str, float]]) -> tuple[float, float]:
    n = len(per_theme)
    return (sum(s["precision"] for s in per_theme.values()) / n, sum(s["recall"] for s in per_theme.values()) / n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "tune", "all"))
    parser.add_argument("--errors", action="store_true", help="print the paragraphs tagged wrongly")
    args = parser.parse_args()
    rows = load(args.split)
    per_theme = scores(rows)
    print(f"{args.split} half: {len(rows)} paragraphs, {len({r['speaker'] for r in rows})} speakers")
    print(f"{'theme':34} {'labelled':>8} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>7}")
    for key, s in per_theme.items():
        print(f"{key:34} {s['tp'] + s['fn']:8d} {s['tp']:4d} {s['fp']:4d} {s['fn']:4d} {s['precision']:10.2f} {s['recall']:7.2f}")
    precision, recall = macro(per_theme)
    print(f"{'macro':34} {'':8} {'':4} {'':4} {'':4} {precision:10.2f} {recall:7.2f}   (targets 0.85 / 0.80)")
    if args.errors:
        for r in rows:
            got, want = set(tag(r["text"])), set(r["themes"])
            if got != want:
                print(f"\n{r['id']} +{sorted(got - want)} -{sorted(want - got)}\n  {r['text'][:400]}")


if __name__ == "__main__":
    main()
