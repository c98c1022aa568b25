"""Read a file into text, refusing what is not a document with a reason that names the file."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ingest.model import IngestError
from ingest.pdf import ReadPdf, read_pdf

TEXT_SUFFIXES = {".txt", ".md", ".text"}
READABLE_SUFFIXES = TEXT_SUFFIXES | {".pdf"}


class ReadLimits(Protocol):
    """The limits a reader needs (``kg.settings.Settings`` has them): ingest does not depend on kg."""

    pdf_max_bytes: int
    pdf_max_pages: int


def unknown_format(path: Path) -> IngestError:
    return IngestError(path, f"unknown format '{path.suffix.lower() or '(no extension)'}': "
                             f"expected {', '.join(sorted(READABLE_SUFFIXES))}")


class FileText:
    """A file read once: its text (a PDF's with or without page marks) and, for a PDF, page 1's printed lines."""

    def __init__(self, text: str | None = None, pdf: ReadPdf | None = None):
        self._text, self._pdf = text, pdf

    def text(self, *, page_marks: bool = False) -> str:
        """``page_marks``: a PDF's page breaks as "3/12" lines (``ingest.pdf.ReadPdf.text``)."""
        return self._pdf.text(page_marks=page_marks) if self._pdf is not None else self._text

    @property
    def page_one(self) -> list[str] | None:
        """Page 1's printed lines of a PDF (the masthead); None for a text file, whose head stands for page 1."""
        return self._pdf.page_one if self._pdf is not None else None


def read_file(path: Path, settings: ReadLimits) -> FileText:
    """The file, read and checked, or an IngestError that names it and says why it is not a document."""
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
        return FileText(pdf=read_pdf(path, max_bytes=settings.pdf_max_bytes, max_pages=settings.pdf_max_pages))
    if suffix not in TEXT_SUFFIXES:
        raise unknown_format(path)
    if b"\x00" in data:  # anywhere, not only in the first block: a NUL must never be stored
        raise IngestError(path, "binary content in a text file (NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(path, f"not UTF-8 text (byte {exc.start}: {exc.reason})") from exc
    return FileText(text=text.replace("\r\n", "\n").replace("\r", "\n"))
