"""A read-only view of the persistent store that follows new writes.

Why read-only: the server never writes, and ``r2p ingest`` (or the test session) may hold the
read-write handle; RocksDB lets any number of read-only handles coexist with it. A read-only
handle is a snapshot taken when it is opened (it replays the write-ahead log, so it sees every
committed transaction, flushed or not), so the view reopens itself when the store's files change:
a query sees a document either before or after its re-ingestion, never half of it.

Answers that cost a query (the cited examples, ~40 ms) are memoised per snapshot with ``memo``:
a reopened view starts with an empty memo, so a changed store never meets an old answer.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kg.store import OxigraphStore, RemoteStore

OPEN_ATTEMPTS = 5
MEMO_SIZE = 256  # answers kept per snapshot; the oldest goes first
T = TypeVar("T")


def fingerprint(path: Path) -> tuple:
    """Names, sizes and mtimes of the store's files: any committed write changes the write-ahead log."""
    with os.scandir(path) as entries:
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries if e.is_file()))


class StoreView:
    """Hands out a current read-only ``OxigraphStore``; ``generation`` grows each time it is reopened."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not (self.path / "CURRENT").exists():
            raise FileNotFoundError(f"no graph store in {self.path}: run `r2p ingest` first")
        self._lock = threading.Lock()
        self._store: OxigraphStore | None = None
        self._print: tuple = ()
        self._memo: dict = {}
        self.generation = 0

    def get(self) -> OxigraphStore:
        return self._snapshot()[0]

    def _snapshot(self) -> tuple[OxigraphStore, dict]:
        """The current store and its memo, taken together (a reopen replaces both)."""
        with self._lock:
            for attempt in range(OPEN_ATTEMPTS):
                try:
                    current = fingerprint(self.path)
                    if self._store is None or current != self._print:
                        self._store, self._print = OxigraphStore(self.path, read_only=True), current
                        self._memo = {}
                        self.generation += 1
                    return self._store, self._memo
                except Exception:  # a writer rotated its log or compacted between listing and opening: RocksDB
                    # reports that as OSError or as RuntimeError("Corruption: … .sst: No such file"), so any class is retried
                    if attempt == OPEN_ATTEMPTS - 1:
                        raise
                    time.sleep(0.05 * (attempt + 1))

    def memo(self, key, compute: Callable[[OxigraphStore], T]) -> T:
        """``compute(store)`` on the current snapshot, once per ``key`` (hashable) until the store changes."""
        store, memo = self._snapshot()
        if key in memo:
            return memo[key]
        value = compute(store)  # outside the lock: two threads may both compute a new key, harmlessly
        with self._lock:
            memo[key] = value
            while len(memo) > MEMO_SIZE:
                memo.pop(next(iter(memo)))
        return value


class RemoteView:
    """The remote store, handed out as ``StoreView`` hands out snapshots (``r2p serve`` over ``R2P_STORE_URL``).

    Why ``memo`` computes every time: a server gives no cheap sign that its graph changed (no files
    to watch, and no SPARQL query cheaper than the answers themselves), and an old answer after
    `r2p ingest` would be wrong where a query is only slower.
    """

    def __init__(self, store: RemoteStore):
        self._store = store

    def get(self) -> RemoteStore:
        return self._store

    def memo(self, key, compute: Callable[[RemoteStore], T]) -> T:
        return compute(self._store)
