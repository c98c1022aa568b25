"""PDF to text through pypdf, with the caps that untrusted PDFs need (size, pages, output size)."""
from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ingest.model import IngestError


def pdf_to_text(path: Path, *, max_bytes: int, max_pages: int) -> str:
    """The text of a PDF, pages separated by form feeds (``\\f``) so parsers can find page furniture."""
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(path, f"PDF is {size} bytes, over the limit of {max_bytes} (R2P_PDF_MAX_BYTES)")
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            raise IngestError(path, "PDF is encrypted; decrypt it first")
        pages = reader.pages
        if len(pages) > max_pages:
            raise IngestError(path, f"PDF has {len(pages)} pages, over the limit of {max_pages} (R2P_PDF_MAX_PAGES)")
        texts = [page.extract_text() or "" for page in pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as exc:
        raise IngestError(path, f"unreadable PDF ({type(exc).__name__}: {exc})") from exc
    text = "\f".join(texts)
    if not text.strip():
        raise IngestError(path, "PDF has no extractable text (scanned image?)")
    return text
