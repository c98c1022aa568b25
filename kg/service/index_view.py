"""The search index the server answers from, reopened when `r2p index` or `r2p ingest` rebuilds it.

Why it watches ``build.json``: a rebuild writes the whole index beside the live one and swaps the
directory in (``search.indexer``), so a new ``build.json`` means a new, complete index. Why it never
builds one: embedding a corpus takes minutes, which no request may start; a missing index is a
``SearchIndexError`` that says to run `r2p index` (the service answers it with 503).
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from search.filters import SearchIndexError
from search.searcher import Searcher, one_thread_per_query

T = TypeVar("T")


def _stamp(path: Path) -> tuple | None:
    """Identity of the current ``build.json`` (a swapped-in index has a new file), or None when absent."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


class IndexView:
    """Hands out the current ``Searcher``; opened on first use, reopened after a rebuild.

    ``concurrency`` is how many searches run at once in this process (``run``), each on a thread of
    its own: a search is a few milliseconds of CPU (the query encode, numpy), so more of them at once
    than the process has cores only share those cores worse. The requests beyond wait their turn in
    the order they came, as futures rather than as threads blocked on a lock. For the same reason
    each search thread runs FAISS on one thread (OpenMP's setting is the calling thread's own), and the
    process its OpenBLAS on one (that setting is the whole process's: a server process never embeds).
    """

    def __init__(self, index_dir: Path, open_searcher: Callable[[], Searcher], *, concurrency: int = 1):
        self.index_dir = Path(index_dir)
        self._open = open_searcher
        self._lock = threading.Lock()
        self._threads = ThreadPoolExecutor(concurrency, thread_name_prefix="search", initializer=one_thread_per_query)
        self._searcher: Searcher | None = None
        self._stamp: tuple | None = None

    def get(self) -> Searcher:
        with self._lock:
            stamp = _stamp(self.index_dir / "build.json")
            if stamp is None:
                raise SearchIndexError(f"no search index in {self.index_dir}: run `r2p index`")
            if self._searcher is None or stamp != self._stamp:
                self._searcher, self._stamp = self._open(), stamp
            return self._searcher

    async def run(self, work: Callable[[Searcher], T]) -> T:
        """``work(searcher)`` with the current searcher, on one of this process's search threads."""
        return await asyncio.get_running_loop().run_in_executor(self._threads, lambda: work(self.get()))

    def status(self) -> str:
        """What /health reports: loaded, not loaded yet, or missing (with the command that builds it)."""
        if _stamp(self.index_dir / "build.json") is None:
            return "no index: run `r2p index`"
        return "loaded" if self._searcher is not None else "not loaded yet (opened on the first search)"
