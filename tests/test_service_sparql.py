"""The SPARQL endpoint against a live server: formats, errors, refusals, limits, real clients."""
from __future__ import annotations

import csv
import http.server
import io
import json
import threading
import xml.etree.ElementTree as ET

import httpx
import pytest
from pyoxigraph import Literal, NamedNode, QueryResultsFormat, RdfFormat, parse, parse_query_results

from kg.sparql import QueryError, check_read_only, negotiate
from tests.servers import corpus_server  # noqa: F401  (fixture)

PARA1 = "https://w3id.org/r2p-kg/doc/S-RES-827-1993/para/1"
PARA1_TEXT = "Approves the report of the Secretary-General;"
R2P = "https://w3id.org/r2p-kg/ontology#"
TEXT_QUERY = f"SELECT ?text ?cite WHERE {{ <{PARA1}> r2p:text ?text ; r2p:citation ?cite }}"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def url(corpus_server):  # noqa: F811
    return corpus_server.url + "/sparql"


# -- the guard, before any evaluation ----------------------------------------------------------------
ALLOWED = [
    'SELECT * { ?s ?p "SERVICE <http://evil.example/> { ?a ?b ?c }" }',
    "SELECT * { ?s ?p 'service' }",
    'SELECT * { ?s ?p """multi\nline SERVICE <http://evil.example/> {}\n""" }',
    "SELECT * { ?s ?p '''SERVICE'''}",
    'SELECT * { ?s ?p "escaped \\" SERVICE <http://x/> {} \\"" }',
    "SELECT * { ?s <http://example.org/SERVICE> ?o }",
    "SELECT * { ?s ?p ?o } # SERVICE <http://evil.example/> { }",
    "SELECT ?service { ?service ?p ?o }",
    "SELECT $service { $service ?p ?o }",
    "PREFIX ex: <http://example.org/> SELECT * { ?s ex:SERVICE ?o }",
    "PREFIX SERVICE: <http://example.org/> SELECT * { ?s SERVICE:p ?o }",
    "SELECT * { _:service ?p ?o }",
    "SELECT * { ?s ?p ?o FILTER(?o = 'INSERT DATA { <a> <b> <c> }') }",
    "SELECT ?delete { ?delete ?p ?o }",
]
REFUSED_SERVICE = [
    "SELECT * { SERVICE <http://evil.example/> { ?s ?p ?o } }",
    "select * { service <http://evil.example/> { ?s ?p ?o } }",
    "SELECT * { SERVICE SILENT <http://evil.example/> { ?s ?p ?o } }",
    "SELECT * { ?x ?y ?z . SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * { ?s ?p 'a' }SERVICE<http://evil.example/>{ ?s ?p ?o }",
    "# a comment\nSELECT * { OPTIONAL { SERVICE <http://evil.example/> { ?s ?p ?o } } }",
    'SELECT * { ?s ?p "#not a comment" . SERVICE <http://evil.example/> { } }',
    "SELECT * { ?s <http://a/#frag> ?o . SERVICE <http://evil.example/> { } }",
]


@pytest.mark.parametrize("query", ALLOWED)
def test_guard_lets_keywords_in_strings_iris_comments_and_names_through(query):
    check_read_only(query)


@pytest.mark.parametrize("query", REFUSED_SERVICE)
def test_guard_refuses_every_real_service_clause(query):
    with pytest.raises(QueryError, match="SERVICE .federated query. is not allowed") as info:
        check_read_only(query)
    assert info.value.status == 403


@pytest.mark.parametrize("query,verb", [("INSERT DATA { <a> <b> <c> }", "INSERT"), ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
                                        ("CLEAR ALL", "CLEAR"), ("LOAD <http://evil.example/data.ttl>", "LOAD"),
                                        ("DROP SILENT GRAPH <http://g/>", "DROP")])
def test_guard_refuses_updates_naming_the_verb(query, verb):
    with pytest.raises(QueryError, match=rf"SPARQL Update \({verb}\) is not allowed"):
        check_read_only(query)


def test_negotiation_follows_q_values_and_the_format_parameter():
    assert negotiate("select", "text/csv;q=0.5, application/sparql-results+xml") == "application/sparql-results+xml"
    assert negotiate("select", "text/html, */*;q=0.8") == "application/sparql-results+json"
    assert negotiate("graph", "application/ld+json;q=0.9, text/turtle;q=0.2") == "application/ld+json"
    assert negotiate("graph", None, "ntriples") == "application/n-triples"
    assert negotiate("graph", None, "json") == "application/ld+json"  # SPARQLWrapper sends format=json for CONSTRUCT
    with pytest.raises(QueryError, match="format 'csv' is not available for a CONSTRUCT/DESCRIBE result") as info:
        negotiate("graph", None, "csv")
    assert info.value.status == 406


# -- results in every format -----------------------------------------------------------------------
@pytest.mark.parametrize("media,fmt", [("application/sparql-results+json", QueryResultsFormat.JSON),
                                       ("application/sparql-results+xml", QueryResultsFormat.XML),
                                       ("text/tab-separated-values", QueryResultsFormat.TSV)])
def test_select_results_parse_as_standard_results(url, media, fmt):
    r = httpx.get(url, params={"query": TEXT_QUERY}, headers={"Accept": media})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    rows = list(parse_query_results(r.content, format=fmt))
    assert [(row["text"], row["cite"]) for row in rows] == [(Literal(PARA1_TEXT), Literal("S/RES/827 (1993), para. 1"))]


def test_select_as_csv_and_json_details(url, corpus_store):
    r = httpx.post(url, data={"query": TEXT_QUERY}, headers={"Accept": "text/csv"})
    assert list(csv.reader(io.StringIO(r.text))) == [["text", "cite"], [PARA1_TEXT, "S/RES/827 (1993), para. 1"]]
    order_query = f"SELECT ?order WHERE {{ <{PARA1}> r2p:order ?order }}"
    r = httpx.get(url, params={"query": order_query})
    assert r.json()["results"]["bindings"] == [{"order": {
        "type": "literal", "value": corpus_store.select(order_query)[0]["order"], "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]
    assert r.headers["x-result-count"] == "1" and "x-result-truncated" not in r.headers


def test_ask_in_json_and_xml(url):
    ask = f"ASK {{ <{PARA1}> a r2p:Paragraph }}"
    assert httpx.get(url, params={"query": ask}).json() == {"head": {}, "boolean": True}
    r = httpx.post(url, content=ask.replace("Paragraph", "Article"), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+xml"})
    assert bool(parse_query_results(r.content, format=QueryResultsFormat.XML)) is False


@pytest.mark.parametrize("media,fmt", [("text/turtle", RdfFormat.TURTLE), ("application/n-triples", RdfFormat.N_TRIPLES),
                                       ("application/ld+json", RdfFormat.JSON_LD), ("application/rdf+xml", RdfFormat.RDF_XML)])
def test_construct_and_describe_in_every_rdf_format(url, media, fmt):
    r = httpx.get(url, params={"query": f"CONSTRUCT {{ <{PARA1}> r2p:text ?t }} WHERE {{ <{PARA1}> r2p:text ?t }}"},
                  headers={"Accept": media})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert [(t.subject, t.predicate, t.object) for t in parse(r.content, format=fmt)] == [
        (NamedNode(PARA1), NamedNode(R2P + "text"), Literal(PARA1_TEXT))]
    described = httpx.get(url, params={"query": f"DESCRIBE <{PARA1}>"}, headers={"Accept": media})
    triples = {(t.predicate.value, t.object.value) for t in parse(described.content, format=fmt)}
    assert (R2P + "citation", "S/RES/827 (1993), para. 1") in triples


def test_protocol_dataset_overrides_the_union_default_graph(url):
    count = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d r2p:documentType ?type }"
    everything = int(httpx.get(url, params={"query": count}).json()["results"]["bindings"][0]["n"]["value"])
    one = httpx.get(url, params={"query": count, "default-graph-uri": "https://w3id.org/r2p-kg/graph/S-RES-827-1993"})
    assert one.json()["results"]["bindings"][0]["n"]["value"] == "1" and everything > 5
    named = httpx.get(url, params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                   "named-graph-uri": "https://w3id.org/r2p-kg/graph/S-RES-808-1993"})
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == ["https://w3id.org/r2p-kg/graph/S-RES-808-1993"]


# -- errors and refusals -----------------------------------------------------------------------------
def test_malformed_query_gives_400_with_the_parsers_message_and_position(url):
    r = httpx.get(url, params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert r.status_code == 400
    assert r.json() == {"error": "syntax error: error at 1:26: expected one of LATERAL, SERVICE, [_]"}


def test_service_is_refused_and_never_fetched(url):
    fetched = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            fetched.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    listener = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    try:
        target = f"http://127.0.0.1:{listener.server_address[1]}/sparql"
        for query in (f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                      f"SELECT * {{ service silent <{target}> {{ ?s ?p ?o }} }}"):
            r = httpx.post(url, data={"query": query})
            assert (r.status_code, r.json()) == (403, {"error": "SERVICE (federated query) is not allowed on this endpoint"})
    finally:
        listener.shutdown()
    assert fetched == []


def test_updates_are_refused_however_they_are_sent(url):
    for r in (httpx.get(url, params={"update": "CLEAR ALL"}),
              httpx.post(url, data={"update": "CLEAR ALL"}),
              httpx.post(url, content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"}),
              httpx.post(url, data={"query": "INSERT DATA { <http://a> <http://b> <http://c> }"})):
        assert r.status_code == 403 and "not allowed on this endpoint" in r.json()["error"]
    assert httpx.get(url, params={"query": "ASK { <http://a> <http://b> <http://c> }"}).json()["boolean"] is False


def test_protocol_misuse_is_a_client_error(url):
    assert httpx.put(url, content="ASK {}").status_code == 405
    assert httpx.post(url, content="ASK {}", headers={"Content-Type": "text/plain"}).status_code == 415
    r = httpx.get(url + "?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert (r.status_code, r.json()["error"]) == (400, "exactly one 'query' parameter is allowed, got 2")
    r = httpx.post(url, content="ASK {}".encode("utf-16"), headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert r.status_code == 415 and r.json()["error"] == "request bodies must be UTF-8, got charset=utf-16"
    r = httpx.get(url, params={"query": "ASK {}", "format": "turtle"})
    assert r.status_code == 406


# -- limits ------------------------------------------------------------------------------------------
def test_result_cap_truncates_with_a_clear_signal_and_clients_cannot_raise_it(url, corpus_settings):
    r = httpx.get(url, params={"query": "SELECT ?s WHERE { ?s ?p ?o }", "max-results": "2"})
    body = r.json()
    assert len(body["results"]["bindings"]) == 2 and body["head"]["link"] == ["urn:r2p-kg:results-truncated"]
    assert (r.headers["x-result-truncated"], r.headers["x-result-limit"]) == ("true", "2")
    xml = httpx.get(url, params={"query": "SELECT ?s WHERE { ?s ?p ?o }", "max-results": "3"},
                    headers={"Accept": "application/sparql-results+xml"})
    ns = "{http://www.w3.org/2005/sparql-results#}"
    root = ET.fromstring(xml.content)
    assert len(root.findall(f"{ns}results/{ns}result")) == 3
    assert root.find(f"{ns}head/{ns}link").get("href") == "urn:r2p-kg:results-truncated"
    raised = httpx.get(url, params={"query": "ASK {}", "max-results": "999999999", "timeout": "100000"})
    assert raised.headers["x-result-limit"] == str(corpus_settings.query_result_limit)
    assert raised.headers["x-query-timeout"] == f"{corpus_settings.query_timeout_s:g}"
    assert httpx.get(url, params={"query": "ASK {}", "max-results": "-1"}).json() == {
        "error": "'max-results' must be a positive number, got '-1'"}


def test_a_query_past_the_time_limit_is_stopped_and_the_worker_replaced(url, corpus_server):  # noqa: F811
    pool = corpus_server.app.state.pool
    killed = pool.killed
    r = httpx.post(url, data={"query": CARTESIAN, "timeout": "0.5"}, timeout=30)
    assert (r.status_code, r.json()) == (503, {"error": "query exceeded the time limit of 0.5 s and was stopped"})
    assert pool.killed == killed + 1 and pool.alive() == pool.size
    again = httpx.get(url, params={"query": TEXT_QUERY}, timeout=30)
    assert again.json()["results"]["bindings"][0]["text"]["value"] == PARA1_TEXT


def test_request_bodies_over_the_limit_are_refused(url, corpus_settings):
    big = "#" * (corpus_settings.max_body_bytes + 1)
    r = httpx.post(url, content=big, headers={"Content-Type": "application/sparql-query"})
    assert (r.status_code, r.json()) == (413, {"error": f"request body larger than the limit of {corpus_settings.max_body_bytes} bytes"})

    def chunks():  # no Content-Length: the limit must hold on the streamed body too
        for _ in range(corpus_settings.max_body_bytes // 65536 + 2):
            yield b"#" * 65536

    r = httpx.post(url, content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


# -- service description -------------------------------------------------------------------------------
def test_service_description_and_void_at_the_endpoint(url, corpus_store):
    r = httpx.get(url)
    assert r.headers["content-type"].startswith("text/turtle")
    from pyoxigraph import Store

    sd = Store()
    sd.load(r.content, format=RdfFormat.TURTLE)
    prefixes = ("PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> PREFIX void: <http://rdfs.org/ns/void#> "
                "PREFIX formats: <http://www.w3.org/ns/formats/> ")
    assert sd.query(prefixes + f"ASK {{ <{url}> a sd:Service ; sd:endpoint <{url}> ; sd:supportedLanguage sd:SPARQL11Query ; "
                               "sd:resultFormat formats:SPARQL_Results_JSON, formats:Turtle ; sd:defaultDataset ?d . "
                               f"?d a void:Dataset ; void:sparqlEndpoint <{url}> ; void:triples {len(corpus_store)} }}")
    graphs = {row["g"].value for row in sd.query(prefixes + "SELECT ?g { ?d sd:namedGraph [ sd:name ?g ] }")}
    assert graphs == {g.value for g in corpus_store.named_graphs()}
    jsonld = httpx.get(url, headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json") and json.loads(jsonld.text)


# -- real clients ----------------------------------------------------------------------------------------
def test_sparqlwrapper_client(url):
    from SPARQLWrapper import JSON, XML, SPARQLWrapper

    client = SPARQLWrapper(url)
    client.setQuery("PREFIX r2p: <https://w3id.org/r2p-kg/ontology#> " + TEXT_QUERY)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert rows[0]["text"]["value"] == PARA1_TEXT
    client.setReturnFormat(XML)
    doc = client.query().convert()
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == [PARA1_TEXT, "S/RES/827 (1993), para. 1"]
    client.setQuery(f"ASK {{ <{PARA1}> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setMethod("POST")
    client.setQuery(f"CONSTRUCT {{ <{PARA1}> ?p ?o }} WHERE {{ <{PARA1}> ?p ?o }}")
    graph = client.queryAndConvert()
    assert (None, None, __import__("rdflib").Literal(PARA1_TEXT)) in graph


def test_rdflib_sparqlstore_client(url):
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(store=SPARQLStore(url))
    rows = list(graph.query(f"SELECT ?cite WHERE {{ <{PARA1}> <{R2P}citation> ?cite }}"))
    assert [str(r.cite) for r in rows] == ["S/RES/827 (1993), para. 1"]
    assert graph.query(f"ASK {{ <{PARA1}> a <{R2P}Paragraph> }}").askAnswer is True
    assert (rdflib.URIRef(PARA1), rdflib.URIRef(R2P + "text"), rdflib.Literal(PARA1_TEXT)) in graph
