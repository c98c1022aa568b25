"""Facets with counts, in datasette's manner: for each facet, its values among a set of items, most frequent first.

One counter for search candidates and cited examples alike. A facet is one entry in a table that maps
its name to the ``(value, label)`` pairs an item holds, so adding one (the speaking State of a
statement, its theme) is one line where the table is declared.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

Facets = dict[str, Callable[[Any], Iterable[tuple[Any, str]]]]
VALUES_SHOWN = 20  # values per facet in an answer; "truncated" says when there are more


def facet_counts(items: Iterable, facets: Facets, shown: int = VALUES_SHOWN) -> dict[str, dict]:
    """``{facet: {"values": [{"value", "label", "count"}...], "truncated": bool}}``; an item counts once per value."""
    items = list(items)
    out = {}
    for key, values_of in facets.items():
        counts: Counter = Counter()
        labels: dict = {}
        for item in items:
            for value, label in dict(values_of(item)).items():
                counts[value] += 1
                labels.setdefault(value, label)
        ranked = sorted(counts.items(), key=lambda vc: (-vc[1], str(vc[0])))
        out[key] = {"values": [{"value": v, "label": labels[v], "count": c} for v, c in ranked[:shown]],
                    "truncated": len(ranked) > shown}
    return out
