"""Hostile text files in a folder: each ends in one clear error within its limit, the good files go in."""
from __future__ import annotations

import re
import shutil

from ingest.namespaces import graph_uri
from kg.store import OxigraphStore
from tests.conftest import CORPUS, make_settings, run_ingest

MB = 1_000_000
TEXT_MAX_BYTES = 8 * MB
TIMEOUT_S = 8.0


def _write_hostile(docs) -> None:
    """Written in tmp by the test: a huge file, one 50 MB line, a million short lines, a long line under the cap."""
    with open(docs / "huge.txt", "w") as f:
        for _ in range(60):
            f.write("The situation in Kenya and the responsibility to protect.\n" * (MB // 58))
    (docs / "one-line.txt").write_text("The situation in Kenya and Nigeria. " * (50 * MB // 36))
    (docs / "million-lines.txt").write_text("Kenya.\n" * 1_000_000)
    (docs / "long-line-under-cap.txt").write_text("The situation in Kenya and Nigeria. " * 200_000)


def test_hostile_text_files_end_in_a_clear_error_and_the_good_ones_are_ingested(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    _write_hostile(docs)
    for name in ("S-RES-0808-1993.txt", "S-RES-0827-1993.txt"):
        shutil.copy(CORPUS / "resolutions" / name, docs / name)
    settings = make_settings(tmp_path / "data", corpus_dir=tmp_path / "no-corpus", text_max_bytes=TEXT_MAX_BYTES,
                             parse_timeout_s=TIMEOUT_S, ingest_workers=2)
    store = OxigraphStore(settings.store_dir)

    report = run_ingest(settings, store, [docs])

    reasons = {e.path.rsplit("/", 1)[-1]: e.reason for e in report.errors}
    assert set(reasons) == {"huge.txt", "one-line.txt", "million-lines.txt", "long-line-under-cap.txt"}
    over_cap = re.compile(rf"text file is \d+ bytes, over the limit of {TEXT_MAX_BYTES} \(R2P_TEXT_MAX_BYTES\)")
    assert over_cap.fullmatch(reasons["huge.txt"])
    assert over_cap.fullmatch(reasons["one-line.txt"])
    bounded = {f"parsing took longer than {TIMEOUT_S:g} s (R2P_PARSE_TIMEOUT_S); stopped",
               f"ran out of memory (over {settings.parse_memory_mb} MiB) while parsing"}
    assert reasons["million-lines.txt"] in bounded
    assert reasons["long-line-under-cap.txt"] in bounded
    assert sorted(report.written) == ["S-RES-808-1993", "S-RES-827-1993"]
    for key in report.written:  # each good file's graph is whole: its document, its paragraphs, its record
        graph = graph_uri(key)
        assert store.ask(f"ASK {{ GRAPH {graph} {{ <https://w3id.org/r2p-kg/doc/{key}> dcterms:title ?t }} }}")
        assert store.ask(f"ASK {{ GRAPH {graph} {{ ?p a r2p:Paragraph ; r2p:text ?x }} }}")
        assert store.graph_property(graph, "sourceSha256")
