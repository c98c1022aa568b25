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
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from kg.sparql import QueryError, QueryRequest, QueryResponse


log = logging.getLogger(__name__)

_ROOT = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH")]))


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


class QueryTimeout(Exception):
    """The query ran past its time limit; its worker was killed."""


class PoolBusy(Exception):
    """Every worker stayed busy for the whole time limit: the client should retry later."""


def _worker_main(conn, store_path: str) -> None:
    """Serve requests from ``conn`` until it closes: ("ok", QueryResponse) or ("error", status, message)."""
    from kg.service.stores import StoreView
    from kg.sparql import execute

    view = StoreView(Path(store_path))
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
        except Exception as exc:  # a bug must cost one request, never the worker
            conn.send(("error", 500, f"internal error: {type(exc).__name__}"))


@dataclass
class _Worker:
    process: subprocess.Popen
    conn: Connection


class QueryPool:
    """``size`` worker processes over the store at ``store_path``; ``run`` is blocking (call it from a thread)."""

    def __init__(self, store_path: Path, size: int = 2):
        self.store_path = str(store_path)
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self.killed = 0  # workers killed for running past the time limit
        self.network_isolation, self._sandbox = network_sandbox()

    def start(self) -> None:
        if self.network_isolation is None:
            log.warning("query workers can open network connections: no network namespace can be made here "
                        "(README, 'Security'); SERVICE is still refused before evaluation")
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = socket.socketpair()
        fd = child.fileno()
        process = subprocess.Popen([*self._sandbox, sys.executable, "-m", "kg.service.pool", str(fd), self.store_path],
                                   pass_fds=[fd], stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": _ROOT})
        child.close()
        worker = _Worker(process, Connection(parent.detach()))
        with self._lock:
            self._all.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.wait(5)
        worker.conn.close()
        with self._lock:
            self._all.remove(worker)

    def alive(self) -> int:
        with self._lock:
            return sum(w.process.poll() is None for w in self._all)

    def run(self, req: QueryRequest, timeout: float) -> QueryResponse:
        """Evaluate ``req`` within ``timeout`` seconds; raises QueryError, QueryTimeout or PoolBusy."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise PoolBusy(f"all {self.size} query workers are busy; retry later") from None
        try:
            worker.conn.send(req)
            ready = worker.conn.poll(timeout)
            reply = worker.conn.recv() if ready else None
        except (EOFError, OSError):  # the worker died (e.g. out of memory)
            reply = ("error", 500, "the query worker died while evaluating this query")
            ready = False
        if not ready:
            self._retire(worker)
            self._idle.put(self._spawn())
            if reply is None:
                self.killed += 1
                raise QueryTimeout(f"query exceeded the time limit of {timeout:g} s and was stopped")
        else:
            self._idle.put(worker)
        if reply[0] == "error":
            raise QueryError(reply[2], reply[1])
        return reply[1]

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)


if __name__ == "__main__":
    _worker_main(Connection(int(sys.argv[1])), sys.argv[2])
