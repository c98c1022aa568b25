"""How right is ingestion on real UN PDFs? Identity, paragraphs, words kept, furniture, country links.

    python -m benchmarks.bench_realdocs PDF_DIR --truth benchmarks/realdocs_truth.tsv

Ingests every PDF of ``PDF_DIR`` into a fresh store (the real pipeline, linker and example
extractor included) and compares each file's graph with the truth file (``realdocs_truth.tsv``:
file, symbol, masthead symbols, type, date of issue, language). A benchmark, not a test: it prints
figures, per document and overall, against the targets of issue 11.

What is measured, per file (its graph is the one whose ``dcterms:source`` is the file):
- symbol: ``found`` when the file's own symbol is among the document's ``dcterms:identifier``
  symbols (a joint symbol counts for each of its parts), ``exact`` when those are the masthead's;
- type (``r2p:documentType``) and date of issue (``dcterms:date``; no date is right when the truth
  has none);
- numbered paragraphs: lines of pypdf's ``extract_text`` that open with a printed number
  (``12. The``), counted with repetition, against the ``r2p:number`` of the graph's parts that can
  print one: a paragraph, a numbered heading kept as a numbered section (``1. Repatriation
  efforts`` is a heading, not a paragraph: found when a section carries its "1"), and an item of a
  list numbered inside a paragraph (a clause "1"). A number found elsewhere, or as text, is missed;
- word coverage, issue 11's measure (the headline): the share of ``extract_text``'s words (hyphen
  breaks at line ends rejoined, counted with repetition, case folded) present in the graph (``r2p:text``
  and ``dcterms:title`` of the document's parts, their ``r2p:number``, where a part's printed label
  is kept, and the literals stored on the document itself, so that masthead facts kept as properties
  count, in their printed form: a date as "2 May 2025", the symbol as "United Nations S/2025/67",
  "Distr.: General", "Original: English", "(Signed) name", the job number "25-02542"). Left out of
  the base, as the first version of this script did: lines of furniture with a "(E)" job number,
  a barcode or "Please recycle", and running heads of symbols and page numbers. Page feet without
  "(E)" ("25-06692 4/47") and the rules over footnotes (``____``) stay in the base, so each is
  counted missing: the job number is stored once, not once a page. A second column gives the
  narrower base that leaves those out too. A footnote call glued to its word in ``extract_text``
  ("Levant1") is read as the word and the number, on both sides;
- tables: the document's ``r2p:Table`` parts;
- furniture leaks: text parts holding "Please recycle", a job number (``25-07881 (E)``), a barcode
  (``*2507881*``), "Distr.:", "Original:" outside the bracketed "[Original: French]" of an annex,
  or a running head (the document's symbol with a page number ``3/17``);
- suspect country links: a part linked to a country although every occurrence of the country's
  names in its text is inside a longer name (another country's, as "Sudan" in "South Sudan", or a
  capitalised run such as "Jordan Lee Calderon" or "Indian Law Resource Center");
- pages per second of the whole ingestion (wall clock, one process).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from pypdf import PdfReader  # noqa: E402

from ingest.masthead import split_joint  # noqa: E402
from kg.composition import Components  # noqa: E402
from kg.settings import Settings  # noqa: E402
from kg.store import OxigraphStore  # noqa: E402

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WORD = re.compile(r"\w+")
HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n\s*(\w)")
NUMBERED_LINE = re.compile(r"^\s*(\d{1,3})\.[ \t]+[A-Z“\"‘'(]", re.MULTILINE)
# Page furniture in extract_text: removed from the word base, and counted as a leak in the graph.
JOB_NUMBER = re.compile(r"\b\d{2}-\d{5}\s*\([A-Z]\)(?:\s+\d{6})*")
FOOT_NUMBER = re.compile(r"\b(?:GE\.)?\d{2}-\d{5}\b")  # a page foot's job number; furniture only on a line of furniture
RULE = re.compile(r"_{3,}")
GLUED_CALL = re.compile(r"(?<=[^\W\d_])(?=\d{1,3}\b)")  # "Levant1": a footnote call glued to its word
BARCODE = re.compile(r"\*\d{7,}\*")
RECYCLE = re.compile(r"Please\s+recycle|Accessible\s+document", re.IGNORECASE)
DISTR = re.compile(r"\bDistr\.\s*:")
ORIGINAL = re.compile(r"(?<!\[)\bOriginal\s*:\s*[A-Z]")
PAGE_OF = re.compile(r"(?<![\w/.])\d{1,3}/\d{1,3}(?![\w/])")
SYMBOL_PART = re.compile(r"[A-Z]+(?:/[\w.\-]+)+(?:\s*\(\d{4}\))?(?:\s*\(Part [IVX]+\))?\*?")


# Parts whose r2p:number can be a printed "12.": paragraphs, numbered headings, items of a numbered list.
NUMBERED_KINDS = ("#Paragraph", "#Section", "#Subsection", "#Clause")
SENTENCE_OPENERS = {"The", "In", "On", "For", "From", "To", "By", "With", "And", "Both", "Neither", "Of"}


def truth_rows(path: Path) -> list[dict]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def printed_date(iso: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        y, m, d = iso.split("-")
        return f"{int(d)} {MONTHS[int(m) - 1]} {y}"
    return iso


LANGUAGE_NAMES = {"en": "English", "fr": "French", "es": "Spanish", "ru": "Russian", "zh": "Chinese", "ar": "Arabic"}


def printed_fact(fact: str, value: str) -> str:
    """A masthead fact as page 1 prints it, so that the words of its label count as kept with it."""
    if fact in ("date", "letterDate", "adoptedOn"):
        return printed_date(value)
    return {"identifier": f"United Nations {value}", "distribution": f"Distr.: {value}",
            "originalLanguage": f"Original: {LANGUAGE_NAMES.get(value, value)}",
            "signatory": f"(Signed) {value}"}.get(fact, value)


def furniture_line(line: str, page_feet: bool) -> bool:
    """A line of extract_text that is only page furniture: job number with "(E)", barcode, page number,
    running head; with ``page_feet``, also a page foot whose job number has no "(E)" ("25-06692 4/47")."""
    rest = JOB_NUMBER.sub(" ", line)
    rest = FOOT_NUMBER.sub(" ", rest) if page_feet else rest
    rest = BARCODE.sub(" ", rest)
    rest = RECYCLE.sub(" ", rest)
    rest = PAGE_OF.sub(" ", rest)
    rest = SYMBOL_PART.sub(" ", rest)
    return not rest.strip(" -–\t") or bool(re.fullmatch(r"\s*\d{1,3}\s*", rest))


def pdf_text(path: Path) -> tuple[str, int]:
    reader = PdfReader(str(path))
    pages = [page.extract_text() or "" for page in reader.pages]
    return "\n".join(pages), len(pages)


def words(text: str) -> Counter:
    """Words counted with repetition, case folded, a glued footnote call read apart."""
    return Counter(WORD.findall(GLUED_CALL.sub(" ", text).casefold()))


def base_words(text: str, *, narrow: bool = False) -> Counter:
    """The words to find: issue 11's base (``extract_text``, hyphen breaks rejoined, lines of furniture
    with a "(E)" job number, a barcode or "Please recycle" left out), or with ``narrow`` the later,
    narrower base that also leaves out page feet without "(E)" and the ``____`` rules."""
    text = HYPHEN_BREAK.sub(r"\1-\2", text)
    kept = [line for line in text.splitlines() if not furniture_line(line, page_feet=narrow)]
    text = RECYCLE.sub(" ", JOB_NUMBER.sub(" ", BARCODE.sub(" ", "\n".join(kept))))
    return words(RULE.sub(" ", text) if narrow else text)


def leaks(text: str, symbols: set[str]) -> list[str]:
    found = []
    for name, pattern in (("Please recycle", RECYCLE), ("job number", JOB_NUMBER), ("barcode", BARCODE),
                          ("Distr.:", DISTR), ("Original:", ORIGINAL)):
        found += [name] * len(pattern.findall(text))
    for symbol in symbols:
        for m in re.finditer(re.escape(symbol), text):
            window = text[max(0, m.start() - 25): m.end() + 25]
            if PAGE_OF.search(window) and JOB_NUMBER.search(window) or text.strip() == symbol:
                found.append("running head")
    return found


class GraphReader:
    def __init__(self, store):
        self.store = store
        self.labels = self._country_labels()

    def _country_labels(self) -> dict[str, list[str]]:
        rows = self.store.select("SELECT ?c ?l { ?c a r2p:Country ; skos:prefLabel|skos:altLabel ?l }")
        labels: dict[str, list[str]] = {}
        for r in rows:
            labels.setdefault(r["c"], []).append(r["l"])
        return labels

    def graphs_by_source(self) -> dict[str, str]:
        rows = self.store.select("SELECT ?g ?src { GRAPH ?g { ?g a prov:Entity ; dcterms:source ?src } }")
        return {Path(r["src"]).name: r["g"] for r in rows}

    def main_document(self, graph: str) -> str | None:
        rows = self.store.select(f"""SELECT ?d ?id {{ GRAPH <{graph}> {{ ?d r2p:documentType ?t
            FILTER NOT EXISTS {{ ?x r2p:reproduces ?d }} OPTIONAL {{ ?d dcterms:identifier ?id }} }} }}""")
        rows.sort(key=lambda r: ("id" not in r, r["d"]))
        return rows[0]["d"] if rows else None

    def facts(self, graph: str, doc: str) -> dict:
        rows = self.store.select(f"SELECT ?p ?o {{ GRAPH <{graph}> {{ <{doc}> ?p ?o FILTER isLiteral(?o) }} }}")
        facts: dict[str, list[str]] = {}
        for r in rows:
            facts.setdefault(r["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1], []).append(r["o"])
        return facts

    def parts(self, graph: str, doc: str) -> list[dict]:
        return self.store.select(f"""SELECT ?n ?kind ?num ?text ?title {{ GRAPH <{graph}> {{
            ?n r2p:inDocument <{doc}> ; a ?kind OPTIONAL {{ ?n r2p:number ?num }}
            OPTIONAL {{ ?n r2p:text ?text }} OPTIONAL {{ ?n dcterms:title ?title }}
            FILTER (?kind != r2p:Document) }} }}""")

    def country_links(self, graph: str, doc: str) -> list[tuple[str, str]]:
        rows = self.store.select(f"""SELECT ?text ?c {{ GRAPH <{graph}> {{
            ?n r2p:inDocument <{doc}> ; r2p:mentionsCountry ?c ; r2p:text ?text }} }}""")
        return [(r["text"], r["c"]) for r in rows]


def suspect_link(text: str, country: str, labels: dict[str, list[str]]) -> bool:
    """Every occurrence of the country's names lies inside a longer name: a suspect link.

    Inside a longer name: within another country's name ("Sudan" in "South Sudan"), or next to a
    capitalised word with nothing but a space between ("Jordan Lee", "Indian Law", "Shi'a Turkmen")
    that opens no sentence and is no other country's name (a list printed one name a line). A name
    followed by a year ends an entry of a list of members ("Bandana Rana Nepal 2028": the member's
    country, a real mention), whatever stands before it.
    A link whose names do not occur at all is not judged.
    """
    others = [label for c, ls in labels.items() if c != country for label in ls]
    all_labels = [label for ls in labels.values() for label in ls]
    first_words = {label.split()[0] for label in all_labels}  # "Albania Angola Argentina": a list, not a name
    last_words = {label.split()[-1] for label in all_labels}
    occurrences = 0
    for label in labels.get(country, []):
        for m in re.finditer(rf"(?<!\w){re.escape(label)}(?!\w)", text):
            occurrences += 1
            inside_other = any(len(o) > len(label) and label in o and any(
                om.start() <= m.start() and m.end() <= om.end() for om in re.finditer(re.escape(o), text))
                for o in others)
            prev = re.search(r"(?:^|\s)([^\s]+)[ \t]+$", text[:m.start()])
            nxt = re.match(r"[ \t]+([^\s]+)", text[m.end():])
            opens_sentence = bool(prev) and (prev.group(1) in SENTENCE_OPENERS or re.search(
                r"(?:^|[.:;!?\d]\s*|\n)$", text[:prev.start(1)]) is not None)
            prev_cap = bool(prev) and prev.group(1)[0].isupper() and prev.group(1)[-1].isalpha() \
                and not opens_sentence and prev.group(1) not in last_words
            next_cap = bool(nxt) and nxt.group(1)[0].isupper() and nxt.group(1) not in first_words
            list_entry = bool(nxt) and re.fullmatch(r"\d{4}", nxt.group(1)) is not None  # "Bandana Rana Nepal 2028"
            if list_entry or not (inside_other or prev_cap or next_cap):
                return False
    return occurrences > 0


def measure(pdf_dir: Path, truth: list[dict]) -> dict:
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="r2p-realdocs-")), corpus_dir=pdf_dir / "no-corpus")
    store = OxigraphStore(settings.store_dir)
    started = time.perf_counter()
    report = Components(settings, store=store).ingest([pdf_dir.resolve()])
    elapsed = time.perf_counter() - started
    reader = GraphReader(store)
    graphs = reader.graphs_by_source()
    rows, total_pages = [], 0
    for t in truth:
        path = pdf_dir / Path(t["file"]).name
        text, pages = pdf_text(path)
        total_pages += pages
        row = {"file": path.name, "pages": pages, "symbol_found": False, "symbol_exact": False,
               "type_ok": False, "date_ok": False, "got_symbol": None, "got_type": None, "got_date": None}
        base, narrow = base_words(text), base_words(text, narrow=True)
        printed_numbers = Counter(m.group(1) for m in NUMBERED_LINE.finditer(text))
        row.update(numbered=sum(printed_numbers.values()), numbered_found=0, words=sum(base.values()), coverage=0.0,
                   coverage_narrow=0.0, missing=0, tables=0, lost_words=[], leaks=[], suspect_countries=[])
        graph = graphs.get(path.name)
        doc = reader.main_document(graph) if graph else None
        if doc:
            facts = reader.facts(graph, doc)
            identifiers = set().union(*(split_joint(v) for v in facts.get("identifier", []))) \
                if facts.get("identifier") else set()
            row["got_symbol"] = "; ".join(facts.get("identifier", [])) or None
            row["symbol_found"] = t["symbol"] in identifiers
            row["symbol_exact"] = identifiers == set(split_joint(t["masthead"]))
            row["got_type"] = (facts.get("documentType") or [None])[0]
            row["type_ok"] = row["got_type"] == t["type"]
            dates = facts.get("date", [])
            row["got_date"] = dates[0] if dates else None
            row["date_ok"] = (row["got_date"] or "") == t["date"]
            parts = reader.parts(graph, doc)
            numbers = Counter(p["num"] for p in parts if p["kind"].endswith(NUMBERED_KINDS) and "num" in p)
            row["numbered_found"] = sum(min(n, numbers[k]) for k, n in printed_numbers.items())
            row["tables"] = sum(p["kind"].endswith("#Table") for p in parts)
            texts = {(p["n"], "text"): p["text"] for p in parts if "text" in p}
            texts |= {(p["n"], "title"): p["title"] for p in parts if "title" in p}
            masthead = [printed_fact(k, v) for k, vs in facts.items() if k not in ("source", "warning") for v in vs]
            labels = [p["num"] for p in parts if "num" in p]  # printed labels, kept as r2p:number
            got = words(" ".join([*texts.values(), *masthead, *labels]))
            row["coverage"] = share_found(base, got)
            row["coverage_narrow"] = share_found(narrow, got)
            lost = base - got
            row["missing"] = sum(lost.values())
            row["lost_words"] = lost.most_common(20)  # in the JSON: where to look for text lost
            symbols = split_joint(t["masthead"])
            row["leaks"] = [leak for value in texts.values() for leak in leaks(value, symbols)]
            row["suspect_countries"] = sorted({c.rsplit("/", 1)[-1] for text_, c in reader.country_links(graph, doc)
                                               if suspect_link(text_, c, reader.labels)})
        rows.append(row)
    return {"rows": rows, "seconds": elapsed, "pages": total_pages, "errors": [str(e) for e in report.errors]}


def share_found(base: Counter, got: Counter) -> float:
    return sum(min(n, got[w]) for w, n in base.items()) / max(1, sum(base.values()))


def percentile(sorted_values: list[float], q: float) -> float:
    """The value below which a share ``q`` of the documents fall (nearest rank)."""
    if not sorted_values:
        return 0.0
    return sorted_values[max(0, min(len(sorted_values) - 1, round(q * len(sorted_values) + 0.5) - 1))]


def summary(result: dict) -> dict:
    rows = result["rows"]
    n = len(rows)
    coverages = sorted(r["coverage"] for r in rows)
    narrow = sorted(r["coverage_narrow"] for r in rows)
    return {
        "documents": n,
        "symbol_found": sum(r["symbol_found"] for r in rows),
        "symbol_exact": sum(r["symbol_exact"] for r in rows),
        "type_ok": sum(r["type_ok"] for r in rows),
        "date_ok": sum(r["date_ok"] for r in rows),
        "numbered_found": sum(r["numbered_found"] for r in rows),
        "numbered": sum(r["numbered"] for r in rows),
        "coverage_median": statistics.median(coverages) if coverages else 0.0,
        "coverage_p10": percentile(coverages, 0.10),
        "coverage_narrow_median": statistics.median(narrow) if narrow else 0.0,
        "coverage_narrow_p10": percentile(narrow, 0.10),
        "words_missing": sum(r["missing"] if r["coverage"] else r["words"] for r in rows),
        "words": sum(r["words"] for r in rows),
        "tables": sum(r["tables"] for r in rows),
        "documents_with_tables": sum(bool(r["tables"]) for r in rows),
        "furniture_leaks": sum(len(r["leaks"]) for r in rows),
        "suspect_country_links": sum(len(r["suspect_countries"]) for r in rows),
        "pages": result["pages"],
        "pages_per_s": result["pages"] / result["seconds"] if result["seconds"] else 0.0,
        "ingest_errors": len(result["errors"]),
    }


def print_report(result: dict, out=sys.stdout) -> None:
    w = out.write
    w(f"{'file':34} {'sym':4} {'type':18} {'date':11} {'paras':9} {'cover':6} {'narrow':6} leaks countries\n")
    for r in result["rows"]:
        sym = "ok" if r["symbol_exact"] else ("part" if r["symbol_found"] else "NO")
        typ = "ok" if r["type_ok"] else f"NO {r['got_type']}"
        date = "ok" if r["date_ok"] else f"NO {r['got_date']}"
        w(f"{r['file'][:34]:34} {sym:4} {typ[:18]:18} {date[:11]:11} {r['numbered_found']:>3}/{r['numbered']:<5} "
          f"{r['coverage']:.3f}  {r['coverage_narrow']:.3f}  {len(r['leaks']):>3}  {' '.join(r['suspect_countries'])}\n")
        if not r["symbol_found"]:
            w(f"{'':34} symbol read: {r['got_symbol']}\n")
    s = summary(result)
    n = s["documents"]
    w("\n")
    w(f"found by own symbol:   {s['symbol_found']}/{n} (masthead symbols exact: {s['symbol_exact']}/{n})\n")
    w(f"type right:            {s['type_ok']}/{n} ({s['type_ok'] / n:.0%})\n")
    w(f"date of issue right:   {s['date_ok']}/{n} ({s['date_ok'] / n:.0%})\n")
    w(f"numbered paragraphs:   {s['numbered_found']}/{s['numbered']} "
      f"({s['numbered_found'] / max(1, s['numbered']):.1%})\n")
    w(f"word coverage:         median {s['coverage_median']:.3f}, 10th percentile {s['coverage_p10']:.3f} "
      f"(issue 11's base; {s['words_missing']} of {s['words']} words not found)\n")
    w(f"  narrower base:       median {s['coverage_narrow_median']:.3f}, 10th percentile "
      f"{s['coverage_narrow_p10']:.3f} (page feet without \"(E)\" and ____ rules left out)\n")
    w(f"tables:                {s['tables']} in {s['documents_with_tables']} documents\n")
    w(f"furniture leaks:       {s['furniture_leaks']}\n")
    w(f"suspect country links: {s['suspect_country_links']}\n")
    w(f"speed:                 {s['pages']} pages in {result['seconds']:.1f} s = {s['pages_per_s']:.2f} pages/s\n")
    w(f"ingest errors:         {s['ingest_errors']}\n")
    for e in result["errors"]:
        w(f"  {e}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf_dir", type=Path, help="Folder of UN PDFs (e.g. ../shared/realdocs/pdf).")
    parser.add_argument("--truth", type=Path, required=True, help="Truth TSV (benchmarks/realdocs_truth.tsv).")
    parser.add_argument("--json", type=Path, help="Also write every figure, per document, to this JSON file.")
    args = parser.parse_args(argv)
    result = measure(args.pdf_dir, truth_rows(args.truth))
    print_report(result)
    if args.json:
        args.json.write_text(json.dumps({"summary": summary(result), **result}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
