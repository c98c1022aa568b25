"""Facets with counts, in datasette's manner: for each facet, its values among a set of items, most frequent first.

One counter for search candidates and cited examples alike. A facet is one entry in a table that maps
its name to the ``(value, label)`` pairs an item holds, so adding one (the speaking State of a
statement, its theme) is one line where the table is declared.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

Facets = dict[str, Callable[[Any], Iterable[tuple[Any, str]]]]
VALUES_SHOWN = 20  # values per facet in an answer; "truncated" says when there are more


class FacetIndex:
    """The facet values of a fixed list of items, coded once, so that counting them over any subset is one bincount.

    Why: a search counts the facets of its ~100 candidates on every request, and walking their
    Python objects through the facet table cost about as much as the rest of the search besides the
    query encode. Here each (facet, value) is a number, each item the numbers it holds (an item
    counts once per value), and a subset's counts are ``np.bincount`` over its items' numbers.
    """

    def __init__(self, items: Sequence, facets: Facets, shown: int = VALUES_SHOWN):
        self.keys = list(facets)
        self.shown = shown
        code_of: dict[tuple[str, Any], int] = {}
        self._values: list = []
        self._labels: list[str] = []
        held: list[dict[int, str]] = []  # per code: {item: label}, while building
        codes: list[int] = []
        indptr = [0]
        for i, item in enumerate(items):
            for key, values_of in facets.items():
                for value, label in dict(values_of(item)).items():
                    code = code_of.get((key, value))
                    if code is None:
                        code = code_of[key, value] = len(self._values)
                        self._values.append(value)
                        self._labels.append(label)
                        held.append({})
                    held[code][i] = label
                    codes.append(code)
            indptr.append(len(codes))
        self._codes = np.asarray(codes, dtype=np.int64)
        self._indptr = np.asarray(indptr, dtype=np.int64)
        # code -> {item: label} for the few values whose label differs between items: the answer shows
        # the label of the first item (in id order) of the subset holding it, as counting item by item did.
        self._varied = {code: labels for code, labels in enumerate(held) if len(set(labels.values())) > 1}
        for code, labels in self._varied.items():
            self._labels[code] = labels[min(labels)]
        # Each facet's codes in the order of str(value): a stable sort by count then gives (-count, str(value)).
        by_key: dict[str, list[int]] = {key: [] for key in self.keys}
        for (key, _), code in code_of.items():
            by_key[key].append(code)
        self._facet_codes = {key: np.array(sorted(c, key=lambda code: str(self._values[code])), dtype=np.int64)
                             for key, c in by_key.items()}

    def counts(self, ids: Iterable[int]) -> dict[str, dict]:
        """``{facet: {"values": [{"value", "label", "count"}...], "truncated": bool}}`` over the items ``ids``."""
        ids = np.fromiter(ids, dtype=np.int64)
        starts = self._indptr[ids]
        lengths = self._indptr[ids + 1] - starts
        # The codes of every item in ids, gathered in one step: position j of item n is starts[n] + j.
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        counts = np.bincount(self._codes[offsets], minlength=len(self._values))
        ordered = sorted(ids.tolist()) if self._varied else ()
        out = {}
        for key in self.keys:
            codes = self._facet_codes[key]
            present = codes[counts[codes] > 0]
            ranked = present[np.argsort(-counts[present], kind="stable")]
            out[key] = {"values": [{"value": self._values[c], "label": self._label(c, ordered), "count": int(counts[c])}
                                   for c in ranked[:self.shown].tolist()],
                        "truncated": len(ranked) > self.shown}
        return out

    def _label(self, code: int, ordered: list[int]) -> str:
        labels = self._varied.get(code)
        if labels is None:
            return self._labels[code]
        return next(labels[i] for i in ordered if i in labels)


def facet_counts(items: Iterable, facets: Facets, shown: int = VALUES_SHOWN) -> dict[str, dict]:
    """``{facet: {"values": [{"value", "label", "count"}...], "truncated": bool}}``; an item counts once per value."""
    items = list(items)
    return FacetIndex(items, facets, shown).counts(range(len(items)))
