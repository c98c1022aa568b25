"""Issue 9, the SERVICE filter bypass: the endpoint must never fetch a URL a query names.

Every query here would make a bare Oxigraph store connect to a loopback listener: the variants are
first run unguarded against a second listener to prove that they are live SERVICE queries. The
endpoint must refuse them all (403, or 400 where it cannot read the query unambiguously) and its
listener must see no connection, ever. Behind the refusal, query workers run without a network.
"""
from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pyoxigraph import Store

from kg.service.pool import network_sandbox
from kg.store import RemoteStore, StoreUnavailable
from kg.sparql import QueryError, check_read_only
from tests.servers import Listener, corpus_server  # noqa: F401  (fixture)

@pytest.fixture(scope="module")
def guarded():
    """The listener the endpoint must never reach."""
    listener = Listener()
    yield listener
    listener.close()
    assert listener.requests == [], "the endpoint fetched a SERVICE URL"


@pytest.fixture(scope="module")
def control():
    """The listener an unguarded store does reach: proof that a variant is a live SERVICE query."""
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def endpoint(corpus_server):  # noqa: F811
    return corpus_server.url + "/sparql"


def is_live(query_for, control: Listener) -> bool:
    """Does a bare Oxigraph store, with no guard, fetch the URL this query names?"""
    before = len(control.requests)
    list(Store().query(query_for(control.url + "/x")))
    return len(control.requests) > before


def assert_refused(endpoint: str, query: str) -> None:
    r = httpx.post(endpoint, data={"query": query}, timeout=30)
    assert r.status_code in (400, 403), (r.status_code, r.text, query)
    error = r.json()["error"]
    assert error == "SERVICE (federated query) is not allowed on this endpoint" or error.startswith("cannot read the query:"), error


# -- the two queries of the report, as regressions --------------------------------------------------------
ESCAPED_QUOTE = 'SELECT * WHERE {{ BIND("""a\\"""" AS ?q) SERVICE <{url}> {{ ?x ?y ?z }} }} #"'
U_ESCAPE_BEFORE_HASH = "SELECT * WHERE {{ BIND(<http://a/\\u0041#> AS ?q) SERVICE <{url}> {{ ?x ?y ?z }} }}"


def test_service_filter_bypass_long_string_with_an_escaped_quote(endpoint, guarded, control):
    assert is_live(lambda u: ESCAPED_QUOTE.format(url=u), control)
    r = httpx.post(endpoint, data={"query": ESCAPED_QUOTE.format(url=guarded.url + "/x")})
    assert (r.status_code, r.json()) == (403, {"error": "SERVICE (federated query) is not allowed on this endpoint"})
    assert guarded.requests == []


def test_service_filter_bypass_iri_with_a_u_escape_before_a_hash(endpoint, guarded, control):
    assert is_live(lambda u: U_ESCAPE_BEFORE_HASH.format(url=u), control)
    r = httpx.get(endpoint, params={"query": U_ESCAPE_BEFORE_HASH.format(url=guarded.url + "/x")})
    assert (r.status_code, r.json()) == (403, {"error": "SERVICE (federated query) is not allowed on this endpoint"})
    assert guarded.requests == []


# -- generated variants ---------------------------------------------------------------------------------
# Things that keep the one solution of the query alive and read differently under a careless lexer.
DECOYS = [
    'BIND("""a\\"""" AS ?d)', "BIND('''it\\'''' AS ?d)", 'BIND("a\\"#" AS ?d)', "BIND('x\\u0027# y' AS ?d)",
    "BIND(<http://a/\\u0041#> AS ?d)", "BIND(<http://a/\\U00000041#x> AS ?d)", 'BIND("x\\u0022y" AS ?d)',
    'BIND("""two\nlines # not a comment""" AS ?d)', "BIND(ex:a\\'b AS ?d)", "BIND(ex:a\\#b AS ?d)",
    "BIND(ex:c%41 AS ?d)", '# a comment with a "quote and a <bracket\n', "# '''\n", "FILTER(?one<STR('>') || true)",
    "FILTER(?one < 2)", "BIND(<http://a/b#c> AS ?d)", "BIND('''\"''' AS ?d)", 'BIND("\\\\" AS ?d)',
]
NESTS = ["{body}", "{{ {body} }}", "OPTIONAL {{ {body} }}", "{{ {body} }} UNION {{ BIND(3 AS ?u) }}",
         "FILTER EXISTS {{ {body} }}", "{{ {{ OPTIONAL {{ {body} }} }} }}"]


@st.composite
def service_queries(draw):
    """A function of the SERVICE URL giving a valid query that contacts it, dressed in decoys."""
    keyword = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in "service")
    silent = draw(st.sampled_from(["", " SILENT", " silent"]))
    escaped_iri = draw(st.booleans())
    before = draw(st.lists(st.sampled_from(DECOYS), max_size=3))
    after = draw(st.lists(st.sampled_from(DECOYS), max_size=2))
    nest = draw(st.sampled_from(NESTS))
    trailer = draw(st.sampled_from(["", " #", ' #"', " # '''", "\n# }"]))
    separator = draw(st.sampled_from([" ", "\n", "\t", "\n# comment\n"]))

    def query(url: str) -> str:
        target = url.replace("/x", "/\\u0078") if escaped_iri else url
        service = f"{keyword}{silent}{separator}<{target}>{separator}{{ BIND(2 AS ?two) }}"
        decoys = [d.replace("?d", f"?d{i}") for i, d in enumerate([*before, *after])]  # BIND each variable once
        body = " ".join([*decoys[:len(before)], service, *decoys[len(before):]])
        return f"PREFIX ex: <http://ex/>\nSELECT * WHERE {{ BIND(1 AS ?one) {nest.format(body=body)} }}{trailer}"

    return query


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query_for=service_queries())
def test_every_variant_of_a_live_service_query_is_refused_and_nothing_is_fetched(query_for, endpoint, guarded, control):
    assert is_live(query_for, control), query_for("<url>")
    assert_refused(endpoint, query_for(guarded.url + "/x"))
    assert guarded.requests == []


# -- the lexer refuses what it cannot read ------------------------------------------------------------
@pytest.mark.parametrize("query,where", [
    ("SELECT * { ?s ?p ?o } %", "unexpected character '%' at line 1, column 23"),
    ("SELECT * {\n ?s ?p 'unterminated }", "unexpected character \"'\" at line 2, column 8"),
    ("SELECT * { ?s ?p ?o FILTER(?o<STR('>')) }", "'<' at line 1, column 30 could be read as an IRI or as 'less than'"),
    ("SELECT * { ?s ?p ?o ", "unclosed '{' at the end of the query"),
    ("SELECT * { ?s ?p ?o ) }", "unbalanced ')' at line 1, column 21"),
])
def test_a_query_the_lexer_cannot_read_is_refused_saying_where(query, where):
    with pytest.raises(QueryError) as info:
        check_read_only(query)
    assert info.value.status == 400 and str(info.value).startswith(f"cannot read the query: {where}")


@pytest.mark.parametrize("query", [
    "SELECT * { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o FILTER(?o < 3 && ?x>2) }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY (?s) HAVING(COUNT(*)<5) ORDER BY DESC(?n) LIMIT 3",
    "SELECT * { VALUES (?a ?b) { (<http://a#b> 1) (UNDEF <http://b#c>) } }",
    "SELECT * { ?s (<http://a#p>|^<http://a#q>)+/<http://x#y> ?o }",
    "SELECT * { { SELECT ?s (MAX(?o) AS ?m) WHERE { ?s ?p ?o } GROUP BY ?s } FILTER(?m<?s) }",
    "ASK { << ?s ?p ?o >> ?q ?r }",
])
def test_ordinary_queries_pass_the_lexer(query):
    shape = check_read_only(query)
    assert (shape.service, shape.update) == (False, None)


# -- the second wall: no network in the query workers --------------------------------------------------
def test_query_workers_live_in_a_network_namespace_of_their_own(corpus_server):  # noqa: F811
    pool = corpus_server.app.state.pool
    assert pool.network_isolation is not None, "this system allows network namespaces (root or user namespaces)"
    own = os.readlink("/proc/self/ns/net")
    workers = [w.process.pid for w in pool._all]
    assert workers and all(os.readlink(f"/proc/{pid}/ns/net") != own for pid in workers)


def test_a_sandboxed_oxigraph_cannot_reach_a_loopback_listener(control):
    name, prefix = network_sandbox()
    assert name is not None
    before = len(control.requests)
    script = f"import pyoxigraph; list(pyoxigraph.Store().query('SELECT * {{ SERVICE <{control.url}/x> {{ }} }}'))"
    done = subprocess.run([*prefix, sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "unreachable" in done.stderr.lower(), done.stderr
    assert len(control.requests) == before


# -- no echo of a remote server's answer -----------------------------------------------------------------
@pytest.mark.parametrize("status,exc,message", [
    (500, StoreUnavailable, "answered HTTP 500"),
    (400, SyntaxError, "refused the request as malformed (HTTP 400)"),
    (404, StoreUnavailable, "answered HTTP 404 (is R2P_STORE_URL its query endpoint, e.g. http://host:7878/query?)"),
])
def test_remote_store_errors_never_quote_the_servers_answer(status, exc, message):
    listener = Listener(status, b"SECRET internal answer: root:x:0:0", "text/plain")
    try:
        host = listener.url.removeprefix("http://")
        store = RemoteStore(f"http://admin:hunter2@{host}/query", timeout_s=5)
        with pytest.raises(exc) as info:
            store.select("SELECT * WHERE { ?s ?p ?o }")
    finally:
        listener.close()
    text = str(info.value)
    assert text == f"SPARQL server http://{host}/query {message}"
    assert "SECRET" not in text and "hunter2" not in text


# -- FROM means what SPARQL says ---------------------------------------------------------------------------
CHARTER = "https://w3id.org/r2p-kg/graph/un-charter"
COUNT = "SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ ?s ?p ?o }}"


def count(endpoint: str, query: str, **params) -> int:
    r = httpx.get(endpoint, params={"query": query, **params})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_from_selects_the_stores_own_graph(endpoint, corpus_store):
    union = count(endpoint, COUNT.format(dataset=""))
    charter = count(endpoint, COUNT.format(dataset=""), **{"default-graph-uri": CHARTER})
    assert 0 < charter < union
    assert count(endpoint, COUNT.format(dataset=f"FROM <{CHARTER}>")) == charter
    assert count(endpoint, COUNT.format(dataset="FROM <https://w3id.org/r2p-kg/graph/no-such-graph>")) == 0
    named = httpx.get(endpoint, params={"query": f"SELECT DISTINCT ?g FROM NAMED <{CHARTER}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"})
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [CHARTER]
    # the CLI's path, over the embedded store
    assert int(corpus_store.select(COUNT.format(dataset=f"FROM <{CHARTER}>"))[0]["n"]) == charter
