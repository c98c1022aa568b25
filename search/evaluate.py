"""Retrieval quality on a file of questions with their answers: recall@5 and MRR@10, shared by tests and benchmarks.

The questions are JSON lines ``{"id", "question", "answers": [uri, ...], "split": "tune"|"test"}``; the
project's set is ``tests/eval/questions.jsonl``, and the caller names the file (the package never reads the
tests). The split is fixed by a hash of the question text (``split_of``), so a question cannot drift from the
test half into the tune half when weights are tuned; figures are reported on the test half.

A hit answers a question when its URI is one of the answers or a part of one: a clause of
article 3 answers a question whose answer is ``.../article/3``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Question:
    id: str
    question: str
    answers: list[str]
    split: str


SPLITS = ("tune", "test")


def split_of(question: str) -> str:
    """The half a question belongs to: the parity of the SHA-1 of its text (stable, blind to its answers)."""
    return SPLITS[hashlib.sha1(question.encode("utf-8")).digest()[-1] % 2]


@dataclass
class Scores:
    recall_at_5: float
    mrr_at_10: float
    misses: list[str] = field(default_factory=list)  # ids of questions with no answer in the top 5


def load_questions(path: Path) -> list[Question]:
    out = []
    for n, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(Question(row["id"], row["question"], list(row["answers"]), row["split"]))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: not a question line ({exc})") from exc
    return out


def in_split(questions: list[Question], split: str) -> list[Question]:
    """The questions of one half (``tune`` or ``test``), or all of them for ``all``."""
    return questions if split == "all" else [q for q in questions if q.split == split]


def answers(uri: str, expected: list[str]) -> bool:
    return any(uri == a or uri.startswith(a + "/") for a in expected)


def first_answer_rank(uris: list[str], expected: list[str]) -> int | None:
    return next((i for i, uri in enumerate(uris, start=1) if answers(uri, expected)), None)


def score(searcher, questions: list[Question], *, mode: str = "hybrid") -> Scores:
    """Run every question through ``searcher.search_with(mode=...)`` and score the rankings."""
    recall = mrr = 0.0
    misses = []
    for q in questions:
        uris = [h.passage.uri for h in searcher.search_with(q.question, 10, mode=mode)]
        rank = first_answer_rank(uris, q.answers)
        if rank is not None and rank <= 5:
            recall += 1
        else:
            misses.append(q.id)
        if rank is not None:
            mrr += 1 / rank
    n = len(questions) or 1
    return Scores(recall / n, mrr / n, misses)
