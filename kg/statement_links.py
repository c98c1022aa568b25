"""One statement, two sources: a collected statement that a meeting record also prints is linked to it.

The Global Centre's collection and the verbatim records overlap (the same State, the same day). The
link is a fact of the graph, not a guess each query repeats: ``<collected> prov:alternateOf <record>``
(PROV-O's "two entities that present aspects of the same thing"), written after every ingestion into
one graph of its own that is rewritten whole in one transaction, so it never holds a link to a
statement that is gone. Counts and timelines leave out a statement that is an alternate of a record's.
"""
from __future__ import annotations

from pyoxigraph import NamedNode, Quad

from ingest.namespaces import GRAPH, prov

LINKS_GRAPH = NamedNode(GRAPH + "statement-links")

_PAIRS = """SELECT DISTINCT ?collected ?record WHERE {
  ?collected a r2p:Statement ; r2p:represents ?who ; dcterms:date ?date ; r2p:inDocument/a r2p:CollectedStatement .
  ?record a r2p:Statement ; r2p:represents ?who ; dcterms:date ?date ; r2p:inDocument/a r2p:VerbatimRecord .
  FILTER(DATATYPE(?date) = xsd:date)
}"""
_STORED = f"SELECT ?c ?r WHERE {{ GRAPH <{LINKS_GRAPH.value}> {{ ?c prov:alternateOf ?r }} }}"


def link_statements(store) -> int:
    """Bring the link graph in line with what the store holds now; returns how many links it has.

    Nothing is written when the links are unchanged (an ingestion that changed nothing writes nothing),
    and no links means no graph at all, so a store without debates holds no empty graph."""
    pairs = {(row["collected"], row["record"]) for row in store.select(_PAIRS)}
    stored = {(row["c"], row["r"]) for row in store.select(_STORED)}
    if pairs == stored:
        return len(pairs)
    if not pairs:
        store.remove_graph(LINKS_GRAPH)
    else:
        store.replace_graph(LINKS_GRAPH, [Quad(NamedNode(c), prov.alternateOf, NamedNode(r), LINKS_GRAPH)
                                          for c, r in sorted(pairs)])
    return len(pairs)
