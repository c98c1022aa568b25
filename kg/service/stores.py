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
from pathlib import Path

from kg.store import OxigraphStore


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
        current = fingerprint(self.path)
        with self._lock:
            if self._store is None or current != self._print:
                self._store = OxigraphStore(self.path, read_only=True)
                self._print = current
                self.generation += 1
            return self._store
