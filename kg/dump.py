"""`r2p dump`: the whole graph as N-Quads with a VoID description, for moving it to a server or reusing it.

Why N-Quads: the graph is one named graph per source document, and N-Quads is the line-based format
that keeps the graph names, that can be written and read as a stream, and that every server's bulk
loader reads (``oxigraph load``, Virtuoso's ``ld_dir``, Jena's ``tdb2.tdbloader``, GraphDB's
ImportRDF, QLever's index builder). The VoID description (Turtle, beside it) says what the file
holds: triples in all and per graph, the vocabularies, the URI space, and the dump itself.

The counts are read back from the written file, not asked of the store: they describe exactly the
file, even when an ingest ran while it was written.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse, serialize

from ingest.namespaces import BASE, DCTERMS, GRAPH, PREFIXES, RDF, XSD

VOID = "http://rdfs.org/ns/void#"
DUMP_FILE = "r2p-kg.nq"
VOID_FILE = "void.ttl"
TITLE = "r2p-kg: R2P and atrocity-prevention documents as a knowledge graph"


def graph_sizes(store) -> tuple[tuple[str, int], ...]:
    """Triples per r2p graph (a shared server has graphs of its own), in one query over the whole graph."""
    rows = store.select(f'SELECT ?g (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }} '
                        "GROUP BY ?g ORDER BY ?g")
    return tuple((r["g"], int(r["n"])) for r in rows)


def void_triples(dataset: NamedNode, sizes: tuple[tuple[str, int], ...]) -> list[Triple]:
    """What VoID says of the dataset: title, URI space, vocabularies, and its triples, in all and per graph (a subset each)."""
    void, integer = (lambda t: NamedNode(VOID + t)), NamedNode(XSD + "integer")
    out = [Triple(dataset, NamedNode(RDF + "type"), void("Dataset")),
           Triple(dataset, NamedNode(DCTERMS + "title"), Literal(TITLE)),
           Triple(dataset, void("uriSpace"), Literal(BASE)),
           Triple(dataset, void("triples"), Literal(str(sum(n for _, n in sizes)), datatype=integer))]
    out += [Triple(dataset, void("vocabulary"), NamedNode(ns)) for p, ns in PREFIXES.items() if p not in ("id", "rdf", "xsd")]
    for graph, size in sizes:
        out += [Triple(dataset, void("subset"), NamedNode(graph)),
                Triple(NamedNode(graph), NamedNode(RDF + "type"), void("Dataset")),
                Triple(NamedNode(graph), void("triples"), Literal(str(size), datatype=integer))]
    return out


@dataclass
class DumpReport:
    quads_file: Path
    void_file: Path
    graphs: int
    quads: int

    def __str__(self) -> str:
        return f"{self.quads} quads in {self.graphs} graphs -> {self.quads_file}, described in {self.void_file}"


def dump(store, out_dir: Path) -> DumpReport:
    """Write ``r2p-kg.nq`` and ``void.ttl`` into ``out_dir``; each appears whole or not at all (written aside, then renamed)."""
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    quads_file, void_file = out_dir / DUMP_FILE, out_dir / VOID_FILE
    partial = out_dir / (DUMP_FILE + ".partial")
    with partial.open("wb") as out:
        store.dump_nquads(out)
    with partial.open("rb") as written:
        counts = Counter(q.graph_name.value for q in parse(written, format=RdfFormat.N_QUADS))
    sizes = tuple(sorted(counts.items()))
    dataset = NamedNode(void_file.as_uri() + "#dataset")
    description = void_triples(dataset, sizes) + [
        Triple(dataset, NamedNode(VOID + "dataDump"), NamedNode(quads_file.as_uri())),
        Triple(dataset, NamedNode(VOID + "feature"), NamedNode("http://www.w3.org/ns/formats/N-Quads")),
    ]
    void_partial = out_dir / (VOID_FILE + ".partial")
    void_partial.write_bytes(serialize(description, format=RdfFormat.TURTLE, base_iri=void_file.as_uri(),
                                       prefixes={**PREFIXES, "void": VOID}))
    partial.replace(quads_file)
    void_partial.replace(void_file)
    return DumpReport(quads_file, void_file, len(counts), sum(counts.values()))
