"""The ontology, taxonomies and SHACL shapes shipped in ``ontology/`` (package data ``r2p_ontology``), loaded into their own graph."""
from __future__ import annotations

import hashlib
from importlib.resources import files
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from ingest.namespaces import ONTOLOGY_GRAPH, R2P

ONTOLOGY_DIR = Path(files("r2p_ontology"))  # the installed package data, wherever the package is
GRAPH_FILES = ("r2p.ttl", "taxonomies.ttl", "speakers.ttl", "themes.ttl")  # shapes.ttl is for validation, not for the data graph


def ontology_files() -> list[Path]:
    return [ONTOLOGY_DIR / name for name in GRAPH_FILES if (ONTOLOGY_DIR / name).exists()]


def load_ontology(store) -> None:
    """(Re)write the ontology graph when the Turtle files changed."""
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in ontology_files())).hexdigest()
    if store.graph_property(ONTOLOGY_GRAPH, "sourceSha256") == digest:
        return
    quads = [Quad(ONTOLOGY_GRAPH, NamedNode(R2P + "sourceSha256"), Literal(digest), ONTOLOGY_GRAPH)]
    for path in ontology_files():
        for triple in parse(path=str(path), format=RdfFormat.TURTLE):
            quads.append(Quad(triple.subject, triple.predicate, triple.object, ONTOLOGY_GRAPH))
    store.replace_graph(ONTOLOGY_GRAPH, quads)
