"""SHACL validation of the stored graph with pySHACL (the reference SHACL implementation in Python)."""
from __future__ import annotations

from pyoxigraph import RdfFormat
from pyshacl import validate
from rdflib import Graph

from kg.ontology import ONTOLOGY_DIR


def validate_store(store) -> tuple[bool, str]:
    """Validate the union of all graphs (the ontology included, so shapes can check classes)."""
    union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").serialize(format=RdfFormat.N_TRIPLES)
    data = Graph().parse(data=union, format="nt")
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    conforms, _, text = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    return bool(conforms), text
