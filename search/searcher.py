"""Hybrid search over the persisted index: dense sentence vectors (FAISS) + BM25, fused by rank.

``Searcher.open(index_dir, model, k_max=...)`` loads the index and the model once; ``search()`` is then pure
in-memory work: one query encode (~10 ms), one FAISS scan, one sparse BM25 scoring, and reciprocal
rank fusion, which needs no score calibration between the two retrievers.

The FAISS index is exact (``IndexFlatIP``) for small corpora and HNSW for large ones (see
``search.indexer.dense_index``). Filtered queries score the allowed units exactly with numpy
instead, because a graph index may return too few hits when most of it is filtered out.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import bm25s
import faiss
import numpy as np
import pycountry
from threadpoolctl import threadpool_limits

from ingest.model import DOC_TYPES
from search.citations import CitationIndex
from search.cues import Cues, read_cues
from search.encoder import load_encoder
from search.facets import FacetIndex, Facets
from search.filters import SearchError, SearchIndexError, given_filters
from search.indexer import FORMAT, dense_index, read_build_info, set_ef_search, tokenize
from search.passages import Passage
from search.vocabulary import DATE, resolve

# Weighted reciprocal rank fusion: score = sum of weight / (RRF_K + rank). Tuned on the tune half of
# the evaluation questions only (bge-small hybrid recall@5 there: 0.85 with the textbook K=60, 0.90 with
# the earlier K=10 and BM25 at half weight, 0.92 with these); the test half confirmed it (0.911 -> 0.929).
# A small K trusts each retriever's top ranks. Since documents' passages are also embedded under their
# title (``search.indexer.units_of``), dense earns twice BM25's say: tune half hybrid 0.922 / 0.755 ->
# 0.931 / 0.794 without the debates, 0.895 / 0.753 -> 0.902 / 0.765 with them (in a trial before the
# rebuild, BM25 at 0.7: 0.922 / 0.796 and 0.902 / 0.767; at 1: 0.905 / 0.789 and 0.902 / 0.772).
# K tuned again on 2026-12-07 with the rankings added since (documents, speakers, citations, years), tune half
# without the debates / with them / the grown corpus: K=5 0.948 / 0.849, 0.951 / 0.833, 0.940 / 0.820; K=4
# 0.948 / 0.855, 0.951 / 0.836, 0.947 / 0.817; K=3.5 a little higher on the second; K=3 0.944 with the debates.
# K=4 is the middle of that plateau, and the 60 fresh questions gained too (0.841 -> 0.856 and 0.823 -> 0.832 MRR),
# but the test half did not confirm it (without the debates 0.955 / 0.863 -> 0.946 / 0.863, with them 0.949 / 0.845
# -> 0.949 / 0.848, the grown corpus 0.927 / 0.814 -> 0.927 / 0.813), so K stays 5.
RRF_K = 5
WEIGHTS = {"dense": 1.0, "bm25": 0.5}
# A paragraph a delegation speaks (a collected statement's, or a speech in a meeting record; not the
# chair's) gives one speaker's view and often repeats a report's words, so thousands of them crowd the
# documents they discuss. A question that names no speaker asks for the documents' own words first:
# a spoken passage's fused score is weighted by DEBATE_PRIOR, unless its speaker is the one the
# question asks about ("What did Brazil say ...", see ``search.cues``). Those questions also fuse the
# two retrievers' rankings over that speaker's passages alone (of the year the question names, when it
# names one) at SPEAKER_WEIGHT. Tuned on the tune half with the debates (hybrid recall@5 0.734 -> 0.874;
# flat over priors 0.2-0.3 and speaker weights 0.5-0.7); a corpus without debates has nothing to weigh.
# The prior weighs only candidates, and for a report's or a treaty's question more than 50 statement
# paragraphs often outrank the answer in both retrievers, so that it is no candidate at all. A question
# naming no speaker therefore also fuses the two rankings over the passages no delegation speaks (the
# documents, a record's chair) at DOCUMENT_WEIGHT, the dense index searched with a selector of their units; with the documents
# sure to be candidates, the prior can be milder. Tuned on the tune half with the debates: hybrid
# 0.860 / 0.734 -> 0.895 / 0.753 at weight 0.5 and prior 0.5 (0.874-0.888 at weights 0.3-1, priors 0.4-0.7).
# A question about what unnamed speakers said ("Which States raised sovereignty concerns?") gets
# neither the prior nor the documents' own rankings: there the statements are the answers.
DEBATE_PRIOR = 0.5
SPEAKER_WEIGHT = 0.5
DOCUMENT_WEIGHT = 0.5
# A question naming a document the index does not hold ("Who endorsed the concept note A/63/958?") is
# about the passages that cite it: they are ranked among themselves too, at CITING_WEIGHT, free of the prior.
# So are the passages of a document the index holds, when a question names it without a paragraph ("A/72/PV.99
# Latvia on the formal debate": the record's speeches, not another record's chair).
CITING_WEIGHT = 1.0
# A question naming a year ("Who commanded the force sent to Somalia in 1992?", "the 2010 report") and no speaker
# also ranks that year's passages among themselves, at YEAR_WEIGHT: in a corpus that holds 2025's reports on the
# same places, a 1992 resolution's answer otherwise sank below them. Tune half, the grown corpus: 0.940 / 0.798 ->
# 0.940 / 0.803 (the same at 0.25 and 1); with the debates only, unchanged (0.951 / 0.829); the 60 fresh
# questions 0.933 -> 0.950 and 0.967 -> 0.983 recall@5.
YEAR_WEIGHT = 0.5
# A preambular paragraph (a resolution's, a treaty's, a draft's: "Noting the offer by Member States ...") recalls what led to
# it; what it decides is in the operative paragraphs, which share its words ("Calls on all Member States ... to
# provide military forces"). A preamble's passages have their fused score weighed by PREAMBLE_PRIOR. Tune half: with
# the debates 0.951 / 0.829 -> 0.951 / 0.833, the grown corpus 0.940 / 0.803 -> 0.940 / 0.817 (0.9: 0.833 and
# 0.813; 0.8: 0.829 and 0.817; 0.7: 0.825 and 0.814); the 60 fresh questions unchanged. 12 of the 300 questions'
# answers are preambular.
PREAMBLE_PRIOR = 0.85
# Above this many units, a dense ranking of a set of passages scans the graph's storage with a selector
# (``Searcher._scan``) rather than gathering their vectors (measured at one year of the debates, 6,311 units).
GATHER_UNITS = 2000
MAX_QUERY_CHARS = 1000


@lru_cache(maxsize=None)
def _country_name(iso: str) -> str:
    found = pycountry.countries.get(alpha_3=iso)
    return (getattr(found, "common_name", None) or found.name) if found else iso


@lru_cache(maxsize=None)
def _words(key: str) -> str:
    return key.replace("_", " ").replace("-", " ").capitalize()


# Facets: the (value, label) pairs a passage holds for each key, counted over a search's candidates;
# each is also a filter on its value. Adding a facet (the speaking State, a theme) is one entry here.
FACETS: Facets = {
    "country": lambda p: [(c, _country_name(c)) for c in p.countries],
    "region": lambda p: [(r, _words(r)) for r in p.regions],
    "year": lambda p: [] if p.year is None else [(p.year, str(p.year))],
    "doc_type": lambda p: [(p.doc_type, _words(p.doc_type))] if p.doc_type else [],
    "risk_factor": lambda p: [(r, f"risk factor {r}") for r in p.risk_factors],
    "crime": lambda p: [(c, _words(c)) for c in p.crimes],
    "speaker": lambda p: list(p.speakers.items()),  # the speaking State, organization or group of a statement
}
FILTER_KEYS = ("document", *FACETS, "date_from", "date_to")
SORTS = ("relevance", "newest", "oldest")
# The help of the filters the CLI and the API share, so their documentation cannot drift apart.
_LETTER = re.compile(r"[^\W\d_]")
_PHRASE = re.compile(r'["“”„«»]([^"“”„«»]*)["“”„«»]')
_WORD = re.compile(r"\w+")


@dataclass
class Hit:
    rank: int
    score: float
    passage: Passage
    highlight: str
    dense_rank: int | None = None
    bm25_rank: int | None = None

    def to_dict(self) -> dict:
        p = self.passage
        return {"rank": self.rank, "score": round(self.score, 6), "uri": p.uri, "document": p.title,
                "symbol": p.symbol or None, "paragraph": p.number or None, "text": p.text, "highlight": self.highlight,
                "citation": p.citation, "countries": list(p.countries), "risk_factors": list(p.risk_factors),
                "notes": list(p.notes), "date": p.date or None, "speakers": dict(p.speakers)}


@dataclass
class SearchAnswer:
    """One search's answer, in the one shape the API and `r2p search --json` both print."""

    query: str
    k: int
    sort: str
    filters: dict
    phrases: list[str]
    hits: list[Hit]
    facets: dict[str, dict] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # what a cited paragraph's absence means ("A/63/677 is not ...")

    def to_dict(self) -> dict:
        return {"query": self.query, "k": self.k, "sort": self.sort, "filters": self.filters,
                "phrases": self.phrases, "notices": self.notices, "facets": self.facets,
                "hits": [h.to_dict() for h in self.hits]}


def split_phrases(query: str) -> tuple[str, list[str]]:
    """(the query without its quotes, the exact phrases it quotes): ``"safe area" Srebrenica``."""
    phrases = [" ".join(m.split()) for m in _PHRASE.findall(query)]
    return _PHRASE.sub(lambda m: f" {m.group(1)} ", query).strip(), [p for p in phrases if p]


def _folded(text: str) -> str:
    """Text as exact phrases compare it: case and runs of white space do not count."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def has_latin(query: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("LATIN") for ch in _LETTER.findall(query))


def check_query(query: str) -> str:
    """The query to run, or SearchError saying why there is nothing to search for."""
    if not isinstance(query, str):
        raise SearchError("the query must be text")
    query = unicodedata.normalize("NFC", query).strip()
    if not query:
        raise SearchError("empty query: type a question, e.g. \"what can a State do about hate speech?\"")
    if len(query) > MAX_QUERY_CHARS:
        raise SearchError(f"query too long: {len(query)} characters (at most {MAX_QUERY_CHARS})")
    if not _LETTER.search(query):
        raise SearchError("the query has no words (only punctuation, digits or symbols)")
    return query


def one_thread_per_query() -> None:
    """FAISS on one thread for the searches of the calling thread (OpenMP's setting is per thread),
    and numpy's and FAISS's OpenBLAS on one thread in the whole process (its setting is global).
    The server runs a process per core, and FAISS's OpenMP would spread each one-query scan over
    every core, so that the processes fight over them (a dense search over the 33k vectors of the
    corpus with the debates: 5.5 ms on one thread, 20-25 ms on two, measured under load). OpenBLAS
    splits a passage set's matrix-vector product over both cores, and its idle thread then spins:
    a search without the encode took 3.1 ms of CPU in 2.1 ms, and 1.9 ms in 1.9 ms on one thread.
    Tied scores may then come back in another order."""
    faiss.omp_set_num_threads(1)
    threadpool_limits(1, user_api="blas")


class Searcher:
    """A loaded index; thread-safe for concurrent reads (nothing is mutated after open)."""

    def __init__(self, index_dir: Path, build: dict, passages: list[Passage], unit_passage: np.ndarray,
                 unit_text: list[str], vectors: np.ndarray, bm25: bm25s.BM25, encoder, k_max: int, dense=None):
        self.index_dir = index_dir
        self.build = build
        self.passages = passages
        self.unit_passage = unit_passage
        self.unit_text = unit_text
        self.vectors = vectors
        self.bm25 = bm25
        self.encoder = encoder
        self.k_max = k_max
        # A passage's units are a slice of the units sorted by passage (one array, not one per passage:
        # two million small arrays held 0.2 GiB at 1M passages).
        self._unit_order = np.argsort(unit_passage, kind="stable")
        self._unit_bounds = np.searchsorted(unit_passage[self._unit_order], np.arange(len(passages) + 1))
        self._unit_counts = np.diff(self._unit_bounds)
        # Highlights come from sentence units only (the whole-passage unit has no text of its own).
        self._unit_has_text = np.array([bool(t) for t in unit_text], dtype=bool)
        self.dense = dense if dense is not None else dense_index(vectors)
        self._postings = _postings(passages)
        self._word_postings, self._text_id, self._boilerplate = _texts(passages)
        self._pid = {p.uri: i for i, p in enumerate(passages)}
        self._citations = CitationIndex(passages)
        self._spoken = np.array([bool(p.speakers) for p in passages], dtype=bool)
        self._preambular = np.array([_in_preamble(p) for p in passages], dtype=bool)
        # The passages no delegation speaks, ranked among themselves (see DOCUMENT_WEIGHT) by a scan of the
        # dense index's vectors with a selector of their units: no second index to build on each open, no copy
        # of their vectors (a million documents' units would be 1.5 GB). An HNSW index is scanned through its
        # flat storage: a graph walk that may keep only one unit in ten would miss most of them, and the scan
        # computes only the selected units. Without debates nothing is set apart.
        self._documents = np.flatnonzero(~self._spoken)
        self._document_bitmap = None
        self._document_index = (faiss.downcast_index(self.dense.storage) if isinstance(self.dense, faiss.IndexHNSW)
                                else self.dense)
        # The float vectors a graph's own flat storage holds in memory, which rescore its walk (``_rescored``). The
        # million's 8-bit graph holds codes, and gathering from the memory-mapped file instead would map in
        # gigabytes of pages over a day of searches: its passages keep the order the walk found them in.
        self._graph_vectors = (faiss.rev_swig_ptr(self._document_index.get_xb(), vectors.size).reshape(vectors.shape)
                               if isinstance(self._document_index, faiss.IndexFlat) and self.dense.ntotal else None)
        if self._spoken.any() and len(self._documents):
            self._document_bitmap = np.packbits(~self._spoken[unit_passage], bitorder="little")
        self._speakers_known = frozenset(self._postings["speaker"])
        self.facets = FacetIndex(passages, FACETS)  # coded once: a search counts its candidates' facets with numpy

    def _units(self, pid: int) -> np.ndarray:
        """The dense units of passage ``pid``, in the order they were indexed."""
        return self._unit_order[self._unit_bounds[pid]:self._unit_bounds[pid + 1]]

    def _units_of(self, pids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The dense units of the passages ``pids``, passage after passage, and where each passage's begin."""
        starts, counts = self._unit_bounds[pids], self._unit_counts[pids]
        offsets = np.cumsum(counts) - counts
        return self._unit_order[np.repeat(starts - offsets, counts) + np.arange(counts.sum())], offsets

    # -- loading ---------------------------------------------------------------------------
    @classmethod
    def open(cls, index_dir: Path, model: str, *, k_max: int) -> "Searcher":
        """Load the index in ``index_dir`` for the embedding ``model``; ``k_max`` caps every search.

        A missing index is an error saying to build it: opening never embeds, so a search request
        can never start a full embedding run.
        """
        index_dir = Path(index_dir)
        build = read_build_info(index_dir)
        if build is None:
            raise SearchIndexError(f"no search index in {index_dir}: run `r2p index`")
        encoder = load_encoder(model)
        if build.get("format") != FORMAT or build.get("model") != encoder.info:
            raise SearchIndexError(
                f"search index in {index_dir} was built with {_describe(build.get('model'))} "
                f"(format {build.get('format')}), but the settings ask for {_describe(encoder.info)} "
                f"(format {FORMAT}): run `r2p index` to rebuild it")
        passages = _load_passages(index_dir / "passages.json")
        units = json.loads((index_dir / "units.json").read_text())
        vectors = np.load(index_dir / "vectors.npy", mmap_mode="r")  # read only by filtered and similar searches
        if vectors.shape != (len(units["hash"]), encoder.info["dim"]):
            raise SearchIndexError(f"search index in {index_dir} is damaged: vectors {vectors.shape} for "
                                   f"{len(units['hash'])} sentences of dimension {encoder.info['dim']}; run `r2p index`")
        bm25 = bm25s.BM25.load(index_dir / "bm25", show_progress=False)
        dense = faiss.read_index(str(index_dir / "dense.faiss"))
        if isinstance(dense, faiss.IndexHNSW):
            set_ef_search(dense)
        return cls(index_dir, build, passages, np.asarray(units["passage"], dtype=np.int64), units["text"],
                   vectors, bm25, encoder, k_max, dense)

    # -- searching -------------------------------------------------------------------------
    def search(self, query: str, k: int = 10, filters: dict | None = None, *, sort: str = "relevance") -> list[Hit]:
        """The ``k`` passages that best answer ``query`` (``k`` capped at ``search_k_max``)."""
        return self._run(query, k, filters, "hybrid", sort)[0]

    def search_with(self, query: str, k: int = 10, filters: dict | None = None, *, mode: str = "hybrid") -> list[Hit]:
        """``mode`` "dense" or "bm25" runs one retriever alone (for the evaluation benchmark)."""
        return self._run(query, k, filters, mode, "relevance")[0]

    def answer(self, query: str, k: int = 10, filters: dict | None = None, *, sort: str = "relevance") -> SearchAnswer:
        """The hits with the query, its filters and phrases, and facet counts over the candidates.

        The facets count every passage either retriever proposed (after the filters), so a count says
        how many hits a click on that value would leave to rank, not how many exist in the corpus.
        """
        hits, candidates, notices = self._run(query, k, filters, "hybrid", sort)
        return SearchAnswer(query=query, k=min(k, self.k_max), sort=sort, filters=dict(filters or {}),
                            phrases=split_phrases(check_query(query))[1], hits=hits,
                            facets=self.facets.counts(candidates), notices=notices)

    def similar(self, uri: str, k: int = 10) -> list[Hit]:
        """"More like this": the passages closest in meaning to the passage ``uri``, itself left out.

        The query is the passage's own whole-text vector, so nothing is encoded: a click costs one FAISS scan.
        """
        pid = self._pid.get(uri)
        if pid is None:
            raise SearchError(f"no passage {uri} in the search index")
        if not isinstance(k, int) or k < 1:
            raise SearchError(f"k must be a positive whole number, got {k!r}")
        k = min(k, self.k_max)
        units = self._units(pid)
        whole = [u for u in units if not self.unit_text[u]]
        qvec = self.vectors[whole[0]] if whole else self.vectors[units].mean(axis=0)
        order = [p for p in self._dense(qvec, k + 1, None) if p != pid][:k]
        return [Hit(rank=i, score=float(np.max(self.vectors[self._units(p)] @ qvec)), passage=self.passages[p],
                    highlight=self._highlight(p, qvec), dense_rank=i) for i, p in enumerate(order, start=1)]

    def _run(self, query: str, k: int, filters: dict | None, mode: str, sort: str) -> tuple[list[Hit], list[int], list[str]]:
        """(the hits, every candidate passage id, notices): the one search path behind ``search`` and ``answer``."""
        text, phrases = split_phrases(check_query(query))
        if not isinstance(k, int) or k < 1:
            raise SearchError(f"k must be a positive whole number, got {k!r}")
        if sort not in SORTS:
            raise SearchError(f"sort must be one of {', '.join(SORTS)}; got {sort!r}")
        if not has_latin(text):  # the English model cannot read it: its ranking would be noise
            mode = "bm25"
        k = min(k, self.k_max)
        allowed = self._allowed(filters or {}, phrases)
        if allowed is not None and not len(allowed):
            return [], [], []
        depth = max(50, 5 * k)
        cues = read_cues(text, self._speakers_known)
        qvec = self.encoder.encode_query(spelt_out(text)) if mode != "bm25" else None
        lexical_scores = self._bm25_scores(text) if mode != "dense" else None

        def among(weight: float, ids: np.ndarray) -> list[tuple[float, list[int]]]:
            """Both retrievers' rankings of the passages ``ids`` alone, at ``weight``."""
            return [(weight, self._dense(qvec, depth, ids) if mode != "bm25" else []),
                    (weight, self._top(lexical_scores, depth, ids))]

        rankings = [(WEIGHTS["dense"], self._dense(qvec, depth, allowed) if mode != "bm25" else []),
                    (WEIGHTS["bm25"], self._top(lexical_scores, depth, allowed))]
        dense, lexical = rankings[0][1], rankings[1][1]
        own = self._spoken_by(cues, allowed)
        if own is not None:
            rankings += among(SPEAKER_WEIGHT, own)
        elif self._document_bitmap is not None and not cues.about_statements:
            docs = self._documents if allowed is None else np.intersect1d(allowed, self._documents)
            if len(docs):
                dense_docs = (self._dense(qvec, depth, None if allowed is None else docs, documents=True)
                              if mode != "bm25" else [])
                rankings += [(DOCUMENT_WEIGHT, dense_docs),
                             (DOCUMENT_WEIGHT, self._top(lexical_scores, depth, docs))]
        if cues.year is not None and own is None:
            of_year = self._posted("year", cues.year, allowed)
            if len(of_year) and (allowed is None or len(of_year) < len(allowed)):
                rankings += among(YEAR_WEIGHT, of_year)
        # What a party says of itself answers a question about it, whether or not the question asks what it said
        # ("Has Botswana appointed a national focal point?": Botswana's statement that it has). Tune half with the
        # debates unchanged, 0.951 / 0.830; test half 0.949 / 0.830 -> 0.949 / 0.843.
        asked = {pid for key in {*cues.speakers, *cues.named} for pid in self._postings["speaker"][key]}
        # The documents the query names: a held one's own passages ("A/72/PV.99 Latvia on the formal debate"),
        # and for a missing one the passages that cite it; each set ranked among itself, free of the prior.
        missing = self._citations.missing(text)
        cited = [self._posted("document", doc, allowed) for doc in self._citations.held(text)]
        cited += [self._allowed(filters or {}, [*phrases, symbol]) for symbol in missing]
        for ids in cited:
            if ids is not None and len(ids):
                rankings += among(CITING_WEIGHT, ids)
                asked.update(ids.tolist())
        # A spoken passage both retrievers rank first answers the question, whoever speaks it (a UN official's
        # press release on the Khmer Rouge trials): the prior would halve it below documents ranked lower.
        asked.update(set(dense[:1]) & set(lexical[:1]))
        fused: dict[int, float] = {}
        for weight, ranking in rankings:
            for rank, pid in enumerate(ranking, start=1):
                if self._boilerplate[pid]:
                    continue
                prior = DEBATE_PRIOR if self._spoken[pid] and pid not in asked and not cues.about_statements else 1.0
                prior *= PREAMBLE_PRIOR if self._preambular[pid] else 1.0
                fused[pid] = fused.get(pid, 0.0) + weight * prior / (RRF_K + rank)
        order = self._distinct(sorted(fused, key=lambda pid: (-fused[pid], pid)), k)
        cited, notice = self._citations.find(text)  # "A/67/929 para 41", "Article 51 of the UN Charter"
        if cited is not None and (allowed is None or cited in set(allowed.tolist())):
            fused[cited] = max(fused.values(), default=0.0) + 1.0
            order = [cited] + [pid for pid in order if pid != cited][:k - 1]
        if sort != "relevance":  # the k most relevant, newest (or oldest) first; undated ones last
            dated = sorted((pid for pid in order if self.passages[pid].date), key=lambda pid: self.passages[pid].date,
                           reverse=sort == "newest")
            order = dated + [pid for pid in order if not self.passages[pid].date]
        if qvec is None and order:
            qvec = self.encoder.encode_query(spelt_out(text))
        dense_rank = {pid: r for r, pid in enumerate(dense, start=1)}
        bm25_rank = {pid: r for r, pid in enumerate(lexical, start=1)}
        hits = [Hit(rank=i, score=fused[pid], passage=self.passages[pid], highlight=self._highlight(pid, qvec),
                    dense_rank=dense_rank.get(pid), bm25_rank=bm25_rank.get(pid))
                for i, pid in enumerate(order, start=1)]
        notices = [notice] if notice else [f"{symbol} is not in the search index" for symbol in missing]
        return hits, sorted(fused), notices

    def _posted(self, key: str, value, allowed: np.ndarray | None) -> np.ndarray:
        """The sorted ids of the passages whose ``key`` is ``value`` (a document, a year), among ``allowed`` if given."""
        ids = np.array(sorted(self._postings[key].get(_normal(key, value), ())), dtype=np.int64)
        return ids if allowed is None else np.intersect1d(allowed, ids)

    def _spoken_by(self, cues: Cues, allowed: np.ndarray | None) -> np.ndarray | None:
        """The passages of the speakers a question asks about (of its year, if they spoke then), or None."""
        if not cues.speakers:
            return None
        own = set().union(*(self._postings["speaker"][key] for key in cues.speakers))
        if allowed is not None:
            own &= set(allowed.tolist())
        if cues.year is not None:
            own = {pid for pid in own if self.passages[pid].year == cues.year} or own
        return np.array(sorted(own), dtype=np.int64) if own else None

    def _distinct(self, order: list[int], k: int) -> list[int]:
        """The first ``k`` of ``order`` with one passage per text: a speech is often both in its meeting
        record and in a collection of statements, and the second copy would only push another answer out."""
        seen, out = set(), []
        for pid in order:
            text = self._text_id[pid]
            if text not in seen:
                seen.add(text)
                out.append(pid)
                if len(out) == k:
                    break
        return out

    def _dense(self, qvec: np.ndarray, depth: int, allowed: np.ndarray | None, *, documents: bool = False) -> list[int]:
        """Passages ranked by their best sentence's cosine similarity (only the documents' with ``documents``)."""
        if self.dense.ntotal == 0:
            return []
        n_units = min(self.dense.ntotal, depth * 4)
        if allowed is None and documents:
            ids = self._scan(qvec, n_units, self._document_bitmap)
        elif allowed is None:
            ids = self.dense.search(qvec[None, :], n_units)[1][0]
            if isinstance(self.dense, faiss.IndexHNSW) and self._graph_vectors is not None:
                return self._rescored(ids[ids >= 0], qvec, depth)
        else:
            unit_ids = self._units_of(allowed)[0]
            n_units = min(n_units, len(unit_ids))
            if self._graph_vectors is not None and len(unit_ids) > GATHER_UNITS:
                chosen = np.zeros(self.dense.ntotal, dtype=bool)
                chosen[unit_ids] = True
                ids = self._scan(qvec, n_units, np.packbits(chosen, bitorder="little"))
            else:
                scores = self.vectors[unit_ids] @ qvec
                top = np.argpartition(-scores, n_units - 1)[:n_units]
                ids = unit_ids[top[np.argsort(-scores[top], kind="stable")]]
        ranking, seen = [], set()
        for u in ids:
            if u < 0:
                break
            pid = int(self.unit_passage[u])
            if pid not in seen:
                seen.add(pid)
                ranking.append(pid)
                if len(ranking) == depth:
                    break
        return ranking

    def _scan(self, qvec: np.ndarray, n_units: int, bitmap: np.ndarray) -> np.ndarray:
        """The ``n_units`` best units of those ``bitmap`` selects (one bit a unit), by a scan of the graph's flat
        storage: only the selected rows are read, where they lie. The documents' units are selected so; so is a
        large set of passages, whose vectors gathering first copied (a year of the debates, 6,311 units: 1.8 ms
        to gather and multiply)."""
        selector = faiss.IDSelectorBitmap(self.dense.ntotal, faiss.swig_ptr(bitmap))
        return self._document_index.search(qvec[None, :], n_units, params=faiss.SearchParameters(sel=selector))[1][0]

    def _rescored(self, ids: np.ndarray, qvec: np.ndarray, depth: int) -> list[int]:
        """The passages of the units a graph walk found, ranked by their best unit, all of whose units are
        scored: the walk may miss a passage's best unit and rank it by a weaker one (tune half, the corpus
        with its debates: an answer whose best unit is first overall came back sixth)."""
        pids = np.unique(self.unit_passage[ids])
        if not len(pids):
            return []
        units, offsets = self._units_of(pids)
        best = np.maximum.reduceat(self._graph_vectors[units] @ qvec, offsets)
        order = np.lexsort((pids, -best))[:depth]
        return pids[order].tolist()

    def _bm25_scores(self, query: str) -> np.ndarray | None:
        """Every passage's BM25 score for ``query``, or None when no query term is in the index."""
        vocab = self.bm25.vocab_dict
        ids = [vocab[t] for t in tokenize(query) if t in vocab]
        return self.bm25.get_scores_from_ids(ids) if ids else None

    @staticmethod
    def _top(scores: np.ndarray | None, depth: int, allowed: np.ndarray | None) -> list[int]:
        """The passages with the best BM25 scores, among ``allowed`` when given."""
        if scores is None:
            return []
        if allowed is not None:
            masked = np.zeros_like(scores)
            masked[allowed] = scores[allowed]
            scores = masked
        top = np.argpartition(-scores, min(depth, len(scores) - 1))[:depth]
        top = top[scores[top] > 0]
        return [int(i) for i in top[np.lexsort((top, -scores[top]))]]

    def _highlight(self, pid: int, qvec: np.ndarray) -> str:
        units = self._units(pid)
        units = units[self._unit_has_text[units]]
        if len(units) == 1:
            return self.unit_text[units[0]]
        return self.unit_text[units[int(np.argmax(self.vectors[units] @ qvec))]]

    # -- filters -----------------------------------------------------------------------------
    def _allowed(self, filters: dict, phrases: list[str]) -> np.ndarray | None:
        """Sorted passage ids that pass every filter and contain every phrase, or None when nothing narrows."""
        unknown = sorted(set(filters) - set(FILTER_KEYS))
        if unknown:
            raise SearchError(f"unknown filter {', '.join(map(repr, unknown))} (known: {', '.join(FILTER_KEYS)})")
        given = given_filters(**filters)
        allowed: set[int] | None = None

        def narrow(ids) -> None:
            nonlocal allowed
            allowed = set(ids) if allowed is None else allowed & set(ids)

        if "doc_type" in given and _normal("doc_type", given["doc_type"]) not in DOC_TYPES:
            raise SearchError(f"unknown document type {given['doc_type']!r} (known: {', '.join(DOC_TYPES)})")
        for key, value in given.items():
            if key not in ("date_from", "date_to"):
                narrow(self._postings[key].get(_normal(key, value), set()))
        if "date_from" in given or "date_to" in given:
            low, high = _date(given, "date_from"), _date(given, "date_to")
            narrow(i for i, p in enumerate(self.passages)
                   if p.date and (not low or p.date >= low) and (not high or p.date[:len(high)] <= high))
        for phrase in map(_folded, phrases):  # whole words, in this order: "safe area" is not in "unsafe areas"
            words = _WORD.findall(phrase)
            pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")
            have = functools.reduce(np.intersect1d, (self._word_postings.get(w, _NO_IDS) for w in words)) if words else _NO_IDS
            narrow(i for i in have.tolist() if pattern.search(_folded(self.passages[i].text)))
        return None if allowed is None else np.array(sorted(allowed), dtype=np.int64)


_NO_IDS = np.array([], dtype=np.int32)
# The field's abbreviations, spelt out for the encoder, which reads "R2P" as letters rather than as the phrase the
# reports and the 2018 speeches write (tune half with the debates: two more questions answered in the top 5, five
# more at rank 1). BM25 keeps the query as typed: the statements that write "R2P" should still match it.
_SPELT_OUT = re.compile(r"\b(?i:the\s+)?(?:R2P|RtoP|RToP)\b")


def _in_preamble(passage: Passage) -> bool:
    """A preamble's own lead-in ("Have resolved to combine our efforts") or one of its paragraphs."""
    part = passage.uri[len(passage.document):]
    return part == "/preamble" or part.startswith("/preamble/")


def spelt_out(query: str) -> str:
    """The query as the dense model reads it best: "R2P" and "RtoP" as "the responsibility to protect"."""
    return _SPELT_OUT.sub("the responsibility to protect", query)


_UNIQUE = frozenset({"uri", "text", "number", "citation"})  # the fields no two passages are likely to share


# A text printed in this many documents or more ("Thank you.", "The Security Council,", "For media queries
# please contact:", a lone page number) answers no question, and a short text sits near many queries in
# the dense space: it is never a hit (the corpus with its debates: 49 texts, 557 passages). It stays in the
# index, so that BM25's statistics are those of the corpus. Two copies are one speech in its meeting
# record and in a collection of statements, and both stay.
BOILERPLATE_DOCS = 3
# A meeting record prints a speech translated from another language after "(spoke in French):", which the
# collection of statements leaves out: the two copies are one text. With the debates, telling texts apart by their
# words makes 86 texts one with another (spacing, punctuation), and "(spoke in ...)" 21 more: 8,550 -> 8,443.
_SPOKE_IN = re.compile(r"\((?:spoke in|interpretation from) \w+\)")


def _texts(passages: list[Passage]) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Each passage's text folded once (``_folded``), for three uses: folded word -> the passages holding it,
    sorted, so that a phrase checks only those (arrays: sets took 0.9 GiB at 1M passages); each passage's
    text id, the same for the same words, so that a text is one hit; and whether its text is boilerplate.
    The folded texts are not kept: a phrase folds only its candidates."""
    postings: dict[str, list[int]] = {}
    # keyed by the texts' hashes, not the texts: a million passages' texts held twice would be a gigabyte
    ids: dict[int, int] = {}
    exact_ids: dict[int, int] = {}  # boilerplate is counted by the exact text
    docs: list[set[str]] = []  # exact text id -> the documents printing it
    text_id = np.empty(len(passages), dtype=np.int32)
    exact = np.empty(len(passages), dtype=np.int32)
    for i, p in enumerate(passages):
        folded = _folded(p.text)
        words = _WORD.findall(folded)
        # one text however punctuated, and with or without the record's "(spoke in French):"
        text_id[i] = ids.setdefault(hash(" ".join(words[3:] if _SPOKE_IN.match(folded) else words)), len(ids))
        exact[i] = j = exact_ids.setdefault(hash(folded), len(exact_ids))
        if j == len(docs):
            docs.append(set())
        docs[j].add(p.doc_id)
        for word in set(words):
            postings.setdefault(word, []).append(i)
    boilerplate = np.array([len(d) >= BOILERPLATE_DOCS for d in docs], dtype=bool)[exact]
    return {word: np.array(pids, dtype=np.int32) for word, pids in postings.items()}, text_id, boilerplate


def _load_passages(path: Path) -> list[Passage]:
    """The index's passages, each repeated value held once (a document's title, symbol and type, the
    empty lists): at a million passages, every passage with copies of its own came to ~2 GiB.
    Nothing changes a passage once the index is open, so sharing is safe."""
    shared: dict = {}

    def one(fields: dict) -> Passage:
        for key, value in fields.items():
            if key in _UNIQUE:
                continue
            if isinstance(value, list):
                fields[key] = shared.setdefault(("list", *value), value)
            elif isinstance(value, dict):
                fields[key] = shared.setdefault(("dict", *value.items()), value)
            elif isinstance(value, str):
                fields[key] = shared.setdefault(value, value)
        return Passage(**fields)

    return [one(fields) for fields in json.loads(path.read_text())]


def _date(filters: dict, key: str) -> str:
    """An ISO date bound (2013, 2013-07 or 2013-07-09), or SearchError naming the filter."""
    value = str(filters.get(key, "")).strip()
    if value and not DATE.fullmatch(value):
        raise SearchError(f"{key} must be a date like 2013, 2013-07 or 2013-07-09; got {value!r}")
    return value


def _describe(info: dict | None) -> str:
    if not info:
        return "an unknown model"
    return f"{info.get('model')} {info.get('version')} (dim {info.get('dim')}, {info.get('backend')})"


def _postings(passages: list[Passage]) -> dict[str, dict[str, set[int]]]:
    """Filter value -> passage ids, for each filter key (documents by id, symbol and URI)."""
    post: dict[str, dict[str, set[int]]] = {key: {} for key in ("document", *FACETS)}

    def add(key, value, i):
        post[key].setdefault(_normal(key, value), set()).add(i)

    for i, p in enumerate(passages):
        for value in (p.doc_id, p.document, p.symbol):
            if value:
                add("document", value, i)
        if p.symbol:  # "A/67/929–S/2013/399" is also found as "A/67/929"
            add("document", re.split(r"\s*[–—]\s*", p.symbol)[0], i)
        for key, values_of in FACETS.items():
            for value, _ in values_of(p):
                add(key, value, i)
    return post


def _normal(key: str, value) -> str:
    """Filter values compare case-insensitively, by the key ``search.vocabulary.resolve`` gives a country's
    name or code, a concept's label or URI, a speaker's name or id; a value no table knows stays as written."""
    return resolve(key, value) or str(value).strip().casefold()
