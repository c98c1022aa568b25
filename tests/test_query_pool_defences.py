"""Issue 15: query workers bounded in memory, and a pool that defends itself against cheap crashes.

A server over the corpus with a small per-worker memory limit: a query that needs more ends its
worker (never the machine's memory), a deeply nested query is refused before it reaches a worker,
a warm spare takes a dead worker's place, and a client that keeps crashing workers is slowed down
while another client is still served.
"""
from __future__ import annotations

import httpx
import pytest

from kg.service.pool import QueryPool, WorkerCrashed
from kg.service.throttle import CrashThrottle
from kg.sparql import QueryRequest
from tests.servers import start_server

MEMORY_MB = 700
# ORDER BY makes the engine hold the whole product before the first row.
MEMORY_HOG = "SELECT ?a ?d { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
SMALL = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def server(corpus_store, corpus_settings):
    settings = corpus_settings.model_copy(update={"query_memory_mb": MEMORY_MB, "query_timeout_s": 60.0})
    return start_server(settings, query_workers=2)


def client_from(address: str) -> httpx.Client:
    """A client on its own loopback address, so that the server tells it apart from the others."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=90)


def test_sparql_worker_memory_is_capped_and_the_hog_gets_a_clear_error(server):
    pool = server.app.state.pool
    crashed = pool.crashed
    with client_from("127.0.0.11") as client:
        r = client.post(server.url + "/sparql", data={"query": MEMORY_HOG})
    assert (r.status_code, r.json()) == (500, {"error": f"the query worker died while evaluating this query "
                                                        f"(a query may use at most {MEMORY_MB} MiB)"})
    assert pool.crashed == crashed + 1 and pool.alive() == pool.size


def test_a_worker_under_a_small_memory_limit_opens_the_store_and_answers(corpus_store, corpus_settings):
    """glibc's per-thread malloc arenas once reserved ~380 MiB of address space: under a 400 MiB limit the
    engine could not start a thread and the worker died on opening the store (and at random under 700)."""
    pool = QueryPool(corpus_settings.store_dir, size=1, memory_mb=400, spares=0)
    pool.start()
    try:
        answer = pool.run(QueryRequest(SMALL, limit=10), timeout=60)
        assert (answer.media_type, b"true" in answer.body, pool.crashed) == ("application/sparql-results+json", True, 0)
    finally:
        pool.close()


def test_workers_that_cannot_open_the_store_give_a_clear_error_not_a_long_wait(corpus_store, corpus_settings):
    """Below what opening the store needs, every worker dies as it starts: the query is told why at once."""
    pool = QueryPool(corpus_settings.store_dir, size=1, memory_mb=60, spares=0)
    pool.start()
    try:
        with pytest.raises(WorkerCrashed, match=r"query workers die as they start \(3 in a row\): the store cannot be "
                                                r"opened within the limit of 60 MiB; see the server log"):
            pool.run(QueryRequest(SMALL, limit=10), timeout=60)
    finally:
        pool.close()


def test_five_thousand_nested_braces_are_refused_before_any_worker_crashes(server):
    pool = server.app.state.pool
    workers = sorted(w.process.pid for w in pool._all)
    query = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    r = httpx.post(server.url + "/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
    assert (r.status_code, r.json()) == (400, {"error": "the query nests brackets 5000 deep; at most 100 are allowed"})
    assert sorted(w.process.pid for w in pool._all) == workers


def test_a_dead_worker_is_replaced_by_a_warm_spare(server):
    pool = server.app.state.pool
    spare = pool._spare.queue[0].process.pid if pool._spare.qsize() else None
    with client_from("127.0.0.12") as client:
        assert client.post(server.url + "/sparql", data={"query": MEMORY_HOG}).status_code == 500
    assert spare is not None and spare in [w.process.pid for w in pool._all]


def test_workers_that_died_while_idle_are_replaced_and_the_query_is_answered(server):
    """A worker gone before a query reaches it (killed, or dead as it started) is no crash of that query's."""
    pool = server.app.state.pool
    crashed = pool.crashed
    for worker in list(pool._all):
        worker.process.kill()
        worker.process.wait(5)
    with client_from("127.0.0.15") as client:
        r = client.post(server.url + "/sparql", data={"query": SMALL})
    assert (r.status_code, r.json()["boolean"]) == (200, True)
    assert pool.crashed == crashed and pool.alive() == pool.size


def test_a_client_that_keeps_crashing_workers_gets_429_while_others_are_served(server):
    throttle = server.app.state.crash_throttle
    with client_from("127.0.0.13") as hostile, client_from("127.0.0.14") as other:
        statuses = [hostile.post(server.url + "/sparql", data={"query": MEMORY_HOG}).status_code
                    for _ in range(throttle.limit)]
        assert statuses == [500] * throttle.limit
        refused = hostile.post(server.url + "/sparql", data={"query": SMALL})
        assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= throttle.window_s
        assert refused.json() == {"error": f"your recent queries crashed query workers; retry in {refused.headers['retry-after']} s"}
        answered = other.post(server.url + "/sparql", data={"query": SMALL})
        assert answered.status_code == 200 and answered.json()["boolean"] is True


def test_the_throttle_forgets_crashes_older_than_its_window():
    now = [0.0]
    throttle = CrashThrottle(limit=2, window_s=10, clock=lambda: now[0])
    throttle.record("a")
    now[0] = 4.0
    throttle.record("a")
    assert (throttle.retry_after("a"), throttle.retry_after("b")) == (6, 0)
    now[0] = 10.5  # the first crash has left the window
    assert throttle.retry_after("a") == 0
