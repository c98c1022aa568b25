"""Every term of our own namespace that the ingested graph uses is declared, labelled and commented."""
from __future__ import annotations


def test_every_r2p_term_in_use_is_declared_with_label_and_comment(corpus_store):
    rows = corpus_store.select("""
        SELECT DISTINCT ?term WHERE {
          { ?s ?term ?o } UNION { ?s a ?term }
          FILTER (STRSTARTS(STR(?term), STR(r2p:)))
          FILTER NOT EXISTS { GRAPH <https://w3id.org/r2p-kg/graph/ontology> { ?term rdfs:label ?l ; rdfs:comment ?c } }
        }""")
    assert rows == []


def test_the_ontology_graph_holds_the_taxonomies(corpus_store):
    assert corpus_store.ask("""ASK { GRAPH <https://w3id.org/r2p-kg/graph/ontology> {
        <https://w3id.org/r2p-kg/risk-factor/1> a skos:Concept ; skos:prefLabel ?l } }""")
