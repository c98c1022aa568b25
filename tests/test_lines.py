"""The shared line grammar: each shape, the hyphen rule and the warning format."""
from ingest.lines import (
    CLAUSE_MARKER,
    FOOTNOTE_LINE,
    LETTERED_CLAUSE,
    NUMBERED_PARAGRAPH,
    parse_date,
    rejoin_hyphen_breaks,
    unwrap,
    warning,
)
from ingest.text import clean


def test_a_line_end_hyphen_of_a_compound_stays_and_leaves_no_space():
    assert unwrap(["fair and equitable benefit- ", "sharing of resources"]) == "fair and equitable benefit-sharing of resources"
    assert unwrap(["the Secretary-", "General"]) == "the Secretary-General"


def test_a_syllable_break_is_joined_when_the_text_spells_the_word_whole():
    text = "full implemen-\ntation of the plan; implementation is slow"
    assert rejoin_hyphen_breaks(text) == "full implementation of the plan; implementation is slow"


def test_the_hyphen_stays_when_the_text_spells_both():
    text = "decision-\nmaking and decision-making, not decisionmaking"
    assert rejoin_hyphen_breaks(text).startswith("decision-making and")


def test_clean_makes_every_run_of_spaces_one_space_and_joins_spaced_letters():
    assert clean(" a  b\t\tc \u2003 d \u00a0e\u00a0 f\ng\u202f") == "a b c d e f g"
    assert clean("it m a y be a b c, not a n") == "it may be abc, not a n"
    assert clean("m a y") == "may"


def test_line_shapes():
    assert NUMBERED_PARAGRAPH.match("12. The Council")["num"] == "12"
    assert not NUMBERED_PARAGRAPH.match("2025. The year")
    assert LETTERED_CLAUSE.match("- (iv) Appoint")["letter"] == "iv"
    assert CLAUSE_MARKER.match("a.promoting")["dot"] == "a"
    assert FOOTNOTE_LINE.match("¹² See A/80/1.")["num"] == "¹²"


def test_dates_and_warnings():
    assert parse_date("Distr.: General 9 July 2013") == "2013-07-09"
    assert parse_date("in July 2013") is None
    assert warning("a/b.txt", 12, "no verb") == "a/b.txt:12: no verb"
    assert warning("a/b.txt", None, "no verb") == "a/b.txt: no verb"
