"""The corpus manifest (``manifest.toml``) and metadata detection for files it does not list.

The manifest is where facts about documents live (symbol, title, date, type, aliases, embedded
documents). A file with no entry is still ingested, with metadata detected from its text and a
warning naming what was guessed.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.model import DOC_TYPES, DocMeta, IngestError
from ingest.references import SYMBOL_RE, Instruments
from kg.namespaces import slug, symbol_slug

MANIFEST_NAME = "manifest.toml"


@dataclass
class Source:
    """One file to ingest: its path, its metadata, and the documents it embeds."""

    path: Path
    meta: DocMeta
    embeds: list[DocMeta] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass
class Manifest:
    sources: list[Source]
    instruments: Instruments
    errors: list[IngestError]  # entries that cannot be ingested (e.g. no such file)


def _meta_from_entry(entry: dict, where: str, file: Path | None) -> DocMeta:
    for key in ("id", "type", "title"):
        if not entry.get(key):
            raise IngestError(where, f"manifest entry has no '{key}'")
    if entry["type"] not in DOC_TYPES:
        raise IngestError(where, f"unknown document type '{entry['type']}' (expected one of {', '.join(DOC_TYPES)})")
    return DocMeta(
        id=entry["id"],
        type=entry["type"],
        title=entry["title"],
        symbol=entry.get("symbol"),
        date=str(entry["date"]) if entry.get("date") else None,
        language=entry.get("language", "en"),
        body=entry.get("body"),
        source=entry.get("source"),
        file=file,
        extra={k: str(v) for k, v in entry.get("extra", {}).items()},
    )


def load_manifest(folder: Path) -> Manifest:
    """Read ``folder/manifest.toml``; a missing manifest is an empty one."""
    path = folder / MANIFEST_NAME
    instruments = Instruments()
    if not path.exists():
        return Manifest([], instruments, [])
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(path, f"invalid manifest: {exc}") from exc
    sources, errors = [], []
    for i, entry in enumerate(data.get("document", []), start=1):
        where = f"{path} [[document]] #{i} ({entry.get('file', '?')})"
        try:
            if not entry.get("file"):
                raise IngestError(where, "manifest entry has no 'file'")
            file = folder / entry["file"]
            meta = _meta_from_entry(entry, where, file)
            embeds = [_meta_from_entry(e, f"{where} embeds #{j}", file) for j, e in enumerate(entry.get("embeds", []), 1)]
        except IngestError as exc:
            errors.append(exc)
            continue
        try:
            for doc, raw in [(meta, entry)] + list(zip(embeds, entry.get("embeds", []))):
                instruments.add(doc.id, list(raw.get("aliases", [])) + [doc.title] + ([doc.symbol] if doc.symbol else []),
                                doc.symbol, doc.title, numbering=raw.get("article_numbering"))
        except ValueError as exc:
            errors.append(IngestError(where, str(exc)))
            continue
        if not file.is_file():
            errors.append(IngestError(file, "listed in the manifest but no such file"))
            continue
        sources.append(Source(file, meta, embeds, list(entry.get("aliases", []))))
    for entry in data.get("known", []):
        instruments.add(entry["id"], list(entry.get("aliases", [])) + [entry["title"]], entry.get("symbol"), entry["title"])
    return Manifest(sources, instruments, errors)


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_RE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS})\s+(\d{{4}})\b")
_MONTH_NUM = {m: i for i, m in enumerate(_MONTHS.split("|"), start=1)}


def parse_date(text: str) -> str | None:
    """The first "9 July 2013"-style date in ``text`` as ISO ``2013-07-09``."""
    m = DATE_RE.search(text)
    if not m:
        return None
    return f"{m.group(3)}-{_MONTH_NUM[m.group(2)]:02d}-{int(m.group(1)):02d}"


_RESOLUTION_HEAD = re.compile(r"^\s*RESOLUTION\s+(\d+)\s*\((\d{4})\)", re.MULTILINE | re.IGNORECASE)


def detect_meta(path: Path, text: str) -> DocMeta:
    """Metadata from the text alone, for a file the manifest does not list; ``guessed`` says which fields."""
    head = text[:4000]
    guessed = ["id", "type", "title"]
    symbol = None
    body = None
    if m := _RESOLUTION_HEAD.search(head):
        doc_type, symbol, body = "resolution", f"S/RES/{m.group(1)} ({m.group(2)})", "Security Council"
        doc_id = f"S-RES-{m.group(1)}-{m.group(2)}"
        title = f"Security Council resolution {m.group(1)} ({m.group(2)})"
    else:
        if m := SYMBOL_RE.search(head):
            symbol = m.group(0)
            if m2 := re.match(rf"\s*[–—-]\s*({SYMBOL_RE.pattern})", head[m.end():]):
                symbol = f"{symbol}–{m2.group(1)}"
        doc_id = symbol_slug(symbol) if symbol else slug(path.stem)
        if re.search(r"Report of the Secretary-General", head, re.IGNORECASE):
            doc_type, body = "report", "Secretary-General"
        elif re.search(r"\bLetter dated\b", head):
            doc_type = "letter"
        elif re.search(r"^\s*Article\s+(1|I)\b", text, re.MULTILINE) and re.search(r"Contracting Parties|States Parties|High Contracting", text):
            doc_type = "treaty"
        else:
            doc_type = "document"
        title = _first_title_line(head) or path.stem
    if symbol:
        guessed.append("symbol")
    if body:
        guessed.append("body")
    date = parse_date(head)
    if date:
        guessed.append("date")
    return DocMeta(id=doc_id, type=doc_type, title=title, symbol=symbol, date=date, body=body, file=path,
                   source=str(path), guessed=guessed)


def _first_title_line(head: str) -> str | None:
    for line in head.splitlines():
        line = line.strip()
        if len(line) > 15 and not SYMBOL_RE.fullmatch(line) and not DATE_RE.search(line) and not line.isupper():
            return line[:200]
    return None
