"""Hybrid paragraph search (dense + BM25) over the graph's passages."""
