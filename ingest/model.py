"""What a parser returns: a plain tree of document parts, independent of RDF.

Parsers only cut text into structure and spot references; ``kg.builder`` turns the tree into
triples, links entities and mints URIs. Keeping the two apart lets each parser be tested on its
structure alone, and lets the graph shape change in one place.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.masthead import split_joint

# Node kinds, and the URI segment each contributes to its descendants' paths (None: the kind
# groups its children without appearing in their URIs, because they are numbered across it;
# e.g. report paragraphs are numbered across sections, articles across parts and chapters).
KINDS: dict[str, str | None] = {
    "part": None,
    "chapter": None,
    "section": None,
    "subsection": None,
    "preamble": "preamble",
    "article": "article",
    "paragraph": "para",
    "preambular": "para",  # a resolution's or treaty's preambular paragraph, inside "preamble"
    "clause": "clause",  # lettered (a), (b) or numbered (i), (ii) sub-item
    "item": "item",  # dash or bullet item
    "footnote": "footnote",
    "note": "note",  # a study guide's own annotation
    "table": "table",  # numbered as printed ("Table 1"), else by place among the unnumbered tables
    "row": "row",  # a table's row, by its place in the table; its text is its cells, tab-separated
}
# Kinds whose own segment is still used for their own URI even though they do not scope children.
OWN_SEGMENT = {"part": "part", "chapter": "chapter", "section": "section", "subsection": "subsection"}

# report: of the Secretary-General; note: by the Secretary-General (often transmitting a report);
# body_report: report of a body (committee, board, commission); draft: an L. document (draft
# resolution, decision or report); verbatim_record: A/<session>/PV.<n>, S/PV.<n>; document: other.
DOC_TYPES = ("report", "note", "body_report", "treaty", "resolution", "draft", "decision", "letter",
             "verbatim_record", "study_guide", "fact_sheet", "document")


@dataclass
class DocMeta:
    """Metadata of one document: from the manifest, or detected from the text (see ``guessed``)."""

    id: str  # URI slug, e.g. "A-67-929", "S-RES-827-1993", "genocide-convention"
    type: str  # one of DOC_TYPES
    title: str
    symbol: str | None = None  # UN symbol as printed, e.g. "A/67/929–S/2013/399"
    date: str | None = None  # ISO date or year
    language: str = "en"
    body: str | None = None  # issuing or adopting body
    source: str | None = None  # where the text was obtained
    file: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)  # e.g. meeting, agenda items, session
    guessed: list[str] = field(default_factory=list)  # fields detected from the text, not given
    work: str | None = None  # the work this is a language version of (None: ``id`` is the work's slug)
    distribution: str | None = None  # masthead "Distr.: General" -> "General"
    original_language: str | None = None  # masthead "Original: French" -> "fr"
    letter_date: str | None = None  # a letter's own date ("Letter dated 2 May 2025"), not its date of issue
    notes: list[str] = field(default_factory=list)  # what detection wants the user to know

    @property
    def work_id(self) -> str:
        return self.work or self.id

    @property
    def symbols(self) -> list[str]:
        """Each symbol of a joint one (``A/79/898–S/2025/281``): a document is found by any of them."""
        return split_joint(self.symbol) if self.symbol else []

    def citation_prefix(self) -> str:
        return self.symbol or self.title


@dataclass(frozen=True)
class Ref:
    """A cross-reference found in text: to a part of this document or of another one.

    ``doc`` is the target document id (None: the document the reference occurs in);
    ``path`` addresses a part, as in ``ingest.namespaces.node_uri``; an empty path is the document.
    ``symbol`` and ``title`` describe a target document that may not be in the corpus.
    """

    surface: str
    doc: str | None = None
    path: tuple[tuple[str, str], ...] = ()
    symbol: str | None = None
    title: str | None = None


@dataclass
class Node:
    kind: str  # a key of KINDS
    number: str | None = None  # as printed: "72", "III", "a", "ii"
    title: str | None = None
    text: str = ""  # this node's own text, whitespace-normalised; children carry theirs
    children: list[Node] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)  # numbers of footnotes this text calls
    attrs: dict[str, str] = field(default_factory=dict)  # opening_phrase, operative_verb, note_kind…
    target: Ref | None = None  # for notes: the part they annotate

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ParsedDocument:
    meta: DocMeta
    children: list[Node] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)  # references made by the document as a whole

    def walk(self):
        for child in self.children:
            yield from child.walk()

    def find(self, kind: str, number: str | None = None) -> list[Node]:
        """Nodes of a kind (and number), in document order: handy in tests and parsers."""
        return [n for n in self.walk() if n.kind == kind and (number is None or n.number == number)]


class IngestError(Exception):
    """A document that cannot be ingested; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


# -- verbatim records (ingest/parsers/verbatim.py) and collected statements (ingest/statements.py) --
# A meeting record is cut into agenda items and the statements made under them; a statement's
# paragraphs are its "para" children. The speaker, the State or organization represented, the role
# and the group spoken for are a statement's attrs, which kg.builder turns into links.
KINDS.update({"agenda_item": "agenda-item", "statement": "statement"})
DOC_TYPES += ("statement",)
