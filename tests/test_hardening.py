"""Issue 15's defects, each with a regression test named after it (the pool's are in test_query_pool_defences)."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from ingest.manifest import load_manifest
from kg.ingestion import collect_sources
from kg.service import store_view
from kg.store import OxigraphStore
from tests.conftest import CORPUS, make_settings, run_ingest
from tests.servers import corpus_server  # noqa: F401  (fixture)


def test_options_on_sparql_lists_only_the_methods_it_answers(corpus_server):  # noqa: F811
    for path in ("/sparql", "/sparql/"):
        r = httpx.options(corpus_server.url + path)
        assert (r.status_code, r.headers["allow"]) == (204, "GET, POST, OPTIONS")
    r = httpx.put(corpus_server.url + "/sparql", content="ASK {}")
    assert (r.status_code, r.headers["allow"]) == (405, "GET, POST, OPTIONS")


# -- symlinks and manifests (issue 15, defect 1) -------------------------------------------------------
def test_symlinks_are_not_followed_when_a_folder_is_ingested(tmp_path):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    shutil.copy(CORPUS / "resolutions" / "S-RES-0808-1993.txt", docs / "sub" / "res808.txt")
    (docs / "passwd_link.txt").symlink_to(secret)
    (docs / "linked_folder").symlink_to(secret.parent, target_is_directory=True)
    settings = make_settings(tmp_path / "data", corpus_dir=tmp_path / "no-corpus")
    store = OxigraphStore(settings.store_dir)
    report = run_ingest(settings, store, [docs])
    assert sorted((Path(e.path).name, e.reason) for e in report.errors) == [
        ("linked_folder", "symbolic link, not followed (a folder is read without leaving it)"),
        ("passwd_link.txt", "symbolic link, not followed (a folder is read without leaving it)")]
    assert report.written == ["S-RES-808-1993"]
    assert not store.ask('ASK { ?s ?p ?o FILTER(CONTAINS(STR(?o), "root:x:0:0")) }')


def test_a_manifest_entry_cannot_name_a_file_outside_its_folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / "resolutions" / "S-RES-0808-1993.txt", tmp_path / "outside.txt")
    (docs / "manifest.toml").write_text('[[document]]\nfile = "../outside.txt"\nid = "x"\ntype = "resolution"\ntitle = "X"\n')
    manifest = load_manifest(docs)
    assert manifest.sources == []
    assert [e.reason for e in manifest.errors] == [
        "manifest entry names a file outside the manifest's folder (or through a symbolic link)"]


def test_subfolder_manifests_describe_their_files_and_ignore_leaves_files_out():
    sources, errors = collect_sources([CORPUS / "debates"], load_manifest(CORPUS / "debates"))
    assert errors == []
    assert {s.meta.type for s in sources} == {"verbatim_record", "statement"}
    assert "A/72/PV.100" in {s.meta.symbol for s in sources}
    assert not any(s.path.name in ("README.md", "statements.csv") for s in sources)


def test_the_corpus_folder_leaves_its_shipped_vectors_out():
    """`r2p ingest` with no paths reads corpus/ whole: the search index's shipped vectors are not a document."""
    assert (CORPUS / "vectors" / "bge-small-en-v1.5.npz").is_file()
    sources, errors = collect_sources([CORPUS], load_manifest(CORPUS))
    assert errors == [] and len(sources) == 853
    assert not any("vectors" in s.path.parts for s in sources)


# -- sentences, not tracebacks (issue 15, defect 8) ------------------------------------------------------
def test_a_locked_store_says_another_ingest_is_running(tmp_path):
    holder = OxigraphStore(tmp_path / "store")  # holds the store's lock, as a running `r2p ingest` does
    done = subprocess.run([sys.executable, "-c", "from kg.cli import run; run()", "--data", str(tmp_path), "ingest",
                           "--no-index", str(CORPUS / "resolutions")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    message = " ".join(done.stderr.split())
    assert message == f"error: the store in {tmp_path / 'store'} is in use by another process: is another `r2p ingest` running?"
    assert "Traceback" not in done.stderr
    assert len(holder.named_graphs()) == 0  # nothing was written past the lock


# -- NUL bytes (issue 15, defect 7) ---------------------------------------------------------------------
def test_a_nul_byte_after_the_first_8_kib_is_refused_not_stored(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    text = (CORPUS / "resolutions" / "S-RES-0808-1993.txt").read_text()
    (docs / "res808.txt").write_text(text + "\n" + "x" * 9000 + "\x00 tail\n")
    settings = make_settings(tmp_path / "data", corpus_dir=tmp_path / "no-corpus")
    store = OxigraphStore(settings.store_dir)
    report = run_ingest(settings, store, [docs])
    assert [(Path(e.path).name, e.reason) for e in report.errors] == [("res808.txt", "binary content in a text file (NUL bytes)")]
    assert report.written == [] and not store.ask('ASK { ?s ?p ?o FILTER(CONTAINS(STR(?o), "\\u0000")) }')


def test_a_one_megabyte_get_is_answered_414_not_reset(corpus_server):  # noqa: F811
    host, port = corpus_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(b"GET /sparql?query=" + b"x" * 1_000_000 + b" HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 414 Request-URI Too Long"
    assert json.loads(body) == {"error": "URL longer than the limit of 65536 bytes: send a long query in a POST body"}


# -- reopening the store retried whatever the error's class (issue 15, defect 5) ------------------------
def test_500_while_a_writer_compacts_the_store_view_retries_a_runtimeerror(corpus_store, corpus_settings, monkeypatch):
    """RocksDB reports a file removed by compaction between listing and opening as RuntimeError
    ("Corruption: … .sst: No such file or directory"); the view must retry it as it retries OSError."""
    failures = ["Corruption: /data/store/000123.sst: No such file or directory"]

    def open_during_compaction(path, *, read_only=False):
        if failures:
            raise RuntimeError(failures.pop())
        return OxigraphStore(path, read_only=read_only)

    monkeypatch.setattr(store_view, "OxigraphStore", open_during_compaction)
    view = store_view.StoreView(corpus_settings.store_dir)
    store = view.get()  # the first open fails as during a compaction; the retry opens the store
    assert failures == [] and store.ask("ASK { ?s ?p ?o }")


# -- a full disk (issue 15, defect 8) ---------------------------------------------------------------------
FULL_DISK_SCRIPT = """
set -u
mount -t tmpfs -o size=3m none "$1" || exit 77
disk="$1" python="$2" first="$3"
shift 3
if [ -n "$first" ]; then "$python" -c 'from kg.cli import run; run()' --data "$disk" ingest --no-index "$first"; fi
"$python" -c 'from kg.cli import run; run()' --data "$disk" ingest --no-index "$@"
echo "exit=$?"
ls "$disk"
"$python" -c '
import sys
from kg.store import OxigraphStore
store = OxigraphStore(sys.argv[1] + "/store", read_only=True)
for row in store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
    print("graph", row["g"], row["n"])
' "$disk"
"""
PARTS = [str(CORPUS / "resolutions"), str(CORPUS / "treaties")]


def _fill_the_disk(mount: Path, first: str) -> tuple[str, dict[str, int]]:
    """Ingest ``first`` (if any), then the resolutions and treaties, on a 3 MB disk: the messages and
    the graphs left with their sizes."""
    mount.mkdir()
    done = subprocess.run(["unshare", "--mount", "sh", "-c", FULL_DISK_SCRIPT, "sh", str(mount), sys.executable,
                           first, *PARTS], capture_output=True, text=True, timeout=600)
    if done.returncode == 77:
        pytest.skip("this system does not let the tests mount a small tmpfs (needs root and mount namespaces)")
    assert " ".join(done.stderr.split()).endswith(
        f"error: the store in {mount / 'store'} cannot be written: no space left on the device"), done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "exit=2" in done.stdout
    assert "store.building" not in done.stdout  # a first ingestion's build aside is removed when it fails
    return done.stdout, {line.split()[1]: int(line.split()[2]) for line in done.stdout.splitlines()
                         if line.startswith("graph ")}


def test_a_full_disk_is_a_sentence_and_leaves_only_whole_documents(tmp_path):
    """A 3 MB disk fills while documents are added to a store: the run stops with a sentence, and
    every graph left is complete (each document is written in a transaction of its own)."""
    _, left = _fill_the_disk(tmp_path / "small-disk", str(CORPUS / "resolutions" / "S-RES-0808-1993.txt"))
    settings = make_settings(tmp_path / "roomy", corpus_dir=CORPUS)
    clean = OxigraphStore(settings.store_dir)
    run_ingest(settings, clean, [Path(p) for p in PARTS])
    whole = {r["g"]: int(r["n"]) for r in clean.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    assert "https://w3id.org/r2p-kg/graph/S-RES-808-1993" in left
    left.pop("https://w3id.org/r2p-kg/graph/catalogue")  # the first run's: the failed run never got to refresh it
    assert len(left) > 2 and all(whole[g] == n for g, n in left.items()), {g: (n, whole[g]) for g, n in left.items()}


def test_a_full_disk_during_a_first_ingestion_leaves_the_store_as_it_was(tmp_path):
    """A first ingestion is built aside (kg.bulk_build): when the disk fills, the store stays empty."""
    _, left = _fill_the_disk(tmp_path / "small-disk", "")
    assert left == {}
