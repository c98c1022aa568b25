"""Shared fixtures: the real corpus ingested once into a real Oxigraph store on disk."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from kg.composition import Components  # noqa: E402
from kg.settings import Settings  # noqa: E402
from kg.store import OxigraphStore  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
EVAL = ROOT / "tests" / "eval"


def make_settings(tmp: Path, **overrides) -> Settings:
    return Settings(data_dir=tmp, corpus_dir=overrides.pop("corpus_dir", CORPUS), **overrides)


def run_ingest(settings: Settings, store, paths=None):
    """Ingest as `r2p ingest` does (through the composition root), into the test's own store."""
    return Components(settings, store=store).ingest(paths)


# The corpus as most tests read it: the debates (850 records and statements) have a store of their own,
# and vectors/ holds the shipped vectors, not documents.
CORPUS_WITHOUT_DEBATES = sorted(p for p in CORPUS.iterdir() if p.is_dir() and p.name not in ("debates", "vectors"))


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("corpus-data"))


@pytest.fixture(scope="session")
def corpus_store(corpus_settings):
    """The whole bundled corpus, ingested once for the session (read by many tests, written by none)."""
    store = OxigraphStore(corpus_settings.store_dir)
    report = run_ingest(corpus_settings, store, CORPUS_WITHOUT_DEBATES)
    assert not report.errors, report.errors
    return store


@pytest.fixture(scope="session")
def corpus_index(corpus_settings, corpus_store):
    """The search index of the whole corpus, built as `r2p index` does (minutes of embedding: slow tests only)."""
    return Components(corpus_settings, store=corpus_store).update_index()


DEBATES = [CORPUS / "debates" / "verbatim", ROOT / "tests" / "fixtures" / "verbatim",
           ROOT / "tests" / "fixtures" / "statements" / "collection"]


@pytest.fixture(scope="session")
def debates_settings(tmp_path_factory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("debates-data"))


@pytest.fixture(scope="session")
def debates_store(debates_settings):
    """The 2018 debate records, the verbatim fixtures and the collected-statements fixture, ingested once
    (kept out of the corpus fixture so that the suite's main store stays small)."""
    settings = debates_settings
    store = OxigraphStore(settings.store_dir)
    report = run_ingest(settings, store, DEBATES)
    assert not report.errors, report.errors
    return store
