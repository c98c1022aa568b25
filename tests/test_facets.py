"""search.facets: counts over a subset of coded items, as counting the items one by one gives them."""
from __future__ import annotations

from search.facets import FacetIndex, facet_counts

ITEMS = [
    {"countries": ["KEN", "KEN", "UGA"], "year": 2013, "speaker": {"BRA": "Brazil"}},
    {"countries": ["UGA"], "year": 2013, "speaker": {"BRA": "Federative Republic of Brazil"}},
    {"countries": ["SOM", "KEN"], "year": None, "speaker": {}},
    {"countries": ["ARG"], "year": 1993, "speaker": {"BRA": "Brazil"}},
]
FACETS = {
    "country": lambda item: [(c, c.title()) for c in item["countries"]],
    "year": lambda item: [] if item["year"] is None else [(item["year"], str(item["year"]))],
    "speaker": lambda item: list(item["speaker"].items()),
}


def test_a_subset_counts_each_item_once_per_value_most_frequent_first_ties_by_value():
    index = FacetIndex(ITEMS, FACETS, shown=2)
    counts = index.counts([0, 1, 2])
    # KEN is held twice by item 0 but counted once; KEN and UGA tie at 2 and sort by value; SOM is cut off.
    assert counts["country"] == {"values": [{"value": "KEN", "label": "Ken", "count": 2},
                                            {"value": "UGA", "label": "Uga", "count": 2}], "truncated": True}
    assert counts["year"] == {"values": [{"value": 2013, "label": "2013", "count": 2}], "truncated": False}
    assert index.counts([]) == {key: {"values": [], "truncated": False} for key in FACETS}


def test_a_value_whose_label_varies_shows_the_label_of_the_first_item_that_holds_it():
    index = FacetIndex(ITEMS, FACETS)
    assert index.counts([1, 3])["speaker"]["values"] == [{"value": "BRA", "label": "Federative Republic of Brazil",
                                                          "count": 2}]
    assert index.counts([3, 1])["speaker"]["values"][0]["label"] == "Federative Republic of Brazil"  # id order, not given order
    assert index.counts([3])["speaker"]["values"][0]["label"] == "Brazil"
    assert facet_counts(ITEMS, FACETS)["speaker"]["values"] == [{"value": "BRA", "label": "Brazil", "count": 3}]
