"""r2p-kg: the knowledge graph (vocabulary, store, SPARQL, CLI, HTTP service)."""
