"""The catalogue graph: works, and the stubs of cited documents that are not stored, each written once.

A document's own graph says what it is; a graph that cites another document keeps only the link and
a record of how it named it (``r2p:citedDocument``, ``r2p:citedSymbol``, ``r2p:citedTitle``). Writing
the cited document's type and title in every citing graph would repeat them in the union default graph.
"""
from __future__ import annotations

from pyoxigraph import NamedNode

from ingest.namespaces import GRAPH, sparql_prefixes

CATALOGUE_GRAPH = NamedNode(GRAPH + "catalogue")

# One update, so one transaction: readers see the old catalogue or the new one. Stubs are the cited
# documents that no graph derives (not stored), with the symbols and titles their citers gave.
REFRESH = sparql_prefixes() + f"""
DROP SILENT GRAPH <{CATALOGUE_GRAPH.value}> ;
INSERT {{ GRAPH <{CATALOGUE_GRAPH.value}> {{ ?d a r2p:Document ; dcterms:identifier ?symbol ; dcterms:title ?title }} }}
WHERE {{
  GRAPH ?g {{ ?record r2p:citedDocument ?d
             OPTIONAL {{ ?record r2p:citedSymbol ?symbol }} OPTIONAL {{ ?record r2p:citedTitle ?title }} }}
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?d prov:wasDerivedFrom ?h }} }}
}} ;
INSERT {{ GRAPH <{CATALOGUE_GRAPH.value}> {{ ?work a r2p:Work ; dcterms:identifier ?symbol }} }}
WHERE {{ GRAPH ?g {{ ?d r2p:expressionOf ?work OPTIONAL {{ ?d dcterms:identifier ?symbol }} }} }}
"""


def refresh_catalogue(store) -> None:
    """Rewrite the catalogue graph from the stored graphs; called once after each run that writes or drops graphs."""
    store.update(REFRESH)
