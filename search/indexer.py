"""Builds the search index from the store (placeholder until the search work lands)."""


def update_index(store, settings) -> str:
    return "not built (search not implemented yet)"
