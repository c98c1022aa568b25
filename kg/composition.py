"""The composition root: the one place that builds the store, the linker, the example extractor and
the search index from the settings.

Why one place: the CLI, the HTTP service, the tests' fixtures and the benchmarks used to build these
each in their own way, and a caller that left one out changed what was written without a word (an
ingest without a linker wrote graphs with no entities, and the stored source hashes then called
those files "unchanged"). Here every collaborator is built once, on first use, and every ingest
gets all of them. Nothing here builds a search index behind a caller's back: ``update_index`` is
the only way, and opening a missing index is an error that says to run `r2p index`.
"""
from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.entities import Linker
from ingest.examples import ExampleExtractor
from kg.ingestion import IngestReport, ingest
from kg.passages import fetch_passages
from kg.settings import Settings
from kg.store import GraphStore, open_store

if TYPE_CHECKING:  # imported where used: a command that neither searches nor serves starts ~1.5 s sooner
    from kg.service.forwarder import RemoteQueries
    from kg.service.index_view import IndexView
    from kg.service.pool import QueryPool
    from kg.service.store_view import RemoteView, StoreView
    from search.indexer import BuildReport
    from search.searcher import Searcher


class Components:
    """Everything a command or the server works with, built from one ``Settings``."""

    def __init__(self, settings: Settings, *, store: GraphStore | None = None):
        """``store``: an already open store to work on (the tests' session store) instead of opening one."""
        self.settings = settings
        self._store = store
        self._store_read_only = False

    # -- the graph and ingestion -------------------------------------------------------------------
    def store(self, *, read_only: bool = False) -> GraphStore:
        """The graph store, opened once; a store opened read-only is never handed out for writing."""
        if self._store is None:
            self._store = open_store(self.settings, read_only=read_only)
            self._store_read_only = read_only
        elif self._store_read_only and not read_only:
            raise RuntimeError("the graph store was opened read-only here; writing needs its own Components")
        return self._store

    @cached_property
    def linker(self) -> Linker:
        return Linker.default()

    @cached_property
    def example_extractor(self) -> ExampleExtractor:
        return ExampleExtractor.default()

    def ingest(self, paths: list[Path] | None = None, **options) -> IngestReport:
        """Ingest ``paths`` (default: the corpus folder), always with the linker and the example extractor.

        ``options`` are the pipeline's own keywords (``on_progress``, ...), passed through unchanged.
        """
        return ingest(paths, self.settings, self.store(), linker=self.linker,
                      example_extractor=self.example_extractor, **options)

    # -- search --------------------------------------------------------------------------------------
    def update_index(self) -> BuildReport:
        """Bring the search index in line with the graph; only new or changed texts are embedded."""
        from search.indexer import build_index
        passages = fetch_passages(self.store(read_only=True))
        s = self.settings
        return build_index(passages, s.index_dir, s.embedding_model, seed=s.vector_seed)

    def export_seed(self) -> int:
        """Write the index's vectors as the seed shipped with the bundled corpus; returns how many."""
        from search.indexer import export_seed
        return export_seed(self.settings.index_dir, self.settings.vector_seed)

    def open_searcher(self) -> Searcher:
        """The index as it is on disk; a missing or mismatched one raises ``SearchIndexError``."""
        from search.searcher import Searcher
        s = self.settings
        return Searcher.open(s.index_dir, s.embedding_model, k_max=s.search_k_max)

    # -- the server's read side ----------------------------------------------------------------------
    # Two pairs with one interface: over the embedded store, a view that follows the store's files and
    # worker processes that can be killed at the time limit; over a remote server (``R2P_STORE_URL``),
    # the server itself and a forwarder that holds the endpoint's limits in front of it.
    def store_view(self) -> StoreView | RemoteView:
        from kg.service.store_view import RemoteView, StoreView
        if self.settings.store_url:
            return RemoteView(self.store(read_only=True))
        return StoreView(self.settings.store_dir)

    def index_view(self) -> IndexView:
        """Searches at once per server process: the cores each of its ``server_workers`` processes has."""
        from kg.service.index_view import IndexView
        cores = os.cpu_count() or 1
        processes = self.settings.server_workers or cores
        return IndexView(self.settings.index_dir, self.open_searcher, concurrency=max(1, cores // processes))

    def query_pool(self, size: int | None = None) -> QueryPool | RemoteQueries:
        from kg.service.forwarder import RemoteQueries
        from kg.service.pool import QueryPool
        size = size or self.settings.query_workers
        if self.settings.store_url:
            return RemoteQueries(self.store(read_only=True), size=size)
        return QueryPool(self.settings.store_dir, size=size, memory_mb=self.settings.query_memory_mb)
