"""URIs and vocabulary terms, in one place so that every module mints the same identifiers.

URIs are stable and readable, built from UN document symbols (``A/67/929`` -> ``A-67-929``):
``{BASE}doc/A-67-929/para/72``, ``{BASE}doc/optional-protocol/article/3/para/1/clause/a``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import NamedNode

BASE = "https://w3id.org/r2p-kg/"
R2P = BASE + "ontology#"
GRAPH = BASE + "graph/"

DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SH = "http://www.w3.org/ns/shacl#"

PREFIXES = {
    "r2p": R2P,
    "id": BASE,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "prov": PROV,
    "oa": OA,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
}

ONTOLOGY_GRAPH = NamedNode(GRAPH + "ontology")


def sparql_prefixes() -> str:
    """The PREFIX block that every example query and the web page's editor start from."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


class _Vocab:
    """Attribute access to terms of one namespace: ``r2p.Paragraph`` -> NamedNode.

    Each term is made once and kept (as an attribute, so the next access is a plain lookup): the
    builder names a predicate for every triple, and a NamedNode costs a parse of its IRI."""

    def __init__(self, ns: str):
        self._ns = ns
        self._terms: dict[str, NamedNode] = {}

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        term = self[name]
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> NamedNode:
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = NamedNode(self._ns + name)
        return term


r2p = _Vocab(R2P)
dcterms = _Vocab(DCTERMS)
skos = _Vocab(SKOS)
prov = _Vocab(PROV)
oa = _Vocab(OA)
rdf = _Vocab(RDF)
rdfs = _Vocab(RDFS)
xsd = _Vocab(XSD)

_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@lru_cache(maxsize=65536)  # the same numbers and symbols recur in every document
def slug(text: str) -> str:
    """A URI path segment from a symbol or a number: ``A/67/929`` -> ``A-67-929``.

    Accents are folded (``Côte`` -> ``Cote``), separators become hyphens, case is kept because
    UN symbols are case-significant (``S/RES/827``).
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_UNSAFE.sub("-", folded.strip()).strip("-")


def symbol_slug(symbol: str) -> str:
    """Document id from a UN symbol; a joint symbol keeps its first part (``A/67/929–S/2013/399``)."""
    first = re.split(r"\s*[–—]\s*|\s+-\s+", symbol.strip())[0]
    return slug(first)


def resolution_id(number: int | str, year: int | str | None = None, body: str = "S") -> str:
    """Document id of a resolution: Security Council ``S-RES-827-1993``, Assembly ``A-RES-60-1``."""
    if body == "S":
        return f"S-RES-{int(number)}-{year}" if year else f"S-RES-{int(number)}"
    return f"A-RES-{slug(str(number))}"


def doc_uri(doc_id: str) -> NamedNode:
    return NamedNode(f"{BASE}doc/{doc_id}")


def work_uri(work_id: str) -> NamedNode:
    """The work (FRBR): what all language versions of one UN symbol are versions of.

    A document URI (``doc_uri``) names one language version, an expression: English keeps the
    work's slug (``doc/A-79-785``, the URIs published before works existed), another language adds
    its code (``doc/A-79-785.fr``). Both say ``r2p:expressionOf <work/A-79-785>``.
    """
    return NamedNode(f"{BASE}work/{work_id}")


UNDOCS = "https://undocs.org/"


def undocs_uri(symbol: str) -> NamedNode:
    """The official record of a UN symbol in the UN's documentation system: ``https://undocs.org/S/RES/2768(2025)``."""
    return NamedNode(UNDOCS + quote(re.sub(r"\s+", "", symbol), safe="/().-"))


def graph_uri(source_id: str) -> NamedNode:
    """The named graph that holds everything parsed from one source file."""
    return NamedNode(f"{GRAPH}{source_id}")


def node_uri(doc_id: str, path: tuple[tuple[str, str], ...]) -> NamedNode:
    """URI of a part of a document from its path, e.g. (("article", "3"), ("para", "1")); an empty
    number names a part a document has only once: (("preamble", ""), ("para", "2")) -> .../preamble/para/2."""
    tail = "".join(f"/{seg}/{slug(num)}" if num else f"/{seg}" for seg, num in path)
    return NamedNode(f"{BASE}doc/{doc_id}{tail}")


@lru_cache(maxsize=4096)  # a few hundred concepts, named again in every paragraph that mentions one
def concept_uri(scheme: str, key: str) -> NamedNode:
    """Taxonomy concepts: ``risk-factor/1``, ``crime/genocide``, ``actor/security-council``."""
    return NamedNode(f"{BASE}{scheme}/{slug(key)}")


@lru_cache(maxsize=1024)
def country_uri(iso3: str) -> NamedNode:
    return NamedNode(f"{BASE}country/{iso3.upper()}")
