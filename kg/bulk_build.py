"""A first ingestion into an empty store is built aside with the bulk loader, then swapped into place.

Oxigraph writes a graph in a transaction at ~20-50k triples/s here, and that write was the whole
ingestion's limit. Its bulk loader is about twice as fast, batched, and leaves half the files on
disk, but it is not transactional: a reader would see half a document, and a killed run would
leave one. So it only ever writes into a store that nobody reads, a sibling folder
(``store.building``), and only when the real store holds no document yet (a first ingestion).
When the run is over, the two folders are exchanged in one ``renameat2(RENAME_EXCHANGE)``: a reader
sees the empty store, then the whole new one. A killed run leaves the real store as it was, and its
half-built folder is removed by the next run. Later ingestions write each document in its own
transaction, as ``OxigraphStore`` does.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat

from kg.store import GraphStore, OxigraphStore

BATCH_BYTES = 256 * 2**20  # N-Quads a bulk load takes at once: at 100k paragraphs 32 MiB batches took 126 s, 256 MiB 74 s
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


class BulkStore(OxigraphStore):
    """An embedded store being built where no reader looks: each new graph waits in a batch for the
    bulk loader; any other use of the store (a query, an update, a graph written again) first loads
    what waits, so it reads and writes like any ``OxigraphStore``."""

    def __init__(self, path: Path, *, building: Path):
        self._waiting: list[bytes] = []
        self._waiting_graphs: set[NamedNode] = set()
        self._waiting_bytes = 0
        super().__init__(path)
        self.shown_path = building  # a full disk is the store's, to whoever reads the message

    @property
    def _store(self):
        if self._waiting:
            self._load_waiting()
        return self._db

    @_store.setter
    def _store(self, db) -> None:
        self._db = db

    def replace_graphs(self, graphs: Mapping[NamedNode, bytes]) -> None:
        if len(graphs) == 1:
            [(graph, body)] = graphs.items()
            if graph not in self._waiting_graphs and not self._db.contains_named_graph(graph):
                # N-Triples lines end in " .\n" and nowhere else (a literal's line break is escaped)
                self._waiting.append(body.replace(b" .\n", f" {graph} .\n".encode()))
                self._waiting_graphs.add(graph)
                self._waiting_bytes += len(body)
                if self._waiting_bytes >= BATCH_BYTES:
                    self._load_waiting()
                return
        super().replace_graphs(graphs)

    def _load_waiting(self) -> None:
        body = b"".join(self._waiting)
        self._waiting, self._waiting_graphs, self._waiting_bytes = [], set(), 0
        self._write(lambda: self._db.bulk_load(body, format=RdfFormat.N_QUADS))


def build_aside(store: GraphStore) -> BulkStore | None:
    """A fresh ``BulkStore`` beside ``store``'s folder, or None when ``store`` is not an embedded one on disk.

    A folder left by a killed run is removed first: it was never anyone's store.
    """
    if not isinstance(store, OxigraphStore) or store.path is None or store.read_only:
        return None
    folder = Path(store.path).with_name(Path(store.path).name + ".building")
    shutil.rmtree(folder, ignore_errors=True)
    return BulkStore(folder, building=Path(store.path))


def discard(built: BulkStore) -> None:
    """Remove a build that failed (a full disk, a stopped run): the store it was for stays as it was."""
    built.close()
    shutil.rmtree(built.path, ignore_errors=True)


def swap_into_place(store: OxigraphStore, built: BulkStore) -> None:
    """Make ``built`` the store at ``store.path``, in one exchange of folders, and reopen ``store`` there."""
    built.flush()
    built.close()
    store.close()
    try:
        _exchange(Path(built.path), Path(store.path))
    except OSError:  # a file system without the exchange: two renames (a moment with no store, never half a one)
        old = Path(store.path).with_name(Path(store.path).name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(store.path, old)
        os.rename(built.path, store.path)
        built.path = old
    shutil.rmtree(built.path, ignore_errors=True)
    store.reopen()


def _exchange(a: Path, b: Path) -> None:
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:  # a C library older than glibc 2.28
        raise OSError(errno.ENOSYS, "renameat2 is not available", str(a))
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), str(a))
