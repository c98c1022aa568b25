"""Ingest files into the store: one named graph per source file, written in one transaction.

A file that cannot be read or parsed is reported with its reason and skipped; the others go on.
An unchanged file (same bytes, same manifest entry, same pipeline version) is not rewritten.
"""
from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.manifest import MANIFEST_NAME, Manifest, Source, detect_meta, load_manifest
from ingest.isolation import run_bounded
from ingest.model import IngestError
from ingest.parsers import ParseContext, parser_for, preload
from ingest.readers import READABLE_SUFFIXES, read_text, unknown_format
from ingest.references import Instruments
from kg.builder import GraphBuilder
from kg.namespaces import graph_uri
from kg.ontology import load_ontology, ontology_files
from kg.settings import Settings

log = logging.getLogger(__name__)

# Bump when parsing or graph building changes, so that re-ingestion rewrites every graph.
PIPELINE_VERSION = "2"


@dataclass
class IngestReport:
    documents: int = 0
    paragraphs: int = 0
    triples: int = 0
    entities: int = 0
    examples: int = 0
    unchanged: int = 0
    written: list[str] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _entities: set = field(default_factory=set, repr=False)


def collect_sources(paths: Iterable[Path], corpus_manifest: Manifest) -> tuple[list[Source], list[IngestError]]:
    """Sources for the given files and folders: manifest entries where listed, detection otherwise."""
    listed = {s.path.resolve(): s for s in corpus_manifest.sources}
    sources: list[Source] = []
    errors: list[IngestError] = []
    seen: set[Path] = set()

    def add_file(path: Path, manifest_sources: dict[Path, Source]) -> None:
        key = path.resolve()
        if key in seen:
            return
        seen.add(key)
        if key in manifest_sources:
            sources.append(manifest_sources[key])
        else:
            sources.append(Source(path, None))  # metadata detected once the text is read

    for path in paths:
        if path.is_dir():
            manifest = load_manifest(path)
            errors.extend(manifest.errors)
            corpus_manifest.instruments.merge(manifest.instruments)
            local = {s.path.resolve(): s for s in manifest.sources} | listed
            for file in sorted(p for p in path.rglob("*") if p.is_file() and p.name != MANIFEST_NAME):
                if file.suffix.lower() in READABLE_SUFFIXES or file.resolve() in local:
                    add_file(file, local)
                elif not file.name.startswith("."):
                    errors.append(unknown_format(file))
        elif path.exists():
            add_file(path, listed)
        else:
            errors.append(IngestError(path, "no such file or folder"))
    return sources, errors


@functools.cache
def pipeline_fingerprint() -> str:
    """What besides a file decides its graph: the pipeline version, the taxonomies and the linker's data."""
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    data_dir = Path(__file__).resolve().parent / "data"
    for path in sorted([*ontology_files(), *data_dir.glob("*")]):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def source_hash(data_text: str, source: Source) -> str:
    h = hashlib.sha256()
    h.update(pipeline_fingerprint().encode())
    h.update(repr((source.meta, source.embeds)).encode())
    h.update(data_text.encode("utf-8"))
    return h.hexdigest()


def ingest(
    paths: list[Path] | None,
    settings: Settings,
    store,
    *,
    linker=None,
    example_extractor=None,
    on_progress: Callable[[str], None] | None = None,
) -> IngestReport:
    """Ingest ``paths`` (default: the corpus folder) into ``store``; never raises for a bad document."""
    report = IngestReport()
    corpus_manifest = load_manifest(settings.corpus_dir) if settings.corpus_dir.is_dir() else Manifest([], Instruments(), [])
    sources, errors = collect_sources(paths or [settings.corpus_dir], corpus_manifest)
    report.errors.extend(errors)
    load_ontology(store)
    stored = store.graph_hashes()
    corpus_ids = frozenset(doc.id for s in corpus_manifest.sources + sources if s.meta for doc in [s.meta, *s.embeds])
    preload({s.meta.type for s in sources if s.meta}, corpus_manifest.instruments)
    for source in sources:
        if on_progress:
            on_progress(str(source.path))
        try:
            _ingest_one(source, settings, store, corpus_manifest.instruments, report, linker, example_extractor, stored, corpus_ids)
        except IngestError as exc:
            report.errors.append(exc)
        except Exception as exc:  # a parser bug must not stop the other documents
            log.exception("failed on %s", source.path)
            report.errors.append(IngestError(source.path, f"internal error while parsing ({type(exc).__name__}: {exc})"))
    report.entities = len(report._entities)
    return report


def _read_and_parse(source: Source, settings: Settings, instruments: Instruments, stored: dict[str, str]):
    """Read, identify, hash and parse one file; runs in the bounded child process.

    Returns (meta, detected, digest, parsed); ``parsed`` is None when the stored graph already has this digest.
    """
    text = read_text(source.path, settings)
    detected = source.meta is None
    meta = detect_meta(source.path, text) if detected else source.meta
    source.meta = meta
    digest = source_hash(text, source)
    if stored.get(graph_uri(meta.id).value) == digest:
        return meta, detected, digest, None
    ctx = ParseContext(meta=meta, instruments=instruments, embeds=source.embeds, path=source.path)
    return meta, detected, digest, parser_for(meta.type)(text, ctx)


def _ingest_one(source: Source, settings: Settings, store, instruments: Instruments, report: IngestReport,
                linker, example_extractor, stored: dict[str, str], corpus_ids: frozenset) -> None:
    meta, detected, digest, parsed = run_bounded(
        source.path, _read_and_parse, (source, settings, instruments, stored),
        timeout_s=settings.parse_timeout_s, memory_bytes=settings.parse_memory_mb * 2**20)
    source.meta = meta
    if detected:
        report.warnings.append(
            f"{source.path}: not in a manifest; guessed {', '.join(meta.guessed)} "
            f"(id={meta.id}, type={meta.type}, symbol={meta.symbol}, date={meta.date})"
        )
    if parsed is None:
        report.unchanged += 1
        return
    graph = graph_uri(meta.id)
    builder = GraphBuilder(graph, linker=linker, example_extractor=example_extractor,
                           corpus_ids=corpus_ids | {meta.id})
    warnings = [w for doc in parsed for w in doc.warnings]
    builder.source_record(source_file=str(source.path), sha256=digest, pipeline_version=PIPELINE_VERSION,
                          warnings=warnings)
    for doc in parsed:
        builder.document(doc, embedded_in=meta.id if doc.meta.id != meta.id else None)
    store.replace_graph(graph, builder.quads)
    report.documents += builder.stats.documents
    report.paragraphs += builder.stats.paragraphs
    report.triples += len(builder.quads)
    report.examples += builder.stats.examples
    report._entities |= builder.stats.entities
    report.written.append(meta.id)
    report.warnings.extend(warnings)
