"""Filter values resolve against the project's tables, and a value none knows is refused by name."""
from __future__ import annotations

import pytest

from ingest.model import DOC_TYPES
from search.filters import SearchError
from search.vocabulary import check_filters, resolve


@pytest.mark.parametrize("key, value, expected", [
    ("country", "KEN", "ken"), ("country", "Kenya", "ken"), ("country", "KE", "ken"), ("country", "Syria", "syr"),
    ("country", "https://w3id.org/r2p-kg/country/KEN", "ken"), ("country", "Bhutan", "btn"),
    ("country", "Narnia", None), ("country", "XYZ", None),
    ("region", "Africa", "africa"), ("region", "Latin America and the Caribbean", "americas"), ("region", "Atlantis", None),
    ("crime", "war crimes", "war-crimes"), ("crime", "war-crimes", "war-crimes"), ("crime", "piracy", None),
    ("crime", "https://w3id.org/r2p-kg/crime/genocide", "genocide"),
    ("risk_factor", "9", "9"), ("risk_factor", "Situations of armed conflict or other forms of instability", "1"),
    ("risk_factor", "https://w3id.org/r2p-kg/risk-factor/3", "3"), ("risk_factor", "15", None),
    ("speaker", "BRA", "bra"), ("speaker", "Brazil", "bra"), ("speaker", "Holy See", "vat"),
    ("speaker", "group/friends-of-r2p", "group/friends-of-r2p"), ("speaker", "organization/eu", "organization/european-union"),
    ("speaker", "https://w3id.org/r2p-kg/organization/european-union", "organization/european-union"),
    ("speaker", "group/nobody", None), ("speaker", "Atlantis", None),
    ("doc_type", "Report", "report"), ("doc_type", "verbatim", None),
    ("year", 1850, "1850"), ("document", "A/1/2", "a/1/2"),  # any year or symbol may be asked
])
def test_a_filter_value_resolves_to_the_key_passages_are_filed_under(key, value, expected):
    assert resolve(key, value) == expected


def test_an_unresolvable_value_is_refused_by_the_name_the_caller_gave_its_filter():
    spelt = {"doc_type": "--type", "date_from": "--from", "country": "--country"}
    for filters, message in (
        ({"doc_type": "foo"}, "--type: unknown document type 'foo'; known: " + ", ".join(DOC_TYPES)),
        ({"date_from": "13-2013"}, "--from: a date is 2013, 2013-07 or 2013-07-09; got '13-2013'"),
        ({"country": "KEN", "date_to": "last week"}, "date_to: a date is 2013, 2013-07 or 2013-07-09; got 'last week'"),
        ({"year": 1850, "country": "Narnia"},
         "--country: unknown country 'Narnia'; give an ISO code such as KEN or a country name such as Kenya"),
    ):
        with pytest.raises(SearchError) as refused:
            check_filters(filters, spelt)
        assert str(refused.value) == message
    assert check_filters({"country": "Bhutan", "year": 1850, "date_from": "2013-07", "document": "A/1/2"}, spelt) is None
