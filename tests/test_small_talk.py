"""Messages that ask nothing (a greeting, thanks, "ok", a test ping, "who are you?") get a
reply in kind, never a search: "halo" once got "the knowledge base does not cover this
question", and "test" a quotation of an article on "uji coba"."""

from __future__ import annotations

import pytest

from bot.small_talk import small_talk
from bot.strategies import write_small_talk
from replikasi.records import Answer


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("halo", "greeting"),
        ("Haloooo kak!", "greeting"),
        ("Assalamualaikum min", "greeting"),
        ("selamat pagi, Pak", "greeting"),
        ("apa kabar?", "greeting"),
        ("hi there", "greeting"),
        ("terima kasih atas infonya kak", "thanks"),
        ("oke makasih ya", "thanks"),
        ("makasiiih", "thanks"),
        ("Thank you very much!", "thanks"),
        ("ok", "acknowledgement"),
        ("siap, mantap infonya", "acknowledgement"),
        ("bye", "farewell"),
        ("sampai jumpa", "farewell"),
        ("test", "ping"),
        ("tes tes 123", "ping"),
        ("siapa kamu?", "identity"),
        ("halo, kamu bisa apa aja?", "identity"),
        ("What can you do?", "identity"),
        ("bantuan dong", "identity"),
    ],
)
def test_small_talk_is_told_by_kind(message: str, kind: str) -> None:
    assert small_talk(message) == kind


@pytest.mark.parametrize(
    "message",
    [
        "halo kak, apa itu JIPPNas?",
        "terima kasih, terus kalau KIPP apa?",
        "praktik baik itu apa?",
        "KIPP",
        "apa?",
        "ok, kalau yang di Jambi?",
        "test uji coba inovasi berapa lama?",
        "Who runs SINOVIK?",
    ],
)
def test_a_message_that_asks_something_is_a_question(message: str) -> None:
    assert small_talk(message) is None


def test_a_greeting_is_answered_with_what_can_be_asked_and_nothing_cited() -> None:
    answer = Answer(question="halo", language="id", text="")
    write_small_talk(answer, "greeting")
    assert answer.text.startswith("Halo!") and "Contoh pertanyaan:" in answer.text
    assert answer.mode == "small_talk" and answer.outcome == "abstained"
    assert not answer.citations
    thanks = Answer(question="thanks!", language="en", text="")
    write_small_talk(thanks, "thanks")
    assert thanks.text == "You are welcome! Ask again any time."


def test_a_small_talk_answer_survives_a_round_trip() -> None:
    answer = Answer(question="halo", language="id", text="")
    write_small_talk(answer, "greeting")
    assert Answer.from_dict(answer.to_dict()).mode == "small_talk"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "start"),
    [("halo", "Halo!"), ("makasih kak", "Sama-sama!"), ("Who are you?", "I am the")],
)
def test_the_engine_replies_in_kind_without_searching(starter_engine, question, start) -> None:
    answer = starter_engine.answer(question)
    assert answer.text.startswith(start) and answer.mode == "small_talk"
    assert not answer.chunks and not answer.citations


@pytest.mark.slow
def test_a_greeting_with_a_question_is_answered(starter_engine) -> None:
    answer = starter_engine.answer("halo kak, apa itu JIPPNas?")
    assert answer.outcome == "answered" and "portal" in answer.text
