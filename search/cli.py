"""`r2p search`: the same Searcher as the HTTP route, printed as a table or as JSON."""
from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from search.searcher import Searcher, SearchError, SearchIndexError
from search.encoder import EncoderError


def render_table(question: str, hits: list[dict]) -> Table:
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


def run_search(question: str, *, k: int, as_json: bool, settings, filters: dict | None = None) -> None:
    """Print the hits; a bad query or a missing index exits 2 with the reason on stderr."""
    err = Console(stderr=True)
    try:
        from kg.store import open_store

        has_store = settings.store_url or settings.store_dir.exists()
        store = open_store(settings, read_only=True) if has_store else None
        hits = [h.to_dict() for h in Searcher.open(settings, store).search(question, k=k, filters=filters)]
    except (SearchError, SearchIndexError, EncoderError) as exc:
        err.print(f"[red]error[/]: {exc}")
        raise typer.Exit(2)
    if as_json:
        sys.stdout.write(json.dumps(hits, ensure_ascii=False, indent=2) + "\n")
    elif not hits:
        err.print("no passage matches")
    else:
        Console().print(render_table(question, hits))
