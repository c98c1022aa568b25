"""Synthetic but realistic corpora for the benchmarks: UN-style reports at a chosen paragraph count.

Each report has the header block of a Secretary-General report (joint symbol, "Distr.: General",
date, sessions, agenda items, title), roman-numbered sections, paragraphs numbered across
sections (some with lettered clauses), footnote calls with their footnotes, country mentions and
citations of real resolutions and reports, so that every stage of the pipeline (parsing,
reference and country linking, graph building) does its usual work. The same seed gives the
same corpus. Files are plain text with a ``manifest.toml`` (type "report"); ``write_pdfs`` renders
a sample through fpdf2 for the PDF route.

    python -m benchmarks.synthetic OUT_DIR --paragraphs 10000
"""
from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

from ingest.text import SUPERSCRIPT_DIGITS

COUNTRIES = ["Kenya", "Rwanda", "Bosnia and Herzegovina", "Myanmar", "South Sudan", "Colombia", "Guatemala",
             "Côte d'Ivoire", "Central African Republic", "Sri Lanka", "Cambodia", "Sierra Leone", "Liberia",
             "Burundi", "Nigeria", "Mali", "Ukraine", "Yemen", "Iraq", "Democratic Republic of the Congo",
             "Ghana", "Slovenia", "Costa Rica", "Argentina", "Indonesia", "Philippines", "Timor-Leste"]
CITED = ["resolution 60/1", "resolution 63/308", "Security Council resolution 1674 (2006)",
         "Security Council resolution 2150 (2014)", "A/63/677", "A/64/864", "A/66/874–S/2012/578",
         "article 1 of the Genocide Convention", "the Rome Statute of the International Criminal Court"]
SECTIONS = ["Introduction", "Risk factors for atrocity crimes", "National prevention measures",
            "Early warning and assessment", "Accountability and transitional justice", "Regional arrangements",
            "International assistance", "The way forward", "Recommendations"]
SUBJECTS = ["The Government of {c}", "Civil society organizations in {c}", "The national human rights institution of {c}",
            "The regional organization, together with {c},", "The Special Adviser, during a visit to {c},"]
VERBS = ["established", "strengthened", "reviewed", "adopted", "supported", "reported on", "assessed"]
OBJECTS = ["a national mechanism for the prevention of genocide and mass atrocities",
           "an early warning system covering hate speech and incitement to violence",
           "legislation criminalizing war crimes and crimes against humanity",
           "training of security forces in international humanitarian law",
           "a truth commission with a mandate to address past atrocity crimes",
           "programmes that protect minorities and displaced persons"]
CONTEXTS = ["in line with {r}", "as called for in {r}", "building on {r}", "consistent with {r}"]
ORDINALS = ["seventy-ninth", "eightieth", "eighty-first", "eighty-second"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@dataclass
class Report:
    id: str
    symbol: str
    title: str
    date: str
    text: str
    paragraphs: int
    footnotes: list[tuple[str, str]]  # (number, text), for the PDF rendering


def _sup(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _sentence(rng: random.Random) -> str:
    c = rng.choice(COUNTRIES)
    return (f"{rng.choice(SUBJECTS).format(c=c)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, "
            f"{rng.choice(CONTEXTS).format(r=rng.choice(CITED))}.")


def make_report(index: int, paragraphs: int, rng: random.Random) -> Report:
    """One report of ``paragraphs`` numbered paragraphs (at most 999: the printed numbers have three digits)."""
    year = 2026 + index // 5000
    number = 100 + index % 5000
    symbol = f"A/{80 + index // 5000}/{number}–S/{year}/{number}"
    day, month = 1 + index % 28, MONTHS[index % 12]
    title = f"Implementing the responsibility to protect: report number {index + 1}"
    header = [f"United Nations\n{symbol}", f"General Assembly\nSecurity Council\nDistr.: General\n{day} {month} {year}\n\nOriginal: English",
              f"General Assembly\n{rng.choice(ORDINALS).capitalize()} session\nAgenda items 14 and 113",
              title, "Report of the Secretary-General"]
    blocks, footnotes = list(header), []
    sections = max(1, min(len(ROMAN), paragraphs // 12))
    per_section = -(-paragraphs // sections)
    p = 0
    for s in range(sections):
        blocks.append(f"{ROMAN[s]}. {SECTIONS[s % len(SECTIONS)]}")
        section_notes = []
        for _ in range(min(per_section, paragraphs - p)):
            p += 1
            body = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
            if rng.random() < 0.15:
                n = len(footnotes) + 1
                body += _sup(n)
                note = f"See {rng.choice(CITED)}."
                footnotes.append((str(n), note))
                section_notes.append(f"{_sup(n)} {note}")
            if rng.random() < 0.1:
                body = body[:-1] + ":\n" + "\n".join(f"({letter}) {_sentence(rng)[:-1]};" for letter in "abc")[:-1] + "."
            blocks.append(f"{p}. {body}")
        blocks.extend(section_notes)
    date = f"{year}-{MONTHS.index(month) + 1:02d}-{day:02d}"
    return Report(f"SYN-{index:05d}", symbol, title, date, "\n\n".join(blocks) + "\n", p, footnotes)


def generate(paragraphs: int, *, per_report: int = 150, seed: int = 1) -> list[Report]:
    rng = random.Random(seed)
    reports, left = [], paragraphs
    while left > 0:
        n = min(per_report, left)
        reports.append(make_report(len(reports), n, rng))
        left -= n
    return reports


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_corpus(out: Path, reports: list[Report], suffix: str = ".txt") -> Path:
    """The reports as files under ``out`` with the manifest that lists them; returns ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for r in reports:
        entries.append("\n".join(["[[document]]", f"file = {_toml(r.id + suffix)}", f"id = {_toml(r.id)}", 'type = "report"',
                                  f"symbol = {_toml(r.symbol)}", f"title = {_toml(r.title)}", f"date = {_toml(r.date)}",
                                  'body = "Secretary-General"', 'language = "en"', 'source = "synthetic benchmark corpus"']))
        if suffix == ".txt":
            (out / f"{r.id}.txt").write_text(r.text, encoding="utf-8")
    (out / "manifest.toml").write_text("\n\n".join(entries) + "\n", encoding="utf-8")
    return out


def write_pdfs(out: Path, reports: list[Report]) -> tuple[Path, int]:
    """The reports as PDFs (fpdf2, A4, blocks spaced apart, footnotes small; Helvetica is Latin-1, so the
    footnote calls become plain digits); returns (folder, pages)."""
    from fpdf import FPDF

    write_corpus(out, reports, suffix=".pdf")
    pages = 0
    for r in reports:
        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(True, margin=20)
        pdf.add_page()
        pdf.set_font("Helvetica", size=10)
        for block in r.text.split("\n\n"):
            if block[:1] in "⁰¹²³⁴⁵⁶⁷⁸⁹":  # footnotes: printed at the section end, small
                pdf.set_font("Helvetica", size=8)
                pdf.multi_cell(0, 4, block.translate(SUPERSCRIPT_DIGITS).encode("latin-1", "replace").decode("latin-1"))
                pdf.set_font("Helvetica", size=10)
            else:
                pdf.multi_cell(0, 5, block.translate(SUPERSCRIPT_DIGITS).encode("latin-1", "replace").decode("latin-1"))
            pdf.ln(3)
        pages += pdf.pages_count
        pdf.output(str(out / f"{r.id}.pdf"))
    return out, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--paragraphs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    reports = generate(args.paragraphs, seed=args.seed)
    write_corpus(args.out, reports)
    print(f"{len(reports)} reports, {sum(r.paragraphs for r in reports)} paragraphs in {args.out}")


if __name__ == "__main__":
    main()
