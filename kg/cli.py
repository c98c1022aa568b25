"""The ``r2p`` command: parses options, calls the library through the composition root, prints.

Typer (on Click) gives typed options, help text and shell completion without hand-written parsing.
Every collaborator (store, linker, example extractor, search index) comes from ``kg.composition``,
built once per invocation; the commands are the same functions as the HTTP API.
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer
from pyoxigraph import QuerySolutions
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from rich.text import Text

from kg.cited_examples import ExampleFilter, render_examples
from kg.composition import Components
from kg.documents import remove_document, stored_documents
from kg.dump import dump as dump_graph
from kg.positions import PositionError
from kg.positions import positions as render_positions
from kg.settings import Settings
from kg.store import StoreUnavailable
from kg.sparql import QueryError, run_query, write_result
from search.encoder import EncoderError
from search.filters import DOC_TYPE_HELP, PUBLIC_NAMES, SPEAKER_HELP, SearchError, SearchIndexError, given_filters
from search.vocabulary import check_filters

app = typer.Typer(help="Knowledge graph and semantic search over R2P and atrocity-prevention documents.",
                  no_args_is_help=True, add_completion=False)
console = Console(stderr=True)
_state: dict[str, Components] = {}


def components() -> Components:
    return _state["components"]


def settings() -> Settings:
    return components().settings


@app.callback()
def main(
    data: Optional[Path] = typer.Option(None, "--data", help="Data directory (store and index). Env: R2P_DATA_DIR."),
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="Corpus folder with manifest.toml. Env: R2P_CORPUS_DIR."),
) -> None:
    overrides = {k: v for k, v in {"data_dir": data, "corpus_dir": corpus}.items() if v is not None}
    _state["components"] = Components(Settings(**overrides))


def open_store(read_only: bool = False):
    return components().store(read_only=read_only)


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(None, help="Files or folders to ingest (default: the corpus folder)."),
    index: bool = typer.Option(True, "--index/--no-index", help="Update the search index afterwards."),
    replace: bool = typer.Option(False, "--replace", help="A file whose key another file holds replaces it."),
    prune: bool = typer.Option(False, "--prune", help="Drop the graphs of files gone from the ingested folders."),
) -> None:
    """Parse documents into the graph (one named graph per file) and update the search index.

    Exit code 1 when any file was refused (its key is another file's) or failed."""
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("ingesting", total=None)
        report = components().ingest(paths or None, replace=replace, prune=prune,
                                     on_progress=lambda name: progress.update(task, description=f"ingesting {name}"))
    open_store().flush()
    for line in report.detected:
        console.print(f"detected: {line}", markup=False, highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]warning[/]: {warning}")
    for note in report.notes:
        console.print(f"note: {note}")
    for dropped in report.dropped:
        console.print(f"dropped: {dropped}")
    for refused in report.refused:
        console.print(f"[red]refused[/]: {refused}")
    for error in report.errors:
        console.print(f"[red]error[/]: {error}")
    console.print(
        f"{report.summary()}; documents: {report.documents}, paragraphs: {report.paragraphs}, "
        f"triples: {report.triples}, entities: {report.entities}, examples: {report.examples}"
    )
    if index:
        console.print(f"search index: {components().update_index()}")
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def documents(as_json: bool = typer.Option(False, "--json", help="JSON output, one object per document.")) -> None:
    """List the documents in the graph: key, type, date, source file and number of parts."""
    entries = stored_documents(open_store(read_only=True))
    if as_json:
        sys.stdout.write(json.dumps([asdict(e) for e in entries], ensure_ascii=False, indent=1) + "\n")
        return
    table = Table("key", "symbol", "type", "date", "language", "source", "parts")
    for e in entries:
        table.add_row(e.key, e.symbol or "", e.doc_type or "", e.date or "", e.language or "", e.source or "", str(e.parts))
    Console(width=200).print(table)


@app.command()
def remove(
    name: str = typer.Argument(..., help="The document's symbol (any part of a joint one) or key."),
    language: Optional[str] = typer.Option(None, "--language", help="Only this language version (e.g. fr)."),
) -> None:
    """Delete a document and its graph (every language version unless --language)."""
    dropped = remove_document(open_store(), name, language)
    if not dropped:
        console.print(f"[red]error[/]: no document '{name}' in the graph (see r2p documents)")
        raise typer.Exit(1)
    for graph in dropped:
        console.print(f"removed: {graph}")


@app.command()
def sparql(
    query: str = typer.Argument(None, help="The SPARQL query (or use --file)."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Read the query from a file."),
    fmt: str = typer.Option("table", "--format",
                            help="table; json, xml, csv, tsv (SELECT/ASK); turtle, ntriples, jsonld, rdfxml (CONSTRUCT)."),
) -> None:
    """Run a read-only SPARQL query over the whole graph (the default graph is the union of all graphs)."""
    text = file.read_text() if file else query
    if not text:
        console.print("[red]error[/]: give a query or --file")
        raise typer.Exit(2)
    limit = settings().query_result_limit
    try:
        result = run_query(open_store(read_only=True), text)
        if fmt == "table" and isinstance(result, QuerySolutions):
            names = [v.value for v in result.variables]
            table = Table(*names)
            for i, row in enumerate(result):
                if i >= limit:
                    console.print(f"[yellow]truncated[/]: only the first {limit} rows (R2P_QUERY_RESULT_LIMIT)")
                    break
                table.add_row(*["" if row[n] is None else row[n].value for n in names])
            Console().print(table)
            return
        response = write_result(result, limit, fmt=None if fmt == "table" else fmt)
    except QueryError as exc:
        console.print(f"[red]error[/]: {exc}")
        raise typer.Exit(2)
    sys.stdout.buffer.write(response.body)
    if response.truncated:
        console.print(f"[yellow]truncated[/]: only the first {limit} results (R2P_QUERY_RESULT_LIMIT)")


@app.command()
def validate() -> None:
    """Check the stored graph against the SHACL shapes in ontology/shapes.ttl."""
    from kg.validate import validate_store  # pySHACL: loaded only for this command

    conforms, report = validate_store(open_store(read_only=True))
    print(report)
    raise typer.Exit(0 if conforms else 1)


@app.command()
def dump(
    out: Path = typer.Argument(Path("dump"), help="Folder for r2p-kg.nq (N-Quads) and void.ttl (its VoID description)."),
) -> None:
    """Write the whole graph as N-Quads with a VoID description (to load into a SPARQL server, or to reuse)."""
    console.print(f"dump: {dump_graph(open_store(read_only=True), out)}")


@app.command()
def search(
    question: str = typer.Argument(..., help='A question in any language; "quoted words" must appear as written.'),
    k: int = typer.Option(5, "-k", help="How many paragraphs."),
    country: Optional[str] = typer.Option(None, help="ISO code or name, e.g. KEN or Kenya."),
    region: Optional[str] = typer.Option(None, help="UN M49 region: Africa, Americas, Asia, Europe, Oceania."),
    risk_factor: Optional[str] = typer.Option(None, "--risk-factor", help="Risk factor number or label."),
    crime: Optional[str] = typer.Option(None, help="genocide, war-crimes, crimes-against-humanity, ethnic-cleansing."),
    document: Optional[str] = typer.Option(None, help="Document symbol or id."),
    doc_type: Optional[str] = typer.Option(None, "--type", help=DOC_TYPE_HELP),
    speaker: Optional[str] = typer.Option(None, help=SPEAKER_HELP),
    year: Optional[int] = typer.Option(None, help="Year of the document."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Documents dated on or after: 2013, 2013-07 or 2013-07-09."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Documents dated on or before (same forms)."),
    sort: str = typer.Option("relevance", help="relevance, newest or oldest (the k most relevant, by date)."),
    as_json: bool = typer.Option(False, "--json", help="JSON output: the query, filters, facets and hits, as /search answers."),
) -> None:
    """Find the paragraphs that answer a question, with citations (the index is built by `r2p index`)."""
    filters = given_filters(country=country, region=region, risk_factor=risk_factor, crime=crime, document=document,
                            doc_type=doc_type, year=year, date_from=date_from, date_to=date_to, speaker=speaker)
    try:
        check_filters(filters, {key: "--" + PUBLIC_NAMES.get(key, key).replace("_", "-") for key in filters})
        answer = components().open_searcher().answer(question, k, filters, sort=sort).to_dict()
    except (SearchError, SearchIndexError, EncoderError) as exc:
        console.print(f"[red]error[/]: {exc}")
        raise typer.Exit(2)
    if as_json:
        sys.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
    elif not answer["hits"]:
        console.print("no passage matches")
    else:
        Console().print(hits_table(question, answer["hits"]))


def hits_table(question: str, hits: list[dict]) -> Table:
    """One row per hit: citation, the text with its best sentence in bold, the linked entities."""
    table = Table(title=f"{question}", show_lines=True, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("citation", min_width=16, max_width=40)
    table.add_column("text (best sentence in bold)", ratio=1)
    table.add_column("countries / notes", max_width=24)
    for hit in hits:
        text = Text(hit["text"])
        start = hit["text"].find(hit["highlight"])
        if start >= 0:
            text.stylize("bold yellow", start, start + len(hit["highlight"]))
        side = ", ".join(hit["countries"])
        if hit["notes"]:
            side += ("\n" if side else "") + f"{len(hit['notes'])} study-guide note(s)"
        table.add_row(str(hit["rank"]), hit["citation"], text, side)
    return table


@app.command()
def index(
    export_seed: bool = typer.Option(False, "--export-seed", help="Then write the index's vectors to the seed file "
                                     "(vector_seed_dir/<model>.npz) shipped with the corpus."),
) -> None:
    """(Re)build the search index from the graph; only changed paragraphs are embedded again."""
    console.print(f"search index: {components().update_index()}")
    if export_seed:
        console.print(f"seed: {components().export_seed()} vectors written to {settings().vector_seed}")


@app.command()
def examples(
    country: Optional[str] = typer.Option(None, help="Country name or ISO code (e.g. KEN, Kenya)."),
    region: Optional[str] = typer.Option(None, help="Region (e.g. Africa)."),
    risk_factor: Optional[str] = typer.Option(None, "--risk-factor", help="Risk factor number or label."),
    policy_option: Optional[str] = typer.Option(None, "--policy-option", help="Policy option (report heading)."),
    crime: Optional[str] = typer.Option(None, help="genocide, war-crimes, crimes-against-humanity, ethnic-cleansing, incitement."),
    kind: Optional[str] = typer.Option(None, help="practice, situation, historical, participation, venue."),
    year_from: Optional[int] = typer.Option(None, "--from", help="Earliest year."),
    year_to: Optional[int] = typer.Option(None, "--to", help="Latest year."),
    document: Optional[str] = typer.Option(None, help="Document symbol or id."),
    text: Optional[str] = typer.Option(None, help="Free text the example must contain."),
    fmt: str = typer.Option("table", "--format", help="table, json, csv, md, csljson (CSL-JSON) or ris."),
) -> None:
    """List cited examples (country, what, when, quote, citation) with filters, ready to paste."""
    flt = ExampleFilter(country=country, region=region, risk_factor=risk_factor, policy_option=policy_option,
                        crime=crime, kind=kind, year_from=year_from, year_to=year_to, document=document, text=text)
    sys.stdout.write(render_examples(open_store(read_only=True), flt, fmt))


@app.command()
def positions(
    country: Optional[str] = typer.Option(None, "--country", help="ISO3 code (BRA), name, or id (group/friends-of-r2p). "
                                          "Without it: the States x themes x years table."),
    theme: Optional[list[str]] = typer.Option(None, "--theme", help="Theme key, repeatable (e.g. sovereignty, veto-restraint)."),
    year_from: Optional[int] = typer.Option(None, "--from", help="Earliest year."),
    year_to: Optional[int] = typer.Option(None, "--to", help="Latest year."),
    fmt: str = typer.Option("md", "--format", help="md, json or csv."),
) -> None:
    """A speaker's positions over time (date, occasion, themes, quote, citation), or the States x themes x years table."""
    try:
        out = render_positions(open_store(read_only=True), country, themes=theme, year_from=year_from,
                               year_to=year_to, fmt=fmt)
    except PositionError as exc:
        console.print(f"[red]error[/]: {exc}")
        raise typer.Exit(2)
    sys.stdout.write(out)


@app.command()
def serve(
    host: Optional[str] = typer.Option(None, help="Bind address (default from R2P_HOST)."),
    port: Optional[int] = typer.Option(None, help="Port (default from R2P_PORT)."),
) -> None:
    """Serve the SPARQL endpoint, the search API and the web page."""
    s = settings()
    from kg.service.app import serve as serve_app  # the web stack: loaded only for this command

    serve_app(s, host=host or s.host, port=port or s.port)


def run() -> None:
    """The console script: the store's failures to open (locked, read-only, full) are a sentence, not a traceback."""
    try:
        app()
    except StoreUnavailable as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise SystemExit(2) from None


if __name__ == "__main__":
    run()
