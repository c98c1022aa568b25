"""Builds and persists the search index from passages; only new or changed texts are embedded.

Layout of ``settings.index_dir``:

- ``build.json``: how the index was built (model, version, dimension, normalisation, unit,
  format) and a fingerprint of the passages; ``search.searcher.Searcher`` refuses an index whose
  build info does not match the configured model.
- ``passages.json``: the passages and their metadata (a query never touches the store).
- ``units.json`` + ``vectors.npy``: the dense units of each passage (below) with the SHA-256 of
  the text embedded; this doubles as the embedding cache: a text whose hash is already there is
  never embedded again.
- ``dense.faiss``: the FAISS index over those vectors (see ``dense_index``).
- ``bm25/``: the bm25s lexical index over whole passages.

Dense units are each sentence of a passage, plus the whole passage when it has several, and a
document's passage once more after its document's title (see ``units_of``); a clause
or item is embedded after its lead-in ("genocide means any of the following acts ...: Killing
members of the group"). A passage scores by its best unit (MaxSim), so long paragraphs are not
lost past the model's token limit, and the best sentence is the highlight for free. On the
evaluation questions this beat paragraph vectors alone by 2-8 points of recall@5 (see README).
The directory is written beside the live one and swapped in, so a reader never sees half an index.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import bm25s
import faiss
import numpy as np
import Stemmer

from ingest.text import sentences
from search.encoder import load_encoder
from search.passages import Passage

FORMAT = 2
UNIT = "lead+sentence+passage+titled+headed+listed"
# Exact search (IndexFlatIP) reads every vector per query: ~45 ms at 350k vectors on 2 cores, so
# from HNSW_FROM vectors on the index is HNSW (M=32; recall@10 ~0.97-0.99, ~1 ms). The
# bundled corpus with its debates (35,788 vectors): a scan 2.4-2.8 -> 0.2-0.6 ms, the evaluation's
# hybrid figures the same on the tune half and 0.904 / 0.801 -> 0.904 / 0.799 on the test half.
# From SQ8_FROM vectors the HNSW graph keeps 8-bit codes instead of float32 copies (384 B instead
# of 1.5 KiB a vector), so a million paragraphs fit a few GiB (benchmarks/search_1m.py).
HNSW_FROM = 20_000
SQ8_FROM = 500_000
# How wide a query searches the graph. On the corpus with its debates, efSearch 128 found 0.975 of the
# exact top 50 and 256 found 0.988, for 0.38 -> 0.67 ms a query; the tune half's hybrid went 0.909 / 0.780
# -> 0.916 / 0.782 (512: the same). The 8-bit graph of a million keeps 128 (benchmarks/search_1m.py).
HNSW_EF_SEARCH = 256
SQ8_EF_SEARCH = 128
# How wide the graph's construction searches (FAISS's default is 40): on 1M clustered vectors with
# SQ8 codes, recall@10 at efSearch 128 went from 0.818 to 0.964 with 100, for a build of 508 s on one thread.
HNSW_EF_CONSTRUCTION = 100
_WORD = re.compile(r"\w+")
_STEMMER = Stemmer.Stemmer("english")
_STOPWORDS = frozenset(bm25s.stopwords.STOPWORDS_EN)


def tokenize(text: str) -> list[str]:
    """BM25 terms: lower-case words, English stop words dropped, Snowball-stemmed."""
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]
    return _STEMMER.stemWords(words)


def bm25_text(p: Passage) -> str:
    """The citation is searched too, so "article 103 of the Charter" finds the article's text."""
    return f"{p.citation} {p.text}"


def units_of(p: Passage) -> list[tuple[str, str]]:
    """(text to embed, sentence shown as highlight; "" for a whole-passage unit).

    A document's passage is also embedded after its document's title: the title says what the
    paragraphs are about ("Security Council resolution 872 (1993) [Rwanda, UNAMIR]", "Rome Statute of
    the International Criminal Court"), where their own words say "the Mission" or "the Court". Tune
    half: dense recall@5 0.845 -> 0.888 without the debates. A delegation's statement is left as it is
    (its title names a collection or a meeting, and the prior weighs it; not measured with titles).
    A treaty article's passage is read under its title and the article's heading ("Rome Statute ...,
    Withdrawal: ..."); a paragraph that leads into a list ("I call upon all Member States to:") is
    also embedded with its clauses, the only unit that holds the whole list. Tune half with the debates,
    with the search's other fixes of 2026-12-07: hybrid 0.916 / 0.782 -> 0.951 / 0.830 (the README has each).
    """
    lead = f"{p.lead} " if p.lead else ""
    parts = sentences(p.text) or [p.text]
    units = [(lead + s, s) for s in parts]
    if len(parts) > 1:
        units.append((lead + p.text, ""))
    if p.title and not p.speakers:
        title = f"{p.title}, {p.heading}" if p.heading else p.title
        units.append((f"{title}: {p.text}", ""))
    if p.items:
        units.append((" ".join([p.text, *p.items]), ""))
    return units


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(passages: list[Passage]) -> str:
    """Changes whenever any passage's text or metadata changes."""
    digest = hashlib.sha256()
    for p in passages:
        digest.update(json.dumps(p.to_json(), sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


@dataclass
class BuildReport:
    passages: int
    units: int
    embedded: int
    reused: int
    seconds: float
    up_to_date: bool = False

    def __str__(self) -> str:
        if self.up_to_date:
            return f"up to date ({self.passages} passages, {self.units} dense units; nothing embedded)"
        return (f"{self.passages} passages, {self.units} dense units: {self.embedded} texts embedded, "
                f"{self.reused} units reused from cache, {self.seconds:.1f} s")


def read_build_info(index_dir: Path) -> dict | None:
    path = index_dir / "build.json"
    return json.loads(path.read_text()) if path.exists() else None


def _cached_vectors(index_dir: Path, model_info: dict) -> dict[str, np.ndarray]:
    """hash -> vector from the current index, when it was built by this very model."""
    info = read_build_info(index_dir)
    if not info or info.get("format") != FORMAT or info.get("model") != model_info:
        return {}
    units = json.loads((index_dir / "units.json").read_text())
    vectors = np.load(index_dir / "vectors.npy")
    return dict(zip(units["hash"], vectors))


def _seed_vectors(seed: Path | None, model_info: dict) -> dict[str, np.ndarray]:
    """hash -> vector from a shipped seed file (``export_seed``), when made by this very model."""
    if seed is None or not seed.exists():
        return {}
    with np.load(seed) as data:
        if json.loads(str(data["model"])) != model_info:
            return {}
        hashes = [bytes(h).hex() for h in data["hash"]]
        return dict(zip(hashes, data["vectors"].astype(np.float32)))


def export_seed(index_dir: Path, seed: Path) -> int:
    """Write the index's distinct unit vectors as a seed: SHA-256 digests, float16 rows, the model.

    float16 keeps cosine similarities to ~1e-3 at half the bytes; a text whose hash is not in the
    seed (changed or new) is embedded anew, and a seed from another model or version is ignored.
    """
    info = read_build_info(index_dir)
    if info is None:
        raise FileNotFoundError(f"no search index in {index_dir}: run `r2p index`")
    units = json.loads((index_dir / "units.json").read_text())
    vectors = np.load(index_dir / "vectors.npy", mmap_mode="r")
    first = {h: i for i, h in reversed(list(enumerate(units["hash"])))}
    rows = sorted(first.values())
    seed.parent.mkdir(parents=True, exist_ok=True)
    with seed.open("wb") as out:
        np.savez_compressed(out, model=json.dumps(info["model"], sort_keys=True),
                            hash=np.array([np.frombuffer(bytes.fromhex(units["hash"][i]), np.uint8) for i in rows]),
                            vectors=np.asarray(vectors[rows], dtype=np.float16))
    return len(rows)


def dense_index(vectors: np.ndarray, *, chunk: int = 100_000):
    """The FAISS index for these unit vectors: exact while small, HNSW when large, HNSW-SQ8 when huge.

    Vectors are added in chunks so that a memory-mapped ``vectors`` is never read whole at once.
    """
    dim = vectors.shape[1]
    if len(vectors) >= SQ8_FROM:
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, 32, faiss.METRIC_INNER_PRODUCT)
        index.train(np.ascontiguousarray(vectors[:: max(1, len(vectors) // 100_000)], dtype=np.float32))
    elif len(vectors) >= HNSW_FROM:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
    else:
        index = faiss.IndexFlatIP(dim)
    if isinstance(index, faiss.IndexHNSW):
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        set_ef_search(index)
    for start in range(0, len(vectors), chunk):
        index.add(np.ascontiguousarray(vectors[start:start + chunk], dtype=np.float32))
    return index


def set_ef_search(index) -> None:
    """Set how wide a query searches an HNSW ``index``, also on opening one saved with another value."""
    index.hnsw.efSearch = SQ8_EF_SEARCH if isinstance(index, faiss.IndexHNSWSQ) else HNSW_EF_SEARCH


def build_index(passages: list[Passage], index_dir: Path, model_name: str, *, seed: Path | None = None,
                batch_size: int = 64) -> BuildReport:
    """Write the index for ``passages`` to ``index_dir``, embedding only sentences not seen before.

    Vectors are reused from the live index and from ``seed`` (the bundled corpus's shipped vectors).
    """
    start = time.perf_counter()
    encoder = load_encoder(model_name)
    info = read_build_info(index_dir)
    corpus = fingerprint(passages)
    unit_passage, unit_embed, unit_text = [], [], []
    for i, p in enumerate(passages):
        for embed, sentence in units_of(p):
            unit_passage.append(i)
            unit_embed.append(embed)
            unit_text.append(sentence)
    if (info and info.get("format") == FORMAT and info.get("model") == encoder.info
            and info.get("unit") == UNIT and info.get("fingerprint") == corpus):
        return BuildReport(len(passages), len(unit_text), 0, len(unit_text), time.perf_counter() - start, True)

    hashes = [_hash(t) for t in unit_embed]
    cache = _seed_vectors(seed, encoder.info) | _cached_vectors(index_dir, encoder.info)
    todo = sorted({h: t for h, t in zip(hashes, unit_embed) if h not in cache}.items())
    fresh_hashes = {h for h, _ in todo}
    if todo:
        fresh = encoder.encode([t for _, t in todo], batch_size=batch_size)
        cache.update(zip((h for h, _ in todo), fresh))
    dim = encoder.info["dim"]
    vectors = np.stack([cache[h] for h in hashes]).astype(np.float32) if hashes else np.zeros((0, dim), np.float32)

    write_index(index_dir, passages, unit_passage, hashes, unit_text, vectors, encoder.info, corpus)
    reused = sum(1 for h in hashes if h not in fresh_hashes)
    return BuildReport(len(passages), len(unit_text), len(todo), reused, time.perf_counter() - start)


def write_index(index_dir: Path, passages: list[Passage], unit_passage: list[int], hashes: list[str],
                unit_text: list[str], vectors: np.ndarray, model_info: dict, corpus: str) -> None:
    """Write every file of the index beside ``index_dir`` and swap it in (also used by the 1M benchmark)."""
    tmp = index_dir.with_name(index_dir.name + ".new")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    np.save(tmp / "vectors.npy", vectors)
    faiss.write_index(dense_index(vectors), str(tmp / "dense.faiss"))
    (tmp / "units.json").write_text(json.dumps({"passage": unit_passage, "hash": hashes, "text": unit_text}))
    (tmp / "passages.json").write_text(json.dumps([p.to_json() for p in passages]))
    retriever = bm25s.BM25()
    retriever.index([tokenize(bm25_text(p)) or [""] for p in passages], show_progress=False)
    retriever.save(tmp / "bm25", show_progress=False)
    (tmp / "build.json").write_text(json.dumps({
        "format": FORMAT, "unit": UNIT, "model": model_info, "fingerprint": corpus,
        "passages": len(passages), "units": len(unit_text), "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }, indent=2))
    _swap(tmp, index_dir)


def _swap(new: Path, live: Path) -> None:
    old = live.with_name(live.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        live.rename(old)
    new.rename(live)
    shutil.rmtree(old, ignore_errors=True)

