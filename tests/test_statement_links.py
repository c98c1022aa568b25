"""The record<->collection link is stored in the graph at ingestion, rewritten whole, and counted once."""
from __future__ import annotations

from ingest.namespaces import BASE, graph_uri
from kg.positions import timeline
from kg.statement_links import LINKS_GRAPH, link_statements
from kg.store import OxigraphStore

LINKS = f"SELECT ?c ?r WHERE {{ GRAPH <{LINKS_GRAPH.value}> {{ ?c prov:alternateOf ?r }} }}"


def _copy(source, target, *ids):
    for doc in ids:
        graph = graph_uri(doc)
        target.replace_graph(graph, list(source.quads_for_pattern(graph=graph)))


def test_ingestion_links_a_collected_statement_to_the_record_that_prints_it(debates_store):
    rows = debates_store.select(LINKS)
    assert len(rows) == 1
    assert rows[0]["c"].startswith(BASE + "doc/GCR2P-statement-797")
    assert debates_store.select(f"SELECT ?cite WHERE {{ <{rows[0]['r']}> r2p:citation ?cite }}") == [
        {"cite": "A/72/PV.99 (Australia)"}]


def test_a_linked_statement_counts_once_and_the_link_goes_with_its_statement(debates_store):
    store = OxigraphStore(None)
    _copy(debates_store, store, "A-72-PV.99", "GCR2P-statement-797")
    assert any(p.citation.startswith("Australia, ") for p in timeline(store, "AUS"))  # unlinked: shown twice
    assert link_statements(store) == 1 and LINKS_GRAPH in store.named_graphs()
    assert "A/72/PV.99 (Australia), ¶60" in {p.citation for p in timeline(store, "AUS")}
    assert not any(p.citation.startswith("Australia, ") for p in timeline(store, "AUS"))
    store.remove_graph(graph_uri("A-72-PV.99"))
    assert link_statements(store) == 0 and LINKS_GRAPH not in store.named_graphs()
    assert timeline(store, "AUS") and all(p.citation.startswith("Australia") for p in timeline(store, "AUS"))
