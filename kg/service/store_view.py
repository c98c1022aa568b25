"""A read-only view of the persistent store that follows new writes.

Why read-only: the server never writes, and ``r2p ingest`` (or the test session) may hold the
read-write handle; RocksDB lets any number of read-only handles coexist with it. A read-only
handle is a snapshot taken when it is opened (it replays the write-ahead log, so it sees every
committed transaction, flushed or not), so the view reopens itself when the store's files change:
a query sees a document either before or after its re-ingestion, never half of it.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from kg.store import OxigraphStore

OPEN_ATTEMPTS = 5


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
        self.generation = 0

    def get(self) -> OxigraphStore:
        with self._lock:
            for attempt in range(OPEN_ATTEMPTS):
                try:
                    current = fingerprint(self.path)
                    if self._store is not None and current == self._print:
                        return self._store
                    self._store, self._print = OxigraphStore(self.path, read_only=True), current
                    self.generation += 1
                    return self._store
                except OSError:  # a writer rotated its log or compacted between listing and opening
                    if attempt == OPEN_ATTEMPTS - 1:
                        raise
                    time.sleep(0.05 * (attempt + 1))
