"""Search over the real ingested corpus: right paragraph first, filters, bad queries, index life cycle.

The index is built once per session over a few documents of the corpus (the 2013 report, the
Genocide Convention, the Charter and four resolutions) so that embedding stays a few seconds.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import replace

import numpy as np
import pytest
from typer.testing import CliRunner

from ingest.model import DOC_TYPES
from kg.cli import app
from kg.composition import Components
from kg.passages import fetch_passages
from search.evaluate import answers
from search.indexer import build_index, export_seed, read_build_info, units_of
from search.passages import Passage
from search.filters import SearchError, SearchIndexError
from search.searcher import FACETS, MAX_QUERY_CHARS
from tests.conftest import make_settings

DOCS = {"A-67-929", "genocide-convention", "un-charter", "S-RES-827-1993", "S-RES-819-1993", "S-RES-688-1991",
        "S-RES-794-1992"}
REPORT = "https://w3id.org/r2p-kg/doc/A-67-929/para/"


@pytest.fixture(scope="session")
def passages(corpus_store):
    return [p for p in fetch_passages(corpus_store) if p.doc_id in DOCS]


@pytest.fixture(scope="session")
def search_settings(tmp_path_factory, passages):
    settings = make_settings(tmp_path_factory.mktemp("search-data"))
    build_index(passages, settings.index_dir, settings.embedding_model)
    return settings


def open_searcher(settings):
    """The searcher as the CLI and the server open it (through the composition root)."""
    return Components(settings).open_searcher()


@pytest.fixture(scope="session")
def searcher(search_settings):
    return open_searcher(search_settings)


@pytest.mark.parametrize("question, expected", [
    ("How many States have appointed national focal points for the responsibility to protect?", REPORT + "57"),
    ("What did the United States set up in 2012 to prevent atrocities across government agencies?", REPORT + "58"),
    ("How should a State combat incitement to hatred while respecting freedom of expression?", REPORT + "55"),
    ("In the present Convention, genocide means which acts?",
     "https://w3id.org/r2p-kg/doc/genocide-convention/article/II"),
    ("Srebrenica must be treated as a safe area free from armed attack",
     "https://w3id.org/r2p-kg/doc/S-RES-819-1993/para/1"),
    ("Which obligations prevail when a Member's treaty obligations conflict with the Charter?",
     "https://w3id.org/r2p-kg/doc/un-charter/article/103"),
])
def test_clear_question_finds_its_paragraph_first(searcher, question, expected):
    """The first hit is the answer or one of its clauses (``article/II/clause/a`` answers ``article/II``)."""
    assert answers(searcher.search(question, k=5)[0].passage.uri, [expected])


def test_a_treaty_articles_passages_are_embedded_under_its_heading_and_a_lead_in_with_its_list(corpus_store):
    doc = "https://w3id.org/r2p-kg/doc/"
    by_uri = {p.uri.removeprefix(doc): p for p in fetch_passages(corpus_store)}
    assert by_uri["A-CONF.183-9/article/127/para/2"].heading == "Withdrawal"  # a paragraph of the article
    assert by_uri["A-CONF.183-9/article/26"].heading == "Exclusion of jurisdiction over persons under eighteen"
    assert by_uri["A-CONF.183-9/article/8/para/2/clause/a"].heading == "War crimes"  # a clause of one of its paragraphs
    assert by_uri["un-charter/article/103"].heading == by_uri["A-67-929/para/71"].heading == ""  # no title printed
    embedded = [embed for embed, _ in units_of(by_uri["A-CONF.183-9/article/127/para/1"])]
    assert embedded[-1].startswith("Rome Statute of the International Criminal Court, Withdrawal: A State Party may")

    calls = by_uri["A-67-929/para/71"]  # "... I call upon all Member States to:" and its clauses (a) to (g)
    assert calls.items == [by_uri[f"A-67-929/para/71/clause/{c}"].text for c in "abcdefg"]
    assert units_of(calls)[-1] == (" ".join([calls.text, *calls.items]), "")
    war_crimes = by_uri["A-CONF.183-9/article/8/para/2/clause/b"]  # (i) to (xxvi), in the order printed
    assert war_crimes.items[8:10] == [by_uri[f"{war_crimes.uri.removeprefix(doc)}/clause/{n}"].text for n in ("ix", "x")]
    assert len(war_crimes.items) == 26


def test_hit_carries_citation_highlight_countries_and_notes(searcher):
    hit = searcher.search("Denmark and Ghana launched an initiative on focal points", k=3)[0]
    d = hit.to_dict()
    assert list(d) == ["rank", "score", "uri", "document", "symbol", "paragraph", "text", "highlight", "citation",
                       "countries", "risk_factors", "notes", "date", "speakers"]
    assert d["uri"] == REPORT + "57"
    assert d["rank"] == 1 and d["paragraph"] == "57"
    assert d["citation"] == "A/67/929–S/2013/399, para. 57"
    assert d["symbol"] == "A/67/929–S/2013/399"
    assert d["document"] == "Responsibility to protect: State responsibility and prevention"
    assert d["highlight"] == "In 2010, Denmark and Ghana launched an initiative on the responsibility to protect focal points."
    assert d["highlight"] in d["text"]
    assert {"DNK", "GHA", "AUS", "CRI"} <= set(d["countries"])
    noted = [p for p in searcher.passages if p.notes]
    assert noted, "the study guide's notes should annotate some report paragraphs"
    assert searcher.search(noted[0].text[:300], k=1)[0].to_dict()["notes"] == noted[0].notes


def test_filters_filter(searcher):
    kenya = searcher.search("national commission promoting harmony between ethnic communities", k=10,
                            filters={"country": "Kenya"})
    assert kenya and all("KEN" in h.passage.countries for h in kenya)
    assert kenya[0].passage.uri == REPORT + "52"
    same = searcher.search("national commission promoting harmony between ethnic communities", k=10,
                           filters={"country": "ken"})
    assert [h.passage.uri for h in same] == [h.passage.uri for h in kenya]
    genocide = searcher.search("who may be punished", k=10, filters={"document": "genocide-convention"})
    assert genocide and {h.passage.doc_id for h in genocide} == {"genocide-convention"}
    by_symbol = searcher.search("tribunal", k=10, filters={"document": "S/RES/827 (1993)"})
    assert by_symbol and {h.passage.doc_id for h in by_symbol} == {"S-RES-827-1993"}
    joint = searcher.search("focal points", k=3, filters={"document": "A/67/929"})
    assert {h.passage.doc_id for h in joint} == {"A-67-929"}
    resolutions = searcher.search("humanitarian assistance", k=10, filters={"doc_type": "resolution", "year": 1993})
    assert resolutions and {h.passage.doc_id for h in resolutions} <= {"S-RES-819-1993", "S-RES-827-1993"}
    assert all(h.passage.doc_type == "resolution" and h.passage.year == 1993 for h in resolutions)
    assert searcher.search("genocide", k=5, filters={"year": 1800}) == []


def test_unknown_filter_is_an_error(searcher):
    with pytest.raises(SearchError, match=r"^unknown filter 'colour' \(known: document, country, region, year, "
                                          r"doc_type, risk_factor, crime, speaker, date_from, date_to\)$"):
        searcher.search("genocide", filters={"colour": "red"})


@pytest.mark.parametrize("query, message", [
    ("", "empty query: type a question, e.g. \"what can a State do about hate speech?\""),
    ("   \n\t", "empty query: type a question, e.g. \"what can a State do about hate speech?\""),
    ("x" * 10_000, f"query too long: 10000 characters (at most {MAX_QUERY_CHARS})"),
    ("?!... ;-) 1945", "the query has no words (only punctuation, digits or symbols)"),
])
def test_bad_queries_get_a_clear_answer(searcher, query, message):
    with pytest.raises(SearchError) as err:
        searcher.search(query)
    assert str(err.value) == message


def test_k_is_checked_and_capped(search_settings):
    with pytest.raises(SearchError, match=r"^k must be a positive whole number, got 0$"):
        open_searcher(search_settings).search("genocide", k=0)
    capped = open_searcher(replace_settings(search_settings, search_k_max=3))
    assert len(capped.search("genocide", k=1000)) == 3


def replace_settings(settings, **changes):
    return settings.model_copy(update=changes)


def test_reloaded_index_gives_the_same_hits(searcher, search_settings):
    again = open_searcher(search_settings)
    question = "what can a State do about hate speech?"
    assert [h.to_dict() for h in again.search(question)] == [h.to_dict() for h in searcher.search(question)]


def test_index_built_with_another_model_is_refused(search_settings, tmp_path):
    settings = make_settings(tmp_path)
    shutil.copytree(search_settings.index_dir, settings.index_dir)
    build = read_build_info(settings.index_dir)
    build["model"]["version"] = "0.0.1"
    (settings.index_dir / "build.json").write_text(json.dumps(build))
    with pytest.raises(SearchIndexError, match=r"was built with .* 0\.0\.1 .*: run `r2p index` to rebuild it$"):
        open_searcher(settings)


def test_missing_index_says_how_to_build_it(tmp_path):
    with pytest.raises(SearchIndexError, match=r"^no search index in .*: run `r2p index`$"):
        open_searcher(make_settings(tmp_path))


def test_unchanged_passages_are_not_embedded_again(passages, search_settings, tmp_path):
    index_dir = tmp_path / "index"
    shutil.copytree(search_settings.index_dir, index_dir)
    model = search_settings.embedding_model
    again = build_index(passages, index_dir, model)
    assert again.up_to_date and again.embedded == 0
    i = next(i for i, p in enumerate(passages) if p.uri == REPORT + "58")
    changed = list(passages)
    changed[i] = replace(passages[i], text=passages[i].text + " The Board meets monthly.")
    report = build_index(changed, index_dir, model)
    # Para. 58 is one sentence: now two sentences (one new), the whole passage (new) and the passage
    # under its report's title (new, as its text changed).
    assert [embed.startswith(passages[i].title) for embed, _ in units_of(changed[i])] == [False, False, False, True]
    assert report.embedded == 3
    assert report.reused == report.units - 3
    hit = open_searcher(search_settings.model_copy(update={"data_dir": tmp_path})).search(
        "How often does the Atrocities Prevention Board meet?", k=1)[0]
    assert hit.passage.uri == REPORT + "58" and hit.passage.text.endswith(" The Board meets monthly.")


def test_a_documents_title_tells_apart_passages_whose_own_words_do_not(tmp_path):
    """Two resolutions' paragraphs say the same of "the Mission"; only their titles say which mission."""
    def paragraph(doc_id: str, title: str, text: str) -> Passage:
        return Passage(uri=f"https://w3id.org/r2p-kg/doc/{doc_id}/para/3", text=text, document=doc_id,
                       doc_id=doc_id, title=title, doc_type="resolution")
    rwanda = paragraph("S-RES-872-1993", "Security Council resolution 872 (1993) [Rwanda, UNAMIR]",
                       "Decides that the Mission shall contribute to the security of the city.")
    somalia = paragraph("S-RES-794-1992", "Security Council resolution 794 (1992) [Somalia]",
                        "Decides that the Mission shall contribute to the security of the city.")
    settings = make_settings(tmp_path)
    build_index([somalia, rwanda], settings.index_dir, settings.embedding_model)
    small = open_searcher(settings)
    for question, expected in (("What was the UN mission in Rwanda to do about security?", rwanda),
                               ("What was the UN mission in Somalia to do about security?", somalia)):
        assert small.search_with(question, 1, mode="dense")[0].passage.uri == expected.uri


def test_a_shipped_seed_spares_embedding_only_for_the_same_text_and_model(passages, search_settings, tmp_path):
    seed = tmp_path / "seed.npz"
    assert export_seed(search_settings.index_dir, seed) > 0
    model = search_settings.embedding_model
    i = next(i for i, p in enumerate(passages) if p.uri == REPORT + "58")
    changed = list(passages)
    changed[i] = replace(passages[i], text=passages[i].text + " The Board meets monthly.")
    fresh = build_index(changed, tmp_path / "index", model, seed=seed)  # an empty index: only the seed to reuse
    assert fresh.embedded == 3 and fresh.reused == fresh.units - 3  # para. 58's new units, as above
    with np.load(seed) as data:
        other = dict(data) | {"model": json.dumps({"model": "another"})}
    np.savez(seed, **other)
    assert build_index(passages, tmp_path / "other", model, seed=seed).reused == 0


def test_cli_prints_json_and_table(search_settings):
    runner = CliRunner(env={"COLUMNS": "200"})
    base = ["--data", str(search_settings.data_dir), "search"]
    out = runner.invoke(app, base + ["Denmark and Ghana focal points initiative", "-k", "2", "--json"])
    assert out.exit_code == 0, out.output
    hits = json.loads(out.stdout)["hits"]
    assert [h["rank"] for h in hits] == [1, 2] and hits[0]["uri"] == REPORT + "57"
    table = runner.invoke(app, base + ["Denmark and Ghana focal points initiative", "-k", "1"])
    assert table.exit_code == 0 and "A/67/929–S/2013/399, para. 57" in table.stdout
    bad = runner.invoke(app, base + ["!!!"])
    assert bad.exit_code == 2 and "the query has no words" in bad.output


def test_cli_search_never_builds_a_missing_index(corpus_settings, tmp_path):
    """A store without an index: `r2p search` says to run `r2p index` instead of embedding the corpus itself."""
    (tmp_path / "store").symlink_to(corpus_settings.store_dir)
    out = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["--data", str(tmp_path), "search", "genocide"])
    assert out.exit_code == 2 and f"no search index in {tmp_path / 'index'}: run `r2p index`" in out.output
    assert not (tmp_path / "index").exists()


# -- search controls: phrases, date ranges, sorting, one answer shape, any language ------------------------
def test_a_quoted_phrase_must_appear_as_written(searcher):
    hits = searcher.search('"safe area" Srebrenica', k=10)
    assert hits and all("safe area" in " ".join(h.passage.text.split()).casefold() for h in hits)
    assert hits[0].passage.uri == "https://w3id.org/r2p-kg/doc/S-RES-819-1993/para/1"
    curly = searcher.search("“Safe   Area” Srebrenica", k=10)  # curly quotes, case and spacing do not count
    assert [h.passage.uri for h in curly] == [h.passage.uri for h in hits]
    assert searcher.search('"safe area for unicorns"', k=10) == []


def test_a_date_range_keeps_documents_dated_within_it(searcher):
    hits = searcher.search("safe area", k=20, filters={"date_from": "1993-04", "date_to": "1993-05-25"})
    assert hits and {h.passage.doc_id for h in hits} <= {"S-RES-819-1993", "S-RES-827-1993"}
    old = searcher.search("the Charter", k=20, filters={"date_to": "1948"})
    assert old and {h.passage.date for h in old} <= {"1945-06-26", "1948-12-09"}
    with pytest.raises(SearchError, match=r"^date_from must be a date like 2013, 2013-07 or 2013-07-09; got 'last week'$"):
        searcher.search("genocide", filters={"date_from": "last week"})


def test_sorting_by_date_orders_the_most_relevant_hits(searcher):
    relevant = searcher.search("international tribunal for crimes", k=8)
    newest = searcher.search("international tribunal for crimes", k=8, sort="newest")
    oldest = searcher.search("international tribunal for crimes", k=8, sort="oldest")
    assert {h.passage.uri for h in newest} == {h.passage.uri for h in relevant} == {h.passage.uri for h in oldest}
    assert [h.passage.date for h in newest] == sorted((h.passage.date for h in relevant), reverse=True)
    assert [h.passage.date for h in oldest] == sorted(h.passage.date for h in relevant)
    assert [h.rank for h in newest] == list(range(1, 9))
    with pytest.raises(SearchError, match=r"^sort must be one of relevance, newest, oldest; got 'random'$"):
        searcher.search("genocide", sort="random")


def test_answer_carries_query_filters_phrases_and_facets(searcher):
    answer = searcher.answer('"safe area" Srebrenica', 3, {"doc_type": "resolution"}).to_dict()
    assert list(answer) == ["query", "k", "sort", "filters", "phrases", "notices", "facets", "hits"]
    assert (answer["query"], answer["k"], answer["sort"], answer["filters"], answer["phrases"]) == (
        '"safe area" Srebrenica', 3, "relevance", {"doc_type": "resolution"}, ["safe area"])
    assert set(answer["facets"]) == set(FACETS)
    # Two paragraphs of S/RES/819 (1993) say "safe area": the candidates are those two.
    assert answer["facets"]["doc_type"] == {"values": [{"value": "resolution", "label": "Resolution", "count": 2}],
                                            "truncated": False}
    assert answer["facets"]["year"]["values"] == [{"value": 1993, "label": "1993", "count": 2}]
    kenya = searcher.answer("national commission promoting harmony between ethnic communities", 5).facets
    countries = {v["value"]: v for v in kenya["country"]["values"]}
    assert countries["KEN"]["label"] == "Kenya" and countries["KEN"]["count"] >= 1
    assert {"value": "africa", "label": "Africa", "count": kenya["region"]["values"][0]["count"]} in kenya["region"]["values"]


def test_facet_counts_match_the_filter_they_offer(searcher):
    """A facet's count is how many candidates that value keeps: filtering by it keeps exactly those."""
    answer = searcher.answer("humanitarian assistance to the population", 100)
    year = answer.facets["year"]["values"][0]
    narrowed = searcher.answer("humanitarian assistance to the population", 100, {"year": year["value"]})
    assert sum(v["count"] for v in narrowed.facets["year"]["values"]) == year["count"]
    assert all(h.passage.year == year["value"] for h in narrowed.hits)


def test_cli_and_api_print_one_answer_shape_with_the_same_filters(search_settings, searcher):
    runner = CliRunner(env={"COLUMNS": "200"})
    out = runner.invoke(app, ["--data", str(search_settings.data_dir), "search", "safe area", "-k", "3", "--json",
                              "--type", "resolution", "--from", "1993", "--to", "1993-12-31", "--country", "BIH",
                              "--sort", "newest"])
    assert out.exit_code == 0, out.output
    printed = json.loads(out.stdout)
    filters = {"country": "BIH", "doc_type": "resolution", "date_from": "1993", "date_to": "1993-12-31"}
    assert printed == searcher.answer("safe area", 3, filters, sort="newest").to_dict()
    assert printed["filters"] == filters and {h["symbol"] for h in printed["hits"]} <= {"S/RES/819 (1993)", "S/RES/827 (1993)"}


@pytest.mark.parametrize("options, message", [
    (["--type", "verbatim"], "--type: unknown document type 'verbatim'; known: " + ", ".join(DOC_TYPES)),
    (["--from", "13-2013"], "--from: a date is 2013, 2013-07 or 2013-07-09; got '13-2013'"),
    (["--country", "Narnia"], "--country: unknown country 'Narnia'; give an ISO code such as KEN or a country name such as Kenya"),
    (["--risk-factor", "15"], "--risk-factor: unknown risk factor '15'; give a number from 1 to 14 or a factor's title"),
])
def test_the_cli_refuses_a_filter_value_as_the_api_does_naming_its_option(search_settings, options, message):
    out = CliRunner(env={"COLUMNS": "300"}).invoke(app, ["--data", str(search_settings.data_dir), "search", "safe area", *options])
    assert (out.exit_code, out.output) == (2, f"error: {message}\n")


def test_a_query_in_another_script_is_searched_not_refused(search_settings, searcher, tmp_path):
    assert isinstance(searcher.search("保护的责任是什么"), list)  # no such words in the corpus: no error either
    doc = "https://example.org/doc/fr-ru"
    texts = ["La responsabilité de protéger les populations du génocide incombe à chaque État.",
             "Ответственность по защите населения от геноцида лежит на каждом государстве.",
             "The Council decides to remain seized of the matter."]
    passages = [Passage(uri=f"{doc}/para/{i}", text=t, document=doc, doc_id="fr-ru", number=str(i))
                for i, t in enumerate(texts, start=1)]
    build_index(passages, tmp_path / "index", search_settings.embedding_model)
    small = open_searcher(search_settings.model_copy(update={"data_dir": tmp_path}))
    assert small.search("Ответственность по защите", k=1)[0].passage.uri == f"{doc}/para/2"
    assert small.search("responsabilité de protéger", k=1)[0].passage.uri == f"{doc}/para/1"


def test_a_text_printed_in_three_documents_is_never_a_hit(search_settings, tmp_path):
    """"Thank you." closes hundreds of speeches and answers nothing; a speech in a record and in a collection
    (two documents) is still found."""
    texts = {"a": ["Thank you.", "Early warning needs national focal points."], "b": ["Thank you.", "Statement."],
             "c": ["Thank you.", "Early warning needs national focal points."]}
    passages = [Passage(uri=f"https://example.org/doc/{d}/para/{i}", text=t, document=f"https://example.org/doc/{d}",
                        doc_id=d, number=str(i)) for d, ts in texts.items() for i, t in enumerate(ts, start=1)]
    build_index(passages, tmp_path / "index", search_settings.embedding_model)
    small = open_searcher(search_settings.model_copy(update={"data_dir": tmp_path}))
    assert sorted(h.passage.text for h in small.search("thank you", k=10)) == [
        "Early warning needs national focal points.", "Statement."]  # the two copies of a text are one hit


def test_more_like_this_finds_neighbours_of_a_passage_and_leaves_it_out(searcher):
    like = searcher.similar(REPORT + "57", k=5)
    assert len(like) == 5 and REPORT + "57" not in {h.passage.uri for h in like}
    assert [h.rank for h in like] == [1, 2, 3, 4, 5] and like[0].score >= like[-1].score
    assert like[0].passage.doc_id == "A-67-929"  # the report's own paragraphs on focal points sit closest
    with pytest.raises(SearchError, match=r"^no passage https://example.org/x in the search index$"):
        searcher.similar("https://example.org/x")


def test_a_phrase_matches_whole_words_only(searcher):
    """"safe area" is in "a safe area" but not in "unsafe areas": a phrase is words, not a substring."""
    assert searcher.search('"afe are"', k=10) == []
    assert {h.passage.uri for h in searcher.search('"safe area"', k=10)} == {
        h.passage.uri for h in searcher.search('"Safe Area"', k=10)}


@pytest.mark.parametrize("query, expected", [
    ("A/67/929 para 41", REPORT + "41"),
    ("What must States do under resolution 827 (1993), paragraph 4?",
     "https://w3id.org/r2p-kg/doc/S-RES-827-1993/para/4"),
    ("S/RES/819 paragraph 1", "https://w3id.org/r2p-kg/doc/S-RES-819-1993/para/1"),
    ("S/2013/399, paragraph 24", REPORT + "24"),  # the report's Security Council symbol
    ("A/67/929 paragraph 71(b)", REPORT + "71/clause/b"),
    ("Article 51 of the UN Charter", "https://w3id.org/r2p-kg/doc/un-charter/article/51"),
    ("UN Charter Article 2(7)", "https://w3id.org/r2p-kg/doc/un-charter/article/2/para/7"),
    ("Genocide Convention article 9", "https://w3id.org/r2p-kg/doc/genocide-convention/article/IX"),
])
def test_a_cited_paragraph_comes_first(searcher, query, expected):
    assert searcher.search(query, 5)[0].passage.uri == expected


def test_a_paragraph_of_a_verbatim_record_is_cited_inside_its_speech(debates_searcher):
    hit = debates_searcher.search("A/72/PV.99 para 68", 5)[0].passage
    assert hit.uri == "https://w3id.org/r2p-kg/doc/A-72-PV.99/agenda-item/132/statement/10/para/68"


def test_a_citation_of_a_missing_paragraph_ranks_as_usual_and_says_so(searcher):
    query = "resolution 999 para 1 the three pillars of the responsibility to protect"
    answer = searcher.answer(query, 5)
    assert answer.hits[0].passage.uri == REPORT + "2"
    assert answer.notices == ["resolution 999 is not in the search index"]
    assert searcher.answer("A/67/929 para 999", 5).notices == ["A/67/929 has no paragraph 999 in the search index"]
    assert searcher.answer("A/67/929 para 41", 5).notices == []


def test_a_document_the_index_lacks_brings_the_passages_that_cite_it_first(searcher):
    """A delegate asking about a report nobody ingested is told so, and gets what the corpus says of it."""
    answer = searcher.answer("What did the Secretary-General propose in S/25704?", 5)
    assert answer.notices == ["S/25704 is not in the search index"]
    assert answer.hits[0].passage.uri == "https://w3id.org/r2p-kg/doc/S-RES-827-1993/preamble/para/2"
    assert "S/25704" in answer.hits[0].passage.text


def test_a_document_named_without_a_paragraph_brings_its_own_passages_first(searcher):
    """What a report says of the Council, not what the Council's resolutions and the Charter say."""
    hits = searcher.search("What does A/67/929 say about the Security Council?", 3)
    assert [h.passage.doc_id for h in hits] == ["A-67-929"] * 3
    assert "Security Council" in hits[0].passage.text


# -- speakers (issue 12 §4): an index over one 2018 debate record and the collected-statements fixture ------
DEBATE_DOCS = ("A-72-PV.99", "GCR2P-statement-")


@pytest.fixture(scope="session")
def debates_index(debates_settings, debates_store):
    """The index `r2p index` would leave in the debates store's data folder, over part of it (a few hundred passages)."""
    chosen = [p for p in fetch_passages(debates_store) if p.doc_id.startswith(DEBATE_DOCS)]
    build_index(chosen, debates_settings.index_dir, debates_settings.embedding_model)
    return debates_settings


@pytest.fixture(scope="session")
def debates_searcher(debates_index):
    return open_searcher(debates_index)


def test_a_statement_passage_knows_who_speaks(debates_store):
    by_citation = {p.citation: p for p in fetch_passages(debates_store)}
    assert by_citation["A/72/PV.99 (Brazil), ¶98"].speakers == {"BRA": "Brazil"}  # a speech's paragraph by its place
    assert by_citation["A/72/PV.99 (Brazil), ¶98"].uri.endswith("/statement/13/para/98")
    assert by_citation["A/72/PV.105 (China), ¶139"].speakers == {"CHN": "China"}
    eu = next(p for p in by_citation.values() if "organization/european-union" in p.speakers)
    assert eu.speakers["organization/european-union"] == "European Union" and eu.doc_type == "verbatim_record"
    assert by_citation["A/72/PV.99 (President), ¶1"].speakers == {}  # the chair speaks for no State
    collected = next(p for p in by_citation.values() if p.doc_type == "statement" and "CRI" in p.speakers)
    assert collected.citation.startswith("Costa Rica, 2017 General Assembly informal interactive dialogue")
    number = collected.uri.rsplit("/", 1)[1]  # the paragraph goes before the collection's name
    assert f", ¶{number} (Global Centre for the Responsibility to Protect, statements collection" in collected.citation


def test_the_speaker_filter_keeps_that_speakers_statements_cited_by_record_and_speaker(debates_searcher):
    hits = debates_searcher.search("the responsibility to protect", 20, {"speaker": "BRA"})
    assert hits and all(h.passage.speakers == {"BRA": "Brazil"} for h in hits)
    assert {h.passage.citation.rsplit(", ¶", 1)[0] for h in hits if h.passage.doc_type == "verbatim_record"} == {
        "A/72/PV.99 (Brazil)"}
    shown = debates_searcher.answer("the responsibility to protect", 20, {"speaker": "BRA"}).to_dict()["hits"]
    assert [(h["citation"], h["speakers"]) for h in shown] == [(h.passage.citation, {"BRA": "Brazil"}) for h in hits]
    by_name = debates_searcher.search("the responsibility to protect", 20, {"speaker": "brazil"})
    assert [h.passage.uri for h in by_name] == [h.passage.uri for h in hits]
    assert debates_searcher.search("the responsibility to protect", 20, {"speaker": "BRA", "year": 2017}) == []


def test_the_speaker_filter_takes_organization_and_group_ids_and_names(debates_searcher):
    question = "prevention of atrocity crimes"
    eu = debates_searcher.search(question, 20, {"speaker": "organization/european-union"})
    assert eu and all("organization/european-union" in h.passage.speakers for h in eu)
    for same in ("European Union", "https://w3id.org/r2p-kg/organization/european-union"):
        assert [h.passage.uri for h in debates_searcher.search(question, 20, {"speaker": same})] == [h.passage.uri for h in eu]
    friends = debates_searcher.search(question, 20, {"speaker": "group/friends-of-r2p"})
    # A group's statement is delivered by a State: it is cited by the record and that State.
    assert friends and all("group/friends-of-r2p" in h.passage.speakers and len(h.passage.speakers) == 2 for h in friends)
    assert all(h.passage.citation.startswith("A/72/PV.99 (") for h in friends)
    assert debates_searcher.search(question, 20, {"speaker": "ATL"}) == []


def test_the_document_type_filter_keeps_records_or_collected_statements(debates_searcher):
    question = "sovereignty and non-interference"
    records = debates_searcher.search(question, 20, {"doc_type": "verbatim_record"})
    collected = debates_searcher.search(question, 20, {"doc_type": "statement"})
    assert {h.passage.doc_type for h in records} == {"verbatim_record"}
    assert {h.passage.doc_type for h in collected} == {"statement"}
    with pytest.raises(SearchError, match="unknown document type 'verbatim' \\(known: report, "):
        debates_searcher.search(question, 5, {"doc_type": "verbatim"})


def test_the_speaking_state_facet_counts_what_its_filter_keeps(debates_searcher):
    question = "the responsibility to protect and the prevention of genocide"
    speakers = debates_searcher.answer(question, 100).facets["speaker"]["values"]  # same k: same candidates
    assert {"value": "BRA", "label": "Brazil"}.items() <= next(v for v in speakers if v["value"] == "BRA").items()
    top = speakers[0]
    narrowed = debates_searcher.answer(question, 100, {"speaker": top["value"]})
    assert next(v for v in narrowed.facets["speaker"]["values"] if v["value"] == top["value"])["count"] == top["count"]
    assert narrowed.hits and all(top["value"] in h.passage.speakers for h in narrowed.hits)


def test_cli_search_takes_the_speaker_and_type_and_prints_the_api_answer(debates_index, debates_searcher):
    runner = CliRunner(env={"COLUMNS": "200"})
    out = runner.invoke(app, ["--data", str(debates_index.data_dir), "search", "veto restraint", "-k", "3", "--json",
                              "--speaker", "organization/european-union", "--type", "verbatim_record"])
    assert out.exit_code == 0, out.output
    printed = json.loads(out.stdout)
    filters = {"speaker": "organization/european-union", "doc_type": "verbatim_record"}
    assert printed == debates_searcher.answer("veto restraint", 3, filters).to_dict()
    assert printed["filters"] == filters and printed["hits"]
    assert all(h["speakers"]["organization/european-union"] == "European Union" for h in printed["hits"])


def test_a_year_the_question_names_brings_that_years_passage_above_newer_ones_on_the_same_place(search_settings, tmp_path,
                                                                                               monkeypatch):
    """A 1992 resolution's answer among 2025 reports on the same country: the year the question names decides."""
    def paragraph(doc_id: str, year: int, number: int, text: str) -> Passage:
        return Passage(uri=f"https://example.org/doc/{doc_id}/para/{number}", text=text, document=f"https://example.org/doc/{doc_id}",
                       doc_id=doc_id, number=str(number), year=year, date=f"{year}-12-03", doc_type="report")
    old = paragraph("S-RES-794-1992", 1992, 12, "Authorizes the Secretary-General and the Member States concerned to "
                                                "make the arrangements for the unified command and control of the forces.")
    new = [paragraph("S-2025-322", 2025, n, text) for n, text in enumerate((
        "The multinational force in Somalia is commanded by its Force Commander from Kenya.",
        "Commanders of the African Union force sent to Somalia met the Government in Mogadishu.",
        "The force in Somalia changed its commander twice in the reporting period."), start=1)]
    build_index([old, *new], tmp_path / "index", search_settings.embedding_model)
    small = open_searcher(search_settings.model_copy(update={"data_dir": tmp_path}))
    assert small.search("Who commanded the multinational force sent to Somalia?", k=1)[0].passage.uri != old.uri
    assert small.search("Who commanded the multinational force sent to Somalia in 1992?", k=1)[0].passage.uri == old.uri
    # A year filter the user set holds: the question's year never brings in passages outside it.
    hits = small.search("Who commanded the multinational force sent to Somalia in 1992?", k=4, filters={"year": 2025})
    assert sorted(h.passage.uri for h in hits) == sorted(p.uri for p in new)
    # The question's year equal to the filter's adds no second copy of the main ranking.
    asked = "Who commands the force in Somalia in 2025?"
    scores = [h.score for h in small.search(asked, k=3, filters={"year": 2025})]
    monkeypatch.setattr("search.searcher.YEAR_WEIGHT", 0.0)
    assert [h.score for h in small.search(asked, k=3, filters={"year": 2025})] == scores


def test_a_preambles_passages_weigh_less_than_the_same_words_in_an_operative_paragraph(search_settings, tmp_path):
    """What a resolution decides comes before what it recalls: the same text scores PREAMBLE_PRIOR times less
    as a preambular paragraph, or as the preamble's lead-in, than as an operative paragraph."""
    import search.searcher as searcher_module
    text = "Calls on all Member States to provide military forces and contributions in cash or in kind;"
    scores = {}
    for part in ("para/11", "preamble/para/11", "preamble"):
        passage = Passage(uri=f"https://w3id.org/r2p-kg/doc/S-RES-794-1992/{part}", text=text,
                          document="https://w3id.org/r2p-kg/doc/S-RES-794-1992", doc_id="S-RES-794-1992",
                          doc_type="resolution", year=1992)
        folder = tmp_path / part.replace("/", "-")
        build_index([passage], folder / "index", search_settings.embedding_model)
        small = open_searcher(search_settings.model_copy(update={"data_dir": folder}))
        scores[part] = small.search("Were countries asked for military forces?", k=1)[0].score
    prior = searcher_module.PREAMBLE_PRIOR
    assert prior < 1
    assert scores["preamble/para/11"] == pytest.approx(prior * scores["para/11"])
    assert scores["preamble"] == pytest.approx(prior * scores["para/11"])


def test_a_large_set_of_passages_is_ranked_by_the_storage_scan_as_by_gathering_their_vectors(searcher, monkeypatch):
    """Above GATHER_UNITS the dense ranking of a filter's passages scans the graph's storage with a selector;
    the passages and their best scores are those of the exact gather (ties may swap places)."""
    import search.searcher as searcher_module
    allowed = np.arange(0, len(searcher.passages), 2, dtype=np.int64)
    monkeypatch.setattr(searcher_module, "GATHER_UNITS", 100)  # the bundled corpus's index is small
    assert len(searcher._units_of(allowed)[0]) > 100 and searcher._graph_vectors is not None
    qvec = searcher.encoder.encode_query("How can the international community help States build capacity?")
    scanned = searcher._dense(qvec, 50, allowed)
    monkeypatch.setattr(searcher_module, "GATHER_UNITS", 10 ** 9)
    gathered = searcher._dense(qvec, 50, allowed)
    best = lambda pids: [round(float(np.max(searcher.vectors[searcher._units(p)] @ qvec)), 6) for p in pids]  # noqa: E731
    assert best(scanned) == best(gathered) and set(scanned) <= set(allowed.tolist())
