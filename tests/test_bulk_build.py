"""A first ingestion is bulk-loaded aside and swapped in: the same graph as document-by-document writes."""
from __future__ import annotations

import shutil

from pyoxigraph import NamedNode

from kg.bulk_build import BulkStore, build_aside, swap_into_place
from kg.store import OxigraphStore
from tests.conftest import CORPUS, make_settings, run_ingest

RES = CORPUS / "resolutions"
G = NamedNode("https://w3id.org/r2p-kg/graph/test")


def _quads(store) -> set[str]:
    """Every quad but the ingestion's clock and the files' paths."""
    return {str(q) for q in store.quads_for_pattern() if "generatedAtTime" not in str(q.predicate)
            and "sourceFile" not in str(q.predicate)}


def test_a_first_ingestion_is_built_aside_and_equals_the_transactional_one(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(RES, docs)
    (tmp_path / "data" / "store.building").mkdir(parents=True)
    (tmp_path / "data" / "store.building" / "junk").write_text("left by a killed run")
    settings = make_settings(tmp_path / "data", corpus_dir=tmp_path / "none")
    on_disk = OxigraphStore(settings.store_dir)

    report = run_ingest(settings, on_disk, [docs])
    in_memory = OxigraphStore()  # no folder: written document by document, in transactions
    run_ingest(make_settings(tmp_path / "other", corpus_dir=tmp_path / "none"), in_memory, [docs])

    assert not report.errors and len(report.written) == len(list(RES.glob("*.txt")))
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["store"]  # nothing aside is left
    assert _quads(on_disk) == _quads(in_memory) and len(on_disk) == len(in_memory)
    reopened_before = len(on_disk)
    on_disk.close()
    assert len(OxigraphStore(settings.store_dir, read_only=True)) == reopened_before  # it is the store on disk


def test_a_later_ingestion_writes_into_the_store_itself(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(RES / "S-RES-0808-1993.txt", docs)
    settings = make_settings(tmp_path / "data", corpus_dir=tmp_path / "none")
    store = OxigraphStore(settings.store_dir)
    run_ingest(settings, store, [docs])
    assert build_aside(OxigraphStore()) is None  # in memory: nothing to build aside

    shutil.copy(RES / "S-RES-0827-1993.txt", docs)
    report = run_ingest(settings, store, [docs])

    assert report.written == ["S-RES-827-1993"] and report.unchanged == 1
    assert {"S-RES-808-1993", "S-RES-827-1993"} <= {g.value.rsplit("/", 1)[-1] for g in store.named_graphs()}


def test_a_bulk_store_reads_what_waits_and_replaces_a_graph_written_twice(tmp_path):
    main = OxigraphStore(tmp_path / "store")
    built = build_aside(main)
    assert isinstance(built, BulkStore)
    built.replace_graphs({G: b'<http://x/a> <http://x/p> "one .\\n two" .\n'})
    assert built.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }") == [{"o": "one .\n two"}]
    built.replace_graphs({G: b"<http://x/a> <http://x/p> <http://x/b> .\n"})  # written again: replaced
    swap_into_place(main, built)
    assert [str(q) for q in main.quads_for_pattern()] == [f"<http://x/a> <http://x/p> <http://x/b> {G}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
