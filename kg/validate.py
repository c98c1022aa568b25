"""SHACL validation of the stored graph with pySHACL (the reference SHACL implementation in Python)."""
from __future__ import annotations

from pyshacl import validate
from rdflib import Dataset, Graph

from kg.ontology import ONTOLOGY_DIR


def validate_store(store) -> tuple[bool, str]:
    data = Dataset()
    data.parse(data=store.dump_nquads(), format="nquads")
    union = Graph()
    for quad in data.quads((None, None, None, None)):
        union.add(quad[:3])
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    conforms, _, text = validate(union, shacl_graph=shapes, inference="none", advanced=True)
    return bool(conforms), text
