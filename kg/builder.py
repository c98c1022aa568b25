"""Turn parsed documents into RDF quads in one named graph: structure, references, entities, examples.

This is the only place that decides the graph's shape, so parsers stay free of RDF and the
ontology (``ontology/r2p.ttl``) and shapes (``ontology/shapes.ttl``) describe what is built here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from ingest.manifest import LANGUAGE_NAMES, expression_id
from ingest.masthead import amended
from ingest.model import KINDS, OWN_SEGMENT, DocMeta, Node, ParsedDocument, Ref
from ingest.namespaces import (concept_uri, country_uri, dcterms, doc_uri, node_uri, oa, prov, r2p, rdf, rdfs, symbol_slug,
                           undocs_uri, work_uri, xsd)

DOC_CLASSES = {
    "report": r2p.Report,
    "treaty": r2p.Treaty,
    "resolution": r2p.Resolution,
    "letter": r2p.Letter,
    "note": r2p.SecretaryGeneralNote,
    "body_report": r2p.BodyReport,
    "draft": r2p.DraftDocument,
    "decision": r2p.Decision,
    "verbatim_record": r2p.VerbatimRecord,
    "study_guide": r2p.StudyGuide,
    "fact_sheet": r2p.FactSheet,
    "document": r2p.Document,
    "statement": r2p.CollectedStatement,
}
NODE_CLASSES = {
    "part": r2p.Part,
    "chapter": r2p.Chapter,
    "section": r2p.Section,
    "subsection": r2p.Subsection,
    "preamble": r2p.Preamble,
    "article": r2p.Article,
    "paragraph": r2p.Paragraph,
    "preambular": r2p.PreambularParagraph,
    "clause": r2p.Clause,
    "item": r2p.Item,
    "footnote": r2p.Footnote,
    "table": r2p.Table,
    "row": r2p.TableRow,
    "note": r2p.Note,
    "agenda_item": r2p.AgendaItem,
    "statement": r2p.Statement,
}
# An addendum, a corrigendum or a revision, and the inverse shown on the document it amends.
AMENDMENTS = {"Add": (r2p.addendumTo, r2p.hasAddendum), "Corr": (r2p.corrects, r2p.correctedBy),
              "Rev": (r2p.revises, r2p.revisedBy)}
ATTR_PROPERTIES = {
    "opening_phrase": r2p.openingPhrase,
    "operative_verb": r2p.operativeVerb,
    "note_kind": r2p.noteKind,
}


@dataclass
class BuildStats:
    documents: int = 0
    paragraphs: int = 0
    examples: int = 0
    entities: set = field(default_factory=set)


# What a plain literal's N-Triples form escapes (as Oxigraph writes it): a value without any is written as it is.
_NT_ESCAPED = re.compile(r'[\x00-\x1f"\\\x7f]')


def _date_literal(value: str) -> Literal:
    if len(value) == 4 and value.isdigit():
        return Literal(value, datatype=xsd.gYear)
    return Literal(value, datatype=xsd.date)


class GraphBuilder:
    """Collects the triples of one source file's named graph, as the N-Triples lines the store loads.

    Lines, not ``Quad`` objects: a ``Quad`` whose object is a literal costs ~2 us to make (pyoxigraph
    tries the other kinds of term first), about what the rest of a paragraph's triple costs.
    """

    def __init__(self, graph: NamedNode, linker=None, example_extractor=None, corpus_ids: frozenset = frozenset()):
        """``corpus_ids`` is accepted for the ingestion's call and not read: whether a cited document needs a
        stub is decided after the run from what is stored (kg/catalogue_graph.py), not from the corpus folder."""
        self.graph = graph
        self._lines: list[str] = []
        self.stats = BuildStats()
        self.linker = linker
        self.example_extractor = example_extractor
        self._stubs: set[str] = set()
        self._minted: set[str] = set()

    def add(self, s, p, o) -> None:
        self._lines.append(f"{s!s} {p!s} {o!s} .\n")  # a term's str is its N-Triples form

    def lit(self, s, p, value, datatype=None) -> None:
        if value is not None and value != "":
            text = str(value)
            if datatype is None and _NT_ESCAPED.search(text) is None:
                self._lines.append(f'{s!s} {p!s} "{text}" .\n')
            else:
                self.add(s, p, Literal(text, datatype=datatype) if datatype else Literal(text))

    @property
    def triples(self) -> int:
        return len(self._lines)

    def ntriples(self) -> bytes:
        """The graph as N-Triples, what ``replace_graphs`` takes."""
        return "".join(self._lines).encode("utf-8")

    @property
    def quads(self) -> list[Quad]:
        """The graph as quads, read back from its N-Triples: for callers that look at the terms."""
        return [Quad(t.subject, t.predicate, t.object, self.graph)
                for t in parse(self.ntriples(), format=RdfFormat.N_TRIPLES)]

    def cites(self, doc_id: str, symbol: str | None, title: str | None = None) -> None:
        """How this graph names a document it cites, on a node of its own (``<graph>/cites/<id>``): the
        cited document's type and title are written once, in the catalogue graph, from these records."""
        if doc_id in self._stubs:
            return
        self._stubs.add(doc_id)
        record = NamedNode(f"{self.graph.value}/cites/{doc_id}")
        self.add(record, r2p.citedDocument, doc_uri(doc_id))
        self.lit(record, r2p.citedSymbol, symbol)
        self.lit(record, r2p.citedTitle, title)

    # -- graph-level provenance ------------------------------------------------------------
    def source_record(self, *, source_file: str, sha256: str, pipeline_version: str, warnings: list[str],
                      file_sha256: str | None = None) -> None:
        g = self.graph
        self.add(g, rdf.type, prov.Entity)
        self.lit(g, dcterms.source, source_file)
        self.lit(g, r2p.sourceSha256, sha256)
        self.lit(g, r2p.fileSha256, file_sha256)
        self.lit(g, r2p.pipelineVersion, pipeline_version)
        self.add(g, prov.generatedAtTime, Literal(datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                                  datatype=xsd.dateTime))
        for w in warnings:
            self.lit(g, r2p.warning, w)

    # -- documents ---------------------------------------------------------------------------
    def document(self, parsed: ParsedDocument, *, embedded_in: str | None = None) -> NamedNode:
        meta = parsed.meta
        d = doc_uri(meta.id)
        self.stats.documents += 1
        self._minted.add(d.value)
        self.add(d, rdf.type, DOC_CLASSES.get(meta.type, r2p.Document))
        self.add(d, rdf.type, r2p.Document)
        self.lit(d, dcterms.title, meta.title)
        self.lit(d, dcterms.identifier, meta.symbol)
        if meta.date:
            self.add(d, dcterms.date, _date_literal(meta.date))
        self.lit(d, dcterms.language, meta.language)
        self.lit(d, dcterms.creator, meta.body)
        self.lit(d, dcterms.source, meta.source)
        self.lit(d, r2p.documentType, meta.type)
        self.add(d, prov.wasDerivedFrom, self.graph)
        for key, value in sorted(meta.extra.items()):
            self.lit(d, r2p[_camel(key)], value)
        for field_name in meta.guessed:
            self.lit(d, r2p.guessedField, field_name)
        self._identity(d, meta)
        if embedded_in:
            self.add(doc_uri(embedded_in), r2p.reproduces, d)
        for ref in parsed.refs:
            self._reference(d, ref, meta.id)
        context = {"doc": meta, "section": None, "section_title": None, "unnumbered": [0], "unnumbered_tables": [0]}
        for order, child in enumerate(parsed.children, start=1):
            self._node(child, meta.id, d, (), order, context)
        return d

    def _identity(self, d: NamedNode, meta: DocMeta) -> None:
        """The work this document is a language version of, its symbols and official record, what it amends."""
        self.add(d, r2p.expressionOf, work_uri(meta.work_id))  # the work's type and symbol: catalogue graph
        for symbol in meta.symbols:
            self.lit(d, r2p.symbol, symbol)
            self.add(d, rdfs.seeAlso, undocs_uri(symbol))
        self.lit(d, r2p.distribution, meta.distribution)
        self.lit(d, r2p.originalLanguage, LANGUAGE_NAMES.get(meta.original_language or "", meta.original_language))
        if meta.letter_date:
            self.add(d, r2p.letterDate, _date_literal(meta.letter_date))
        if meta.symbols and (target := amended(meta.symbols[0])):
            base_symbol, kind = target
            base_id = expression_id(symbol_slug(base_symbol), meta.language)
            base = doc_uri(base_id)
            forward, inverse = AMENDMENTS[kind]
            self.add(d, forward, base)
            self.add(base, inverse, d)
            self.cites(base_id, base_symbol)

    def _node(self, node: Node, doc_id: str, parent: NamedNode, scope: tuple, order: int, context: dict) -> None:
        segment = KINDS[node.kind] or OWN_SEGMENT[node.kind]
        number = node.number or ("" if node.kind == "preamble" else str(order))  # a document has one preamble
        if node.kind in ("paragraph", "table") and node.number is None:
            # Printed without a number: addressed and cited by its place among the document's
            # unnumbered paragraphs (.../para/3, "¶3"), or unnumbered tables (.../table/2,
            # "unnumbered table 2"), never given a number it does not print.
            counter = context["unnumbered" if node.kind == "paragraph" else "unnumbered_tables"]
            counter[0] += 1
            number = str(counter[0])
        path = scope + ((segment, number),)
        if node.kind == "subsection" and context.get("section_path"):
            # Unnumbered subheadings are counted within their section: .../section/IV/subsection/2
            context["subsections"][0] += 1
            number = node.number or str(context["subsections"][0])
            path = context["section_path"] + ((segment, number),)
        uri = node_uri(doc_id, path)
        duplicate = 1
        while uri.value in self._minted:  # two parts with one address: keep both, the later one suffixed
            duplicate += 1
            path = path[:-1] + ((segment, f"{number}-{duplicate}"),)
            uri = node_uri(doc_id, path)
        self._minted.add(uri.value)
        # A section whose paragraphs restart at 1 (an annex) scopes their addresses: .../section/annex/para/1.
        child_scope = path if KINDS[node.kind] or node.attrs.get("numbering") == "restarts" else scope
        d = doc_uri(doc_id)
        if node.kind in ("paragraph", "preambular", "clause", "note", "item"):
            self.stats.paragraphs += 1
        self.add(uri, rdf.type, NODE_CLASSES[node.kind])
        self.add(uri, dcterms.isPartOf, parent)
        self.add(uri, r2p.inDocument, d)
        self.lit(uri, r2p.number, node.number)
        self.add(uri, r2p.order, Literal(str(order), datatype=xsd.integer))
        self.lit(uri, dcterms.title, node.title)
        self.lit(uri, r2p.text, node.text)
        if node.kind in SPEECH_KINDS:  # agenda items and statements cite by record and speaker
            context = self._speech_part(uri, node, context)
        cited = context.get("citation") or citation(context["doc"], node, path)
        if node.kind == "paragraph" and "speech" in context:  # a speech's paragraph: "A/72/PV.99 (Ghana), ¶62"
            where, page, tail = context["speech"]
            page = f", p. {node.attrs['page']}" if node.attrs.get("page") else page  # the page it starts on
            cited = f"{where}{page}, {f'para. {node.number}' if node.number else f'¶{number}'}{tail}"
        if node.kind == "table" and node.number is None:  # by its place, whatever its URI had to become
            cited = f"{context['doc'].citation_prefix()}, unnumbered table {number}"
        if node.kind == "row":  # a row is cited within its table, however the table is cited
            cited = f"{context['table_citation']}, row {order}"
        self.lit(uri, r2p.citation, cited)
        for key, value in node.attrs.items():
            if key in ATTR_PROPERTIES:
                self.lit(uri, ATTR_PROPERTIES[key], value)
        for theme in node.attrs.get("themes", "").split():  # statement paragraphs (ingest/themes.py)
            self.add(uri, r2p.raisesTheme, concept_uri("theme", theme))
        for fn in node.footnotes:
            self.add(uri, r2p.hasFootnote, node_uri(doc_id, (("footnote", fn),)))
        # A note's bare "paragraph 72" means the document it annotates, not the guide it sits in.
        relative_to = node.target.doc if node.target is not None and node.target.doc else doc_id
        for ref in node.refs:
            self._reference(uri, ref, relative_to, own_doc=doc_id)
        if node.target is not None:
            self.add(uri, rdf.type, oa.Annotation)
            self.add(uri, oa.motivatedBy, oa.commenting)
            self.add(uri, oa.hasTarget, self._ref_uri(node.target, doc_id))
        ctx = dict(context, table_citation=cited) if node.kind == "table" else context
        if node.kind in ("section", "subsection"):
            ctx = dict(context, section=uri, section_title=node.title)
            if node.kind == "section":
                ctx.update(top_section_title=node.title, section_path=path, subsections=[0])
        elif context.get("section") is not None and node.kind != "footnote":
            self.add(uri, r2p.inSection, context["section"])
        if node.text and self.linker is not None:
            self._entities(uri, node, ctx)
        for i, child in enumerate(node.children, start=1):
            self._node(child, doc_id, uri, child_scope, i, ctx)

    # -- references and entities ---------------------------------------------------------------
    def _ref_uri(self, ref: Ref, doc_id: str) -> NamedNode:
        target_doc = ref.doc or doc_id
        if ref.doc and ref.doc != doc_id:
            self.cites(ref.doc, ref.symbol, ref.title)
        return node_uri(target_doc, ref.path) if ref.path else doc_uri(target_doc)

    def _reference(self, subject: NamedNode, ref: Ref, doc_id: str, own_doc: str | None = None) -> None:
        """``doc_id`` resolves a bare reference; a part of a document other than ``own_doc`` (the subject's)
        is referenced with its document too, which is what ``cross-document-citations`` starts from."""
        target = self._ref_uri(ref, doc_id)
        if target == subject:
            return
        self.add(subject, dcterms.references, target)
        if ref.path and (cited := ref.doc or doc_id) != (own_doc or doc_id):
            self.add(subject, dcterms.references, doc_uri(cited))

    def _entities(self, uri: NamedNode, node: Node, context: dict) -> None:
        mentions = self.linker.link(node.text)
        seen = set()
        for m in mentions:
            if (m.property, m.uri) in seen:
                continue
            seen.add((m.property, m.uri))
            self.stats.entities.add(m.uri)
            self.add(uri, r2p[m.property], NamedNode(m.uri))
        if self.example_extractor is not None:
            for example in self.example_extractor.extract(node, mentions, context):
                self.stats.examples += 1
                example.write(self, uri, context)

    # -- meeting records and statements --------------------------------------------------------------
    def _speech_part(self, uri: NamedNode, node: Node, context: dict) -> dict:
        """An agenda item links what it considered; a statement its speaker, the party spoken for, its role."""
        meta = context["doc"]
        attrs = node.attrs
        if node.kind == "agenda_item":
            if symbol := attrs.get("considers"):
                target = self._ref_uri(Ref(surface=symbol, doc=symbol_slug(symbol), symbol=symbol,
                                           title=attrs.get("considers_title")), meta.id)
                self.add(uri, r2p.considers, target)
            label = f"agenda item {node.number}" if node.number else node.title
            return dict(context, citation=f"{meta.citation_prefix()}, {label}" if label else None)
        self.lit(uri, r2p.speakerName, attrs.get("speaker"))
        self.lit(uri, r2p.honorific, attrs.get("honorific"))
        self.lit(uri, r2p.representsName, attrs.get("represents_name"))
        self.lit(uri, dcterms.language, attrs.get("language"))
        self.add(uri, r2p.speakerRole, concept_uri("role", attrs.get("role", "unknown")))
        if attrs.get("represents"):
            self.add(uri, r2p.represents, _party_uri(attrs["represents_kind"], attrs["represents"]))
        if attrs.get("on_behalf_of"):
            self.add(uri, r2p.onBehalfOf, _party_uri(attrs["on_behalf_of_kind"], attrs["on_behalf_of"]))
        for party in attrs.get("joint", "").split():  # a joint statement's other States ("kind/key")
            self.add(uri, r2p.onBehalfOf, _party_uri(*party.split("/", 1)))
        if attrs.get("link", "").startswith(("http://", "https://")):
            self.add(uri, prov.hadPrimarySource, NamedNode(attrs["link"].replace(" ", "%20")))
        if meta.date:
            self.add(uri, dcterms.date, _date_literal(meta.date))
        speech = statement_citation(meta, node)
        return dict(context, citation="".join(speech), speech=speech)


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(w.title() for w in rest)


def citation(meta, node: Node, path: tuple) -> str:
    """The citation string a delegate pastes: ``A/67/929–S/2013/399, para. 72``; ``…, art. 3 (1) (a)``;
    ``S/2025/149, ¶2`` for the second unnumbered paragraph, ``S/2025/239, table 1, row 3`` for a table's
    row (see the README's ingestion section)."""
    pieces: list[str] = []
    if node.kind == "paragraph" and node.number is None:
        return f"{meta.citation_prefix()}, ¶{path[-1][1]}"
    for segment, number in path:
        if segment == "para" and (not pieces or pieces[-1] == "preamble"):
            pieces.append(f"para. {number}")
        elif segment == "article":
            pieces.append(f"art. {number}")
        elif segment == "preamble":
            pieces.append("preamble")
        elif segment in ("clause", "item", "para") and pieces:
            pieces.append(f"({number})")
        else:  # section, subsection, part, chapter, footnote, note
            pieces.append(f"{segment} {number}")
    return f"{meta.citation_prefix()}, {' '.join(pieces)}"


# -- meeting records and statements ---------------------------------------------------------------
SPEECH_KINDS = ("agenda_item", "statement")


def _party_uri(kind: str, key: str) -> NamedNode:
    return country_uri(key) if kind == "country" else concept_uri(kind, key)


def statement_citation(meta, node: Node) -> tuple[str, str, str]:
    """How a statement is cited, as (where, page, tail): ``A/72/PV.99 (Mexico)`` for a record, with
    ``, p. 4`` when its source prints pages (the speaker line's); a collected statement names the State,
    occasion and date, and its tail the collection with the original link (kept in ``meta.source``). A
    paragraph of the speech goes before the tail, with the page it starts on: ``…, p. 5, ¶12``;
    ``…, ¶3 (Global Centre …)``. It is counted by its place in the record or the statement (speeches
    print no paragraph numbers), as an unnumbered paragraph of any document is cited."""
    attrs = node.attrs
    who = (attrs.get("represents_name") or attrs.get("office")
           or " ".join(filter(None, (attrs.get("honorific"), attrs.get("speaker")))) or "unattributed")
    if meta.symbol:
        return f"{meta.symbol} ({who})", f", p. {attrs['page']}" if attrs.get("page") else "", ""
    occasion = meta.extra.get("occasion")
    date = meta.date if not (occasion and meta.date and len(meta.date) == 4 and occasion.startswith(meta.date)) else None
    where = ", ".join(filter(None, (who, occasion, date)))
    return where, "", f" ({meta.source})" if meta.source else ""
