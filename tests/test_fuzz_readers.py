"""Hostile input through the readers: every file ends in a parse or a clear error, within the bounds.

Each input goes through ``read_file`` inside ``run_bounded`` (the forked, time- and memory-bounded
child that ingestion uses), so a hang or a bomb costs one child, never this process.
"""
from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st

from ingest.isolation import run_bounded
from ingest.model import IngestError
from ingest.readers import read_file
from kg.settings import Settings
from tests.conftest import CORPUS

PDF = (CORPUS / "pdf" / "A-79-785_S-2025-94.pdf").read_bytes()
TIMEOUT_S = 20.0
SETTINGS = Settings(data_dir=Path("unused"), pdf_max_bytes=20_000_000, pdf_max_pages=50)
# Reasons a hostile file may end with; anything else (notably "internal error") is a reader bug.
CLEAR_REASONS = re.compile(
    r"^(unreadable PDF \(\w+: .*\)|PDF has no extractable text \(scanned image\?\)|empty file"
    r"|named \.pdf but is not a PDF \(no %PDF- header\)|binary content in a text file \(NUL bytes\)"
    r"|not UTF-8 text \(byte \d+: .+\)|PDF has \d+ pages, over the limit of \d+ \(R2P_PDF_MAX_PAGES\)"
    r"|PDF is \d+ bytes, over the limit of \d+ \(R2P_PDF_MAX_BYTES\)|ran out of memory \(over \d+ MiB\) while parsing"
    r"|parsing took longer than [\d.]+ s \(R2P_PARSE_TIMEOUT_S\); stopped|PDF is encrypted.*)$", re.S)
FUZZ = hyp_settings(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])


def _read(path: Path, settings: Settings) -> str:
    """What ingestion does first with a file (``kg.ingestion._read_and_parse``): read it, then take its text."""
    return read_file(path, settings).text()


def memory_bound() -> int:
    """This process's address space plus 768 MiB: the child inherits the parent's mappings, then may grow this much."""
    vm_kb = int(re.search(r"VmSize:\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1))
    return vm_kb * 1024 + 768 * 2**20


def read_bounded(path: Path, data: bytes) -> tuple[str, str]:
    """("text", stripped text) or ("error", reason) for ``data`` saved as ``path``; any other outcome fails the test."""
    path.write_bytes(data)
    try:
        text = run_bounded(path, _read, (path, SETTINGS), timeout_s=TIMEOUT_S, memory_bytes=memory_bound())
        return "text", text.strip()
    except IngestError as exc:
        assert exc.path == str(path), exc
        assert CLEAR_REASONS.match(exc.reason), f"unclear reason for {len(data)} bytes: {exc.reason}"
        return "error", exc.reason


def make_pdf(content: bytes, *, filters: str = "", page_extra: bytes = b"") -> bytes:
    """A minimal one-page PDF around a content stream, with a correct xref table (so pypdf takes it at its word)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R " + page_extra + b" >>",
               b"<< /Length %d %s >>\nstream\n" % (len(content), filters.encode()) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_content(line: str) -> bytes:
    return b"BT /F1 12 Tf 72 700 Td (" + line.encode("latin-1") + b") Tj ET"


def test_the_hand_built_pdf_is_read_so_the_hostile_variants_below_test_the_reader(tmp_path):
    assert read_bounded(tmp_path / "ok.pdf", make_pdf(text_content("1. The Security Council decides."))) == (
        "text", "1. The Security Council decides.")


def test_a_flate_decompression_bomb_is_stopped(tmp_path):
    """120 MB of zeros compress to ~0.5 MB: pypdf's output cap (75 MB) stops it, well inside the memory bound."""
    packer = zlib.compressobj(1)
    chunk = b"0" * 2**20
    bomb = b"".join(packer.compress(chunk) for _ in range(120)) + packer.flush()
    assert len(bomb) < 2**20
    kind, reason = read_bounded(tmp_path / "bomb.pdf", make_pdf(bomb, filters="/Filter /FlateDecode"))
    assert kind == "error"
    assert reason.startswith("unreadable PDF (LimitReachedError: Limit reached while decompressing"), reason


@pytest.mark.parametrize("depth", [1_000, 20_000])
@pytest.mark.parametrize("open_, close", [(b"[", b"]"), (b"<< /A ", b" >>")], ids=["arrays", "dicts"])
def test_deeply_nested_objects_end_in_a_clear_outcome(tmp_path, depth, open_, close):
    nested = b"/Deep " + open_ * depth + b"1" + close * depth  # inline in the page, so reading the page parses it
    kind, value = read_bounded(tmp_path / "deep.pdf", make_pdf(text_content("Paragraph one."), page_extra=nested))
    assert (kind, value) == ("text", "Paragraph one.") or kind == "error"


def test_huge_lines_are_read_whole(tmp_path):
    line = "1. " + "genocide prevention" * 500_000  # one 10 MB line, no newline
    assert read_bounded(tmp_path / "huge.txt", line.encode()) == ("text", line)
    kind, value = read_bounded(tmp_path / "huge.pdf", make_pdf(text_content("x" * 200_000)))
    assert (kind, value) == ("text", "x" * 200_000) or kind == "error"


@hyp_settings(FUZZ, max_examples=40)
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".pdf", ".txt", ".md"]), pdf_header=st.booleans())
def test_random_bytes(tmp_path, data, suffix, pdf_header):
    read_bounded(tmp_path / f"random{suffix}", (b"%PDF-1.7\n" if pdf_header else b"") + data)


@hyp_settings(FUZZ, max_examples=12)
@given(cut=st.integers(min_value=1, max_value=len(PDF) - 1))
def test_truncated_pdf(tmp_path, cut):
    read_bounded(tmp_path / "truncated.pdf", PDF[:cut])


@hyp_settings(FUZZ, max_examples=10)
@given(edits=st.lists(st.tuples(st.integers(0, len(PDF) - 1), st.binary(min_size=1, max_size=64)), min_size=1, max_size=8))
def test_mutated_pdf(tmp_path, edits):
    data = bytearray(PDF)
    for offset, patch in edits:
        data[offset:offset + len(patch)] = patch
    read_bounded(tmp_path / "mutated.pdf", bytes(data))
