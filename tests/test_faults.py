"""Faults: an ingest killed at random points loses nothing once re-run; readers never see half a document."""
from __future__ import annotations

import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.composition import Components
from kg.store import OxigraphStore, RemoteStore
from tests.conftest import CORPUS, make_settings
from tests.servers import start_oxigraph_server
from tests.test_remote_store import stable_dump

R2P = Path(sys.executable).parent / "r2p"
SMALL = ["resolutions", "treaties/genocide-convention-1948.txt", "treaties/un-charter-1945.txt"]


def small_corpus(folder: Path) -> list[str]:
    """Copy a few corpus files with the manifest entries for exactly those files (and every [[known]]); their ids."""
    folder.mkdir()
    for part in SMALL:
        src = CORPUS / part
        if src.is_dir():
            shutil.copytree(src, folder / part)
        else:
            (folder / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, folder / part)
    blocks = re.split(r"(?m)^(?=\[\[(?:document|known)\]\]$)", (CORPUS / "manifest.toml").read_text())
    kept = [b for b in blocks[1:] if b.startswith("[[known]]") or
            (m := re.search(r'^file = "([^"]+)"', b, re.M)) and (folder / m.group(1)).is_file()]
    (folder / "manifest.toml").write_text("".join(kept))
    return [re.search(r'^id = "([^"]+)"', b, re.M).group(1) for b in kept if b.startswith("[[document]]")]


def r2p_ingest(data: Path, corpus: Path) -> subprocess.Popen:
    return subprocess.Popen([str(R2P), "--data", str(data), "--corpus", str(corpus), "ingest", "--no-index"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until_store_opened(proc: subprocess.Popen, store_dir: Path) -> None:
    """Wait until the process has opened the store (RocksDB writes a new log and OPTIONS file on each open)."""
    before = set(store_dir.iterdir()) if store_dir.exists() else set()
    while proc.poll() is None and (not store_dir.exists() or set(store_dir.iterdir()) == before):
        time.sleep(0.005)


PARAS_PER_DOC = "SELECT ?doc (COUNT(?p) AS ?n) WHERE { ?p a r2p:Paragraph ; r2p:inDocument ?doc } GROUP BY ?doc ORDER BY ?doc"


def test_ingest_killed_at_random_points_then_rerun_gives_the_clean_graph(tmp_path):
    corpus = tmp_path / "corpus"
    manifest_ids = small_corpus(corpus)
    assert len(manifest_ids) == 9
    clean = r2p_ingest(tmp_path / "clean", corpus)
    wait_until_store_opened(clean, tmp_path / "clean" / "store")
    opened = time.monotonic()
    assert clean.wait(timeout=120) == 0, clean.stderr.read().decode()
    writing = time.monotonic() - opened  # how long a full run works on the store: where the kills land

    seed = random.randrange(2**32)
    rng = random.Random(seed)
    outcomes = []
    for _ in range(3):
        proc = r2p_ingest(tmp_path / "killed", corpus)
        wait_until_store_opened(proc, tmp_path / "killed" / "store")
        time.sleep(rng.uniform(0, 0.8 * writing))
        proc.send_signal(signal.SIGKILL)
        outcomes.append(proc.wait(timeout=30))
    assert -signal.SIGKILL in outcomes, f"no run was killed before it finished (seed {seed}, outcomes {outcomes})"
    final = r2p_ingest(tmp_path / "killed", corpus)
    assert final.wait(timeout=120) == 0, final.stderr.read().decode()

    expected, recovered = OxigraphStore(tmp_path / "clean" / "store"), OxigraphStore(tmp_path / "killed" / "store")
    graphs = {g.value.rsplit("/", 1)[-1] for g in recovered.named_graphs()}
    assert set(manifest_ids) | {"ontology", "catalogue"} == graphs, f"seed {seed}"  # the shared graphs too
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    assert recovered.select(per_graph) == expected.select(per_graph), f"seed {seed}"
    assert len(recovered) == len(expected)
    assert recovered.select(PARAS_PER_DOC) == expected.select(PARAS_PER_DOC)
    assert stable_dump(recovered) == stable_dump(expected), f"seed {seed}"
    described = recovered.select("SELECT ?d (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?d r2p:documentType ?t } } GROUP BY ?d")
    assert {r["d"].rsplit("/", 1)[-1]: r["n"] for r in described} == {i: "1" for i in manifest_ids}


@pytest.fixture(params=["embedded", "remote"])
def live_store(request, tmp_path):
    if request.param == "embedded":
        yield OxigraphStore(tmp_path / "store")
        return
    server = start_oxigraph_server(tmp_path / "server")
    yield RemoteStore(server.url)
    server.stop()


def test_queries_during_reingestion_see_the_old_or_the_new_document_never_half(tmp_path, live_store):
    docs = tmp_path / "docs"
    docs.mkdir()
    target = docs / "S-RES-0808-1993.txt"
    old = (CORPUS / "resolutions" / target.name).read_text()
    new = old[: old.index("2. Requests the Secretary-General")] + "2. Decides to remain actively seized of the matter.\n"
    settings = make_settings(tmp_path / "data", corpus_dir=CORPUS)
    count = ("SELECT (COUNT(?p) AS ?n) WHERE { ?p a r2p:Paragraph ; "
             "r2p:inDocument <https://w3id.org/r2p-kg/doc/S-RES-808-1993> }")

    components = Components(settings, store=live_store)

    def ingest_version(text: str) -> int:
        target.write_text(text)
        report = components.ingest([target])
        assert not report.errors and report.written == ["S-RES-808-1993"], report.errors
        return int(live_store.select(count)[0]["n"])

    new_count, old_count = ingest_version(new), ingest_version(old)
    assert old_count == new_count + 1

    seen: list[int] = []
    done = threading.Event()

    def reader():
        while not done.is_set():
            seen.append(int(live_store.select(count)[0]["n"]))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(6):
            ingest_version(new if i % 2 == 0 else old)
    finally:
        done.set()
        thread.join()
    assert seen and set(seen) <= {old_count, new_count}, sorted(set(seen))
