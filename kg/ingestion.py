"""Ingest files into the store: one named graph per source file, written in one transaction.

This is the orchestration that needs the graph (builder, store records, ontology), so it lives in
``kg``: ``ingest`` turns files into document trees and imports neither ``kg`` nor ``search``.

Each file is read, parsed, linked and built into its graph in a forked worker bounded in time and
memory (``ingest.isolation``), several at once; the parent is the store's single writer and takes
the finished graphs in the order of the files, whatever order the workers end in, so refusals and
the report are the same on every run. A file that cannot be read or parsed, or that breaks a limit,
is reported with its reason and skipped; the others go on. Each document is written in a transaction
of its own, except in a first ingestion into an empty store, which is bulk-loaded into a folder
aside and swapped in whole at the end (``kg.bulk_build``).
An unchanged file (same bytes, same manifest entry, same pipeline version) is not rewritten.
Nothing is lost silently: a graph is named by its document's key (identity + language), and a
second, different file with a key another file holds is refused (unless ``replace``); identical
bytes at another path are a no-op with a note; a path whose identity changed loses its old graph,
and the report says so. Every file is counted as written, unchanged, refused or failed.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
from contextlib import closing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode

from ingest.entities import DATA_DIR as LINKER_DATA_DIR
from ingest.isolation import read_ahead, run_bounded_all
from ingest.manifest import MANIFEST_NAME, Manifest, Source, detect_meta, load_manifest
from ingest.masthead import read_masthead, strip_masthead
from ingest.model import IngestError
from ingest.parsers import ParseContext, parse_document, preload
from ingest.readers import READABLE_SUFFIXES, TEXT_SUFFIXES, FileText, read_file, unknown_format
from ingest.references import Instruments
from kg.builder import GraphBuilder
from kg.bulk_build import build_aside, discard, swap_into_place
from kg.catalogue_graph import refresh_catalogue
from kg.documents import StoredSource, stored_sources
from kg.documents import prune as prune_missing
from ingest.namespaces import graph_uri
from kg.ontology import load_ontology, ontology_files
from kg.statement_links import link_statements
from kg.settings import Settings
from kg.store import StoreUnavailable

log = logging.getLogger(__name__)

# Bump when parsing or graph building changes, so that re-ingestion rewrites every graph.
PIPELINE_VERSION = "8"


@dataclass
class IngestReport:
    """What happened to every file: written, unchanged, refused or failed, with the reasons."""

    documents: int = 0
    paragraphs: int = 0
    triples: int = 0
    entities: int = 0
    examples: int = 0
    unchanged: int = 0
    written: list[str] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)  # failed files
    refused: list[IngestError] = field(default_factory=list)  # files whose key another file holds
    dropped: list[str] = field(default_factory=list)  # graphs dropped: a path's old identity, or pruned
    notes: list[str] = field(default_factory=list)  # no-ops worth knowing (identical bytes elsewhere)
    detected: list[str] = field(default_factory=list)  # what was read from files no manifest lists
    warnings: list[str] = field(default_factory=list)
    _entities: set = field(default_factory=set, repr=False)

    @property
    def ok(self) -> bool:
        return not (self.errors or self.refused)

    def summary(self) -> str:
        return (f"files: {len(self.written)} written, {self.unchanged} unchanged, {len(self.refused)} refused, "
                f"{len(self.errors)} failed")


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
            files, links = _walk(path)
            errors.extend(IngestError(link, "symbolic link, not followed (a folder is read without leaving it)") for link in links)
            local, ignored = dict(listed), set()
            for folder in [path, *(f.parent for f in files if f.name == MANIFEST_NAME and f.parent != path)]:
                manifest = load_manifest(folder)  # a subfolder's manifest describes its own files
                errors.extend(manifest.errors)
                corpus_manifest.instruments.merge(manifest.instruments)
                local = {s.path.resolve(): s for s in manifest.sources} | local
                ignored |= manifest.ignored
            for file in files:
                if file.name == MANIFEST_NAME or file.resolve() in ignored:
                    continue
                if file.suffix.lower() in READABLE_SUFFIXES or file.resolve() in local:
                    add_file(file, local)
                elif not file.name.startswith("."):
                    errors.append(unknown_format(file))
        elif path.exists():
            add_file(path, listed)
        else:
            errors.append(IngestError(path, "no such file or folder"))
    return sources, errors


def _walk(folder: Path) -> tuple[list[Path], list[Path]]:
    """The files below ``folder``, sorted, never through a symbolic link; and the links left alone.

    Following links would let a folder pull in any file the user can read (``/etc/passwd``), which
    the endpoint then serves to anyone.
    """
    files, links = [], []
    for root, dirs, names in os.walk(folder):  # os.walk does not descend into linked folders
        here = Path(root)
        links += [here / d for d in dirs if (here / d).is_symlink()]
        for name in names:
            (links if (here / name).is_symlink() else files).append(here / name)
    return sorted(files), sorted(links)


@functools.cache
def pipeline_fingerprint() -> str:
    """What besides a file decides its graph: the pipeline version, the taxonomies and the linker's data."""
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    for path in sorted([*ontology_files(), *LINKER_DATA_DIR.glob("*")]):
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
    replace: bool = False,
    prune: bool = False,
    on_progress: Callable[[str], None] | None = None,
) -> IngestReport:
    """Ingest ``paths`` (default: the corpus folder) into ``store``; never raises for a bad document.

    ``replace``: a file whose key (identity + language) another file holds replaces that file's
    graph instead of being refused. ``prune``: afterwards, drop the graphs of files that are gone
    from the ingested folders.
    """
    report = IngestReport()
    corpus_manifest = load_manifest(settings.corpus_dir) if settings.corpus_dir.is_dir() else Manifest([], Instruments(), [])
    folders = paths or [settings.corpus_dir]
    sources, errors = collect_sources(folders, corpus_manifest)
    report.errors.extend(errors)
    records = stored_sources(store)
    aside = None if records else build_aside(store)  # a first ingestion is built aside: see kg.bulk_build
    try:
        _write_all(sources, settings, corpus_manifest, records, store if aside is None else aside, report,
                   linker=linker, example_extractor=example_extractor, replace=replace,
                   prune_in=[p for p in folders if p.is_dir()] if prune else [], on_progress=on_progress)
    except BaseException:
        if aside is not None:
            discard(aside)
        raise
    if aside is not None:
        swap_into_place(store, aside)
    report.entities = len(report._entities)
    return report


def _write_all(sources: list[Source], settings: Settings, corpus_manifest: Manifest, records: dict[str, StoredSource],
               store, report: IngestReport, *, linker, example_extractor, replace: bool, prune_in: list[Path],
               on_progress: Callable[[str], None] | None) -> None:
    """Build every file's graph in the workers and write them into ``store``, then what depends on them all."""
    load_ontology(store)
    stored = {g: r.digest for g, r in records.items() if r.digest}
    corpus_ids = frozenset(doc.id for s in corpus_manifest.sources + sources if s.meta for doc in [s.meta, *s.embeds])
    preload({s.meta.type for s in sources if s.meta}, corpus_manifest.instruments)  # once, before the workers fork
    jobs = ((s.path, (s, settings, corpus_manifest.instruments, stored, linker, example_extractor, corpus_ids))
            for s in sources)
    workers = ingest_workers(settings)
    results = read_ahead(run_bounded_all(jobs, _build, workers=workers, timeout_s=settings.parse_timeout_s,
                                         memory_bytes=settings.parse_memory_mb * 2**20), depth=workers)
    with closing(results):  # leaving early (the store failed) stops the workers still running
        for source, (_, built) in zip(sources, results):
            if on_progress:
                on_progress(str(source.path))
            if isinstance(built, IngestError):
                report.errors.append(built)
                continue
            try:
                _record(source, built, store, report, records, replace)
            except StoreUnavailable:
                raise  # the store cannot be written (full disk, read-only): every later document would fail too
            except Exception as exc:  # a bug in the bookkeeping must not stop the other documents
                log.exception("failed on %s", source.path)
                report.errors.append(IngestError(source.path, f"internal error while writing ({type(exc).__name__}: {exc})"))
    if prune_in:
        for record in prune_missing(store, prune_in):
            report.dropped.append(f"{record.graph} (its file {record.source} is gone)")
    link_statements(store)  # after every write and prune, so no link outlives a statement
    refresh_catalogue(store)  # stubs of the cited documents still missing, once per run (README "The graph")


def ingest_workers(settings: Settings) -> int:
    """How many files are worked on at once: the setting, or the cores this process may use."""
    return settings.ingest_workers or len(os.sched_getaffinity(0))


@dataclass
class Built:
    """What a worker hands back for one file: its identity, its hashes, and its graph as N-Triples.

    ``graph`` is None when the stored graph already has this digest. Bytes cross the pipe ten times
    faster than pickled quads, and they are what the store loads.
    """

    meta: object
    detected: bool
    digest: str
    file_sha256: str
    graph: bytes | None = None
    triples: int = 0
    documents: int = 0
    paragraphs: int = 0
    examples: int = 0
    entities: set = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def _build(source: Source, settings: Settings, instruments: Instruments, stored: dict[str, str], linker,
           example_extractor, corpus_ids: frozenset) -> Built:
    """Read, identify, parse, link and build one file's graph; runs in a bounded worker."""
    meta, detected, digest, file_sha256, parsed = _read_and_parse(source, settings, instruments, stored)
    built = Built(meta, detected, digest, file_sha256)
    if parsed is None:
        return built
    builder = GraphBuilder(graph_uri(meta.id), linker=linker, example_extractor=example_extractor,
                           corpus_ids=corpus_ids | {meta.id})
    built.warnings = [w for doc in parsed for w in doc.warnings]
    builder.source_record(source_file=str(source.path.resolve()), sha256=digest, file_sha256=file_sha256,
                          pipeline_version=PIPELINE_VERSION, warnings=built.warnings)
    for doc in parsed:
        builder.document(doc, embedded_in=meta.id if doc.meta.id != meta.id else None)
    built.graph, built.triples = builder.ntriples(), builder.triples
    stats = builder.stats
    built.documents, built.paragraphs, built.examples, built.entities = (
        stats.documents, stats.paragraphs, stats.examples, stats.entities)
    return built


def _read_and_parse(source: Source, settings: Settings, instruments: Instruments, stored: dict[str, str]):
    """Read, identify, hash and parse one file.

    Returns (meta, detected, digest, file_sha256, parsed); ``parsed`` is None when the stored graph
    already has this digest.
    """
    _check_text_size(source.path, settings)
    detected = source.meta is None
    # A PDF record is read with its page breaks, so that each statement is cited by its printed page.
    paged = not detected and source.meta.type == "verbatim_record"
    read = read_file(source.path, settings)
    text = read.text(page_marks=paged)
    file_sha256 = hashlib.sha256(source.path.read_bytes()).hexdigest()
    if detected:
        masthead = read_masthead(_page_one(source.path, read) or text.splitlines())
        meta = detect_meta(source.path, text, masthead=masthead)
        text = strip_masthead(text, masthead)
    else:
        meta = source.meta
    if detected and meta.type == "verbatim_record" and source.path.suffix.lower() == ".pdf":
        # known for a record only now, from its masthead: joined again, with the page breaks
        text = strip_masthead(read.text(page_marks=True), masthead)
    source.meta = meta
    digest = source_hash(text, source)
    if stored.get(graph_uri(meta.id).value) == digest:
        return meta, detected, digest, file_sha256, None
    ctx = ParseContext(meta=meta, instruments=instruments, embeds=source.embeds, path=source.path)
    return meta, detected, digest, file_sha256, parse_document(text, ctx)


def _check_text_size(path: Path, settings: Settings) -> None:
    """Refuse a text file over the size cap before it is read: the linker's work grows with the text."""
    if path.suffix.lower() in TEXT_SUFFIXES and path.is_file():
        size = path.stat().st_size
        if size > settings.text_max_bytes:
            raise IngestError(path, f"text file is {size} bytes, over the limit of {settings.text_max_bytes} "
                                    "(R2P_TEXT_MAX_BYTES)")


def _page_one(path: Path, read: FileText) -> list[str] | None:
    """Page 1's printed lines of a PDF (the masthead); None for text files, whose head stands for page 1."""
    try:
        return read.page_one
    except Exception as exc:  # the PDF is read already; page 1's layout failing loses only the masthead
        log.warning("%s: page 1 unreadable for the masthead (%s)", path, exc)
        return None


def _same_path(a: str, b: str) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _record(source: Source, built: Built, store, report: IngestReport, records: dict[str, StoredSource],
            replace: bool) -> None:
    """Decide what a finished file does to the store (write, refuse, no-op) and write it in one transaction."""
    meta = source.meta = built.meta
    if built.detected:
        report.detected.append(
            f"{source.path}: symbol={meta.symbol}, type={meta.type}, date={meta.date}, "
            f"language={meta.language}, title={meta.title!r}")
        report.warnings.append(
            f"{source.path}: not in a manifest; guessed {', '.join(meta.guessed)} "
            f"(id={meta.id}, type={meta.type}, symbol={meta.symbol}, date={meta.date})"
        )
        report.warnings.extend(f"{source.path}: {note}" for note in meta.notes)
    graph = graph_uri(meta.id)
    path = str(source.path.resolve())  # absolute: records must mean the same file from any working directory
    holder = records.get(graph.value)
    if holder is not None and holder.source and not _same_path(holder.source, path):
        if holder.file_sha256 == built.file_sha256:
            report.unchanged += 1
            report.notes.append(f"{path}: identical to {holder.source}, already ingested as {meta.id}; nothing to do")
            return
        if not replace and Path(holder.source).exists():
            report.refused.append(IngestError(
                source.path, f"refused: {holder.source} already holds the key {meta.id} "
                             f"({meta.symbol or meta.title}, {meta.language}); pass --replace to replace it"))
            return
        report.dropped.append(f"{graph.value} (was {holder.source}, replaced by {path})")
    for old in [r for r in records.values() if r.source and _same_path(r.source, path) and r.graph != graph.value]:
        store.remove_graph(NamedNode(old.graph))  # this path's identity changed: its old graph goes
        records.pop(old.graph)
        report.dropped.append(f"{old.graph} (the old identity of {path}, now {meta.id})")
    if built.graph is None:
        report.unchanged += 1
        return
    store.replace_graphs({graph: built.graph})
    records[graph.value] = StoredSource(graph.value, path, built.digest, built.file_sha256)
    report.documents += built.documents
    report.paragraphs += built.paragraphs
    report.triples += built.triples
    report.examples += built.examples
    report._entities |= built.entities
    report.written.append(meta.id)
    report.warnings.extend(built.warnings)
