"""References to provisions of instruments: "Article 3 (1) (a)", "Articles II and III of the Genocide
Convention", "Chapters VI, VII and VIII of the Charter", "its article 103".

Placeholder kept minimal until the treaty parser work lands: it links instrument names only.
"""
from __future__ import annotations

from ingest.model import Ref


def provision_refs(text: str, instruments) -> list[tuple[int, Ref]]:
    pattern = instruments.pattern()
    if pattern is None:
        return []
    out = []
    for m in pattern.finditer(text):
        doc_id, symbol, title = instruments.lookup(m.group(1))
        out.append((m.start(), Ref(surface=m.group(0), doc=doc_id, symbol=symbol, title=title)))
    return out
