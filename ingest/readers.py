"""Read a file into text, refusing what is not a document with a reason that names the file."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ingest.model import IngestError
from ingest.pdf import pdf_to_text

TEXT_SUFFIXES = {".txt", ".md", ".text"}
READABLE_SUFFIXES = TEXT_SUFFIXES | {".pdf"}


class ReadLimits(Protocol):
    """The limits a reader needs (``kg.settings.Settings`` has them): ingest does not depend on kg."""

    pdf_max_bytes: int
    pdf_max_pages: int


def unknown_format(path: Path) -> IngestError:
    return IngestError(path, f"unknown format '{path.suffix.lower() or '(no extension)'}': "
                             f"expected {', '.join(sorted(READABLE_SUFFIXES))}")


def read_text(path: Path, settings: ReadLimits, *, page_marks: bool = False) -> str:
    """The file's text; ``page_marks``: a PDF's page breaks as "3/12" lines (``ingest.pdf.pdf_to_text``)."""
    if not path.exists():
        raise IngestError(path, "no such file")
    if not path.is_file():
        raise IngestError(path, "not a regular file")
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(path, "empty file")
    suffix = path.suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        if not data.startswith(b"%PDF-"):
            raise IngestError(path, "named .pdf but is not a PDF (no %PDF- header)")
        # pypdf can emit NULs for glyphs it cannot map: they are no text, and never reach the graph.
        return pdf_to_text(path, max_bytes=settings.pdf_max_bytes, max_pages=settings.pdf_max_pages,
                           page_marks=page_marks).replace("\x00", "")
    if suffix not in TEXT_SUFFIXES:
        raise unknown_format(path)
    if b"\x00" in data:  # anywhere, not only in the first block: a NUL must never be stored
        raise IngestError(path, "binary content in a text file (NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(path, f"not UTF-8 text (byte {exc.start}: {exc.reason})") from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")
