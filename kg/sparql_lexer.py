"""Read a SPARQL query's tokens as the engine will, to decide what it asks for before it runs.

The endpoint must refuse ``SERVICE`` (Oxigraph would fetch the URL) and SPARQL Update before the
engine sees a query. A keyword can hide inside a string, an IRI or a comment, and a regular
expression that blanks those reads some of them differently from the grammar (issue 9: a long
string with an escaped quote; an IRI with a ``\\u`` escape before ``#``). So this module follows
the terminals of the SPARQL 1.1 grammar (section 19.8) exactly: the four string forms with their
escapes, IRIs with ``\\u``/``\\U`` escapes, comments, prefixed names with ``%hh`` and ``\\``
escapes, variables, blank nodes, numbers and punctuation.

One place in the grammar is read by context: ``<`` opens an IRI, except in an expression after an
operand, where it is "less than" (``FILTER(?a<STR('>'))`` has no IRI in it). The scanner keeps a
stack of brackets to know when it is inside an expression, and where the two readings could
disagree about where a string or comment starts it refuses the query rather than guess.

Anything it cannot read is refused: failing closed is the point. Oxigraph reads ``\\u`` escapes
only inside IRIs and strings (measured: ``\\u0053ELECT`` is a syntax error there), and so does this.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# -- the grammar's character classes (SPARQL 1.1, section 19.8) --------------------------------------
_PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
                  "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"""\\[tbnrf\\"']"""
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = rf"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = rf"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_VARNAME = rf"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*"

_IRIREF = re.compile(rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>")
# Order matters: long strings before short ones, prefixed names before bare words, numbers before '.'.
_TOKEN = re.compile(
    rf"""(?P<ws>[ \t\r\n]+|\#[^\r\n]*)
    |(?P<string>\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|{_ECHAR}|{_UCHAR}))*\"\"\"
               |'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*'''
               |\"(?:[^\"\\\n\r]|{_ECHAR}|{_UCHAR})*\"
               |'(?:[^'\\\n\r]|{_ECHAR}|{_UCHAR})*')
    |(?P<var>[?$]{_VARNAME})
    |(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)
    |(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)
    |(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
    |(?P<number>[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+)
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<punct>\^\^|\|\||&&|!=|<=|>=|[{{}}()\[\],;.*/+\-!=<>?|^])""",
    re.VERBOSE,
)

_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
# Every bare word of SPARQL 1.1 (keywords, aggregates, built-in functions), and the RDF-star built-ins
# Oxigraph reads. A word outside them is a server's own extension (Virtuoso's DEFINE, OPTION).
SPARQL_WORDS = frozenset("""
    BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED AS FROM NAMED WHERE GROUP BY HAVING ORDER ASC DESC
    LIMIT OFFSET VALUES UNDEF OPTIONAL GRAPH SERVICE SILENT BIND MINUS FILTER UNION NOT IN EXISTS A TRUE FALSE
    SEPARATOR COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS
    CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR
    MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG
    STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE
    INSERT DELETE DATA LOAD CLEAR CREATE DROP COPY MOVE ADD WITH USING DEFAULT ALL INTO TO
    TRIPLE ISTRIPLE SUBJECT PREDICATE OBJECT
""".split())
XSD = "http://www.w3.org/2001/XMLSchema#"
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"})
# Tokens after which an expression has a complete operand, so that '<' there is "less than".
_OPERAND_ENDS = frozenset({"var", "iri", "pname", "string", "langtag", "number", ")", "TRUE", "FALSE"})
# Characters that start a string or a comment, or move a bracket, if the text of an IRI is read as tokens.
_DESYNC = re.compile(r"['#()\[\]]")
_QUOTE = re.compile("'")
_CLOSERS = {")": "(", "}": "{", "]": "["}
# Keywords that start or end a clause in which '(' opens an expression (or a row of VALUES data).
_CLAUSES = {"SELECT": "select", "WHERE": None, "GROUP": "modifier", "ORDER": "modifier", "HAVING": "modifier",
            "LIMIT": None, "OFFSET": None, "VALUES": "values"}


class UnreadableQuery(ValueError):
    """The query does not follow SPARQL's lexical grammar, or could be read two ways; the message says where."""


@dataclass(frozen=True)
class QueryShape:
    """What a query asks for, as far as the endpoint's rules care."""

    service: bool  # a SERVICE clause (federation)
    update: str | None  # the first update keyword, upper-case
    dataset: bool  # a FROM or FROM NAMED clause
    depth: int  # deepest nesting of brackets: the engine's parser recurses on it
    form: str | None = None  # SELECT, ASK, CONSTRUCT or DESCRIBE: the first one (a subquery's comes later)
    extension: str | None = None  # the first thing that is not standard SPARQL 1.1, and where (None: none)


def _where(query: str, pos: int) -> str:
    line = query.count("\n", 0, pos) + 1
    column = pos - (query.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {column}"


def scan(query: str) -> QueryShape:
    """Tokenize ``query`` by the SPARQL 1.1 grammar; raise UnreadableQuery where it cannot be read safely."""
    frames = [("", "top")]  # (opening bracket, what it holds): "top", "pattern", "expr", "list", "data"
    clause = None  # "select" (SELECT ... WHERE), "modifier" (GROUP/ORDER BY, HAVING), "values" (VALUES ... {)
    prev = prev2 = None  # kinds of the last two significant tokens (a word's kind is its upper-case text)
    service = dataset = False
    update = form = extension = None
    prefixes = {"xsd": XSD}  # declared in the query (xsd: is declared by the r2p prologue)
    last = ""  # the text of the last significant token
    depth = 0
    pos, end = 0, len(query)
    while pos < end:
        if query[pos] == "<":
            iri = _IRIREF.match(query, pos)
            expression = frames[-1][1] == "expr"
            operator = expression and prev in _OPERAND_ENDS
            if iri and prev in _OPERAND_ENDS and (_DESYNC if expression else _QUOTE).search(iri.group()):
                # After an operand, '<' is "less than" in an expression and opens an IRI elsewhere. Should this
                # scanner and the engine disagree on which, a quote (or, read as tokens, '#' or a bracket) in the
                # IRI's text would start a string or comment for one of them only: refuse instead.
                raise UnreadableQuery(f"'<' at {_where(query, pos)} could be read as an IRI or as 'less than'; "
                                      "put spaces around a comparison")
            if iri and not operator:
                if prev == "pname" and prev2 == "PREFIX":
                    prefixes[last[:-1]] = iri.group()[1:-1]
                prev2, prev, pos, last = prev, "iri", iri.end(), iri.group()
                continue
        m = _TOKEN.match(query, pos)
        if m is None:
            raise UnreadableQuery(f"unexpected character {query[pos]!r} at {_where(query, pos)}")
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        text = m.group()
        if kind == "word":
            kind = text.upper()
            if kind not in SPARQL_WORDS and extension is None:
                extension = f"{text!r} at {_where(query, pos - len(text))}"
            if kind == "SERVICE":
                service = True
            elif kind in UPDATE_KEYWORDS and update is None:
                update = kind
            elif kind == "FROM":
                dataset = True
            elif kind in _FORMS and form is None:
                form = kind
            clause = _CLAUSES.get(kind, clause)
        elif kind == "punct":
            kind = text
            if text == "{":
                frames.append(("{", "data" if clause == "values" else "pattern"))
                clause = None
            elif text == "[":
                frames.append(("[", "pattern"))
            elif text == "(":
                frames.append(("(", _paren(frames[-1][1], clause, prev, prev2)))
                if frames[-1][1] == "expr" and prev in ("iri", "pname") and extension is None \
                        and not _expands(last, prefixes).startswith(XSD):
                    extension = f"the function {last} at {_where(query, pos - 1 - len(last))}"
            elif text in _CLOSERS:
                if len(frames) == 1 or frames.pop()[0] != _CLOSERS[text]:
                    raise UnreadableQuery(f"unbalanced {text!r} at {_where(query, pos - 1)}")
                if text == "}":
                    clause = None
            depth = max(depth, len(frames) - 1)
        prev2, prev, last = prev, kind, text
    if len(frames) > 1:
        raise UnreadableQuery(f"unclosed {frames[-1][0]!r} at the end of the query")
    return QueryShape(service, update, dataset, depth, form, extension)


def _expands(name: str, prefixes: dict[str, str]) -> str:
    """The IRI a called function names, as far as it matters here (escaped or undeclared: no IRI, so refused)."""
    if name.startswith("<"):
        return name[1:-1] if "\\" not in name else ""
    prefix, _, local = name.partition(":")
    return prefixes[prefix] + local if prefix in prefixes and "\\" not in local and "%" not in local else ""


def _paren(frame: str, clause: str | None, prev: str | None, prev2: str | None) -> str:
    """What a '(' opens: an expression, a collection or path (no operators), or a row of VALUES data."""
    if frame == "expr":
        return "expr"
    if frame == "data" or clause == "values":
        return "data"
    if clause in ("select", "modifier") or frame == "top":
        return "expr"
    if frame == "pattern" and (prev in ("FILTER", "BIND") or prev2 == "FILTER"):
        return "expr"  # FILTER(...), BIND(...), FILTER regex(...), FILTER ex:fn(...)
    return "list"


__all__ = ["scan", "QueryShape", "UnreadableQuery", "UPDATE_KEYWORDS"]
