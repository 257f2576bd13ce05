"""A follow-up pointing into the list the previous answer gave ("yang kedua maksudnya
apa?") is read as a question about that item."""

from __future__ import annotations

import pytest

from bot.list_reference import answer_lists, list_reference, resolve_item
from bot.query import analyse
from replikasi.records import Turn

STAGES = (
    "Pertanyaan ini cukup luas; berikut beberapa panduan:\n\n"
    "Dalam panduan replikasi DataGO, replikasi berjalan melalui empat tahap:\n"
    "1. Persiapan;\n2. Rencana dan pengembangan;\n3. Replikasi – menerapkan;\n4. Evaluasi. [1]\n\n"
    "KemenPANRB memakai rumus ATM untuk replikasi:\n"
    "- Amati – pelajari inovasi yang berhasil;\n- Tiru – terapkan;\n- Modifikasi – sesuaikan. [2]"
)
ORIGINS = (
    "Pada tahun 2021 Kabupaten Buleleng merencanakan replikasi dua inovasi:\n"
    '- inovasi TOSS dari Kabupaten Klungkung, yang akan direplikasi dengan nama "PAS URBAN";\n'
    '- inovasi AKUWARAS dari Kota Denpasar, yang akan direplikasi dengan nama "LAYONSARI". [1]'
)


def test_an_answers_lists_are_read_with_their_introductions() -> None:
    lists = answer_lists(STAGES)
    assert [intro for intro, _ in lists] == [
        "Dalam panduan replikasi DataGO, replikasi berjalan melalui empat tahap:",
        "KemenPANRB memakai rumus ATM untuk replikasi:",
    ]
    assert lists[0][1][1] == "Rencana dan pengembangan"  # no ";", no citation
    assert lists[1][1][2] == "Modifikasi – sesuaikan"
    assert answer_lists("Satu kalimat saja. [1]") == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("yang tahap kedua maksudnya apa?", "yang tahap Rencana dan pengembangan maksudnya apa?"),
        ("tahap ke-4 itu ngapain aja?", "tahap Evaluasi itu ngapain aja?"),
        ("what does the second one mean?", "what does Rencana dan pengembangan mean?"),
        ("yang terakhir gimana?", "yang Evaluasi gimana?"),
        # the word before the pointer chooses the list it introduces
        ("rumus yang ketiga artinya apa?", "rumus yang Modifikasi – sesuaikan artinya apa?"),
        ("poin 3 jelasin dong", "Replikasi – menerapkan jelasin dong"),
    ],
)
def test_a_pointer_is_replaced_by_the_item_it_points_at(question: str, expected: str) -> None:
    assert resolve_item(question, STAGES) == expected


@pytest.mark.parametrize(
    "question",
    [
        "yang kelima apa?",  # no list is that long
        "isi Pasal 2 ayat kedua apa?",  # a regulation's part, not the answer's
        "Apa saja tahap kedua replikasi menurut panduan DataGO Kota Magelang tahun 2020?",
        "gimana cara replikasi inovasi?",  # points at nothing
    ],
)
def test_no_item_is_pointed_at(question: str) -> None:
    assert resolve_item(question, STAGES) == ""


def test_a_pointer_without_a_list_before_it_points_at_nothing() -> None:
    assert resolve_item("yang kedua apa?", "Jawaban tanpa daftar. [1]") == ""
    assert list_reference("yang kedua apa?") is not None


def test_a_follow_up_pointing_into_a_list_asks_about_that_item() -> None:
    turn = Turn(
        question="Buleleng mereplikasi inovasi apa saja?",
        resolved_query="Buleleng mereplikasi inovasi apa saja?",
        answer_text=ORIGINS,
    )
    query = analyse("yg pertama asalnya dari mana?", "id", [turn])
    assert query.follow_up and query.pointed
    assert {"toss", "klungkung"} <= set(query.own_terms)
    assert "buleleng" in query.terms  # the conversation's topic is carried as well
    assert "akuwaras" not in query.terms
    # "the second one" names a place in the list, not the second of a series
    english = analyse("and the second one, where is it from?", "en", [turn])
    assert "akuwaras" in english.own_terms and not english.anchors.ordinals
    # without the list before it, the same words are no pointer
    alone = analyse("yg pertama asalnya dari mana?", "id")
    assert not alone.pointed


@pytest.mark.parametrize(
    "question",
    [
        "kapan pertama kali diadakan?",  # the first time
        "kapan terakhir diadakan?",  # the last time
        "what about last year?",
        "kedua pihak wajib tanda tangan?",  # both parties
        "langkah kedua apa?",  # "langkah" names none of the lists' items
        "Which provinces were the first pilots?",  # English names the list after: pilots
    ],
)
def test_an_ordinal_that_points_nowhere_in_the_list(question: str) -> None:
    assert resolve_item(question, STAGES) == ""


def test_a_regulations_run_on_points_are_a_list() -> None:
    answer = (
        "Replikasi Inovasi dilaksanakan melalui tahapan: a. identifikasi dan pemilihan "
        "inovasi; b. penyusunan rencana replikasi; c. pelaksanaan replikasi; dan d. evaluasi "
        "(Pasal 3) [1]."
    )
    assert resolve_item("yang ketiga maksudnya apa?", answer) == (
        "yang pelaksanaan replikasi maksudnya apa?"
    )
    assert resolve_item("yang terakhir?", answer) == "yang evaluasi?"
    assert answer_lists("Biaya: Rp40.000.000,00 untuk setiap Desa (Pasal 14) [1].") == []
