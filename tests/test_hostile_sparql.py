"""Hostile SPARQL against a live server with tiny limits: the server stops it and keeps serving others.

The server serves the ingested corpus with a 3 s time limit and two query workers, so one
runaway query holds one worker while the other keeps answering. Loops and waits are bounded by
counts and client time-outs; nothing asserts a duration.
"""
from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.servers import start_server

PARA1 = "https://w3id.org/r2p-kg/doc/S-RES-827-1993/para/1"
SMALL = f"SELECT ?text WHERE {{ <{PARA1}> r2p:text ?text }}"
SMALL_ANSWER = "Approves the report of the Secretary-General;"
# ORDER BY makes the store build the whole product before the first row: without it the result
# cap (query_result_limit) ends the query after its first rows.
CARTESIAN = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i"
TIMEOUT_S = 3.0  # long enough for a small query to come back on a loaded machine while the hostile one runs
# A small cap keeps the capped answer far inside the time limit on a loaded machine.
RESULT_LIMIT = 500
TEN_MB = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def server(corpus_store, corpus_settings):
    settings = corpus_settings.model_copy(update={"query_timeout_s": TIMEOUT_S, "query_workers": 2,
                                                  "query_result_limit": RESULT_LIMIT,
                                                  # room for the product to run into the time limit, not the memory cap
                                                  "query_memory_mb": 8192})
    return start_server(settings, query_workers=2)


@pytest.fixture(scope="module")
def url(server):
    return server.url + "/sparql"


def small_query_answered(client, url: str) -> bool:
    """``client`` is an ``httpx.Client`` or the ``httpx`` module itself."""
    r = client.get(url, params={"query": SMALL}, timeout=30)
    return r.status_code == 200 and r.json()["results"]["bindings"] == [{"text": {"type": "literal", "value": SMALL_ANSWER}}]


def test_the_cartesian_product_is_stopped_while_other_clients_are_answered(server, url):
    pool = server.app.state.pool
    killed = pool.killed
    hostile_done = threading.Event()
    hostile: dict = {}

    def hostile_client():
        try:
            hostile["response"] = httpx.post(url, data={"query": CARTESIAN}, timeout=60)
        finally:
            hostile_done.set()

    thread = threading.Thread(target=hostile_client)
    thread.start()
    time.sleep(0.2)  # sequencing only: let the hostile query reach a worker first
    answered_during: list[bool] = []  # each small query: answered correctly while the hostile one still ran?
    health: list[int] = []
    with httpx.Client(timeout=30) as client:
        for _ in range(200):  # bounded; ends when the hostile query does
            ok = small_query_answered(client, url)
            answered_during.append(ok and not hostile_done.is_set())
            health.append(client.get(server.url + "/health").status_code)
            if hostile_done.is_set():
                break
    thread.join(60)
    r = hostile["response"]
    assert (r.status_code, r.json()) == (503, {"error": f"query exceeded the time limit of {TIMEOUT_S:g} s and was stopped"})
    assert any(answered_during), answered_during  # another client was served while the hostile query ran
    assert set(health) == {200}
    assert pool.killed == killed + 1 and pool.alive() == pool.size
    # The killed worker was replaced: both workers answer again (two at once need both).
    results: list[bool] = []

    def one():
        results.append(small_query_answered(httpx, url))

    pair = [threading.Thread(target=one) for _ in range(2)]
    for t in pair:
        t.start()
    for t in pair:
        t.join(30)
    assert results == [True, True]


def test_the_same_query_without_order_by_is_cut_by_the_result_cap(url):
    r = httpx.get(url, params={"query": "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}, timeout=30)
    assert r.status_code == 200 and r.headers["x-result-truncated"] == "true"
    assert len(r.json()["results"]["bindings"]) == RESULT_LIMIT


def test_a_ten_megabyte_query_body_is_refused(url, corpus_settings):
    body = "SELECT * { ?s ?p ?o } #" + "x" * TEN_MB
    r = httpx.post(url, content=body, headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert (r.status_code, r.json()) == (413, {"error": f"request body larger than the limit of {corpus_settings.max_body_bytes} bytes"})
    assert small_query_answered(httpx, url)


def test_service_and_update_are_refused(url):
    r = httpx.post(url, data={"query": "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}, timeout=30)
    assert (r.status_code, r.json()) == (403, {"error": "SERVICE (federated query) is not allowed on this endpoint"})
    r = httpx.post(url, content="DELETE WHERE { ?s ?p ?o }", headers={"Content-Type": "application/sparql-update"}, timeout=30)
    assert (r.status_code, r.json()) == (403, {"error": "SPARQL Update is not allowed on this endpoint (read-only)"})
    assert small_query_answered(httpx, url)  # nothing was deleted
