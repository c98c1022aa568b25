"""The evaluation set: wide enough, and its halves fixed by the question text before any tuning."""
from __future__ import annotations

from pathlib import Path

import pytest

from search.evaluate import Question, in_split, load_questions, split_of

QUESTIONS = Path(__file__).parent / "eval" / "questions.jsonl"


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_questions(QUESTIONS)


def test_split_is_the_hash_of_the_question_text(questions):
    wrong = [q.id for q in questions if q.split != split_of(q.question)]
    assert not wrong, f"split field disagrees with split_of: {wrong}"


def test_set_is_wide_and_both_halves_are_large(questions):
    assert len(questions) >= 200
    assert len({q.id for q in questions}) == len(questions)
    assert min(len(in_split(questions, s)) for s in ("tune", "test")) >= 90


def test_split_of_is_stable():
    assert split_of("What are the three pillars of the responsibility to protect?") == "tune"
    assert {split_of(f"question {i}") for i in range(20)} == {"tune", "test"}


def test_a_question_line_without_a_split_is_refused(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "x", "question": "q?", "answers": ["u"]}\n')
    with pytest.raises(ValueError, match="q.jsonl:1"):
        load_questions(path)
