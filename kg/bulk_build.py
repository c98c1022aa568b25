"""A first ingestion into an empty store is built aside with the bulk loader, then swapped into place.

Oxigraph writes a graph in a transaction at ~20-50k triples/s here, and that write was the whole
ingestion's limit. Its bulk loader is about twice as fast and leaves half the files on disk (less
again in loads that run all along than in loads one after another), but it is not transactional: a reader would see half a document, and a killed run would
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
import threading
from collections.abc import Mapping
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat

from kg.store import GraphStore, OxigraphStore, StoreUnavailable

PIPE_BUFFER = 2**20  # bytes buffered each side of the pipe that feeds a bulk load
# The loader sorts and writes its quads in batches of a million, the last one when its input ends, on one
# thread: 4 s for the 462k quads of 10k synthetic paragraphs, with the other core idle. Two loads fed in
# turn end with two half batches on both cores (10k: 4.6 -> 2.5 s, 87 -> 94 MiB; 100k: 41.6 -> 35.9 s,
# 805 -> 815 MiB, measured with one process feeding both).
LOADS = 2
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


class BulkStore(OxigraphStore):
    """An embedded store being built where no reader looks: each new graph is streamed into one of
    ``LOADS`` bulk loads that run in threads beside the ingestion; any other use of the store (a query,
    an update, a graph written again) first ends those loads, so it reads and writes like any
    ``OxigraphStore``.

    Loads that run all along, not one after another: the 100k synthetic graph took 805-815 MiB on disk
    in one or two such loads, and 1,275 MiB in four loads of 256 MiB in turn.
    """

    def __init__(self, path: Path, *, building: Path):
        self._loading: list[_StreamedLoad] = []
        self._streamed: set[NamedNode] = set()
        super().__init__(path)
        self.shown_path = building  # a full disk is the store's, to whoever reads the message

    @property
    def _store(self):
        if self._loading:
            self._write(self._end_load)
        return self._db

    @_store.setter
    def _store(self, db) -> None:
        self._db = db

    def replace_graphs(self, graphs: Mapping[NamedNode, bytes]) -> None:
        if len(graphs) == 1:
            [(graph, body)] = graphs.items()
            if graph not in self._streamed and not self._db.contains_named_graph(graph):
                self._streamed.add(graph)
                # N-Triples lines end in " .\n" and nowhere else (a literal's line break is escaped)
                self._write(lambda: self._stream(body.replace(b" .\n", f" {graph} .\n".encode())))
                return
        super().replace_graphs(graphs)

    def close(self) -> None:
        if self._loading:  # a failed run's loads end before its folder goes
            self._write(self._end_load)
        super().close()

    def _stream(self, nquads: bytes) -> None:
        if not self._loading:
            self._loading = [_StreamedLoad(self._db) for _ in range(LOADS)]
        try:
            min(self._loading, key=lambda load: load.sent).send(nquads)  # the one sent least: the same halves every run
        except BrokenPipeError:  # the load stopped reading: what stopped it is raised instead
            self._end_load()
            raise

    def _end_load(self) -> None:
        """End every load; the first error of any of them is raised once all have ended."""
        loading, self._loading = self._loading, []
        for load in loading:  # all inputs first, so that the loads' last batches run at once
            load.close_input()
        errors = [load.error() for load in loading]
        for error in errors:
            if error is not None:
                raise error


class _StreamedLoad:
    """One ``bulk_load`` reading N-Quads from a pipe in its own thread while the ingestion writes them."""

    def __init__(self, db):
        read_end, write_end = os.pipe()
        self._reader = os.fdopen(read_end, "rb", buffering=PIPE_BUFFER)
        self._writer = os.fdopen(write_end, "wb", buffering=PIPE_BUFFER)
        self._error: BaseException | None = None
        self.sent = 0  # bytes
        self._thread = threading.Thread(target=self._load, args=(db,), name="bulk-load", daemon=True)
        self._thread.start()

    def _load(self, db) -> None:
        try:
            db.bulk_load(self._reader, format=RdfFormat.N_QUADS)
        except BaseException as exc:  # raised in the writing thread, by ``end``
            self._error = exc
        finally:
            self._reader.close()

    def send(self, nquads: bytes) -> None:
        self._writer.write(nquads)
        self.sent += len(nquads)

    def close_input(self) -> None:
        """Tell the load it has been sent everything."""
        try:
            self._writer.close()
        except BrokenPipeError:
            pass

    def error(self) -> BaseException | None:
        """Wait for the load to finish what it was sent; what stopped it, if anything did."""
        self._thread.join()
        return self._error


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
    try:
        built.close()
    except StoreUnavailable:  # its load failed too (a full disk): the error on its way up says so
        pass
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
