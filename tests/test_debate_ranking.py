"""Ranking with debates in the index: a question naming no speaker gets the documents' own words first,
one asking what a speaker said gets that speaker's words (of the year it names), a report that sixty
statements outrank in both retrievers is still a hit, and a speech held in both a meeting record and a
collection of statements is one hit, not two.

The index is a handful of hand-made passages (a report paragraph, a meeting record's decision and
statements by Brazil and Mexico),
so that each rule decides the order on its own.
"""
from __future__ import annotations

import numpy as np
import pytest

import search.searcher as searcher_module
from search.cues import Cues, read_cues
from search.indexer import build_index
from search.passages import Passage
from search.searcher import Searcher, spelt_out
from tests.conftest import make_settings

DOC = "https://w3id.org/r2p-kg/doc/"
PREVENTION = ("States can prevent atrocity crimes by adopting national prevention strategies, appointing "
              "focal points and acting on early warning.")


def passage(path: str, text: str, doc_type: str, year: int | None, speakers: dict[str, str] | None = None) -> Passage:
    doc_id = path.split("/")[0]
    return Passage(uri=DOC + path, text=text, document=DOC + doc_id, doc_id=doc_id, doc_type=doc_type, year=year,
                   date=str(year or ""), speakers=speakers or {})


PASSAGES = [
    passage("A-67-929/para/71", "Atrocity prevention rests on national strategies: Member States should appoint "
            "a focal point and build early-warning capacity.", "report", 2013),
    passage("GCR2P-statement-1/statement/1/para/2", PREVENTION, "statement", 2018, {"BRA": "Brazil"}),
    passage("A-72-PV.99/agenda-item/132/statement/13/para/2", PREVENTION, "verbatim_record", 2018, {"BRA": "Brazil"}),
    passage("GCR2P-statement-2/statement/1/para/4", "Brazil holds that States prevent atrocity crimes above all "
            "through development and the reduction of inequality.", "statement", 2009, {"BRA": "Brazil"}),
    passage("GCR2P-statement-5/statement/1/para/1", "Brazil thanks the President for convening this meeting.",
            "statement", None, {"BRA": "Brazil"}),  # undated
    passage("GCR2P-statement-3/statement/1/para/3", "Mexico stresses that States prevent atrocity crimes by "
            "strengthening the rule of law and national prevention strategies.", "statement", 2018,
            {"MEX": "Mexico"}),
    # the chair's words in a meeting record: a decision, which no delegation speaks
    passage("A-72-PV.99/agenda-item/132/para/1", "The Assembly decided to include in the agenda of its "
            "seventy-second session the item entitled \"The responsibility to protect\".", "verbatim_record", 2018),
    passage("GCR2P-statement-4/statement/1/para/1", "Mexico welcomes that the Assembly decided to include "
            "the responsibility to protect in the agenda of its session.", "statement", 2018, {"MEX": "Mexico"}),
]
KNOWN = frozenset({"bra", "mex", "rwa", "ssd", "sdn", "usa", "fra", "kor", "prk", "syr", "bdi", "organization/united-nations",
                   "organization/european-union", "organization/osapg", "group/friends-of-r2p"})


@pytest.fixture(scope="module")
def debate_searcher(tmp_path_factory) -> Searcher:
    settings = make_settings(tmp_path_factory.mktemp("debate-ranking"))
    build_index(PASSAGES, settings.index_dir, settings.embedding_model)
    return Searcher.open(settings.index_dir, settings.embedding_model, k_max=10)


def uris(hits) -> list[str]:
    return [h.passage.uri.removeprefix(DOC) for h in hits]


def test_a_question_naming_no_speaker_gets_the_report_before_the_statements(debate_searcher, monkeypatch):
    question = "How can States prevent atrocity crimes?"
    assert uris(debate_searcher.search(question, 3))[0] == "A-67-929/para/71"
    monkeypatch.setattr(searcher_module, "DEBATE_PRIOR", 1.0)  # without the prior and the documents' own
    monkeypatch.setattr(searcher_module, "DOCUMENT_WEIGHT", 0.0)  # ranking, a statement would come first
    assert uris(debate_searcher.search(question, 3))[0] != "A-67-929/para/71"


def test_a_question_about_what_unnamed_speakers_said_gets_the_statements_first(debate_searcher, monkeypatch):
    question = "Which States called for preventing atrocity crimes?"
    assert not uris(debate_searcher.search(question, 3))[0].startswith("A-67-929/")
    monkeypatch.setattr(searcher_module, "read_cues", lambda query, known: Cues())  # read as a report's question
    assert uris(debate_searcher.search(question, 3))[0].startswith("A-67-929/")


def test_the_chairs_words_in_a_record_are_not_weighed_as_a_delegations(debate_searcher, monkeypatch):
    question = "Was the responsibility to protect put on the Assembly's agenda?"
    chair, mexico = "A-72-PV.99/agenda-item/132/para/1", "GCR2P-statement-4/statement/1/para/1"
    prior = searcher_module.DEBATE_PRIOR
    weighed = {h.passage.uri.removeprefix(DOC): h.score for h in debate_searcher.search(question, 10)}
    monkeypatch.setattr(searcher_module, "DEBATE_PRIOR", 1.0)
    unweighed = {h.passage.uri.removeprefix(DOC): h.score for h in debate_searcher.search(question, 10)}
    assert weighed[chair] == pytest.approx(unweighed[chair])
    assert prior < 1 and weighed[mexico] == pytest.approx(prior * unweighed[mexico])


def test_what_a_state_said_in_a_year_ranks_that_states_words_of_that_year_first(debate_searcher):
    hits = uris(debate_searcher.search("What did Brazil say in 2018 about preventing atrocity crimes?", 5))
    assert hits[0] in ("GCR2P-statement-1/statement/1/para/2", "A-72-PV.99/agenda-item/132/statement/13/para/2")
    assert hits[1] == "GCR2P-statement-2/statement/1/para/4"  # Brazil still, another year
    undated = uris(debate_searcher.search("According to Brazil, how can States prevent atrocity crimes?", 5))
    assert undated[0] in (  # no year named: Brazil's passages of every year (and of none) compete
        "GCR2P-statement-1/statement/1/para/2", "A-72-PV.99/agenda-item/132/statement/13/para/2",
        "GCR2P-statement-2/statement/1/para/4")
    mexico = uris(debate_searcher.search("According to Mexico, how can States prevent atrocity crimes?", 5))
    assert mexico[0] == "GCR2P-statement-3/statement/1/para/3"


def test_a_speech_in_a_record_and_in_a_collection_is_one_hit(debate_searcher):
    hits = debate_searcher.search("national prevention strategies, focal points and early warning", 10)
    texts = [h.passage.text for h in hits]
    assert texts.count(PREVENTION) == 1 and len(hits) == len(PASSAGES) - 1


def test_a_translated_speech_is_one_hit_with_or_without_the_records_spoke_in():
    record = passage("A-72-PV.99/agenda-item/132/statement/14/para/3", "(spoke in French): " + PREVENTION.replace(
        ",", " ,"), "verbatim_record", 2018, {"FRA": "France"})
    collected = passage("GCR2P-statement-9/statement/1/para/3", PREVENTION, "statement", 2018, {"FRA": "France"})
    other = passage("GCR2P-statement-9/statement/1/para/4", "(spoke in French): France thanks the President.",
                    "statement", 2018, {"FRA": "France"})
    _, text_id, boilerplate = searcher_module._texts([record, collected, other])
    assert text_id[0] == text_id[1] != text_id[2] and not boilerplate.any()


@pytest.mark.parametrize("question, speakers, year", [
    ("What did Brazil say about the Security Council in 2018?", ("bra",), 2018),
    ("According to the European Union, what comes first?", ("organization/european-union",), None),
    ("Does Mexico accept that R2P is a principle?", ("mex",), None),
    ("What was Brazil's position on the use of force?", ("bra",), None),
    ("What did the United States say about South Sudan?", ("usa",), None),  # South Sudan is the subject
    ("What did the representative of South Sudan stress?", ("ssd",), None),  # not Sudan
    ("What was the UN mission in Rwanda supposed to do in 1993?", (), 1993),  # Rwanda is the subject
    ("What did the UN say about prevention?", (), None),  # every document is the UN's: no speaker cue
    ("Did Chile speak?", (), None),  # not a speaker in this index
    ("tell us what was said", (), None),  # "us" is a word, US a name
    ("The position of Brazil on sovereignty in 2009", ("bra",), 2009),
    ("Statements by Rwanda on prevention", ("rwa",), None),
    ("Mexico's criticism of the veto", ("mex",), None),
    ("Mexico on a more representative Security Council", ("mex",), None),  # a headline
    ("Sanctions on Mexico", (), None),  # the subject, after the headline's "on"
    ("Que dit le Mexique et que dit le Rwanda ?", ("rwa",), None),  # a French verb of saying (Mexique: no table)
    ("¿Qué dijo Brasil sobre la soberanía? ¿Y qué dijo Mexico?", ("mex",), None),
    ("What did Brazil say about resolution 1973 (2011)?", ("bra",), 2011),  # 1973 is the resolution's number
    ("Article 1948 and paragraph 2005 of nothing", (), None),
    ("What did the Group of Friends say in 2018?", ("group/friends-of-r2p",), 2018),
    ("Does prosecuting help prevention, according to Adama Dieng?", ("organization/osapg",), None),
    ("What did the Special Advisers call for in Sri Lanka?", ("organization/osapg",), None),
    ("What did the Brazilian delegation say about the veto?", ("bra",), None),  # a country's adjective and a role
    ("What did the French representative stress?", ("fra",), None),  # an adjective not found by its suffix
    ("What did the Rwandan genocide teach the Council?", (), None),  # an adjective with no role
    ("What did the Korean delegate say?", (), None),  # two States: no cue
    ("Did Mexico and Rwanda support the code of conduct?", ("mex", "rwa"), None),  # joined to a speaker
    ("What did Brazil say about the 2005 World Summit in 2009?", ("bra",), 2009),  # the year it spoke
    ("What did Brazil say in the 2018 debate about the genocide in 1994?", ("bra",), 2018),  # not the event's
    ("What atrocities did the Syrian government commit?", (), None),  # a government acts; a delegate speaks
    ("What did the South Sudanese delegation say?", ("ssd",), None),  # not Sudan's
    ("According to Rwanda, Burundi faces a risk of genocide.", ("rwa",), None),  # a comma is no list
    ("Did Mexico, Brazil and Rwanda speak of prevention?", ("mex", "bra", "rwa"), None),
])
def test_a_question_names_a_speaker_only_as_the_one_who_speaks(question, speakers, year):
    cues = read_cues(question, KNOWN)
    assert (cues.speakers, cues.year) == (speakers, year)


@pytest.mark.parametrize("question, about", [
    ("Which States raised sovereignty concerns in the 2018 debate?", True),
    ("Which delegations have called for a code of conduct on the veto?", True),
    ("Which countries does the 2013 report cite as examples?", False),  # the report speaks
    ("Which countries saw mass atrocities in 2012?", False),  # what happened to them, not what they said
    ("What did Brazil say about prevention?", False),
])
def test_a_question_about_what_unnamed_speakers_said_is_told_apart(question, about):
    assert read_cues(question, KNOWN).about_statements is about


PILLARS = "What are the three pillars of the responsibility to protect?"
CROWD = [passage(f"GCR2P-statement-{100 + n}/statement/1/para/1", f"We support the three pillars of the "
                 f"responsibility to protect, as delegation number {n} has said before.", "statement", 2018,
                 {"BRA": "Brazil"}) for n in range(60)]
STRATEGY = passage("A-63-677/para/11", "The strategy stands on the protection responsibilities of the State, on "
                   "international assistance and capacity-building, and on timely and decisive response.", "report", 2009)


@pytest.fixture(scope="module")
def crowded_searcher(tmp_path_factory) -> Searcher:
    settings = make_settings(tmp_path_factory.mktemp("crowded"))
    build_index([STRATEGY, *CROWD], settings.index_dir, settings.embedding_model)
    return Searcher.open(settings.index_dir, settings.embedding_model, k_max=10)


def test_a_report_outranked_by_sixty_statements_in_both_retrievers_is_still_a_hit(crowded_searcher, monkeypatch):
    hits = {h.passage.uri: h for h in crowded_searcher.search(PILLARS, 3)}
    assert STRATEGY.uri in hits  # the documents' own ranking made it a candidate, and a good one
    assert hits[STRATEGY.uri].dense_rank is None and hits[STRATEGY.uri].bm25_rank is None  # past 50 in both
    monkeypatch.setattr(searcher_module, "DOCUMENT_WEIGHT", 0.0)
    assert STRATEGY.uri not in [h.passage.uri for h in crowded_searcher.search(PILLARS, 10)]


def test_an_hnsw_index_ranks_the_documents_by_an_exact_scan_of_their_units(tmp_path, monkeypatch, crowded_searcher):
    """From HNSW_FROM vectors the index is a graph; the documents' own ranking still scans every unit of theirs."""
    import search.indexer as indexer_module

    monkeypatch.setattr(indexer_module, "HNSW_FROM", 1)
    settings = make_settings(tmp_path)
    build_index([STRATEGY, *CROWD], settings.index_dir, settings.embedding_model)
    graph = Searcher.open(settings.index_dir, settings.embedding_model, k_max=10)
    qvec = graph.encoder.encode_query(PILLARS)

    assert type(graph.dense).__name__ == "IndexHNSWFlat" and type(crowded_searcher.dense).__name__ == "IndexFlatIP"
    assert graph._dense(qvec, 50, None, documents=True) == crowded_searcher._dense(qvec, 50, None, documents=True) == [0]
    assert STRATEGY.uri in [h.passage.uri for h in graph.search(PILLARS, 3)]


def test_a_graph_is_searched_256_wide_and_the_8_bit_graph_of_a_million_128(tmp_path, monkeypatch):
    """efSearch is kept in the saved file: a graph built with another value is searched with today's."""
    import faiss

    import search.indexer as indexer_module

    monkeypatch.setattr(indexer_module, "HNSW_FROM", 1)
    settings = make_settings(tmp_path)
    build_index([STRATEGY, *CROWD], settings.index_dir, settings.embedding_model)
    saved = faiss.read_index(str(settings.index_dir / "dense.faiss"))
    saved.hnsw.efSearch = 40
    faiss.write_index(saved, str(settings.index_dir / "dense.faiss"))
    assert Searcher.open(settings.index_dir, settings.embedding_model, k_max=10).dense.hnsw.efSearch == 256
    sq8 = faiss.IndexHNSWSQ(8, faiss.ScalarQuantizer.QT_8bit, 32, faiss.METRIC_INNER_PRODUCT)
    indexer_module.set_ef_search(sq8)
    assert sq8.hnsw.efSearch == 128


def test_the_dense_model_is_given_r2p_spelt_out_as_the_documents_write_it(debate_searcher, monkeypatch):
    assert spelt_out("Is R2P, or the RtoP, on the agenda of R2Pedia?") == \
        "Is the responsibility to protect, or the responsibility to protect, on the agenda of R2Pedia?"
    encoded, encode = [], debate_searcher.encoder.encode_query
    monkeypatch.setattr(debate_searcher.encoder, "encode_query", lambda text: encoded.append(text) or encode(text))
    debate_searcher.search("Was R2P put on the Assembly's agenda?", 3)
    assert encoded == ["Was the responsibility to protect put on the Assembly's agenda?"]


def test_a_statement_both_retrievers_rank_first_is_not_weighed_down(debate_searcher, monkeypatch):
    """The prior halves a spoken passage when the question names no speaker, unless both rankings put it first."""
    question = "strengthening the rule of law and national prevention strategies"
    mexico = "GCR2P-statement-3/statement/1/para/3"
    weighed = {h.passage.uri.removeprefix(DOC): h for h in debate_searcher.search(question, 10)}
    assert weighed[mexico].dense_rank == weighed[mexico].bm25_rank == 1 and not read_cues(question, KNOWN).speakers
    prior = searcher_module.DEBATE_PRIOR
    monkeypatch.setattr(searcher_module, "DEBATE_PRIOR", 1.0)
    unweighed = {h.passage.uri.removeprefix(DOC): h.score for h in debate_searcher.search(question, 10)}
    assert weighed[mexico].score == pytest.approx(unweighed[mexico])
    brazil = "GCR2P-statement-2/statement/1/para/4"  # spoken, and first in neither ranking: weighed
    assert prior < 1 and weighed[brazil].score == pytest.approx(prior * unweighed[brazil])


def test_a_passage_a_graph_walk_finds_by_a_weak_unit_is_ranked_by_its_best(tmp_path, monkeypatch):
    import search.indexer as indexer_module

    monkeypatch.setattr(indexer_module, "HNSW_FROM", 1)
    mixed = passage("A-63-677/para/12", "States prevent atrocity crimes through national prevention strategies. "
                    "The weather in Geneva was mild that spring.", "report", 2009)
    plain = passage("A-63-677/para/13", "National plans can help a State.", "report", 2009)
    settings = make_settings(tmp_path)
    build_index([mixed, plain], settings.index_dir, settings.embedding_model)
    graph = Searcher.open(settings.index_dir, settings.embedding_model, k_max=10)
    qvec = graph.encoder.encode_query("How do States prevent atrocity crimes?")
    score = {u: float(graph.vectors[u] @ qvec) for u in range(graph.dense.ntotal)}
    mixed_units, plain_units = (sorted(graph._units(p), key=score.get) for p in (0, 1))
    weak, best_plain = mixed_units[0], plain_units[-1]
    assert score[mixed_units[-1]] > score[best_plain] > score[weak]
    # found as a walk might return them: the other passage's best unit first, this one's weakest after it
    assert graph._rescored(np.array([best_plain, weak]), qvec, 10) == [0, 1]
    assert graph._dense(qvec, 10, None) == [0, 1]


def test_the_8_bit_graph_keeps_its_walks_order_rather_than_read_vectors_from_disk(tmp_path, monkeypatch):
    """Rescoring needs the float vectors in memory; the million's 8-bit graph has only codes there."""
    import search.indexer as indexer_module

    monkeypatch.setattr(indexer_module, "HNSW_FROM", 1)
    monkeypatch.setattr(indexer_module, "SQ8_FROM", 1)
    settings = make_settings(tmp_path)
    build_index([STRATEGY, *CROWD], settings.index_dir, settings.embedding_model)
    sq8 = Searcher.open(settings.index_dir, settings.embedding_model, k_max=10)
    assert type(sq8.dense).__name__ == "IndexHNSWSQ" and sq8._graph_vectors is None
    monkeypatch.setattr(sq8, "_rescored", lambda *args: pytest.fail("rescored from the memory-mapped file"))
    assert STRATEGY.uri in [h.passage.uri for h in sq8.search(PILLARS, 3)]


def test_a_partys_own_words_are_not_weighed_down_in_a_question_about_it(debate_searcher, monkeypatch):
    """ "Has Mexico ...?" names Mexico as the subject, not as a speaker: its statements are still its own account."""
    question = "Has Mexico put the responsibility to protect on the agenda of the Assembly?"
    cues = read_cues(question, KNOWN)
    assert cues.speakers == () and cues.named == ("mex",)
    weighed = {h.passage.uri.removeprefix(DOC): h.score for h in debate_searcher.search(question, 10)}
    prior = searcher_module.DEBATE_PRIOR
    monkeypatch.setattr(searcher_module, "DEBATE_PRIOR", 1.0)
    unweighed = {h.passage.uri.removeprefix(DOC): h.score for h in debate_searcher.search(question, 10)}
    mexico, brazil = "GCR2P-statement-3/statement/1/para/3", "GCR2P-statement-2/statement/1/para/4"  # not first
    assert weighed[mexico] == pytest.approx(unweighed[mexico])
    assert prior < 1 and weighed[brazil] == pytest.approx(prior * unweighed[brazil])
