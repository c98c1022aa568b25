"""What every parser is given beside the text, in a module of its own so that the parsers and the
routing in ``ingest.parsers`` import it without importing each other."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.model import DocMeta, ParsedDocument
from ingest.references import Instruments


@dataclass
class ParseContext:
    meta: DocMeta
    instruments: Instruments
    embeds: list[DocMeta] = field(default_factory=list)
    path: Path | None = None


Parser = Callable[[str, ParseContext], list[ParsedDocument]]
