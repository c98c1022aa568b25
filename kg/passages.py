"""The searchable passages read out of the graph: every node that carries its own text, with what it links to.

Read with a few flat SPARQL queries joined in Python (one per multi-valued property) rather than
one query with GROUP_CONCAT, so a paragraph with many countries and notes never multiplies rows.
"""
from __future__ import annotations

from ingest.text import sentences
from ingest.namespaces import BASE, R2P
from search.passages import Passage

_BASE_QUERY = """
SELECT ?p ?text ?doc ?citation ?number ?type ?symbol ?title ?doctype ?date WHERE {
  ?p r2p:text ?text ; r2p:inDocument ?doc .
  OPTIONAL { ?p r2p:citation ?citation }
  OPTIONAL { ?p r2p:number ?number }
  OPTIONAL { ?p a ?type . FILTER(STRSTARTS(STR(?type), STR(r2p:))) }
  OPTIONAL { GRAPH ?g { ?doc r2p:documentType ?doctype .
    OPTIONAL { ?doc dcterms:identifier ?symbol }
    OPTIONAL { ?doc dcterms:title ?title }
    OPTIONAL { ?doc dcterms:date ?date } } }
}"""
# Document facts are read from the graph that describes the document (the one giving its type),
# not from stubs that other documents' references add with a shorter title.
_LINKS_QUERY = "SELECT ?p ?o WHERE {{ ?p r2p:text ?t ; r2p:{prop} ?o }}"
_PARENT_QUERY = """SELECT ?p ?parent ?lead ?order WHERE { ?p r2p:text ?t ; dcterms:isPartOf ?parent . ?parent r2p:text ?lead .
  ?p a ?kind . FILTER(?kind IN (r2p:Clause, r2p:Item)) OPTIONAL { ?p r2p:order ?order } }"""
# A table's row is read under its table's title, as a clause under its lead-in.
_TABLE_QUERY = """SELECT ?p ?lead WHERE { ?p a r2p:TableRow ; r2p:text ?t ; dcterms:isPartOf ?table .
  ?table dcterms:title ?lead }"""
_NOTES_QUERY = "SELECT ?p ?t WHERE { ?note oa:hasTarget ?p ; r2p:text ?t . ?p r2p:text ?own }"
# Who speaks a statement's paragraph: the State or organization represented and the group spoken for.
_SPEAKERS_QUERY = """SELECT ?p ?who (SAMPLE(?name) AS ?label) WHERE {
  ?p r2p:text ?t ; dcterms:isPartOf ?s . ?s a r2p:Statement ; r2p:represents|r2p:onBehalfOf ?who .
  OPTIONAL { ?who skos:prefLabel ?name } } GROUP BY ?p ?who"""
# The heading of the treaty article a passage is or is part of ("Withdrawal", article 127 of the Rome Statute):
# the words a reader asks in ("Can a State leave the ICC?"), where the article's own say "notification".
_HEADING_QUERY = """SELECT ?p ?heading WHERE { ?article a r2p:Article ; dcterms:title ?heading .
  ?p dcterms:isPartOf* ?article ; r2p:text ?t }"""
LINKS = {"countries": "mentionsCountry", "regions": "mentionsCountry/r2p:region", "risk_factors": "discussesRiskFactor", "crimes": "mentionsCrime"}


def _key(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def speaker_id(uri: str) -> str:
    """A speaker's id as filters and ``r2p positions`` take it: ``BRA``, ``organization/eu``, ``group/friends-of-r2p``."""
    return uri.removeprefix(BASE).removeprefix("country/")


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def fetch_passages(store) -> list[Passage]:
    """All passages in the store, sorted by URI so that builds are reproducible."""
    by_uri: dict[str, Passage] = {}
    for row in store.select(_BASE_QUERY):
        uri = row["p"]
        kind = row.get("type", "").removeprefix(R2P)
        passage = by_uri.get(uri)
        if passage is None:
            by_uri[uri] = Passage(uri=uri, text=row["text"], document=row["doc"], doc_id=_key(row["doc"]),
                                  symbol=row.get("symbol", ""), title=row.get("title", ""),
                                  doc_type=row.get("doctype", ""), year=_year(row.get("date")), date=row.get("date", ""),
                                  number=row.get("number", ""), kind=kind, citation=row.get("citation", ""))
        elif kind and passage.kind in ("", "Annotation"):
            passage.kind = kind
    for attr, prop in LINKS.items():
        for row in store.select(_LINKS_QUERY.format(prop=prop)):
            values = getattr(by_uri[row["p"]], attr)
            key = _key(row["o"])
            if key not in values:
                values.append(key)
    items: dict[str, list[tuple[int, str]]] = {}
    for row in store.select(_PARENT_QUERY):
        by_uri[row["p"]].lead = sentences(row["lead"])[-1] if row["lead"].strip() else ""
        if row["parent"] in by_uri:
            items.setdefault(row["parent"], []).append((int(row.get("order") or 0), row["p"]))
    for parent, parts in items.items():  # in the order printed: (ix) after (viii), not after (iv)
        by_uri[parent].items = [by_uri[uri].text for _, uri in sorted(parts)]
    for row in store.select(_HEADING_QUERY):
        passage = by_uri[row["p"]]  # two titles (none yet): the same one on every build
        passage.heading = min(passage.heading, row["heading"]) if passage.heading else row["heading"]
    for row in store.select(_TABLE_QUERY):
        by_uri[row["p"]].lead = row["lead"]
    for row in store.select(_SPEAKERS_QUERY):
        by_uri[row["p"]].speakers[speaker_id(row["who"])] = row.get("label") or speaker_id(row["who"])
    for row in store.select(_NOTES_QUERY):
        by_uri[row["p"]].notes.append(row["t"])
    passages = sorted(by_uri.values(), key=lambda p: p.uri)
    for p in passages:
        p.countries.sort()
        p.regions.sort()
        p.risk_factors.sort()
        p.crimes.sort()
        p.notes.sort()
        p.speakers = dict(sorted(p.speakers.items()))
    return passages
