"""Input that is no question is not answered: code or a command is told apart before any
search, and an answer sharing no word of the message is never given, however sure the
calibrated decision is ("' OR 1=1; DROP TABLE turns; --" was answered with an article on
sanctions; the decision was fitted on questions, and such text is none)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine import InvalidQuestionError, shares_a_word
from bot.query import analyse
from bot.question_validation import question_error
from tests.test_article_questions import two_regulations  # noqa: F401  (fixture)


@pytest.mark.parametrize(
    "text",
    ["' OR 1=1; DROP TABLE turns; --", "{{7*7}} ${7*7}", "%s %d {0} {question}", "a=1; b=2; c=3"],
)
def test_code_or_a_command_gets_a_clear_message(text: str) -> None:
    message = question_error(text, "id")
    assert message is not None and "kode atau perintah" in message


@pytest.mark.parametrize(
    "text",
    [
        "Pasal 5 ayat (2) huruf a mengatur apa?",
        "skor >= 70 itu predikat apa?",
        "apa itu 'tiru' dalam ATM?",
        "Berapa honor [narasumber] per jam?",
    ],
)
def test_questions_with_the_odd_symbol_are_questions(text: str) -> None:
    assert question_error(text, "id") is None


def test_a_number_alone_is_no_shared_word() -> None:
    query = analyse("OR 1 1 DROP TABLE turns", "en")
    assert not shares_a_word(query, frozenset({"1", "pasal", "sanksi"}))
    assert shares_a_word(analyse("sanksi apa yang diatur?", "id"), frozenset({"sanksi"}))
    assert shares_a_word(analyse("2024?", "id"), frozenset())  # nothing but a number asked


def test_no_answer_shares_no_word_of_the_message_however_sure_the_decision(
    two_regulations,  # noqa: F811
) -> None:
    engine = two_regulations
    always = replace(engine.calibration.answer, threshold=0.0)  # every p_answer passes
    engine.calibration = replace(engine.calibration, answer=always)
    assert engine.answer("OR 1 1 DROP TABLE turns").outcome != "answered"
    assert engine.answer("apa sanksi bagi kepala perangkat daerah?").outcome == "answered"
    with pytest.raises(InvalidQuestionError):
        engine.answer("' OR 1=1; DROP TABLE turns; --")
