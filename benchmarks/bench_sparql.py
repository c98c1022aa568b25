"""SPARQL latency of every query in ``kg/queries/``: Oxigraph vs a plain in-memory rdflib Dataset, same run.

For each data folder (default: the bundled corpus, ingested into a temporary folder, plus
``--data`` folders such as ``bench_ingest``'s ``/tmp/r2p-bench/data-100000``) every ``.rq`` file is
run ``--runs`` times on the embedded Oxigraph store (after one warm-up) and on an rdflib Dataset
loaded from the same quads with the union default graph (rdflib runs stop after ``--rdflib-budget``
seconds per query). Prints median and p95 in milliseconds and the rdflib/Oxigraph ratio of medians,
and first what the triples are spent on: triples per printed (numbered) paragraph, by predicate, and
how dense the text is in what costs most (cited examples and country mentions per paragraph and per
sentence), so synthetic text can be compared with real documents.

    python -m benchmarks.bench_sparql --data /tmp/r2p-bench/data-100000
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pyoxigraph import QueryBoolean

from ingest.namespaces import ONTOLOGY_GRAPH, PREFIXES
from ingest.text import sentences
from kg.catalogue_graph import CATALOGUE_GRAPH
from kg.queries import QUERY_DIR as QUERIES
from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
R2P = Path(sys.executable).parent / "r2p"


def timings(run, runs: int, budget_s: float = float("inf")) -> list[float]:
    """Milliseconds of ``runs`` calls of ``run`` (after one warm-up), stopping early past ``budget_s``."""
    run()
    out, started = [], time.perf_counter()
    for _ in range(runs):
        t = time.perf_counter()
        run()
        out.append((time.perf_counter() - t) * 1000)
        if time.perf_counter() - started > budget_s:
            break
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def rdflib_dataset(store: OxigraphStore):
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(data=store.dump_nquads(), format="nquads")
    return ds


BREAKDOWN = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)"
PRINTED = "SELECT (COUNT(*) AS ?n) WHERE { ?p a r2p:Paragraph ; r2p:number ?number }"


FIXED = "GRAPH ?g { ?s ?p ?o } FILTER(?g IN (<%s>, <%s>))" % (ONTOLOGY_GRAPH.value, CATALOGUE_GRAPH.value)
TEXTS = "SELECT ?t WHERE { ?p r2p:text ?t }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { %s }"


def _count(store: OxigraphStore, pattern: str) -> int:
    return int(store.select(COUNT % pattern)[0]["n"])


def density(store: OxigraphStore, printed: int, total: int) -> None:
    """What the text holds per paragraph and per sentence: examples and country mentions drive the size."""
    texts = [r["t"] for r in store.select(TEXTS)]
    parts, sents = len(texts) or 1, sum(len(sentences(t)) for t in texts) or 1
    examples = _count(store, "?e a r2p:CitedExample")
    mentions = _count(store, "?p r2p:mentionsCountry ?c")
    named = _count(store, "SELECT DISTINCT ?p ?c WHERE { { ?p r2p:mentionsCountry ?c } UNION "
                          "{ ?e prov:wasDerivedFrom ?p ; r2p:country ?c } }")
    content = total - _count(store, FIXED)
    print(f"  {parts} parts with text ({printed} numbered paragraphs), {sents} sentences; "
          f"{content} triples outside the ontology and catalogue: {content / parts:.1f} per part with text")
    print(f"  cited examples: {examples / parts:.2f} per part, {100 * examples / sents:.0f} per 100 sentences; "
          f"countries named (paragraph, country): {named / parts:.2f} per part, {100 * named / sents:.0f} per 100 "
          f"sentences; r2p:mentionsCountry triples {mentions / parts:.2f} per part")


def breakdown(store: OxigraphStore, top: int = 25) -> None:
    """Triples per printed paragraph, by predicate: where a lean graph has to save."""
    printed = int(store.select(PRINTED)[0]["n"]) or 1
    rows = store.select(BREAKDOWN)
    total = sum(int(r["n"]) for r in rows)
    print(f"{total} triples, {printed} printed paragraphs: {total / printed:.1f} triples per printed paragraph")
    density(store, printed, total)
    for r in rows[:top]:
        print(f"  {r['p']:<64} {int(r['n']):>9} {int(r['n']) / printed:>7.2f}")


def bench(label: str, store: OxigraphStore, runs: int, rdflib_budget: float, max_rdflib_quads: int,
          only_breakdown: bool = False) -> None:
    queries = [] if only_breakdown else sorted(QUERIES.glob("*.rq"))
    quads = len(store)
    print(f"\n== {label}: {quads} quads, {len(queries)} queries in {QUERIES.relative_to(ROOT)}")
    breakdown(store)
    if not queries:
        print("(no queries yet)")
        return
    ds = None
    if quads <= max_rdflib_quads:
        t = time.perf_counter()
        ds = rdflib_dataset(store)
        print(f"rdflib load: {time.perf_counter() - t:.1f} s")
    else:
        print(f"rdflib skipped: more than {max_rdflib_quads} quads (--max-rdflib-quads)")
    print(f"{'query':<42} {'rows':>6} {'oxi p50':>9} {'oxi p95':>9} {'rdf p50':>9} {'rdf p95':>9} {'ratio':>7}")
    for path in queries:
        text = path.read_text()
        answer = store.query(text)
        rows = str(bool(answer)) if isinstance(answer, QueryBoolean) else len(list(answer))
        oxi = timings(lambda: list(store.query(text)), runs)
        line = f"{path.stem:<42} {rows:>6} {statistics.median(oxi):>9.2f} {p95(oxi):>9.2f}"
        if ds is not None:
            rdf = timings(lambda: list(ds.query(text, initNs=PREFIXES)), runs, rdflib_budget)
            line += f" {statistics.median(rdf):>9.2f} {p95(rdf):>9.2f} {statistics.median(rdf) / statistics.median(oxi):>6.0f}x"
        print(line, flush=True)


def ingest_corpus(data: Path) -> None:
    """The bundled corpus into ``data`` (a file that fails to parse is reported by the CLI and left out)."""
    subprocess.run([str(R2P), "--data", str(data), "--corpus", str(ROOT / "corpus"), "ingest", "--no-index"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="*", default=[], help="Extra data folders (with store/) to query.")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rdflib-budget", type=float, default=20.0, help="Seconds of rdflib runs per query.")
    parser.add_argument("--max-rdflib-quads", type=int, default=3_000_000)
    parser.add_argument("--breakdown-only", action="store_true", help="Print the triples by predicate, run no query.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ingest_corpus(Path(tmp))
        bench("bundled corpus", OxigraphStore(Path(tmp) / "store", read_only=True), args.runs, args.rdflib_budget,
              args.max_rdflib_quads, args.breakdown_only)
    for data in args.data:
        bench(str(data), OxigraphStore(data / "store", read_only=True), args.runs, args.rdflib_budget, args.max_rdflib_quads,
              args.breakdown_only)


if __name__ == "__main__":
    main()
