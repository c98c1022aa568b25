"""Citations typed in a query resolve to the passage they name (search.citations), over hand-made passages."""
import pytest

from search.citations import CitationIndex
from search.passages import Passage

BASE = "https://w3id.org/r2p-kg/doc/"
PASSAGES = [Passage(uri=f"{BASE}{doc}/{path}", text="text", document=f"{BASE}{doc}", doc_id=doc, symbol=symbol, title=title)
            for doc, symbol, title, path in [
                ("A-CONF.183-9", "A/CONF.183/9", "Rome Statute of the International Criminal Court", "article/36/para/1"),
                ("A-CONF.183-9", "A/CONF.183/9", "Rome Statute of the International Criminal Court", "article/36/para/2"),
                ("genocide-convention", "", "Convention on the Prevention and Punishment of the Crime of Genocide",
                 "article/IX"),
                ("genocide-protocol", "", "Optional Protocol to the Convention on the Prevention and Punishment of "
                 "the Crime of Genocide", "article/9"),
                ("S-RES-688-1991", "S/RES/688 (1991)", "Security Council resolution 688 (1991)", "preamble/para/15"),
                ("S-RES-688-1991", "S/RES/688 (1991)", "Security Council resolution 688 (1991)", "para/1"),
                ("A-RES-60-1", "A/RES/60/1", "2005 World Summit Outcome", "para/138"),
                ("A-ES-10-1042", "A/ES-10/1042", "Letter dated 8 August 2025", "para/3"),
                *[("A-CONF.183-9", "A/CONF.183/9", "Rome Statute of the International Criminal Court", path)
                  for path in ("article/7/para/1", "article/7/para/1/clause/h", "article/8/para/2",
                               "article/8/para/2/clause/b", "article/8/para/2/clause/b/clause/xxvi")],
            ]]


@pytest.mark.parametrize("query, path", [
    ("How many judges does the ICC Statute set in article 36?", "A-CONF.183-9/article/36/para/1"),
    ("ICC article 36(2)", "A-CONF.183-9/article/36/para/2"),
    ("Genocide Convention article 9", "genocide-convention/article/IX"),  # not the Protocol's article 9
    ("the Optional Protocol to the Genocide Convention, article IX", "genocide-protocol/article/9"),
    ("S/RES/688 (1991) para 1", "S-RES-688-1991/para/1"),
    ("S/RES/688 para 15", None),
    ("S/RES/688 (1991), preambular paragraph 15", "S-RES-688-1991/preamble/para/15"),  # the preamble is cited by name
    ("What does the preamble of S/RES/688 say? S/RES/688 preamble, para 15", "S-RES-688-1991/preamble/para/15"),
    ("resolution 688 (1991) preambular 15", "S-RES-688-1991/preamble/para/15"),
    ("What does resolution 60/1, paragraph 138 say?", "A-RES-60-1/para/138"),
    ("A/RES/60/1 para 138", "A-RES-60-1/para/138"),  # operative paragraph 15 is not preambular paragraph 15
    ("What does article 36 say about judges?", None),  # no document named
    ("Rome Statute article 99", None),
    ("A/ES-10/1042 paragraph 3", "A-ES-10-1042/para/3"),  # a symbol with a hyphen (an emergency special session's)
    ("Rome Statute art. 7(1)(h) persecution", "A-CONF.183-9/article/7/para/1/clause/h"),  # a clause of a paragraph
    ("ICC article 8(2)(b)(xxvi)", "A-CONF.183-9/article/8/para/2/clause/b/clause/xxvi"),  # and one level deeper
    ("Rome Statute article 7(1)(z)", "A-CONF.183-9/article/7/para/1"),  # no (z): the nearest part held, with a notice
])
def test_a_citation_names_its_passage_or_nothing(query, path):
    found = CitationIndex(PASSAGES).find(query).pid
    assert (None if found is None else PASSAGES[found].uri.removeprefix(BASE)) == path


@pytest.mark.parametrize("query, notice", [
    ("S/RES/688 para 15", "S/RES/688 has no paragraph 15 in the search index"),
    ("S/RES/688 preambular paragraph 2", "S/RES/688 has no preambular paragraph 2 in the search index"),
    ("A/63/677 para 11", "A/63/677 is not in the search index"),
    ("resolution 1674 (2006), paragraph 4", "resolution 1674 (2006) is not in the search index"),
    ("Rome Statute article 99(2)", "Rome Statute of the International Criminal Court has no article 99(2) in the search index"),
    ("Rome Statute article 7(1)(z)",  # the nearest part the index holds comes first, and the user is told
     "Rome Statute of the International Criminal Court has no article 7(1)(z) in the search index; "
     "its article 7(1) comes first"),
    ("ICC article 8(2)(b)(lxx)", "Rome Statute of the International Criminal Court has no article 8(2)(b)(lxx) "
                                 "in the search index; its article 8(2)(b) comes first"),
    ("Rome Statute article 99(2)(a)", "Rome Statute of the International Criminal Court has no article 99(2)(a) in the search index"),
    ("What does article 36 say about judges?", None),  # no citation at all: nothing to say
    ("ICC article 36", None),  # found
])
def test_a_citation_of_what_the_index_lacks_says_so(query, notice):
    assert CitationIndex(PASSAGES).find(query).notice == notice


@pytest.mark.parametrize("query, missing", [
    ("Who endorsed the concept note A/63/958?", ["A/63/958"]),  # no paragraph: still a document named
    ("What did States say about resolution 1973?", ["resolution 1973"]),  # as other passages write it
    ("resolution 60/1, paragraph 138", []),  # held (A/RES/60/1)
    ("S/RES/688 (1991) and resolution 688", []),
    ("A/CONF.183/9 and S/2013/399", ["S/2013/399"]),  # the Rome Statute is held; the report is not, here
    ("resolution 12 of the club", []),  # a number too short to be the Council's
    ("A/B testing of early warning", []),  # no number: no symbol
    ("what did the SG propose in s/25704 and S/25704?", ["S/25704"]),  # any case, once
    ("Resolution 1973 and Libya", ["resolution 1973"]),
    ("A/ES-10/L.22", ["A/ES-10/L.22"]),
])
def test_the_documents_a_query_names_that_the_index_lacks(query, missing):
    assert CitationIndex(PASSAGES).missing(query) == missing


@pytest.mark.parametrize("query, held", [
    ("What does S/RES/688 (1991) demand of Iraq?", ["S-RES-688-1991"]),
    ("resolution 60/1 and the concept note A/63/958", ["A-RES-60-1"]),  # the note is missing, not held
    ("S/RES/688 and resolution 688", ["S-RES-688-1991"]),  # once
    ("A/B testing of early warning", []),
])
def test_the_documents_a_query_names_that_the_index_holds(query, held):
    assert CitationIndex(PASSAGES).held(query) == held
