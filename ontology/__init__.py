"""The r2p ontology, its SKOS taxonomies and the SHACL shapes, shipped as package data (``r2p_ontology``).

Read them with ``importlib.resources.files("r2p_ontology") / "taxonomies.ttl"``: the files travel
with the installed package, so no code has to find them by walking up from its own location.
"""
