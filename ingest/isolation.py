"""Run untrusted work on files in child processes, each bounded in wall-clock time and memory.

pypdf has had infinite loops and decompression bombs, a 50 MB one-line text file can make the
linker grow without end, and a Python thread cannot be cancelled: only a process can be stopped.
A fresh worker is forked per file (forking costs about a millisecond; a reused worker would carry
one file's heap into the next), up to ``workers`` at once, so a file that hangs or explodes is
killed and reported, the next file starts clean, and both cores are used.

Results come back in the order the files were given, whatever order the workers finish in: the
caller's decisions (which file holds a key, what the report says) are the same on every run.
"""
from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import resource
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import wait
from pathlib import Path

from ingest.model import IngestError

_CTX = mp.get_context("fork")


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to kill this child when the ingest process dies (e.g. SIGKILL), so no parser is orphaned."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def _child(conn, fn, args, memory_bytes, parent_pid):
    _die_with_parent(parent_pid)
    try:
        if memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        conn.send(("ok", fn(*args)))
    except IngestError as exc:
        conn.send(("ingest-error", exc.reason))
    except MemoryError:
        conn.send(("ingest-error", f"ran out of memory (over {memory_bytes // 2**20} MiB) while parsing"))
    except BaseException as exc:  # report any failure to the parent rather than die silently
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"))
    finally:
        conn.close()


class _Running:
    """One forked child at work on one file: its pipe, its process and its deadline."""

    def __init__(self, index: int, path: Path, fn: Callable, args: tuple, timeout_s: float, memory_bytes: int):
        self.index, self.path, self.timeout_s = index, path, timeout_s
        self.conn, child = _CTX.Pipe(duplex=False)
        self.proc = _CTX.Process(target=_child, args=(child, fn, args, memory_bytes, os.getpid()), daemon=True)
        self.proc.start()
        child.close()
        self.deadline = time.monotonic() + timeout_s

    def outcome(self):
        """The child's result, or the IngestError naming the file; the child is gone afterwards."""
        try:
            status, payload = self.conn.recv()
        except EOFError:
            self.proc.join()
            return IngestError(self.path, f"parser process died (exit code {self.proc.exitcode})")
        finally:
            self.stop()
        if status == "ok":
            return payload
        if status == "ingest-error":
            return IngestError(self.path, payload)
        return IngestError(self.path, f"internal error while parsing ({payload.splitlines()[0]})")

    def timed_out(self) -> IngestError:
        self.stop()
        return IngestError(self.path, f"parsing took longer than {self.timeout_s:g} s (R2P_PARSE_TIMEOUT_S); stopped")

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


def run_bounded_all(jobs: Iterable[tuple[Path, tuple]], fn: Callable, *, workers: int, timeout_s: float,
                    memory_bytes: int) -> Iterator[tuple[Path, object]]:
    """``fn(*args)`` for each ``(path, args)`` in forked children, ``workers`` at a time.

    Yields ``(path, result)`` in the order of ``jobs``; ``result`` is an IngestError naming the file
    on time-out, memory or any failure. At most ``2 * workers`` results wait for their turn, so the
    parent's memory stays bounded when one slow file holds up the ones behind it.
    """
    pending = iter(enumerate(jobs))
    running: dict[object, _Running] = {}
    finished: dict[int, tuple[Path, object]] = {}
    next_out, started, exhausted = 0, 0, False
    try:
        while True:
            while not exhausted and len(running) < workers and started - next_out < 2 * workers:
                item = next(pending, None)
                if item is None:
                    exhausted = True
                    break
                index, (path, args) = item
                job = _Running(index, path, fn, args, timeout_s, memory_bytes)
                running[job.conn] = job
                started += 1
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
            if not running:
                if exhausted and not finished:
                    return
                continue
            now = time.monotonic()
            for conn in wait(list(running), timeout=max(0.0, min(j.deadline for j in running.values()) - now)):
                job = running.pop(conn)
                finished[job.index] = (job.path, job.outcome())
            now = time.monotonic()
            for conn, job in [(c, j) for c, j in running.items() if j.deadline <= now]:
                del running[conn]
                finished[job.index] = (job.path, job.timed_out())
    finally:
        for job in running.values():  # the caller stopped early (an unwritable store): no child outlives it
            job.stop()


def run_bounded(path: Path, fn: Callable, args: tuple, *, timeout_s: float, memory_bytes: int):
    """``fn(*args)`` in a forked child; IngestError naming ``path`` on time-out, memory or any failure."""
    [(_, result)] = run_bounded_all([(path, args)], fn, workers=1, timeout_s=timeout_s, memory_bytes=memory_bytes)
    if isinstance(result, IngestError):
        raise result
    return result
