"""The corpus manifest (``manifest.toml``) and metadata detection for files it does not list.

The manifest is where facts about documents live (symbol, title, date, type, aliases, embedded
documents). A file with no entry is still ingested, with metadata detected from its masthead and
file name (``ingest.masthead``, never from body text) and a warning naming what was guessed.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.masthead import (DATE, Masthead, from_file_name, iso_date, read_masthead, text_language, title_of,
                             with_file_symbol)
from ingest.model import DOC_TYPES, DocMeta, IngestError
from ingest.references import SYMBOL_RE, Instruments
from ingest.namespaces import slug, symbol_slug

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
    ignored: frozenset[Path] = frozenset()  # files of the folder that are not documents (``ignore = [...]``)


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


def _inside(file: Path, folder: Path) -> bool:
    """Is ``file`` inside ``folder`` once '..' and symbolic links are resolved?"""
    return file.resolve().is_relative_to(folder.resolve()) and not file.is_symlink()


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
            if not _inside(file, folder):
                raise IngestError(where, "manifest entry names a file outside the manifest's folder (or through a symbolic link)")
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
    ignored = frozenset(f.resolve() for pattern in data.get("ignore", []) for f in folder.glob(pattern))
    return Manifest(sources, instruments, errors, ignored)


DATE_RE = DATE  # "9 July 2013"; month names are declared once, in ingest.masthead


def parse_date(text: str) -> str | None:
    """The first "9 July 2013"-style date in ``text`` as ISO ``2013-07-09``."""
    return iso_date(text)


LANGUAGE_NAMES = {"en": "English", "fr": "French", "es": "Spanish", "ru": "Russian", "zh": "Chinese", "ar": "Arabic"}


def expression_id(work_id: str, language: str) -> str:
    """The id of one language version of a work: English keeps the work's id (so its URIs stay as
    they were), another language adds its code: ``A-79-785`` (English), ``A-79-785.fr``."""
    return work_id if language == "en" else f"{work_id}.{language}"


def detect_meta(path: Path, text: str, page_one: list[str] | None = None, *, masthead: Masthead | None = None) -> DocMeta:
    """Metadata for a file the manifest does not list, from its masthead and its file name only.

    ``page_one``: page 1's printed lines (``ingest.pdf.ReadPdf.page_one`` for a PDF); for a text
    file the head of the text stands for page 1. ``guessed`` names the fields detected; ``notes``
    say where the file name and the masthead disagree. ``masthead``: page 1 already read.
    """
    if masthead is None:
        masthead = read_masthead(page_one if page_one is not None else text.splitlines())
    file_symbol, file_language = from_file_name(path)
    notes = []
    if file_symbol and masthead.symbols and file_symbol not in masthead.symbols:
        notes.append(f"file name says {file_symbol} but the masthead says {masthead.symbol}; the masthead wins")
    if file_symbol and not masthead.symbols:
        masthead = with_file_symbol(masthead, file_symbol)
    symbols = masthead.symbols
    symbol = "–".join(symbols) or None
    doc_type = masthead.doc_type
    if doc_type == "document" and not symbols and _looks_like_treaty(text):
        doc_type = "treaty"
    language = file_language or masthead.language or text_language(text) or masthead.original or "en"
    work = symbol_slug(symbols[0]) if symbols else slug(path.stem)
    date = masthead.date or (masthead.adopted if doc_type == "resolution" else None)
    blocks = re.split(r"\n\s*\n", text[:8000])
    title = title_of(masthead, blocks) or _first_title_line(text[:4000]) or path.stem
    body = masthead.body or ("; ".join(masthead.organs) if masthead.organs else None)
    meta = DocMeta(id=expression_id(work, language), type=doc_type, title=title, symbol=symbol, date=date,
                   language=language, body=body, file=path, source=str(path), work=work,
                   distribution=masthead.distribution, original_language=masthead.original,
                   letter_date=masthead.letter_date, notes=notes,
                   extra=_masthead_extra(masthead))
    meta.guessed = ["id", "type", "title"] + [name for name in ("symbol", "body", "date") if getattr(meta, name)]
    return meta


def _masthead_extra(masthead: Masthead) -> dict[str, str]:
    """Page 1's facts beyond identity, kept as the document's properties (``r2p:titleBlock``,
    ``r2p:jobNumber``, ``r2p:organs``, ``r2p:issuedIn``): the title block as printed, the job number
    that identifies this language version in the UN's systems, the organs the masthead names, and the
    languages a version is issued in when it says "… only"."""
    facts = {"title_block": "\n".join(masthead.header_lines), "job_number": masthead.job_number,
             "organs": "; ".join(masthead.organs), "issued_in": masthead.languages}
    return {key: value for key, value in facts.items() if value}


def _looks_like_treaty(text: str) -> bool:
    return bool(re.search(r"^\s*Article\s+(1|I)\b", text, re.MULTILINE)
                and re.search(r"Contracting Parties|States Parties|High Contracting", text))


def _first_title_line(head: str) -> str | None:
    for line in head.splitlines():
        line = line.strip()
        if len(line) > 15 and not SYMBOL_RE.fullmatch(line) and not DATE_RE.search(line) and not line.isupper():
            return line[:200]
    return None
