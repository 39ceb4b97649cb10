"""The evaluation set (DOMAIN Q2): real-style questions with the items or 一件事 they
should lead to. ``make bench`` prints the same figures with the answer time."""

from __future__ import annotations

import json
from pathlib import Path

from apps.assistant.answering import answer_question

EVAL_FILE = Path(__file__).with_name("eval_questions.json")


def load_eval_set() -> dict:
    return json.loads(EVAL_FILE.read_text(encoding="utf-8"))


def accuracy(rows: list[dict]) -> tuple[float, float]:
    top1 = top3 = 0
    for row in rows:
        expected = set(row["expected"])
        targets = answer_question(row["q"]).targets
        top1 += bool(targets[:1] and targets[0] in expected)
        top3 += bool(expected & set(targets[:3]))
    return top1 / len(rows), top3 / len(rows)


def test_the_evaluation_set_has_at_least_200_questions():
    data = load_eval_set()
    assert len(data["questions"]) >= 200
    assert all(row["expected"] for row in data["questions"])


def test_top3_accuracy_is_at_least_90_percent_q2(demo_catalogue):
    """Measured on the demo catalogue: top-1 0.92, top-3 0.99 (the note has the figures)."""
    top1, top3 = accuracy(load_eval_set()["questions"])
    print(f"top-1 {top1:.3f} top-3 {top3:.3f}")
    assert top3 >= 0.90
    assert top1 >= 0.85


def test_questions_outside_the_portal_are_not_answered_q2(demo_catalogue):
    for question in load_eval_set()["unanswerable"]:
        assert not answer_question(question).answered, question
