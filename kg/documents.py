"""What the store holds, file by file: the records that keep ingestion from losing or duplicating documents.

Every named graph written from a file records the file's path (``dcterms:source``), the hash of its
bytes (``r2p:fileSha256``) and the hash of what decided its graph (``r2p:sourceSha256``). The
ingestion reads these once to tell, for each file, whether it is new, unchanged, a changed file
at the same path, identical bytes at another path, or a different file that claims a key another
file already holds. The same records answer ``r2p documents``, ``r2p remove`` and
``r2p ingest --prune``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode

from ingest.masthead import split_joint
from kg.catalogue_graph import refresh_catalogue


@dataclass(frozen=True)
class StoredSource:
    """One named graph's provenance: which file it was written from, and that file's hashes."""

    graph: str
    source: str | None
    digest: str | None  # hash of pipeline + metadata + text: equal means nothing to rewrite
    file_sha256: str | None  # hash of the file's bytes: equal means the same file, wherever it is


@dataclass(frozen=True)
class DocumentEntry:
    key: str  # the document's id: work slug, plus ".fr" for a version in another language
    symbol: str | None
    doc_type: str | None
    date: str | None
    language: str | None
    source: str | None
    parts: int
    graph: str


def stored_sources(store) -> dict[str, StoredSource]:
    """Graph IRI -> its provenance record, for every graph written from a file."""
    rows = store.select("""SELECT ?g ?src ?h ?f WHERE { GRAPH ?g { ?g a prov:Entity
        OPTIONAL { ?g dcterms:source ?src } OPTIONAL { ?g r2p:sourceSha256 ?h } OPTIONAL { ?g r2p:fileSha256 ?f } } }""")
    return {r["g"]: StoredSource(r["g"], r.get("src"), r.get("h"), r.get("f")) for r in rows}


def stored_documents(store) -> list[DocumentEntry]:
    """Every document written from a file (embedded ones too), with its key (language included), type, date,
    source file, graph and part count: what ingestion keys and `r2p documents` lists. The catalogue's
    ``list_documents`` is what the service shows (titles, one row per document); this is the store's ledger."""
    rows = store.select("""SELECT ?g ?d ?type ?sym ?date ?lang ?src (COUNT(DISTINCT ?part) AS ?parts) WHERE {
        GRAPH ?g { ?g a prov:Entity . ?d prov:wasDerivedFrom ?g ; r2p:documentType ?type
            OPTIONAL { ?d dcterms:identifier ?sym } OPTIONAL { ?d dcterms:date ?date }
            OPTIONAL { ?d dcterms:language ?lang } OPTIONAL { ?g dcterms:source ?src }
            OPTIONAL { ?part r2p:inDocument ?d } } }
        GROUP BY ?g ?d ?type ?sym ?date ?lang ?src ORDER BY ?g ?d""")
    return [DocumentEntry(key=r["d"].rsplit("/", 1)[-1], symbol=r.get("sym"), doc_type=r.get("type"), date=r.get("date"),
                          language=r.get("lang"), source=r.get("src"), parts=int(r.get("parts", 0)), graph=r["g"])
            for r in rows]


def graphs_of(store, name: str, language: str | None = None) -> list[str]:
    """The graphs holding a document named by its symbol (any part of a joint one) or its key."""
    entries = [e for e in stored_documents(store)
               if name == e.key or (e.symbol and (name == e.symbol or name in split_joint(e.symbol)))]
    return sorted({e.graph for e in entries if language is None or e.language == language})


def remove_document(store, name: str, language: str | None = None) -> list[str]:
    """Drop the graph(s) of a document; returns the graphs dropped (none: no such document)."""
    graphs = graphs_of(store, name, language)
    for graph in graphs:
        store.remove_graph(NamedNode(graph))
    refresh_catalogue(store)
    return graphs


def prune(store, folders: list[Path]) -> list[StoredSource]:
    """Drop the graphs whose source file lies in one of ``folders`` and no longer exists."""
    roots = [folder.resolve() for folder in folders]
    gone = []
    for record in stored_sources(store).values():
        if not record.source:
            continue
        path = Path(record.source).resolve()
        if any(path.is_relative_to(root) for root in roots) and not path.exists():
            store.remove_graph(NamedNode(record.graph))
            gone.append(record)
    refresh_catalogue(store)
    return gone

