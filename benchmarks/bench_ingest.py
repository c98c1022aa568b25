"""Ingestion throughput: paragraphs/s and pages/s (text and PDF), peak memory, store size on disk.

Each figure is printed beside its target as a ratio (issue 14): printed paragraphs/s against 1,000
on text; on PDFs, pages/s of the whole ingestion (store writes included) against a single process
running pypdf's ``extract_text`` over the same files, measured in the same run (target 1.5x).

Each size is ingested by the real command (``r2p ingest --no-index``: parsing and graph writing,
embedding excluded) in a child process, so the peak resident memory is that run's own (the
kernel's high-water mark for the child and the parser processes it forks). Text has no pages; its
pages/s counts 3,500 characters as one page (a UN page of text), the PDF route counts real pages.

    python -m benchmarks.bench_ingest --sizes 1000 10000 100000 --work /tmp/r2p-bench --pdf-reports 10

The data folders are kept under ``--work`` (``data-<N>``) so ``bench_sparql`` can query them.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pypdf import PdfReader

from benchmarks.synthetic import generate, write_corpus, write_pdfs

R2P = Path(sys.executable).parent / "r2p"
CHARS_PER_PAGE = 3500
TEXT_TARGET = 1000  # printed paragraphs/s, embedding excluded
PDF_TARGET = 1.5  # ingestion's pages/s over one process of pypdf extract_text


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run_ingest(corpus: Path, data: Path) -> dict:
    """One ``r2p ingest --no-index`` from scratch: wall time, peak RSS (MiB), the CLI's own counts."""
    shutil.rmtree(data, ignore_errors=True)
    started = time.perf_counter()
    proc = subprocess.Popen([str(R2P), "--data", str(data), "--corpus", str(corpus), "ingest", "--no-index"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ | {"COLUMNS": "400"})
    stderr = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    summary = re.search(r"(\d+) failed; documents: (\d+),\s+paragraphs: (\d+),\s+triples: (\d+)", stderr)
    if proc.returncode not in (0, 1) or not summary:  # 1: some files refused or failed (counted in errors)
        raise SystemExit(f"r2p ingest failed ({proc.returncode}):\n{stderr[-2000:]}")
    errors, documents, paragraphs, triples = map(int, summary.groups())
    return {"seconds": seconds, "peak_mib": usage.ru_maxrss / 1024, "documents": documents, "paragraphs": paragraphs,
            "triples": triples, "errors": errors, "store_mib": dir_size(data / "store") / 2**20}


def pypdf_pages_per_s(folder: Path) -> float:
    """The baseline: one process, pypdf's ``extract_text`` on every page of every PDF, nothing else."""
    started, pages = time.perf_counter(), 0
    for path in sorted(folder.glob("*.pdf")):
        for page in PdfReader(str(path)).pages:
            page.extract_text()
            pages += 1
    return pages / (time.perf_counter() - started)


def report_line(label: str, r: dict, pages: float, numbered: int) -> str:
    return (f"{label:<16} {numbered:>8} {r['paragraphs']:>8} {r['triples']:>10} {r['seconds']:>8.1f} "
            f"{numbered / r['seconds']:>9.0f} {r['paragraphs'] / r['seconds']:>9.0f} {pages / r['seconds']:>8.1f} "
            f"{r['peak_mib']:>9.0f} {r['store_mib']:>9.1f} {r['triples'] / numbered:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000],
                        help="Numbered paragraphs per synthetic text corpus (none: measure PDFs only).")
    parser.add_argument("--work", type=Path, default=Path("/tmp/r2p-bench"))
    parser.add_argument("--pdf-reports", type=int, default=10, help="Synthetic reports rendered as PDF (0: skip).")
    parser.add_argument("--pdf-dir", type=Path, help="A folder of real PDFs to measure instead of synthetic ones "
                                                      "(e.g. ../shared/realdocs/pdf).")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"{'corpus':<16} {'numbered':>8} {'nodes':>8} {'triples':>10} {'seconds':>8} {'num.par/s':>9} "
          f"{'nodes/s':>9} {'pages/s':>8} {'peak MiB':>9} {'store MiB':>9} {'tr/num.par':>9}")
    print("(numbered = printed paragraphs; nodes = the CLI's paragraph count, which includes clauses and footnotes)")
    for size in args.sizes:
        reports = generate(size)
        corpus = write_corpus(args.work / f"corpus-{size}", reports)
        result = run_ingest(corpus, args.work / f"data-{size}")
        pages = sum(len(r.text) for r in reports) / CHARS_PER_PAGE
        print(report_line(f"text {size}", result, pages, size), flush=True)
        rate = size / result["seconds"]
        print(f"  text {size}: {rate:.0f} printed paragraphs/s, target {TEXT_TARGET}: ratio {rate / TEXT_TARGET:.2f}",
              flush=True)
    if args.pdf_dir:
        corpus = args.pdf_dir
        pages = sum(len(PdfReader(str(p)).pages) for p in corpus.glob("*.pdf"))
        result = run_ingest(corpus, args.work / "data-pdf-dir")
        print(report_line(f"pdf {corpus.name}", result, pages, result["paragraphs"]))
        print(f"  ({result['errors']} files failed or refused)")
    elif args.pdf_reports:
        reports = generate(args.pdf_reports * 150, seed=2)
        corpus, pages = write_pdfs(args.work / "corpus-pdf", reports)
        result = run_ingest(corpus, args.work / "data-pdf")
        print(report_line(f"pdf {len(reports)} reports", result, pages, sum(r.paragraphs for r in reports)))
    else:
        return
    baseline = pypdf_pages_per_s(corpus)
    rate = pages / result["seconds"]
    print(f"  pdf: {pages} real pages; ingestion {rate:.1f} pages/s (store writes included), pypdf extract_text "
          f"in one process {baseline:.1f} pages/s: ratio {rate / baseline:.2f}, target {PDF_TARGET}")


if __name__ == "__main__":
    main()
