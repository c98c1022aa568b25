"""Search at a million paragraphs: compressed FAISS index (HNSW-SQ8), BM25 and passage metadata.

    .venv/bin/python -m benchmarks.search_1m [--n 1000000] [--dir /tmp/r2p-1m]

Build step (this process): N synthetic passages of Zipf-distributed pseudo-words and one clustered
384-d unit vector each (clusters of clusters, like sentence embeddings; embedding 1M paragraphs
for real would take days here), written with ``search.indexer.write_index`` exactly as ``r2p
index`` writes a real index (HNSW-SQ8 from ``SQ8_FROM`` vectors), plus exact top-10 neighbours of
held-out queries. Search step (a fresh child process, so its memory is the search process's
own): ``Searcher.open`` as the server does, then FAISS recall@10 against the exact answers,
FAISS-only latency, and end-to-end ``Searcher.search`` p50/p95 (query encode + FAISS + BM25 +
fusion) over the evaluation questions; resident and peak memory. Figures only, no asserts.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import faiss  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks.search_latency import percentiles, timed  # noqa: E402
from benchmarks.search_quality import QUESTIONS  # noqa: E402
from kg.settings import Settings  # noqa: E402
from search.encoder import load_encoder  # noqa: E402
from search.evaluate import load_questions  # noqa: E402
from search.indexer import write_index  # noqa: E402
from search.passages import Passage  # noqa: E402
from search.searcher import Searcher  # noqa: E402

DIM = 384
QUERIES = 200


def clustered(n: int, rng: np.random.Generator, centres: np.ndarray, subs: np.ndarray) -> np.ndarray:
    """Unit vectors around sub-centres around centres, normalised (inner product = cosine)."""
    sub = rng.integers(0, len(subs), n)
    v = subs[sub] + rng.normal(0, 0.5, (n, DIM)).astype(np.float32)
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def synthetic_texts(n: int, rng: np.random.Generator) -> list[str]:
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    vocab = ["".join(rng.choice(letters, rng.integers(3, 10))) for _ in range(30_000)]
    words = np.minimum(rng.zipf(1.2, n * 30), len(vocab)) - 1
    lengths = rng.integers(15, 45, n)
    ends = np.cumsum(lengths)
    return [" ".join(vocab[w] for w in words[e - k:e]) for e, k in zip(ends, lengths)]


def build(n: int, out: Path) -> None:
    rng = np.random.default_rng(7)
    t = time.perf_counter()
    centres = rng.normal(0, 1, (1_000, DIM)).astype(np.float32)
    subs = centres[rng.integers(0, len(centres), 20_000)] + rng.normal(0, 0.6, (20_000, DIM)).astype(np.float32)
    vectors = clustered(n, rng, centres, subs)
    queries = clustered(QUERIES, rng, centres, subs)
    texts = synthetic_texts(n, rng)
    passages = [Passage(uri=f"https://example.org/synthetic/{i}", text=text, document="https://example.org/synthetic",
                        doc_id="synthetic", symbol="A/00/0", title="Synthetic report", doc_type="report",
                        year=2000 + i % 25, date=f"{2000 + i % 25}-01-01", number=str(i % 200 + 1), kind="Paragraph",
                        citation=f"A/00/0, para. {i}", countries=["KEN"] if i % 7 == 0 else [])
                for i, text in enumerate(texts)]
    print(f"synthetic: {n} passages, {len(vectors)} vectors, made in {time.perf_counter() - t:.0f} s", flush=True)
    exact = faiss.IndexFlatIP(DIM)
    exact.add(vectors)
    _, truth = exact.search(queries, 10)
    del exact
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "queries.npy", queries)
    np.save(out / "truth.npy", truth)
    info = load_encoder(Settings().embedding_model).info
    t = time.perf_counter()
    write_index(out / "index", passages, list(range(n)), [f"{i:064x}" for i in range(n)], texts, vectors, info,
                "synthetic")
    print(f"index written (HNSW-SQ8 build, BM25, metadata) in {time.perf_counter() - t:.0f} s; "
          f"dense.faiss {(out / 'index' / 'dense.faiss').stat().st_size / 2**20:.0f} MiB", flush=True)


def rss_mib() -> tuple[float, float]:
    """(resident now, peak resident) of this process, MiB."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def serve(out: Path) -> None:
    t = time.perf_counter()
    searcher = Searcher.open(out / "index", Settings().embedding_model, k_max=100)
    print(f"Searcher.open: {time.perf_counter() - t:.0f} s ({searcher.dense.ntotal} vectors, "
          f"{type(searcher.dense).__name__})", flush=True)
    queries, truth = np.load(out / "queries.npy"), np.load(out / "truth.npy")
    found = [searcher.dense.search(q[None], 10)[1][0] for q in queries]
    recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)])
    print(f"FAISS recall@10 against exact search: {recall:.3f} ({len(queries)} queries)")
    print("FAISS search alone:", percentiles([timed(searcher.dense.search, q[None], 10) for q in queries]))
    questions = [q.question for q in load_questions(QUESTIONS)]
    searcher.search(questions[0])
    samples = [timed(searcher.search, q, 10) for _ in range(2) for q in questions]
    print("search end to end (encode + FAISS + BM25 + fusion + metadata):", percentiles(samples))
    now, peak = rss_mib()
    print(f"search process resident: {now / 1024:.2f} GiB now, {peak / 1024:.2f} GiB peak")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/r2p-1m"))
    parser.add_argument("--serve", action="store_true", help="search step only (the child process)")
    args = parser.parse_args()
    if args.serve:
        serve(args.dir)
        return
    t = time.perf_counter()
    build(args.n, args.dir)
    print(f"build total {time.perf_counter() - t:.0f} s; build process peak resident "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB", flush=True)
    subprocess.run([sys.executable, "-m", "benchmarks.search_1m", "--serve", "--dir", str(args.dir)], check=True)


if __name__ == "__main__":
    main()
