"""The answer engine on the real starter index: what a user would see."""

from __future__ import annotations

import pytest

from bot.cli_commands import sources_text
from bot.engine import AnswerEngine, InvalidQuestionError
from replikasi.records import Turn


def _turn(answer) -> Turn:
    return Turn.of(answer)


def test_answer_is_short_cited_and_lists_only_cited_sources(starter_engine: AnswerEngine):
    answer = starter_engine.answer("Apa saja bentuk replikasi inovasi pelayanan publik?")
    assert not answer.abstained
    text = answer.text.lower()
    assert all(word in text for word in ("adopsi", "adaptasi", "modifikasi"))
    assert len(answer.text) <= 700
    cited_numbers = {int(n) for n in __import__("re").findall(r"\[(\d+)\]", answer.text)}
    assert cited_numbers == {c.number for c in answer.citations}
    retrieved = {c.chunk_id for c in answer.chunks}
    assert all(c.chunk_id in retrieved for c in answer.citations)
    rendered = sources_text(answer)
    assert rendered.startswith("Sumber:") and "[1]" in rendered


def test_english_question_gets_english_labels(starter_engine: AnswerEngine):
    answer = starter_engine.answer("How many innovations does JIPPNas hold?")
    assert answer.language == "en" and not answer.abstained
    assert "2.928" in answer.text or "2928" in answer.text
    assert "Sources:" in sources_text(answer)


def test_off_topic_question_abstains_and_points_to_official_channels(
    starter_engine: AnswerEngine,
):
    answer = starter_engine.answer("Resep rendang padang yang enak gimana?")
    assert answer.outcome == "abstained"
    assert "belum memuat" in answer.text
    assert "JDIH" in answer.text and "JIPPNas" in answer.text
    assert not answer.citations


def test_question_next_to_the_topic_is_not_answered_but_says_what_is_known(
    starter_engine: AnswerEngine,
):
    # The sources name SIM Online only as an innovation chosen for replication.
    answer = starter_engine.answer("Gimana cara perpanjang SIM online?")
    assert answer.abstained
    # a plain "not covered", or "no definite answer found; what I do know: …"
    assert "belum memuat" in answer.text or "belum menemukan" in answer.text
    assert "JDIH" in answer.text
    assert all(f"[{c.number}]" in answer.text for c in answer.citations)


def test_not_known_facts_are_stated_as_not_known(starter_engine: AnswerEngine):
    answer = starter_engine.answer(
        "Apa sanksi jika instansi tidak melaksanakan SE Menteri PANRB 16/2023?"
    )
    assert answer.abstained
    assert "belum diketahui" in answer.text.lower()
    assert "sanksi" in answer.text.lower()
    assert answer.citations and answer.citations[0].doc_id == "se-menpanrb-16-2023"


def test_follow_up_carries_the_topic_over(starter_engine: AnswerEngine):
    first = starter_engine.answer("BARIS DITEBAS itu inovasi apa?")
    follow = starter_engine.answer("kapan pembelajaran replikasinya?", [_turn(first)])
    assert "BARIS DITEBAS" in follow.resolved_query
    assert not follow.abstained
    assert "27 Februari 2024" in follow.text
    assert follow.citations[0].doc_id == "inovasi-baris-ditebas"


def test_sources_request_returns_previous_answer_sources(starter_engine: AnswerEngine):
    first = starter_engine.answer("Berapa jumlah hub inovasi saat ini?")
    sources = starter_engine.answer("sumbernya apa?", [_turn(first)])
    assert [c.chunk_id for c in sources.citations] == [c.chunk_id for c in first.citations]
    assert "Sumber jawaban sebelumnya" in sources.text


@pytest.mark.parametrize("question", ["", "   ", "?!", "x" * 10_000])
def test_bad_questions_get_one_clear_sentence(starter_engine: AnswerEngine, question: str):
    with pytest.raises(InvalidQuestionError) as error:
        starter_engine.answer(question)
    message = str(error.value)
    assert message.count(".") <= 2 and "Traceback" not in message


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        ("Что такое KIPP?", True),
        ("ما هو الابتكار؟", True),
        ("什么是创新复制？", True),
        ("KIPP 是什么", False),  # the name in Latin letters is something to search for
        ("Apa itu inovasi Pesona Surga di Jénéponto?", False),
    ],
)
def test_question_in_another_script_is_told_which_languages_work(
    starter_engine: AnswerEngine, question: str, refused: bool
):
    if not refused:
        assert starter_engine.answer(question).text
        return
    with pytest.raises(InvalidQuestionError, match="bahasa Indonesia atau bahasa Inggris"):
        starter_engine.answer(question)


def test_filter_by_document_type(starter_engine: AnswerEngine):
    results = starter_engine.retriever.search("inovasi disabilitas", k=5, doc_types={"innovation"})
    assert results and all(r.doc_type == "innovation" for r in results)


def test_complete_question_after_another_is_not_mixed_with_it(starter_engine: AnswerEngine):
    first = starter_engine.answer("Apa saja bentuk replikasi inovasi?")
    second = starter_engine.answer("Apa itu SINOVIK?", [_turn(first)])
    assert second.resolved_query == "Apa itu SINOVIK?"
    assert "Sistem Informasi Inovasi Pelayanan Publik" in second.text


def test_follow_up_keeps_the_new_question_kind(starter_engine: AnswerEngine):
    first = starter_engine.answer("Berapa jumlah hub inovasi saat ini?")
    follow = starter_engine.answer("kriterianya apa?", [_turn(first)])
    assert follow.resolved_query.startswith("kriterianya apa?")
    assert "komitmen pimpinan" in follow.text
