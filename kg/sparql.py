"""Read-only SPARQL over the store: refusal of updates and federation, result limits, result formats.

Shared by the CLI and the HTTP endpoint so both enforce the same rules.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

from kg.settings import Settings


class QueryError(ValueError):
    """A query that is malformed or not allowed; the message says why (and where, for syntax)."""


# Strings, IRIs and comments hide keywords; blank them before looking for SERVICE or update verbs.
_OPAQUE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_SERVICE = re.compile(r"(?<![:\w])SERVICE(?![\w:])", re.IGNORECASE)
_UPDATE = re.compile(r"(?<![:\w?$])(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)(?![\w:])\s*(DATA|WHERE|\{|SILENT|GRAPH|<|ALL|DEFAULT|NAMED)",
                     re.IGNORECASE)


def check_read_only(query: str) -> None:
    """Refuse SPARQL Update and SERVICE before the engine sees the query (Oxigraph would follow SERVICE)."""
    bare = _OPAQUE.sub(" ", query)
    if _SERVICE.search(bare):
        raise QueryError("SERVICE (federated query) is not allowed on this endpoint")
    if m := _UPDATE.search(bare):
        raise QueryError(f"SPARQL Update ({m.group(1).upper()}) is not allowed on this endpoint")


@dataclass
class QueryResult:
    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    boolean: bool | None = None
    raw: object = None


def run_query(store, query: str, settings: Settings, *, materialize: bool = True) -> QueryResult:
    check_read_only(query)
    try:
        result = store.query(query)
    except SyntaxError as exc:
        raise QueryError(f"syntax error: {exc}") from exc
    except (ValueError, OSError) as exc:
        raise QueryError(str(exc)) from exc
    if isinstance(result, QueryBoolean):
        return QueryResult("ask", boolean=bool(result), raw=result)
    if isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        if not materialize:
            return QueryResult("select", names, raw=result)
        rows = []
        for i, solution in enumerate(result):
            if i >= settings.query_result_limit:
                break
            rows.append({n: solution[n].value for n in names if solution[n] is not None})
        return QueryResult("select", names, rows)
    return QueryResult("graph", raw=result)


def format_result(result: QueryResult, fmt: str) -> str:
    """Render for the CLI: json/csv/tsv for SELECT and ASK, turtle/ntriples for CONSTRUCT and DESCRIBE."""
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n" if fmt != "json" else f'{{"head": {{}}, "boolean": {str(result.boolean).lower()}}}\n'
    if result.kind == "select":
        import csv
        import json

        if fmt == "json":
            return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": result.rows}}, indent=1) + "\n"
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([row.get(v, "") for v in result.variables])
        return out.getvalue()
    rdf_format = {"ntriples": RdfFormat.N_TRIPLES, "nt": RdfFormat.N_TRIPLES}.get(fmt, RdfFormat.TURTLE)
    return result.raw.serialize(format=rdf_format).decode("utf-8")


__all__ = ["QueryError", "QueryResult", "run_query", "format_result", "check_read_only", "QueryResultsFormat"]
