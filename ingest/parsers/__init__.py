"""One parser per document type; each takes the text and its context and returns document trees.

A parser may return more than one document: the study guide yields the report it reproduces and
the guide's own notes.

``parse_document`` is the one entry point: it routes by type, and when the type's structural
parser fails or keeps too little of the text (a type read wrong must never drop text), it falls
back to the generic parser, then to one that keeps every block, and says so in a warning.
Identity (id, symbol, date, type, language) is the masthead's or the manifest's: a parser may
complete the title and the extra facts, never replace identity with something read in the body.
"""
from __future__ import annotations

import re
import sys
from collections import Counter

from ingest import statements
from ingest.contents import without_contents
from ingest.model import DocMeta, IngestError, ParsedDocument
from ingest.parsers import blocks, factsheet, generic, report, resolution, study_guide, treaty, verbatim
from ingest.parsers.context import ParseContext, Parser
from ingest.references import Instruments


# A parse keeping less of the text's words than this (counted with repetition, the title block kept
# as metadata included) has not understood the document, and a fallback is tried; the fallback is
# used when it keeps clearly more.
MIN_KEPT = 0.9
BETTER_BY = 0.05
_WORD = re.compile(r"\w+")
_IDENTITY = ("id", "symbol", "date", "type", "language", "work")
# Types whose parser leaves furniture out on purpose (a record's roll call and vote lists, the study
# guide's copy of the report) and whose structure (speakers, notes) a fallback would lose: never judged
# by the share of words kept.
_NOT_JUDGED_BY_WORDS = frozenset({"study_guide", "verbatim_record", "statement"})


def parser_for(doc_type: str, title: str = "") -> Parser:
    if doc_type == "draft" and title.lower().startswith("draft resolution"):
        return resolution.parse  # a draft resolution is built as the resolution it proposes
    return {
        "treaty": treaty.parse,
        "resolution": resolution.parse,
        "report": report.parse,
        "note": report.parse,
        "body_report": report.parse,
        "letter": report.parse,
        "draft": report.parse,
        "decision": report.parse,
        "study_guide": study_guide.parse,
        "fact_sheet": factsheet.parse,
        "verbatim_record": verbatim.parse,
        "statement": statements.parse,
    }.get(doc_type, generic.parse)


def kept_share(docs: list[ParsedDocument], text: str) -> float:
    """The share of ``text``'s words found in the trees' text and titles and in the metadata (the
    title block is kept there, as ``extra["title_block"]``), counted with repetition."""
    words = Counter(_WORD.findall(text.casefold()))
    parts = [f"{n.title or ''} {n.text}" for doc in docs for n in doc.walk()]
    parts += [doc.meta.title or "" for doc in docs] + [" ".join(doc.meta.extra.values()) for doc in docs]
    got = Counter(_WORD.findall(" ".join(parts).casefold()))
    total = sum(words.values())
    return sum(min(n, got[w]) for w, n in words.items()) / total if total else 1.0


def parse_document(text: str, ctx: ParseContext) -> list[ParsedDocument]:
    """Parse with the type's parser; fall back to parsers that keep more when it fails or drops text.
    A printed table of contents is blanked first: every parser would read its entries as the body."""
    where = ctx.path or ctx.meta.file or ctx.meta.id
    text = without_contents(text)
    candidates = [parser_for(ctx.meta.type, ctx.meta.title or ""), generic.parse, blocks.parse]
    fallbacks: list[str] = []
    best: tuple[float, list[ParsedDocument]] | None = None
    for parser in dict.fromkeys(candidates):  # generic may already be the type's parser
        try:
            docs = parser(text, ctx)
        except IngestError as exc:
            fallbacks.append(f"{where}: {ctx.meta.type} parser failed ({exc.reason}); parsed with a fallback")
            continue
        share = kept_share(docs, text) if ctx.meta.type not in _NOT_JUDGED_BY_WORDS else 1.0
        if best is None or share > best[0] + BETTER_BY:
            if best is not None:
                fallbacks.append(f"{where}: the {ctx.meta.type} parser kept {best[0]:.0%} of the words; "
                                 f"a fallback keeps {share:.0%} and is used")
            best = (share, docs)
        if best[0] >= MIN_KEPT:
            break
    if best is None:  # blocks.parse does not fail; kept for the type checker
        raise IngestError(where, "no parser could read the document")
    docs = best[1]
    if ctx.meta.guessed:  # detected from the masthead: a parser's reading of the body must not change it
        _keep_identity(docs, ctx.meta)
    docs[0].warnings[:0] = fallbacks
    return docs


def _keep_identity(docs: list[ParsedDocument], meta: DocMeta) -> None:
    """Undo any identity field a parser filled from body text: the masthead (or manifest) decides it."""
    for doc in docs:
        if doc.meta.id != meta.id:
            continue
        for name in _IDENTITY:
            setattr(doc.meta, name, getattr(meta, name))
        doc.meta.guessed = [g for g in doc.meta.guessed if g not in _IDENTITY or g in meta.guessed]


def preload(doc_types: set[str], instruments: Instruments) -> None:
    """Load the parsers' tables and compile the instrument names once in the ingest process, before a
    worker is forked per file: the workers inherit them instead of building them again for every file
    (a collected statement: 0.3 s -> 0.06 s)."""
    instruments.pattern()
    for doc_type in sorted(doc_types):
        module = sys.modules[parser_for(doc_type).__module__]
        getattr(module, "preload", lambda: None)()
