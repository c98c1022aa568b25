"""Recall@5 and MRR@10 of BM25 alone, dense alone and hybrid, for each candidate model, on the test half.

    .venv/bin/python -m benchmarks.search_quality [--data DIR] [--models a,b] [--split test|tune|all] [--misses]
        [--questions FILE]

Ingests the bundled corpus into a scratch store unless ``--data`` names an ingested data dir; then that
dir's index seeds the scratch index, so its cached vectors are not embedded again. Weights are tuned on
``--split tune``; the figures reported are those of the test half (the default).
``benchmarks/fresh_questions.jsonl`` holds 60 questions a helper session wrote on 2026-12-04 to find what
fails; they were looked at while fixing it, so they are a diagnostic (``--split all``), never a result.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from kg.composition import Components  # noqa: E402
from kg.passages import fetch_passages  # noqa: E402
from kg.settings import Settings  # noqa: E402
from search.encoder import KNOWN_MODELS  # noqa: E402
from search.evaluate import answers, in_split, load_questions, score  # noqa: E402
from search.indexer import build_index  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "eval" / "questions.jsonl"


def corpus_store(data: Path | None, scratch: Path):
    """The store in ``data``, or the bundled corpus ingested into ``scratch`` as `r2p ingest` does."""
    if data is not None:
        return Components(Settings(data_dir=data)).store(read_only=True)
    components = Components(Settings(data_dir=scratch, corpus_dir=ROOT / "corpus"))
    components.ingest()
    return components.store()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path)
    parser.add_argument("--models", default=",".join(KNOWN_MODELS))
    parser.add_argument("--split", default="test", choices=("test", "tune", "all"),
                        help="which half of the questions to score (tune weights on tune only)")
    parser.add_argument("--misses", action="store_true", help="list the questions missed at 5")
    parser.add_argument("--questions", type=Path, default=QUESTIONS,
                        help="another question file, e.g. benchmarks/fresh_questions.jsonl (with --split all)")
    args = parser.parse_args()
    questions = in_split(load_questions(args.questions), args.split)
    with tempfile.TemporaryDirectory() as tmp:
        passages = fetch_passages(corpus_store(args.data, Path(tmp) / "corpus"))
        uris = [p.uri for p in passages]
        absent = [q.id for q in questions if not any(answers(u, q.answers) for u in uris)]
        if absent:  # e.g. debate questions scored on a store without the debates: say so, do not count them
            questions = [q for q in questions if q.id not in set(absent)]
            print(f"left out {len(absent)} questions whose answers are not in this store: {' '.join(absent)}")
        print(f"{len(questions)} questions ({args.split} half), {len(passages)} passages")
        print(f"{'model':24} {'retriever':8} {'recall@5':>9} {'MRR@10':>7}")
        for model in args.models.split(","):
            settings = Settings(data_dir=Path(tmp) / model, embedding_model=model)
            if args.data is not None and (args.data / "index").is_dir():
                shutil.copytree(args.data / "index", settings.index_dir)  # vectors of another model are not reused
            t = time.perf_counter()
            build_index(passages, settings.index_dir, model)
            built = time.perf_counter() - t
            searcher = Components(settings).open_searcher()
            for mode in ("bm25", "dense", "hybrid"):
                s = score(searcher, questions, mode=mode)
                print(f"{model:24} {mode:8} {s.recall_at_5:9.3f} {s.mrr_at_10:7.3f}"
                      + (f"  missed: {' '.join(s.misses)}" if args.misses else ""))
            print(f"{model:24} (index built in {built:.1f} s)")


if __name__ == "__main__":
    main()
