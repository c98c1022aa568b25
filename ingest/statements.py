"""Collected statements: the Global Centre for R2P's collection of what States said, 2009-2018.

Each statement is a text file (``text/<id>.txt``, OCR'd where the PDF was a scan) described by a
row of ``statements.csv``: title, type, date, the speaking State or organization (``Source``) and
the link to the original PDF. The CSV's facts go into a manifest, written by this module's command
(``python -m ingest.statements CSV TEXT_DIR --write MANIFEST``), so that they live with the other
manifest facts; ``parse`` then reads the text. Facts are kept at the precision known: a
placeholder date ``2012-01-01`` is the year 2012, sharpened to a day only when the statement's own
heading prints a date in that year.

Bad input never loses a statement: a speaker in no table, a statement with no speaker, OCR noise
and a text that is only a title each give a ``file:line`` warning and the statement is kept.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

from ingest.lines import MONTH, MONTHS
from ingest.model import Node, ParsedDocument
from ingest.parsers.context import ParseContext
from ingest.parsers.verbatim import speech_paragraph
from ingest.reflow import paragraphs
from ingest.speakers import joint, joint_attr, resolve, spoken_for, spoken_for_states
from ingest.themes import themes

COLLECTION = "Global Centre for the Responsibility to Protect, statements collection"
MIN_WORDS = 40  # fewer words than this: the text is a title or a cover page, not the statement
OCR_NOISE = 0.12  # share of tokens that are not words above which the text is flagged as OCR noise
_WORD = re.compile(r"^[\w’'().,;:!?\"“”«»\-–—/%$€&]+$")
_NOISE = re.compile(r"[^\w\s.,;:!?'’\"“”«»()\-–—/%$€&]|\w*\d+[a-zA-Z]+\d*\w*|[a-z][A-Z]")
_STOPWORDS = {
    "en": set("the of and to in that is for we on this with are be as it our".split()),
    "fr": set("le la les des et en du que une pour est dans nous sur qui au aux".split()),
    "es": set("el la los las de y en que del para por una con se su nuestro".split()),
}
# Offices that speak in their own name: the collection spells them, the role comes from the name.
OFFICES = [
    (re.compile(r"^(?:UN |United Nations )?(?:Deputy )?Secretary-General\b", re.I), "secretary-general", "united-nations"),
    (re.compile(r"^President of the (?:UN |United Nations )?General Assembly\b", re.I), "president", "united-nations"),
    (re.compile(r"^(?:Former )?(?:UN )?Special Advis[eo]rs?\b", re.I), "official", "osapg"),
    (re.compile(r"^(?:Former )?(?:UN )?High Commissioner for Human Rights\b", re.I), "official", "ohchr"),
    (re.compile(r"^(?:UN )?Special Representatives? of the Secretary-General\b", re.I), "official", "united-nations"),
]
_GROUP_IN_SOURCE = re.compile(r"^(?P<state>.+?)\s*\(?\s*on behalf of (?P<group>[^)]+)\)?$", re.I)
_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(MONTHS) + r")\s*,?\s+(\d{4})\b")
# Where a statement's speech begins after its letterhead and title block: the first salutation
# ("Mr. President,", "Thank you, Chair", "Excellencies") or a press release's dateline ("(New York,
# 16 June 2018) The Special Adviser..."), at the start of a line or (OCR runs lines together) ending it.
_ADDRESSEE = (r"(?:Vice-?\s?)?(?:President|Chair\w*|Co-?\s?[Cc]hair\w*|Moderator|Facilitator|Secretary-General|Special\s+Advis\w*"
              r"|Président\w*|Presidente)")
_SALUTATION = (r"(?:\d+\.\s*)?(?:(?:Mr|Mrs|Ms|Madam|Madame|Mister|Monsieur|Señor|Señora|Sr|Sra)\.?\s+" + _ADDRESSEE
               + r"|Thank\s+you|Merci|Gracias|Your\s+Excellenc\w*|Excellenc\w*|Distinguished\b|Ladies\s+and|Dear\s+(?:colleagues|friends)"
               + r"|Co-?[Cc]hairs?\b)")
_SPEECH_START = re.compile(r"^\s*[“\"‘']?" + _SALUTATION + r"|\s" + _SALUTATION + r"\W*$|^\s*[(\[][^)\]]{2,40},\s*[-–]?\s*\d{1,2}\s+"
                           + MONTH + r",?\s+\d{4}\s*[)\]]", re.I)
# Weaker signs, taken only when the lines above them hold no sentence of prose: a speech's usual first
# words ("I have the honour to...", "At the outset"), and a note on the text itself.
_OPENING = re.compile(r"^\s*[“\"‘']?(?:I\s+have\s+the\s+hono\w*\s+(?:of|to)\b|It\s+is\s+(?:a|an|my)\s+(?:great\s+)?"
                      r"(?:hono\w*|pleasure|privilege)\b|At\s+the\s+outset\b|Allow\s+me\b|Let\s+me\s+(?:begin|start|first)\b)")
_TEXT_NOTE = re.compile(r"[\[(]?(?:unofficial\s+transcription(?:\s+from\s+(?:the\s+)?web-?cast)?|transcription\s+from\s+(?:the\s+)?"
                        r"web-?cast|\[\s*(?:transcription|translation)\s*\]|\bas\s+delivered|(?:please\s+)?check\s+against\s+delivery)\s*[\])]?[.!:;,]*", re.I)
# A sentence of prose: a word, a full stop, the next sentence (or the text's end); a colon that opens speech.
_SENTENCE = re.compile(r"\b(?!www\.|Mrs\.|Amb\w*\.|Prof\.|Sra\.)[A-Za-z]*[a-z]{2}[.!?][”’\")]*(?:\s+[“\"]?[A-Z][a-z]|\s*$)|:\s*$")
# A date on a line of its own just below the block belongs to it ("[Unofficial Transcription]", "25 February 2016").
_DATE_LINE = re.compile(r"^\s*(?:\w+,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+" + MONTH + r"|" + MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?),?\s+\d{4}\s*$", re.I)
# Page numbers the PDF-to-text step left on lines of their own, mostly inside a sentence that ran on to the
# next page ("… to cooperate / 1 / with the international community"): "- 3 -", "Page 2 of 4", "Pag. 5 de5",
# "3 of 3"; a bare "3" only as the next in a run of pages from 1 or 2 (a text set one word to a line has
# "paragraphs / 138 / and / 139" in it).
_PAGE_MARK = re.compile(r"^(?:[-–—]\s*\d{1,3}\s*[-–—]|(?:page|pag\.?|página|seite)\s*\d{1,3}(?:\s*(?:of|de|/|sur|von)\s*\d{1,3})?"
                        r"|\d{1,3}\s*(?:of|de|sur)\s*\d{1,3}|\d{1,3}\s*/\s*\d{1,3})$", re.I)
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
HEADING_LINES = 40  # a title block longer than this is not one: the speech is left as it is
HEADING_WORDS = 160
_PROSE = re.compile(r"[.!?][”’\")]*$")
_THANKS = re.compile(r"\bI\s+thank\s+you\b", re.I)


def split_heading(lines: list[str]) -> tuple[list[str], list[str]]:
    """The text's letterhead and title block, and the speech after it; no block when unsure.

    The block ends where the speech begins, and may not read as prose (a line of ten words or more that
    ends a sentence, or three sentences however its lines wrap), so that a salutation inside a speech never
    cuts its opening paragraphs away."""
    words, note = 0, None
    for i, line in enumerate(lines[:HEADING_LINES]):
        if len(line.split()) >= 10 and _PROSE.search(line.strip()) or len(_SENTENCE.findall(" ".join(lines[:i]))) >= 3:
            break
        m = _SPEECH_START.search(line)
        if m and (m.start() == 0 or not _THANKS.search(line[:m.start()])):  # not "I thank you very much, Mr. President."
            return _cut(lines, i, m.start() + len(m.group()) - len(m.group().lstrip()))
        if (t := _THANKS.search(line)) and not _SENTENCE.search(" ".join([*lines[:i], line[:t.start()]])):
            return _cut(lines, i, t.start())  # "... of UN webcast I thank you very much, Mr. President."
        if _OPENING.match(line) and not _SENTENCE.search(" ".join(lines[:i])):
            return _cut(lines, i, 0)
        for n in _TEXT_NOTE.finditer(line):
            note = (i, n.start(), n.end())
        words += len(line.split())
        if words > HEADING_WORDS:
            break
    if note and not _SENTENCE.search(" ".join([*lines[:note[0]], lines[note[0]][:note[1]]])):
        return _cut(lines, note[0], note[2])
    return [], lines


def _cut(lines: list[str], i: int, col: int) -> tuple[list[str], list[str]]:
    """Lines ``[:i]`` and line ``i`` up to ``col`` are the block (with a date line just below it); the rest is the speech."""
    line = lines[i]
    head = [*lines[:i], line[:col]] if line[:col].strip() else lines[:i]
    rest = [line[col:], *lines[i + 1:]] if line[col:].strip() else lines[i + 1:]
    while len(rest) > 1 and (not rest[0].strip() or _DATE_LINE.match(rest[0])):
        head, rest = [*head, rest[0]] if rest[0].strip() else head, rest[1:]
    return ([], lines) if not "".join(head).strip() or not "".join(rest).strip() else (head, rest)


# Occasions, recognised in the title or in the statement's own heading (first lines of the text).
OCCASIONS = [
    (re.compile(r"informal,? interactive dialogue", re.I), "General Assembly informal interactive dialogue on the responsibility to protect"),
    (re.compile(r"formal debate|plenary meeting on the responsibility to protect", re.I), "General Assembly formal debate on the responsibility to protect"),
    (re.compile(r"thematic panel discussion", re.I), "General Assembly thematic panel discussion on the responsibility to protect"),
    (re.compile(r"Human Rights Council", re.I), "Human Rights Council"),
    (re.compile(r"Security Council", re.I), "Security Council"),
    (re.compile(r"General Assembly", re.I), "General Assembly"),
]


# -- parsing -------------------------------------------------------------------------------------
def parse(text: str, ctx: ParseContext) -> list[ParsedDocument]:
    """One document holding one statement, whose paragraphs are the speech's paragraphs in order (its
    letterhead and title block, where one can be told apart, are the document's ``r2p:titleBlock``)."""
    meta = ctx.meta
    doc = ParsedDocument(meta=meta)
    where = str(ctx.path or meta.file or meta.id)
    lines = without_page_numbers(text.splitlines())
    statement = Node(kind="statement", attrs={"line": "1"})
    _speaker(statement, meta.extra.get("speaker", ""), where, doc)
    head, speech = split_heading(lines)
    if head:  # kept as printed, out of the paragraphs: a letterhead answers no question
        meta.extra["title_block"] = "\n".join(line.strip() for line in head if line.strip())
    statement.children = [speech_paragraph(p, ctx) for p in paragraphs(speech)]
    body = " ".join(p.text for p in statement.children)
    statement.attrs["language"] = meta.language = detect_language(body) or meta.language
    if meta.extra.get("original_link"):
        statement.attrs["link"] = meta.extra["original_link"]
    said = " ".join([*head, body])  # "Statement on behalf of the Group of Friends" is often in the title block
    if others := spoken_for_states(said, statement.attrs.get("represents")):
        statement.attrs.setdefault("joint", joint_attr(others))
    if group := spoken_for(said, statement.attrs.get("represents")):
        statement.attrs.setdefault("on_behalf_of_kind", group.kind)
        statement.attrs.setdefault("on_behalf_of", group.key)
    words = body.split()
    if len(words) < MIN_WORDS:
        doc.warnings.append(f"{where}:1: statement text is only a title or a cover page ({len(words)} words); kept")
    elif (noise := ocr_noise(words)) > OCR_NOISE:
        first = next((i for i, line in enumerate(lines, 1) if ocr_noise(line.split()) > OCR_NOISE), 1)
        doc.warnings.append(f"{where}:{first}: OCR noise: {noise:.0%} of the words are unreadable; text kept as read")
    doc.children = [statement]
    return [doc]


def without_page_numbers(lines: list[str]) -> list[str]:
    """``lines`` with the page numbers blanked, so that a sentence broken by one joins up again (the
    paragraphs are cut at sentence ends, never at blank lines); line numbers hold."""
    out, page = list(lines), 0
    for i, line in enumerate(lines):
        line = line.strip()
        if _PAGE_MARK.match(line):
            out[i], page = "", int(re.search(r"\d+", line).group())
        elif _BARE_NUMBER.match(line) and (int(line) == page + 1 or (page == 0 and line == "2")):
            out[i], page = "", int(line)
    return out


def _speaker(statement: Node, source: str, where: str, doc: ParsedDocument) -> None:
    """The speaking State, organization or office, from the collection's ``Source`` column."""
    source = " ".join(source.split())
    if not source:
        statement.attrs["role"] = "unknown"
        doc.warnings.append(f"{where}:1: the collection names no speaking State or organization; kept unattributed")
        return
    statement.attrs["represents_name"] = source
    for pattern, role, organization in OFFICES:
        if pattern.match(source):
            statement.attrs.update(role=role, office=source, represents_kind="organization", represents=organization)
            return
    name = source
    if m := _GROUP_IN_SOURCE.match(source):  # "Barbados on behalf of CARICOM"
        name = m.group("state")
        if group := resolve(m.group("group")):
            statement.attrs.update(on_behalf_of_kind=group.kind, on_behalf_of=group.key)
    party = resolve(name)
    if party is None and (parties := joint(name)):  # "Costa Rica and Denmark": delivered by the first, for all
        party = parties[0]
        statement.attrs["joint"] = joint_attr(parties[1:])
        statement.attrs.update(represents_kind=party.kind, represents=party.key, role="representative",
                               represents_name=" and ".join(p.name for p in parties))
        return
    if party is None:
        statement.attrs["role"] = "representative"
        doc.warnings.append(f"{where}:1: speaker '{source}' is in no table of States or organizations; kept as printed")
        return
    role = "observer" if party.observer else "representative" if party.kind in ("country", "group") else "official"
    # the collection's spelling ("UK") stays in the document's r2p:speaker; citations use the table's name
    statement.attrs.update(represents_kind=party.kind, represents=party.key, role=role, represents_name=party.name)


def detect_language(text: str) -> str | None:
    """en, fr or es by the commonest function words; None when the text is too short to tell."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    if len(words) < 20:
        return None
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    return max(counts, key=counts.get)


def ocr_noise(words: list[str]) -> float:
    """The share of tokens that look like OCR misreadings (stray symbols, digits inside words)."""
    if not words:
        return 0.0
    return sum(bool(_NOISE.search(w)) or not _WORD.match(w) for w in words) / len(words)


# -- the manifest, from statements.csv ------------------------------------------------------------
def manifest_entries(csv_path: Path, text_dir: Path) -> tuple[list[dict], list[str]]:
    """One manifest entry per CSV row whose text exists, and warnings (``file:line``) for the rest."""
    entries, warnings = [], []
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            line = f"{csv_path}:{reader.line_num}"  # the line the row ends on
            text_file = text_dir / f"{row['id']}.txt"
            if not text_file.is_file():
                warnings.append(f"{line}: no text file {text_file.name} for statement {row['id']}; skipped")
                continue
            head = "\n".join(text_file.read_text(encoding="utf-8", errors="replace").splitlines()[:15])
            entry = _entry(row, head, text_dir.name)
            if not row.get("Source", "").strip():
                warnings.append(f"{line}: statement {row['id']} has no Source (speaking State or organization)")
            entries.append(entry)
    return entries, warnings


def _entry(row: dict, head: str, text_folder: str) -> dict:
    source = " ".join(row.get("Source", "").split())
    title = " ".join(row.get("Title", "").split())
    date = statement_date(row.get("Date", ""), head)
    year = date[:4] if date else None
    occasion = statement_occasion(title, head, date)
    entry = {
        "file": f"{text_folder}/{row['id']}.txt",
        "id": f"GCR2P-statement-{row['id']}",
        "type": "statement",
        "title": title or f"Statement by {source or 'an unnamed speaker'}{f' ({year})' if year else ''}",
        "language": "en",
        "source": COLLECTION + (f"; original: {row['link'].strip()}" if row.get("link", "").strip() else ""),
        "extra": {"speaker": source, "collection_id": row["id"]},
    }
    if date:
        entry["date"] = date
    if occasion:
        entry["extra"]["occasion"] = occasion
    if row.get("link", "").strip():
        entry["extra"]["original_link"] = row["link"].strip()
    if row.get("Type", "").strip():
        entry["extra"]["statement_type"] = row["Type"].strip()
    return entry


def statement_date(csv_date: str, head: str) -> str | None:
    """The CSV's day, or only its year when the day is the ``YYYY-01-01`` placeholder, unless the
    statement's heading prints a full date in that year."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", csv_date.strip())
    if not m:
        return None
    if (m.group(2), m.group(3)) != ("01", "01"):
        return m.group(0)
    printed = _DATE.search(head)
    if printed and printed.group(3) == m.group(1):
        return f"{printed.group(3)}-{MONTHS.index(printed.group(2)) + 1:02d}-{int(printed.group(1)):02d}"
    return m.group(1)


def statement_occasion(title: str, head: str, date: str | None) -> str | None:
    """"2017 General Assembly informal interactive dialogue on the responsibility to protect", from the
    title or the statement's heading; None when neither names the occasion."""
    for text in (title, head):
        for pattern, label in OCCASIONS:
            if pattern.search(text):
                return f"{date[:4]} {label}" if date else label
    return None


def write_manifest(entries: list[dict], path: Path) -> None:
    out = ["# Generated by `python -m ingest.statements` from statements.csv; do not edit by hand.",
           f"# {COLLECTION} (assembled by YasenPetrov/r2p-speeches). Cite the collection and the original link.", ""]
    for entry in entries:
        out.append("[[document]]")
        for key in ("file", "id", "type", "title", "date", "language", "source"):
            if key in entry:
                out.append(f"{key} = {_toml(entry[key])}")
        out.append("extra = { " + ", ".join(f"{k} = {_toml(v)}" for k, v in entry["extra"].items()) + " }")
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the manifest of the collected statements from statements.csv.")
    parser.add_argument("csv", type=Path)
    parser.add_argument("text_dir", type=Path)
    parser.add_argument("--write", type=Path, required=True, help="manifest.toml to write (beside text_dir)")
    args = parser.parse_args(argv)
    entries, warnings = manifest_entries(args.csv, args.text_dir)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    write_manifest(entries, args.write)
    print(f"{len(entries)} statements written to {args.write}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def preload() -> None:
    """Load the speaker and theme tables (see ``ingest.parsers.preload``)."""
    resolve("")
    themes()
