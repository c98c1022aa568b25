"""What the SPARQL lexer (the SERVICE/update guard) costs a small ``/sparql`` request.

Times ``kg.sparql_lexer.scan`` on a small query and on every query in ``kg/queries/``, and the whole
in-process evaluation of the small query (guard, Oxigraph, JSON writer) on a store of 10,000 quads.
With ``--url`` (a running ``r2p serve``), it also times the same query over HTTP, one request at
a time, and prints the guard's share of a request: what a small ``/sparql`` loses of its throughput.

    python -m benchmarks.bench_sparql_guard [--url http://127.0.0.1:8000]
"""
from __future__ import annotations

import argparse
import statistics
import timeit
from pathlib import Path

import httpx
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.sparql import QueryRequest, execute
from kg.sparql_lexer import scan

QUERIES = Path(__file__).resolve().parent.parent / "kg" / "queries"
PARA = "https://w3id.org/r2p-kg/doc/S-RES-827-1993/para/"
SMALL = f"SELECT ?text WHERE {{ <{PARA}1> r2p:text ?text }}"


def per_call_us(fn, runs: int) -> float:
    """Median of five timings of ``runs`` calls, in microseconds per call."""
    return statistics.median(timeit.repeat(fn, number=runs, repeat=5)) / runs * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running r2p server, to time the small query over HTTP")
    args = parser.parse_args()
    store = Store()
    text = NamedNode("https://w3id.org/r2p-kg/ontology#text")
    store.extend(Quad(NamedNode(f"{PARA}{i}"), text, Literal(f"paragraph {i}"), NamedNode("https://w3id.org/r2p-kg/graph/g"))
                 for i in range(10_000))
    request = QueryRequest(SMALL, limit=1000)
    scan_small = per_call_us(lambda: scan(SMALL), 20_000)
    evaluate_small = per_call_us(lambda: execute(store, request), 2_000)
    print(f"small query: scan {scan_small:.1f} us; whole evaluation {evaluate_small:.1f} us; "
          f"guard share of the in-process evaluation {scan_small / evaluate_small:.1%}")
    if args.url:
        with httpx.Client(base_url=args.url) as client:
            request_us = per_call_us(lambda: client.get("/sparql", params={"query": SMALL}).raise_for_status(), 200)
        print(f"small /sparql over HTTP: {request_us:.0f} us per request; guard share {scan_small / request_us:.2%}")
    for path in sorted(QUERIES.glob("*.rq")):
        query = path.read_text()
        print(f"{path.name:45} {len(query):5} chars  scan {per_call_us(lambda: scan(query), 2_000):7.1f} us")


if __name__ == "__main__":
    main()
