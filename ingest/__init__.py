"""Ingestion: read files, parse them into document trees, link entities, write the graph."""
