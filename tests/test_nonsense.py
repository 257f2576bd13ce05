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
    assert engine.answer("OR 1 1 TRUNCATE turns").outcome != "answered"
    assert engine.answer("apa sanksi bagi kepala perangkat daerah?").outcome == "answered"
    with pytest.raises(InvalidQuestionError):
        engine.answer("' OR 1=1; DROP TABLE turns; --")


@pytest.fixture(scope="module")
def starter_with_regulations(starter_index, tmp_path_factory: pytest.TempPathFactory):
    """The starter index plus the Perwal and the Pergub, with the real offline model: the
    calibration's question shape belongs to that model."""
    import shutil

    from bot.engine import AnswerEngine
    from ingest.pipeline import run_ingest
    from tests.regulation_fixtures import PERGUB, PERWAL, write_txt

    root = tmp_path_factory.mktemp("nonsense")
    shutil.copytree(starter_index.data_dir, root / "data")
    shutil.copytree(starter_index.knowledge_dir, root / "knowledge")
    settings = starter_index.model_copy(
        update={"data_dir": root / "data", "knowledge_dir": root / "knowledge"}
    )
    for name in (PERWAL, PERGUB):
        write_txt(settings.knowledge_dir / f"{name}.txt", name)
    assert run_ingest(settings).ok
    return AnswerEngine(settings)


@pytest.mark.parametrize(
    "text", ["foo bar", "hello world program", "What is the capital of France?"]
)
def test_ordinary_words_that_ask_nothing_here_are_not_answered(
    starter_with_regulations, text: str
) -> None:
    """With two regulations indexed, "foo bar" was answered with an article on a forum and
    "hello world program" with a workshop's participants (p_answer 0.91 and 0.86): the
    words meet passages, but the message is of no sort the knowledge base answers (its
    shape, bot.question_space)."""
    assert starter_with_regulations.answer(text).outcome == "abstained"


def test_a_question_on_those_regulations_is_still_answered(starter_with_regulations) -> None:
    answer = starter_with_regulations.answer("apa sanksi bagi kepala perangkat daerah?")
    assert answer.outcome == "answered" and "Pasal" in answer.text


@pytest.mark.parametrize(
    "text",
    ["SELECT * FROM users; --", "1 UNION SELECT password FROM akun", "<script>alert(1)</script>"],
)
def test_a_database_statement_or_a_script_is_code(text: str) -> None:
    message = question_error(text, "id")
    assert message is not None and "kode atau perintah" in message


@pytest.mark.parametrize(
    ("pasted", "words"),
    [
        ("<script>alert(1)</script> apa itu replikasi?", "apa itu replikasi?"),
        ("<b>Apa itu JIPPNas?</b>", "Apa itu JIPPNas?"),
        ("lihat [pedoman ini](https://example.org/x) isinya apa?", "lihat pedoman ini isinya apa?"),
        ("**syarat** replikasi apa saja?", "syarat replikasi apa saja?"),
        ("How do regions select innovations from JIPPNas?", None),
        ("skor >= 70 itu predikat apa?", None),
    ],
)
def test_a_question_pasted_with_markup_is_read_by_its_words(pasted: str, words: str | None) -> None:
    from bot.question_validation import without_markup

    assert question_error(pasted, "id") is None
    assert without_markup(pasted) == (words or pasted)
