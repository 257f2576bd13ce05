"""CI guards the holdout part of the question bank: the part nobody tuned on.

Floors sit a few points under what `replikasi eval tests/data/bank/questions.jsonl` measured
when they were last set (see docs/benchmarks.md): a change that makes the
assistant refuse answerable questions, answer unanswerable ones, or cite wrongly fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.engine import AnswerEngine
from bot.evaluation import load_questions, run_eval

pytestmark = pytest.mark.slow

BANK = Path(__file__).parent / "data" / "bank" / "questions.jsonl"
# Measured on the 592 holdout questions of the 1,306-question bank (b0667–b0830 added 72
# near-misses written to be tempting, b0831–b1050 came from a second author and b1051–b1332
# from two more, none of whom saw the code), when the floors were last set (`9860b21`):
# R@1 0.970, R@5 0.989, MRR 0.978, answered 0.818, abstain 0.712, coverage 0.878. Since
# the floors were first set (answered 0.854, abstain 0.664) the engine has come to refuse
# more near-misses and a few more answerable questions; the floors follow, a few points
# under, stricter on refusals and coverage than before.
FLOORS = {
    "recall_at_1": 0.93,
    "recall_at_5": 0.98,
    "mrr": 0.95,
    "answered_rate": 0.80,
    "abstain_rate": 0.68,
    "answer_coverage": 0.85,
    "citation_validity": 1.0,
}
MAX_ANSWER_CHARS_P50 = 700


def holdout_summary(engine: AnswerEngine, path: Path, floors: dict[str, float]) -> dict[str, Any]:
    """The eval summary of `path`'s holdout part, after asserting it meets `floors`."""
    holdout = [q for q in load_questions(path) if q.split == "holdout"]
    summary = run_eval(engine, holdout).summary()
    below = {k: summary[k] for k, floor in floors.items() if summary[k] < floor}
    assert not below, f"{path.parent.name} holdout below its floors: {below} (floors {floors})"
    return summary


def test_holdout_stays_above_its_floors(starter_engine: AnswerEngine) -> None:
    summary = holdout_summary(starter_engine, BANK, FLOORS)
    assert summary["answer_chars_p50"] <= MAX_ANSWER_CHARS_P50


CONVERSATIONS = Path(__file__).parent / "data" / "conversations" / "questions.jsonl"
# Measured on the 54 holdout conversations (a blind author's; the last turn is judged, the
# earlier ones asked first): R@1 0.955, answered 0.955, abstain 0.600 (6 of 10), coverage
# 0.852 (0.909, 0.909, 0.500, 0.830 before the decisions read the question's shape). The
# code before conversations were read for: R@1 0.795, answered 0.818.
CONVERSATION_FLOORS = {
    "recall_at_1": 0.88,
    "answered_rate": 0.88,
    "abstain_rate": 0.5,
    "answer_coverage": 0.78,
    "citation_validity": 1.0,
}


def test_conversation_holdout_stays_above_its_floors(starter_engine: AnswerEngine) -> None:
    holdout_summary(starter_engine, CONVERSATIONS, CONVERSATION_FLOORS)
