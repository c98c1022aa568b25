"""Run untrusted work on files in child processes, each bounded in wall-clock time and memory.

pypdf has had infinite loops and decompression bombs, a 50 MB one-line text file can make the
linker grow without end, and a Python thread cannot be cancelled: only a process can be stopped.
A fresh worker is forked per file (forking costs about a millisecond; a reused worker would carry
one file's heap into the next), up to ``workers`` at once, so a file that hangs or explodes is
killed and reported, the next file starts clean, and both cores are used.

The workers are forked by a *zygote*, a process forked once from the caller at the start: the
caller is the store's writer, and each fork of it made every page it wrote afterwards a
copy-on-write fault (the store's write of 10k paragraphs took 57% more CPU with a fork per file
beside it, measured). The zygote writes nothing, so its forks cost nobody anything. Each worker's
result comes back on a pipe of its own, made by the caller and handed to the zygote.

Results come back in the order the files were given, whatever order the workers finish in: the
caller's decisions (which file holds a key, what the report says) are the same on every run.
"""
from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import pickle
import queue
import resource
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path

from ingest.model import IngestError

_CTX = mp.get_context("fork")
WAITING_BYTES = 64 * 2**20  # results finished out of turn may hold this much, so one slow file idles no core


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to kill this process when its parent dies (e.g. SIGKILL), so no parser is orphaned."""
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


def _zygote_main(conn, callers_end, fn, jobs, memory_bytes, parent_pid):
    """Fork a worker for each job index the caller sends, with the pipe it hands over; reap on request."""
    callers_end.close()  # else the caller's closing its end would never read as the end here
    _die_with_parent(parent_pid)
    me = os.getpid()
    while True:
        try:
            command, value = conn.recv()
        except EOFError:  # the caller is done (or gone): any worker left dies with this process
            return
        if command == "run":
            result_fd = recv_handle(conn)
            pid = os.fork()
            if pid == 0:
                conn.close()
                try:
                    _child(Connection(result_fd, readable=False), fn, jobs[value], memory_bytes, me)
                finally:
                    sys.stderr.flush()
                    os._exit(0)
            os.close(result_fd)
            conn.send(pid)
        else:  # "reap"
            conn.send(os.waitstatus_to_exitcode(os.waitpid(value, 0)[1]))


class _Zygote:
    """The process that forks the workers (see the module's docstring); forked once, with the jobs."""

    def __init__(self, fn: Callable, jobs: list[tuple], memory_bytes: int):
        self.conn, theirs = _CTX.Pipe()  # a socket pair: a pipe's end can be handed over it
        self.proc = _CTX.Process(target=_zygote_main, args=(theirs, self.conn, fn, jobs, memory_bytes, os.getpid()), daemon=True)
        self.proc.start()
        theirs.close()

    def start(self, index: int) -> tuple[int, Connection]:
        """A worker on job ``index``: its pid and the end of the pipe its result comes back on."""
        read_fd, write_fd = os.pipe()
        self.conn.send(("run", index))
        send_handle(self.conn, write_fd, self.proc.pid)
        os.close(write_fd)
        return self.conn.recv(), Connection(read_fd, writable=False)

    def reap(self, pid: int) -> int:
        """Wait for the worker ``pid`` to end (it has, or been killed); its exit code."""
        self.conn.send(("reap", pid))
        return self.conn.recv()

    def close(self) -> None:
        self.conn.close()
        self.proc.join()


class _Running:
    """One worker at work on one file: its pipe, its process and its deadline."""

    def __init__(self, zygote: _Zygote, index: int, path: Path, timeout_s: float):
        self.zygote, self.index, self.path, self.timeout_s = zygote, index, path, timeout_s
        self.pid, self.conn = zygote.start(index)
        self.deadline = time.monotonic() + timeout_s
        self.exitcode: int | None = None
        self.received = 0  # bytes of the pickled result

    def outcome(self):
        """The worker's result, or the IngestError naming the file; the worker is gone afterwards."""
        try:
            data = self.conn.recv_bytes()
            self.received = len(data)
            status, payload = pickle.loads(data)
        except EOFError:
            self.stop()
            return IngestError(self.path, f"parser process died (exit code {self.exitcode})")
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
        """Kill the worker if it still runs (a finished one is a zombie until reaped: the pid is still its own)."""
        if self.exitcode is None:
            os.kill(self.pid, signal.SIGKILL)
            self.exitcode = self.zygote.reap(self.pid)
            self.conn.close()


def run_bounded_all(jobs: Iterable[tuple[Path, tuple]], fn: Callable, *, workers: int, timeout_s: float,
                    memory_bytes: int) -> Iterator[tuple[Path, object]]:
    """``fn(*args)`` for each ``(path, args)`` in forked workers, ``workers`` at a time.

    Yields ``(path, result)`` in the order of ``jobs``; ``result`` is an IngestError naming the file
    on time-out, memory or any failure. While one slow file holds up the ones behind it, the others
    go on until the results waiting for their turn hold ``WAITING_BYTES`` (or, past that, until
    ``2 * workers`` wait), so the parent's memory stays bounded and the other cores keep working.
    """
    jobs = list(jobs)
    if not jobs:
        return
    zygote = _Zygote(fn, [args for _, args in jobs], memory_bytes)
    running: dict[object, _Running] = {}
    finished: dict[int, tuple[Path, object]] = {}
    waiting_bytes: dict[int, int] = {}
    next_out = started = 0
    try:
        while next_out < len(jobs):
            while started < len(jobs) and len(running) < workers and (
                    started - next_out < 2 * workers or sum(waiting_bytes.values()) < WAITING_BYTES):
                job = _Running(zygote, started, jobs[started][0], timeout_s)
                running[job.conn] = job
                started += 1
            while next_out in finished:
                waiting_bytes.pop(next_out, None)
                yield finished.pop(next_out)
                next_out += 1
            if not running:
                continue
            now = time.monotonic()
            for conn in wait(list(running), timeout=max(0.0, min(j.deadline for j in running.values()) - now)):
                job = running.pop(conn)
                finished[job.index] = (job.path, job.outcome())
                waiting_bytes[job.index] = job.received
            now = time.monotonic()
            for conn, job in [(c, j) for c, j in running.items() if j.deadline <= now]:
                del running[conn]
                finished[job.index] = (job.path, job.timed_out())
    finally:
        for job in running.values():  # the caller stopped early (an unwritable store): no worker outlives it
            job.stop()
        zygote.close()


def read_ahead(results: Iterator, depth: int) -> Iterator:
    """The items of ``results``, driven by a thread of their own, at most ``depth`` ahead of the caller.

    ``run_bounded_all`` starts workers and hears them only while it is asked for its next result; a
    caller that spends seconds on each one (the store's write of a graph, which releases the GIL)
    would otherwise leave the cores idle meanwhile. Closing this iterator stops the thread, which
    then closes ``results`` (and so stops its workers); an exception raised by ``results`` is raised here.
    """
    ahead: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def offer(entry) -> bool:
        """Put ``entry`` for the caller, waiting while the queue is full; False once the caller has gone."""
        while not stop.is_set():
            try:
                ahead.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def drive() -> None:
        try:
            for item in results:
                if not offer((item, None)):
                    return
            offer((done, None))
        except BaseException as exc:  # handed to the caller, who raises it
            offer((done, exc))
        finally:
            results.close()

    thread = threading.Thread(target=drive, name="ingest-workers", daemon=True)
    thread.start()
    try:
        while True:
            item, error = ahead.get()
            if item is done:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()  # the thread sees it within 0.1 s of its next result, and closes the workers
        # Wait for that, within bounds: a caller that fails and exits at once (a full disk) would otherwise
        # tear the interpreter down under the thread still stopping the workers, which printed a traceback.
        thread.join(timeout=5)


def run_bounded(path: Path, fn: Callable, args: tuple, *, timeout_s: float, memory_bytes: int):
    """``fn(*args)`` in a forked child; IngestError naming ``path`` on time-out, memory or any failure."""
    [(_, result)] = run_bounded_all([(path, args)], fn, workers=1, timeout_s=timeout_s, memory_bytes=memory_bytes)
    if isinstance(result, IngestError):
        raise result
    return result
