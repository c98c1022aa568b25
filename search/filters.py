"""What a search may be asked and how it refuses, apart from the searcher itself.

The CLI and the API describe their filter options with these texts when they start, and a module that
loads FAISS, bm25s and SciPy should not be needed to print `r2p --help` or to ingest.
"""
from __future__ import annotations

from ingest.model import DOC_TYPES

DOC_TYPE_HELP = "Document type: " + ", ".join(DOC_TYPES) + " (verbatim_record: a meeting record; statement: a collected one)."
# The filters the API's parameters and the CLI's options name otherwise than the searcher's keys (the API
# also takes the keys: they are the names of the answer's filters and facets).
PUBLIC_NAMES = {"doc_type": "type", "date_from": "from", "date_to": "to"}
SPEAKER_HELP = ("Who speaks a statement: ISO3 code (CHN), a name, or an id for an organization or group "
                "(organization/eu, group/friends-of-r2p).")


class SearchError(ValueError):
    """A query that cannot be answered; the message says why (shown to the user as is)."""


class SearchIndexError(RuntimeError):
    """The index is missing or was built differently from what the settings ask; rebuild it."""


def given_filters(**values) -> dict:
    """The filters a caller set (an empty form field or an absent option is no filter)."""
    return {key: value for key, value in values.items() if value is not None and value != ""}
