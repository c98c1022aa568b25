"""Rejoining hard-wrapped lines: shared by the parsers of texts that were typeset in narrow columns."""
from __future__ import annotations

import re

from ingest.text import clean

# "non-\ngovernmental", "Secretary-\nGeneral": a word split at a line end keeps its hyphen, loses the break.
_HYPHEN_BREAK = re.compile(r"(?<=[A-Za-z])-[ \t]*\n[ \t]*(?=[A-Za-z])")


def unwrap(lines: list[str] | str) -> str:
    """One cleaned paragraph from its hard-wrapped lines."""
    text = lines if isinstance(lines, str) else "\n".join(lines)
    return clean(_HYPHEN_BREAK.sub("-", text))
