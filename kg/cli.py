"""The ``r2p`` command: the composition root for the command line (same functions as the API).

Typer (on Click) gives typed options, help text and shell completion without hand-written parsing.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from kg.settings import Settings

app = typer.Typer(help="Knowledge graph and semantic search over R2P and atrocity-prevention documents.",
                  no_args_is_help=True, add_completion=False)
console = Console(stderr=True)
_settings: dict[str, Settings] = {}


def settings() -> Settings:
    return _settings["value"]


@app.callback()
def main(
    data: Optional[Path] = typer.Option(None, "--data", help="Data directory (store and index). Env: R2P_DATA_DIR."),
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="Corpus folder with manifest.toml. Env: R2P_CORPUS_DIR."),
) -> None:
    overrides = {k: v for k, v in {"data_dir": data, "corpus_dir": corpus}.items() if v is not None}
    _settings["value"] = Settings(**overrides)


def open_store(read_only: bool = False):
    from kg.store import open_store as open_configured_store

    return open_configured_store(settings(), read_only=read_only)


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(None, help="Files or folders to ingest (default: the corpus folder)."),
    index: bool = typer.Option(True, "--index/--no-index", help="Update the search index afterwards."),
) -> None:
    """Parse documents into the graph (one named graph per file) and update the search index."""
    from rich.progress import Progress

    from ingest.entities import Linker
    from ingest.examples import ExampleExtractor
    from ingest.pipeline import ingest as run_ingest

    store = open_store()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("ingesting", total=None)
        report = run_ingest(paths or None, settings(), store, linker=Linker.default(),
                            example_extractor=ExampleExtractor.default(),
                            on_progress=lambda name: progress.update(task, description=f"ingesting {name}"))
    store.flush()
    for warning in report.warnings:
        console.print(f"[yellow]warning[/]: {warning}")
    for error in report.errors:
        console.print(f"[red]error[/]: {error}")
    console.print(
        f"documents written: {report.documents} ({report.unchanged} unchanged), paragraphs: {report.paragraphs}, "
        f"triples: {report.triples}, entities: {report.entities}, examples: {report.examples}, errors: {len(report.errors)}"
    )
    if index:
        from search.indexer import update_index

        stats = update_index(store, settings())
        console.print(f"search index: {stats}")
    raise typer.Exit(1 if report.errors else 0)


@app.command()
def sparql(
    query: str = typer.Argument(None, help="The SPARQL query (or use --file)."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Read the query from a file."),
    fmt: str = typer.Option("table", "--format",
                            help="table; json, xml, csv, tsv (SELECT/ASK); turtle, ntriples, jsonld, rdfxml (CONSTRUCT)."),
) -> None:
    """Run a read-only SPARQL query over the whole graph (the default graph is the union of all graphs)."""
    from pyoxigraph import QuerySolutions

    from kg.sparql import QueryError, run_query, write_result

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
    from kg.validate import validate_store

    conforms, report = validate_store(open_store(read_only=True))
    print(report)
    raise typer.Exit(0 if conforms else 1)


@app.command()
def search(
    question: str = typer.Argument(..., help="A question in plain English."),
    k: int = typer.Option(5, "-k", help="How many paragraphs."),
    as_json: bool = typer.Option(False, "--json", help="JSON output, one object per hit."),
) -> None:
    """Find the paragraphs that answer a question, with citations."""
    from search.cli import run_search

    run_search(question, k=k, as_json=as_json, settings=settings())


@app.command()
def index() -> None:
    """(Re)build the search index from the graph; only changed paragraphs are embedded again."""
    from search.indexer import update_index

    console.print(f"search index: {update_index(open_store(read_only=True), settings())}")


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
    fmt: str = typer.Option("table", "--format", help="table, json, csv or md."),
) -> None:
    """List cited examples (country, what, when, quote, citation) with filters, ready to paste."""
    from kg.examples import ExampleFilter, render_examples

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
    from kg.positions import FORMATS, PositionError, render_table, render_timeline, table, timeline

    if fmt not in FORMATS:
        console.print(f"[red]error[/]: --format must be one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    store = open_store(read_only=True)
    try:
        if country:
            out = render_timeline(timeline(store, country, themes=theme, year_from=year_from, year_to=year_to), fmt)
        else:
            out = render_table(table(store, themes=theme, year_from=year_from, year_to=year_to), fmt)
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
    import uvicorn

    from kg.service.app import create_app

    s = settings()
    uvicorn.run(create_app(s), host=host or s.host, port=port or s.port)


if __name__ == "__main__":
    app()
