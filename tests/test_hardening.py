"""Issue 15's defects, each with a regression test named after it (the pool's are in test_query_pool_defences)."""
from __future__ import annotations

import httpx

from tests.servers import corpus_server  # noqa: F401  (fixture)


def test_options_on_sparql_lists_only_the_methods_it_answers(corpus_server):  # noqa: F811
    for path in ("/sparql", "/sparql/"):
        r = httpx.options(corpus_server.url + path)
        assert (r.status_code, r.headers["allow"]) == (204, "GET, POST, OPTIONS")
    r = httpx.put(corpus_server.url + "/sparql", content="ASK {}")
    assert (r.status_code, r.headers["allow"]) == (405, "GET, POST, OPTIONS")
