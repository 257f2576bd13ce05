"""`replikasi calibrate` on the starter index: the decisions are fitted on the tuning
questions with the question's shape among their signals; `--keep-scorer` keeps the
sentence scorer in use."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answerability import Calibration, load_calibration
from bot.calibration import calibrate
from bot.engine import AnswerEngine
from bot.evaluation import load_questions
from bot.question_space import COMPONENT_FEATURES, QUESTION_COMPONENTS
from replikasi.settings import Settings

pytestmark = pytest.mark.slow

BANK = Path(__file__).parent / "data" / "bank" / "questions.jsonl"


def test_calibrating_with_the_kept_scorer_fits_the_decisions_and_the_basis(
    starter_index: Settings, tmp_path: Path
) -> None:
    questions = [q for q in load_questions(BANK) if q.split == "tune"][::4]
    shipped = load_calibration()
    engine = AnswerEngine(starter_index)
    fitted = calibrate([(engine, questions)], [BANK], keep_scorer=shipped)
    assert fitted.unit_scorer == shipped.unit_scorer
    assert fitted.lexical is not None and shipped.lexical is not None
    assert fitted.lexical.unit_scorer == shipped.lexical.unit_scorer
    assert fitted.question_basis is not None
    assert fitted.question_basis.components.shape == (QUESTION_COMPONENTS, 384)
    assert set(COMPONENT_FEATURES) <= set(fitted.answer.features)
    assert fitted.info["sentence_scorer"] == "kept"
    assert 0 < fitted.answer.threshold < 1
    # what `replikasi calibrate` writes is what the engine then reads
    path = tmp_path / "calibration.json"
    fitted.save(path)
    reloaded = load_calibration(path)
    assert isinstance(reloaded, Calibration) and reloaded.question_basis is not None
    answer = AnswerEngine(starter_index, calibration=reloaded).answer("Apa itu SINOVIK?")
    assert answer.outcome == "answered" and "question_shape" in answer.evidence


def test_keeping_the_answer_decision_refits_only_the_relevance_on_refused_questions(
    starter_index: Settings,
) -> None:
    """`--keep-answer` (after relabelling "not known" / "abstain"): the sentence scorer, the
    question basis and the answer decision are those in use; the relevance decision is fitted
    on the questions the answer decision refuses out of fold, not on all of them."""
    questions = [q for q in load_questions(BANK) if q.split == "tune"][::4]
    shipped = load_calibration()
    engine = AnswerEngine(starter_index)
    fitted = calibrate([(engine, questions)], [BANK], keep_scorer=shipped, keep_answer=True)
    assert fitted.unit_scorer == shipped.unit_scorer
    assert fitted.answer == shipped.answer
    assert fitted.question_basis is shipped.question_basis
    assert fitted.lexical is not None and shipped.lexical is not None
    assert fitted.lexical.answer == shipped.lexical.answer
    assert fitted.info["answer_decision"] == "kept"
    refused = fitted.info["relevant"]["fitted_on"]
    assert 0 < refused < len(questions)
    assert fitted.relevant != shipped.relevant
