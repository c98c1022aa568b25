"""Ingestion as a whole: bad input is reported per file, nothing half-written, re-ingestion idempotent."""
from __future__ import annotations

import shutil

from kg.store import OxigraphStore
from tests.conftest import CORPUS, make_settings, run_ingest


def _graph_names(store):
    return {g.value.rsplit("/", 1)[-1] for g in store.named_graphs()}


def test_bad_files_are_reported_and_the_good_ones_ingested(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / "resolutions" / "S-RES-0808-1993.txt", docs / "res808.txt")
    (docs / "empty.txt").write_text("")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (docs / "slides.pptx").write_bytes(b"PK\x03\x04")
    (docs / "fake.pdf").write_text("this is not a pdf")
    (docs / "truncated.pdf").write_bytes((CORPUS / "pdf" / "A-79-785_S-2025-94.pdf").read_bytes()[:3000])
    settings = make_settings(tmp_path / "data", corpus_dir=tmp_path / "no-corpus")
    store = OxigraphStore(settings.store_dir)

    report = run_ingest(settings, store, [docs])

    reasons = {e.path.rsplit("/", 1)[-1]: e.reason for e in report.errors}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"] == "binary content in a text file (NUL bytes)"
    assert reasons["slides.pptx"] == "unknown format '.pptx': expected .md, .pdf, .text, .txt"
    assert reasons["fake.pdf"] == "named .pdf but is not a PDF (no %PDF- header)"
    assert reasons["truncated.pdf"].startswith(("unreadable PDF", "PDF has no extractable text"))
    assert len(reasons) == 5
    # The good file was ingested with detected metadata, and a warning says what was guessed.
    assert "S-RES-808-1993" in _graph_names(store)
    assert any("res808.txt: not in a manifest; guessed" in w and "symbol=S/RES/808 (1993)" in w for w in report.warnings)
    assert store.ask("ASK { <https://w3id.org/r2p-kg/doc/S-RES-808-1993> r2p:guessedField 'symbol' ; "
                     "dcterms:date '1993-02-22'^^xsd:date }")


def test_manifest_entry_without_file_is_an_error(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "manifest.toml").write_text('[[document]]\nfile = "missing.txt"\nid = "x"\ntype = "report"\ntitle = "X"\n')
    settings = make_settings(tmp_path / "data", corpus_dir=docs)
    report = run_ingest(settings, OxigraphStore(settings.store_dir))
    assert [e.reason for e in report.errors] == ["listed in the manifest but no such file"]
    assert report.errors[0].path.endswith("missing.txt")


def test_reingesting_unchanged_changes_nothing_and_a_changed_file_replaces_its_graph(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    target = docs / "res808.txt"
    shutil.copy(CORPUS / "resolutions" / "S-RES-0808-1993.txt", target)
    settings = make_settings(tmp_path / "data", corpus_dir=tmp_path / "none")
    store = OxigraphStore(settings.store_dir)
    first = run_ingest(settings, store, [docs])
    size = len(store)
    second = run_ingest(settings, store, [docs])
    assert (first.written, second.written, second.unchanged) == (["S-RES-808-1993"], [], 1)
    assert len(store) == size
    target.write_text(target.read_text().replace("Decides that an international tribunal", "Decides that a special tribunal"))
    third = run_ingest(settings, store, [docs])
    assert third.written == ["S-RES-808-1993"]
    texts = " ".join(r["t"] for r in store.select("SELECT ?t { ?p r2p:text ?t }"))
    assert "a special tribunal" in texts and "an international tribunal shall be established" not in texts


def test_whole_corpus_ingests_without_errors(corpus_store):
    names = _graph_names(corpus_store)
    assert {"A-CONF.183-9", "un-charter", "genocide-convention", "genocide-optional-protocol-draft", "A-79-785",
            "wimun-2025-ga2-study-guide", "osapg-office-brochure", "S-RES-827-1993", "ontology"} <= names


def test_a_changed_taxonomy_or_linker_data_file_rewrites_every_graph(tmp_path, monkeypatch):
    import kg.ingestion as pipeline

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / "resolutions" / "S-RES-0808-1993.txt", docs / "res808.txt")
    taxonomy = tmp_path / "taxonomies.ttl"
    taxonomy.write_text("# version 1\n")
    monkeypatch.setattr(pipeline, "ontology_files", lambda: [taxonomy])
    pipeline.pipeline_fingerprint.cache_clear()
    settings = make_settings(tmp_path / "data", corpus_dir=tmp_path / "none")
    store = OxigraphStore(settings.store_dir)
    assert run_ingest(settings, store, [docs]).written == ["S-RES-808-1993"]
    pipeline.pipeline_fingerprint.cache_clear()
    assert run_ingest(settings, store, [docs]).written == []  # same files, same fingerprint
    taxonomy.write_text("# version 2: a new match term\n")
    pipeline.pipeline_fingerprint.cache_clear()
    try:
        assert run_ingest(settings, store, [docs]).written == ["S-RES-808-1993"]
    finally:
        pipeline.pipeline_fingerprint.cache_clear()
