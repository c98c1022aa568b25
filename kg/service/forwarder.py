"""SPARQL over a remote store: the endpoint's queries forwarded to the server through the SPARQL 1.1 Protocol.

The remote twin of ``kg.service.pool.QueryPool`` (the same ``start``, ``run``, ``alive``, ``close``),
chosen by ``kg.composition`` when ``R2P_STORE_URL`` is set. Nothing reaches the server before the
endpoint's checks: ``sparql_routes`` refuses updates, ``SERVICE`` and deep nesting first, and a remote
server follows ``SERVICE`` itself, so that refusal is the wall. Here the other limits hold:

* only standard SPARQL 1.1 is forwarded (``kg.sparql.check_standard``): a server's own extensions
  can fetch URLs too (Virtuoso's ``DEFINE get:soft``, ``bif:http_get``);

* at most ``size`` queries are forwarded at once; a query that waits a whole time limit for a slot
  gets ``PoolBusy`` (503 with Retry-After), as with the workers;
* the time limit is the client's: past it the answer is abandoned and the connection dropped
  (``QueryTimeout``, 503); the server may go on with the query unless its own time-out stops it;
* the answer is parsed while it streams in and read only up to the result cap, then the connection
  is dropped, so a query that matches millions of rows costs the cap, not the whole answer;
* the server's own errors become ``StoreUnavailable`` (502) naming the server and the status, never
  quoting its body; a malformed query that the server refuses is a 400 of ours.
"""
from __future__ import annotations

import threading

from kg.service.pool import PoolBusy, QueryTimeout
from kg.sparql import QueryError, QueryRequest, QueryResponse, check_standard, dataset_of, write_result
from kg.store import RemoteStore, StoreTimeout


class RemoteQueries:
    """Forwards the endpoint's queries to ``store``, ``size`` at a time; ``run`` is blocking (call it from a thread)."""

    network_isolation = None  # no query runs here: the server's own network is the operator's (README, "Security")

    def __init__(self, store: RemoteStore, size: int = 2):
        self.store = store
        self.size = size
        self._slots = threading.BoundedSemaphore(size)

    def start(self) -> None:
        """Nothing to start: the server is reached on the first query (and again after it comes back)."""

    def alive(self) -> int:
        """How many queries may be forwarded at once (what /health reports as the query workers)."""
        return self.size

    def run(self, req: QueryRequest, timeout: float) -> QueryResponse:
        """Forward ``req`` and write at most ``req.limit`` results; raises QueryError, QueryTimeout, PoolBusy or StoreUnavailable."""
        check_standard(req.query)
        default_graphs, named_graphs = dataset_of(req)
        if not self._slots.acquire(timeout=timeout):
            raise PoolBusy(f"all {self.size} forwarding slots are busy; retry later")
        try:
            with self.store.stream(req.query, default_graphs=[g.value for g in default_graphs],
                                   named_graphs=[g.value for g in named_graphs], base_iri=req.base_iri,
                                   timeout=timeout) as result:
                return write_result(result, req.limit, accept=req.accept, fmt=req.fmt)
        except StoreTimeout:
            raise QueryTimeout(f"query exceeded the time limit of {timeout:g} s; the SPARQL server's answer "
                               "was abandoned") from None
        except SyntaxError as exc:
            raise QueryError(str(exc)) from None
        finally:
            self._slots.release()

    def close(self) -> None:
        self.store.close()
