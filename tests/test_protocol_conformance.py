"""The W3C SPARQL 1.1 Protocol tests, run from their manifest against the live endpoint.

Each ``mf:ProtocolTest`` is a list of HTTP requests with an expected status class, result format
and boolean. The dataset IRIs the tests name (``http://kasei.us/2009/09/sparql/data/data1.rdf``…)
are named graphs loaded from the manifest's local ``data1.nt``…``data3.nt`` (``ut:graphData``):
nothing is fetched. The ``update_*`` tests need an update endpoint, which this read-only service
refuses by design; they are expected failures.
"""
from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import rdflib
from pyoxigraph import NamedNode, Quad, QueryResultsFormat, RdfFormat, parse, parse_query_results
from rdflib.collection import Collection

from kg.store import OxigraphStore, RemoteStore
from tests.conftest import make_settings
from tests.servers import SERVER_FIXTURES, oxigraph_server, start_server, virtuoso_server  # noqa: F401

SUITE = Path(__file__).resolve().parent / "conformance" / "sparql11-protocol"
MANIFEST = SUITE / "manifest.ttl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
STATUS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
READ_ONLY = "read-only endpoint: SPARQL Update is refused (403) by design, so an update test cannot pass"
BOOLEAN_TYPES = {"application/sparql-results+json": QueryResultsFormat.JSON, "application/sparql-results+xml": QueryResultsFormat.XML}
TABULAR_TYPES = {*BOOLEAN_TYPES, "text/csv", "text/tab-separated-values"}
RDF_TYPES = {"text/turtle": RdfFormat.TURTLE, "application/n-triples": RdfFormat.N_TRIPLES,
             "application/rdf+xml": RdfFormat.RDF_XML, "application/ld+json": RdfFormat.JSON_LD}


def _load_tests() -> tuple[list, dict[str, Path]]:
    if not MANIFEST.exists():
        return [], {}
    g = rdflib.Graph().parse(MANIFEST, format="turtle")
    manifest = next(g.subjects(rdflib.RDF.type, MF.Manifest))
    tests, datasets = [], {}
    for test in Collection(g, g.value(manifest, MF.entries)):
        name = str(test).rsplit("#", 1)[-1]
        for data in g.objects(test, UT.graphData):
            datasets[str(g.value(data, rdflib.RDFS.label))] = Path(str(g.value(data, UT.graph)).removeprefix("file://"))
        requests = []
        for req in Collection(g, g.value(g.value(test, MF.action), HT.requests)):
            body = g.value(req, HT.body)
            resp = g.value(req, HT.resp)
            headers_list = g.value(req, HT.headers)
            requests.append({
                "method": str(g.value(req, HT.methodName)),
                "path": str(g.value(req, HT.absolutePath)),
                "body": None if body is None else str(g.value(body, CNT.chars)).encode(str(g.value(body, CNT.characterEncoding))),
                "headers": {str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue))
                            for h in (Collection(g, headers_list) if headers_list else [])},
                "status": {str(s).removeprefix(STATUS)[0] for s in g.objects(resp, MF.expectedStatus)},
                "format": g.value(resp, MF.expectedFormat),
                "boolean": g.value(resp, MF.expectedBoolean),
            })
        marks = [pytest.mark.xfail(reason=READ_ONLY, strict=True)] if name.startswith("update_") else []
        tests.append(pytest.param(requests, id=name, marks=marks))
    return tests, datasets


TESTS, DATASETS = _load_tests()
pytestmark = pytest.mark.skipif(not TESTS, reason=f"the W3C protocol manifest is missing: {MANIFEST}")


@pytest.fixture(scope="module", params=["embedded", *SERVER_FIXTURES])
def endpoint(request, tmp_path_factory) -> str:
    """A server over a store holding exactly the suite's graphs, each named by the IRI the tests use.

    The store is the embedded one, or a real SPARQL server that the service forwards to (shared by
    the session: the suite's graphs are dropped from it afterwards).
    """
    data = tmp_path_factory.mktemp("protocol-data")
    if request.param == "embedded":
        settings = make_settings(data)
        store = OxigraphStore(settings.store_dir)
    else:
        url = request.getfixturevalue(SERVER_FIXTURES[request.param])
        settings = make_settings(data, store_url=url)
        store = RemoteStore(url)
    for iri, local in sorted(DATASETS.items()):
        path = local if local.is_absolute() else SUITE / local
        triples = parse(path.read_bytes(), format=RdfFormat.N_TRIPLES)
        store.replace_graph(NamedNode(iri), (Quad(t.subject, t.predicate, t.object, NamedNode(iri)) for t in triples))
    store.flush()
    yield start_server(settings).url
    if request.param != "embedded":
        for iri in DATASETS:
            store.remove_graph(NamedNode(iri))


def test_the_suite_and_its_datasets_are_all_there():
    assert len(TESTS) == 34
    assert sorted(DATASETS) == [f"http://kasei.us/2009/09/sparql/data/data{i}.rdf" for i in (1, 2, 3)]


@pytest.mark.parametrize("requests", TESTS)
def test_protocol(endpoint, requests):
    with httpx.Client(base_url=endpoint, timeout=30) as client:
        for spec in requests:
            path = "/sparql" + spec["path"].removeprefix("/sparql/")  # the manifest's "/sparql/" is our "/sparql"
            response = client.request(spec["method"], path, content=spec["body"], headers=spec["headers"])
            assert str(response.status_code)[0] in spec["status"], (response.status_code, response.text)
            media = response.headers.get("content-type", "").split(";")[0]
            if spec["format"] is not None:
                expected = str(spec["format"])
                allowed = {"boolean": BOOLEAN_TYPES, "tabular": TABULAR_TYPES, "RDF": RDF_TYPES}[expected]
                assert media in allowed, media
                if expected == "RDF":
                    list(parse(response.content, format=RDF_TYPES[media]))
            if spec["boolean"] is not None:
                answer = parse_query_results(response.content, format=BOOLEAN_TYPES[media])
                assert bool(answer) is spec["boolean"].toPython(), json.dumps(response.text)
