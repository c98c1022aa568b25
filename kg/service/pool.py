"""SPARQL evaluation in worker processes that can be killed: the only hard time limit there is.

Oxigraph has no query timeout and a Python thread cannot be stopped, so each query runs in one of
a few long-lived worker processes, each holding its own read-only view of the store. The server
waits at most the time limit for the answer; past it, the worker is killed and replaced, and the
client gets a clear error. Workers are fresh interpreters (``python -m kg.service.pool``) talking
over a socket pair: forking a process that already runs RocksDB and server threads is unsafe, and
``multiprocessing``'s spawn would re-run the parent's ``__main__`` script.

Workers are also cut off the network, a second wall behind the refusal of ``SERVICE``: each starts
in a network namespace of its own (``unshare --net``, or ``--user --net`` without root), which has
no interface but a loopback that is down, so the engine cannot open a connection even if a query
got past the lexer. Where neither namespace can be made, ``network_isolation`` is None, the server
logs a warning, and the README says what protects such a deployment.
"""
from __future__ import annotations

import logging
import os
import queue
import resource
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from kg.service.store_view import StoreView
from kg.sparql import QueryError, QueryRequest, QueryResponse, execute


log = logging.getLogger(__name__)

_ROOT = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH")]))


# glibc reserves 64 MiB of address space for each thread's malloc arena: with the engine's threads that
# was 378 of a worker's 524 MiB after one query, so under a small address-space limit a new thread's
# stack could fail to map and end the worker at random. Two arenas keep the limit about real memory.
_WORKER_ENV = {"PYTHONPATH": _ROOT, "MALLOC_ARENA_MAX": "2"}

# Ways to start a process in a network namespace of its own, best first.
_NETWORK_SANDBOXES = {"network namespace": ["unshare", "--net"], "user and network namespace": ["unshare", "--user", "--net"]}


def network_sandbox() -> tuple[str | None, list[str]]:
    """The first way this system allows to start a process with no network, as (name, command prefix)."""
    for name, prefix in _NETWORK_SANDBOXES.items():
        try:
            if subprocess.run([*prefix, "true"], stdin=subprocess.DEVNULL, capture_output=True, timeout=10).returncode == 0:
                return name, prefix
        except (OSError, subprocess.TimeoutExpired):
            continue
    return None, []


START_FAILURES = 3  # workers in a row dying before their store is open: a query is answered with the reason


class QueryTimeout(Exception):
    """The query ran past its time limit; its worker was killed."""


class PoolBusy(Exception):
    """Every worker stayed busy for the whole time limit: the client should retry later."""


class WorkerCrashed(Exception):
    """The worker died while evaluating the query: out of its memory limit, or a crash in the engine."""


def _worker_main(conn, store_path: str, memory_bytes: int) -> None:
    """Say ("ready",) once the store is open, then serve requests from ``conn`` until it closes:
    ("ok", QueryResponse) or ("error", status, message).

    The address-space limit makes a runaway query fail an allocation (and end this process) instead of
    taking the machine's memory. The store is opened before "ready", so that a worker unable to open it
    (or to start the engine's threads) is seen to die at its start, never in a client's query.
    """
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    view = StoreView(Path(store_path))
    view.get()
    conn.send(("ready",))
    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", execute(view.get().raw, req)))
        except QueryError as exc:
            conn.send(("error", exc.status, str(exc)))
        except OSError as exc:  # the store changed under a long query, or a disk error: never echoed
            print(f"query worker: store error: {exc}", file=sys.stderr)
            conn.send(("error", 503, "store error, retry"))
        except MemoryError:
            conn.send(("error", 503, "the query needed more memory than a query may use"))
        except Exception as exc:  # a bug must cost one request, never the worker
            conn.send(("error", 500, f"internal error: {type(exc).__name__}"))


@dataclass
class _Worker:
    process: subprocess.Popen
    conn: Connection
    ready: bool = False  # it has said so, once its store is open


class QueryPool:
    """``size`` worker processes over the store at ``store_path``; ``run`` is blocking (call it from a thread).

    ``spares`` more are kept started and waiting, so that a worker killed by a time-out or a crash is
    replaced at once; the spares are refilled in the background.
    """

    def __init__(self, store_path: Path, size: int = 2, *, memory_mb: int = 0, spares: int = 1):
        self.store_path = str(store_path)
        self.size = size
        self.memory_mb = memory_mb
        self.spares = spares
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._spare: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []  # the workers that serve queries (spares not included)
        self._lock = threading.Lock()
        self._filling = threading.Lock()
        self._closed = False
        self.start_failures = 0  # workers in a row that died before their store was open
        self.killed = 0  # workers killed for running past the time limit
        self.crashed = 0  # workers that died while evaluating a query
        self.network_isolation, self._sandbox = network_sandbox()

    def start(self) -> None:
        if self.network_isolation is None:
            log.warning("query workers can open network connections: no network namespace can be made here "
                        "(README, 'Security'); SERVICE is still refused before evaluation")
        for _ in range(self.size):
            self._idle.put(self._enlist(self._spawn()))
        self._refill()

    def _spawn(self) -> _Worker:
        parent, child = socket.socketpair()
        fd = child.fileno()
        command = [*self._sandbox, sys.executable, "-m", "kg.service.pool", str(fd), self.store_path,
                   str(self.memory_mb * 2**20)]
        process = subprocess.Popen(command, pass_fds=[fd], stdin=subprocess.DEVNULL, env={**os.environ, **_WORKER_ENV})
        child.close()
        return _Worker(process, Connection(parent.detach()))

    def _enlist(self, worker: _Worker) -> _Worker:
        with self._lock:
            self._all.append(worker)
        return worker

    def _refill(self) -> None:
        """Start spares until there are ``spares`` of them (on a thread: starting one takes a while)."""
        def fill():
            if not self._filling.acquire(blocking=False):
                return  # another thread is filling already
            try:
                while not self._closed and self._spare.qsize() < self.spares:
                    worker = self._spawn()
                    if self._closed:
                        self._stop(worker)
                    else:
                        self._spare.put(worker)
            finally:
                self._filling.release()
        threading.Thread(target=fill, daemon=True, name="query-pool-spares").start()

    def _stop(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.wait(5)
        worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        """Stop ``worker`` and put a spare (or, with none ready, a new worker) in its place."""
        self._stop(worker)
        with self._lock:
            self._all.remove(worker)
        try:
            fresh = self._spare.get_nowait()
        except queue.Empty:
            fresh = self._spawn()
        self._idle.put(self._enlist(fresh))
        self._refill()

    def alive(self) -> int:
        with self._lock:
            return sum(w.process.poll() is None for w in self._all)

    def run(self, req: QueryRequest, timeout: float) -> QueryResponse:
        """Evaluate ``req`` within ``timeout`` seconds; raises QueryError, QueryTimeout, WorkerCrashed or PoolBusy."""
        worker = self._take(timeout)
        try:
            worker.conn.send(req)
            reply = worker.conn.recv() if worker.conn.poll(timeout) else None
        except (EOFError, OSError):
            self._replace(worker)
            self.crashed += 1
            limit = f" (a query may use at most {self.memory_mb} MiB)" if self.memory_mb else ""
            raise WorkerCrashed(f"the query worker died while evaluating this query{limit}") from None
        if reply is None:
            self._replace(worker)
            self.killed += 1
            raise QueryTimeout(f"query exceeded the time limit of {timeout:g} s and was stopped")
        self._idle.put(worker)
        if reply[0] == "error":
            raise QueryError(reply[2], reply[1])
        return reply[1]

    def _take(self, timeout: float) -> _Worker:
        """An idle worker that is up: a new one is waited for until it says its store is open, and one
        that died before this query was sent (starting, or since) is replaced and the query goes to
        another, rather than answered as a crash of the query's own."""
        deadline = time.monotonic() + timeout
        busy = PoolBusy(f"all {self.size} query workers are busy; retry later")
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise busy from None
            try:
                if not worker.ready:
                    if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                        self._idle.put(worker)  # still starting: it serves the next query
                        raise busy
                    worker.ready = worker.conn.recv() == ("ready",)
                    self.start_failures = 0
                if worker.ready and worker.process.poll() is None:
                    return worker
            except (EOFError, OSError):
                pass
            log.warning("query worker %s ended before its next query (exit code %s): replaced",
                        worker.process.pid, worker.process.poll())
            started = worker.ready
            self._replace(worker)
            if not started:
                self.start_failures += 1
                if self.start_failures >= START_FAILURES:
                    limit = f" within the limit of {self.memory_mb} MiB" if self.memory_mb else ""
                    raise WorkerCrashed(f"query workers die as they start ({self.start_failures} in a row): the store "
                                        f"cannot be opened{limit}; see the server log")

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        while not self._spare.empty():
            workers.append(self._spare.get_nowait())
        for worker in workers:
            self._stop(worker)


if __name__ == "__main__":
    _worker_main(Connection(int(sys.argv[1])), sys.argv[2], int(sys.argv[3]))
