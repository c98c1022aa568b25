"""Where one /search request's CPU goes, in process, beside the query encode measured in the same run.

    .venv/bin/python -m benchmarks.search_cpu --data DIR [--n 300] [--rounds 7]

At two cores, 400 searches/s leave 5 ms of CPU per request for everything; the query encode is most
of it. This prints the CPU milliseconds (``time.process_time``) of each step of a search over
never-repeated questions (the n-th evaluation question followed by n, as ``bench_load`` asks them):
the encode alone, the rest of ``Searcher.answer`` step by step, the answer's JSON, and the whole
request through the ASGI app (middleware, parameter validation, routing, the hop to the search
thread) without the network. What uvicorn's HTTP parsing and the sockets add is the difference
between this and ``bench_load``'s server CPU per request.

Each figure is the median of ``--rounds`` rounds, the steps interleaved round by round, so that
others' jobs on a shared machine bias them all alike; the ratios to the encode hold better than the
milliseconds there. Figures only: nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import urllib.parse
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import orjson  # noqa: E402

from benchmarks.bench_load import QUESTIONS  # noqa: E402
from kg.service.app import create_app  # noqa: E402
from kg.settings import Settings  # noqa: E402


def asgi_get(app, path: str, query: str) -> list[dict]:
    """The messages ``app`` sends for one GET, as uvicorn would call it (``asyncio.run`` per batch is the caller's)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"127.0.0.1"), (b"user-agent", b"bench")],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    async def call():
        await app(scope, receive, send)
        return sent

    return call()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="Data folder with store/ and index/.")
    parser.add_argument("--n", type=int, default=300, help="Questions per round.")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    settings = Settings(data_dir=args.data)
    app = create_app(settings)
    searcher = app.state.index.get()
    encoder, k = searcher.encoder, args.k
    print(f"{len(searcher.passages)} passages, {searcher.dense.ntotal} vectors ({type(searcher.dense).__name__}); "
          f"{os.cpu_count()} cores; k={k}")

    # Inputs computed once, so each step below is timed on its own.
    questions = [f"{QUESTIONS[i % len(QUESTIONS)]} {i}" for i in range(args.n * args.rounds)]
    vectors = {q: encoder.encode_query(q) for q in questions}
    depth = max(50, 5 * k)
    dense = {q: searcher._dense(vectors[q], depth, None) for q in questions}
    lexical = {q: searcher._top(searcher._bm25_scores(q), depth, None) for q in questions}
    candidates = {q: sorted(set(dense[q]) | set(lexical[q])) for q in questions}
    answers = {q: searcher.answer(q, k) for q in questions}
    dicts = {q: a.to_dict() for q, a in answers.items()}
    hit_ids = {q: [searcher._pid[h.passage.uri] for h in a.hits] for q, a in answers.items()}

    loop = asyncio.new_event_loop()
    request = lambda q: loop.run_until_complete(asgi_get(app, "/search", urllib.parse.urlencode({"q": q, "k": k})))  # noqa: E731
    assert request(questions[0])[0]["status"] == 200
    steps = {
        "query encode (tokenizer + ONNX)": lambda q: encoder.encode_query(q),
        "  of which the tokenizer": lambda q: encoder.tokenizer.encode(encoder.spec.query_prefix + q),
        "dense: FAISS + best sentence per passage": lambda q: searcher._dense(vectors[q], depth, None),
        "BM25: tokenize + score + top": lambda q: searcher._top(searcher._bm25_scores(q), depth, None),
        "highlights of the k hits": lambda q: [searcher._highlight(pid, vectors[q]) for pid in hit_ids[q]],
        "facet counts over the candidates": lambda q: searcher.facets.counts(candidates[q]),
        "Searcher.answer (all of the above)": lambda q: searcher.answer(q, k),
        "answer -> dict -> orjson": lambda q: orjson.dumps(answers[q].to_dict()),
        "  of which orjson": lambda q: orjson.dumps(dicts[q]),
        "ASGI app /search (no network)": request,
    }
    timings: dict[str, list[float]] = {name: [] for name in steps}
    for r in range(args.rounds):
        batch = questions[r * args.n:(r + 1) * args.n]
        for name, step in steps.items():
            started = time.process_time()
            for q in batch:
                step(q)
            timings[name].append((time.process_time() - started) * 1000 / len(batch))
    ms = {name: statistics.median(t) for name, t in timings.items()}
    encode, whole = ms["query encode (tokenizer + ONNX)"], ms["ASGI app /search (no network)"]
    print(f"\n{'step':<44} {'CPU ms':>7} {'× encode':>9}")
    for name, value in ms.items():
        print(f"{name:<44} {value:>7.3f} {value / encode:>9.2f}")
    print(f"\nbesides the encode: search {ms['Searcher.answer (all of the above)'] - encode:.3f} ms, "
          f"JSON {ms['answer -> dict -> orjson']:.3f} ms, the app {whole - ms['Searcher.answer (all of the above)'] - ms['answer -> dict -> orjson']:.3f} ms; "
          f"the encode is {encode / whole:.0%} of a request in process")
    cores = os.cpu_count() or 1
    print(f"at {whole:.2f} ms a request, {cores} cores allow {cores * 1000 / whole:.0f} searches/s before HTTP "
          f"({whole / encode:.2f} × the encode; the encoder alone allows {cores * 1000 / encode:.0f}/s)")


if __name__ == "__main__":
    main()
