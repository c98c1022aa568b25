"""Search latency and index build throughput, each beside the raw cost of the model in the same run.

    .venv/bin/python -m benchmarks.search_latency [--data DIR] [--model NAME] [--synthetic 100000]

Prints: model load; raw encode of one short query (p50/p95) and raw batch throughput on the
corpus's own dense units; index build from an empty cache (passages/s, units/s, and the share of
the raw throughput); end-to-end ``Searcher.search`` p50/p95 over the evaluation questions on the
corpus; the same on a synthetic corpus of N passages (sentences of the corpus recombined, vectors
of their sentences plus noise: embedding 100k paragraphs for real would take hours here), with
FAISS flat and HNSW. Figures only: nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import bm25s  # noqa: E402
import numpy as np  # noqa: E402

import search.indexer as indexer  # noqa: E402
from benchmarks.search_quality import QUESTIONS, corpus_store  # noqa: E402
from kg.composition import Components  # noqa: E402
from kg.passages import fetch_passages  # noqa: E402
from kg.settings import Settings  # noqa: E402
from search.encoder import load_encoder  # noqa: E402
from search.evaluate import load_questions  # noqa: E402
from search.indexer import bm25_text, build_index, dense_index, tokenize, units_of  # noqa: E402
from search.passages import Passage  # noqa: E402
from search.searcher import Searcher  # noqa: E402


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return f"p50 {statistics.median(ms):6.1f} ms  p95 {ms[int(0.95 * (len(ms) - 1))]:6.1f} ms  (n={len(ms)})"


def timed(fn, *args, **kw) -> float:
    t = time.perf_counter()
    fn(*args, **kw)
    return time.perf_counter() - t


def query_latency(searcher: Searcher, questions: list[str], rounds: int = 3) -> list[float]:
    searcher.search(questions[0])  # warm-up
    return [timed(searcher.search, q, 10) for _ in range(rounds) for q in questions]


def synthetic(passages: list[Passage], vectors: np.ndarray, unit_passage: np.ndarray, n: int, seed: int = 7):
    """N passages of 2-5 corpus sentences each; unit vectors = source sentence vectors + noise."""
    rng = np.random.default_rng(seed)
    pick = random.Random(seed)
    sentence_units = list(range(len(unit_passage)))
    out_passages, out_passage_of, out_text, out_vectors = [], [], [], []
    texts_by_unit = [s for p in passages for _, s in units_of(p)]
    for i in range(n):
        chosen = [u for u in pick.sample(sentence_units, pick.randint(2, 5)) if texts_by_unit[u]]
        if not chosen:
            chosen = [0]
        text = " ".join(texts_by_unit[u] for u in chosen)
        out_passages.append(Passage(uri=f"https://example.org/synthetic/{i}", text=text,
                                    document="https://example.org/synthetic", doc_id="synthetic",
                                    citation=f"synthetic, para. {i}", number=str(i)))
        for u in chosen + [chosen[0]]:  # each sentence and a whole-passage unit
            out_passage_of.append(i)
            out_text.append(texts_by_unit[u])
        block = vectors[chosen + [chosen[0]]] + rng.normal(0, 0.03, (len(chosen) + 1, vectors.shape[1]))
        out_vectors.append(block)
    v = np.concatenate(out_vectors).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return out_passages, np.array(out_passage_of, dtype=np.int64), out_text, v


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path)
    parser.add_argument("--model", default=Settings().embedding_model)
    parser.add_argument("--synthetic", type=int, default=100_000)
    args = parser.parse_args()
    questions = [q.question for q in load_questions(QUESTIONS)]
    print(f"model {args.model}; {os.cpu_count()} CPUs")

    t = time.perf_counter()
    encoder = load_encoder(args.model)
    print(f"model load: {time.perf_counter() - t:.2f} s ({encoder.info['backend']}, dim {encoder.info['dim']})")
    encoder.encode_query("warm-up")
    print("raw query encode (one short question):", percentiles([timed(encoder.encode_query, q) for q in questions]))

    with tempfile.TemporaryDirectory() as tmp:
        passages = fetch_passages(corpus_store(args.data, Path(tmp) / "corpus"))
        texts = [e for p in passages for e, _ in units_of(p)]
        sample = random.Random(1).sample(texts, min(512, len(texts)))
        encoder.encode(sample[:64])  # warm-up
        raw = len(sample) / timed(encoder.encode, sample)
        print(f"raw batch encode: {raw:.1f} units/s on {len(sample)} of the corpus's units")

        settings = Settings(data_dir=Path(tmp) / "index-data", embedding_model=args.model)
        report = build_index(passages, settings.index_dir, args.model)
        units_per_s = report.embedded / report.seconds
        print(f"index build (empty cache): {len(passages)} passages, {report.units} units "
              f"({report.embedded} distinct texts) in {report.seconds:.1f} s = {len(passages) / report.seconds:.1f} "
              f"passages/s, {units_per_s:.1f} texts/s = {units_per_s / raw:.0%} of raw batch throughput")
        rebuild = build_index(passages, settings.index_dir, args.model)
        print(f"index rebuild, nothing changed: {rebuild.seconds:.2f} s ({rebuild})")

        searcher = Components(settings).open_searcher()
        print(f"search end to end, corpus ({len(passages)} passages, {searcher.dense.ntotal} vectors):",
              percentiles(query_latency(searcher, questions)))

        if args.synthetic:
            t = time.perf_counter()
            syn_p, syn_of, syn_text, syn_v = synthetic(passages, searcher.vectors, searcher.unit_passage,
                                                       args.synthetic)
            bm25 = bm25s.BM25()
            bm25.index([tokenize(bm25_text(p)) or [""] for p in syn_p], show_progress=False)
            print(f"synthetic corpus: {len(syn_p)} passages, {len(syn_v)} vectors, made in "
                  f"{time.perf_counter() - t:.1f} s")
            for label, hnsw_from in (("flat", len(syn_v) + 1), ("HNSW", 0)):
                indexer.HNSW_FROM = hnsw_from
                t = time.perf_counter()
                dense = dense_index(syn_v)
                built = time.perf_counter() - t
                big = Searcher(Path(tmp), searcher.build, syn_p, syn_of, syn_text, syn_v, bm25, encoder,
                               settings.search_k_max, dense)
                print(f"search end to end, synthetic {len(syn_p)} passages, FAISS {label} "
                      f"(index ready in {built:.1f} s):", percentiles(query_latency(big, questions, rounds=2)))


if __name__ == "__main__":
    main()
