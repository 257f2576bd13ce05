"""What a short name stands for: only a sentence spelling it out answers that."""

from __future__ import annotations

import pytest

from bot.acronyms import ASKS_EXPANSION, expanded_names, expands_asked_name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "untuk mengelola Jaringan Inovasi Pelayanan Publik Nasional (JIPPNas) sejak 2014",
            "jippnas",
        ),
        ("prinsip ATM (amati, tiru, modifikasi) dipakai", "atm"),
        ("SINOVIK (Sistem Informasi Inovasi Pelayanan Publik) dibuka", "sinovik"),
        ("Badan Riset dan Inovasi Daerah yang selanjutnya disingkat BRIDA adalah", "brida"),
        ("SWP merupakan singkatan dari Sheltered Workshop Peduli", "swp"),
        ("pada SIKS-NG (Sistem Informasi Kesejahteraan Sosial Next Generation)", "siksng"),
    ],
)
def test_a_sentence_spelling_out_a_name_is_recognised(text: str, name: str) -> None:
    assert name in expanded_names(text)


@pytest.mark.parametrize(
    "text",
    [
        "Inovasi Kakeku Datang (Gresik) masuk Top 99",  # a place in brackets
        "Gempur Jatim meraih penghargaan (Top 45) pada 2023",
        "diikuti 623 peserta (33 instansi pusat dan 590 daerah)",
        "Dinas Kominfo (DKI Jakarta) mencatat kenaikan",  # capitals, but not its letters
    ],
)
def test_a_name_merely_mentioned_or_a_bracketed_aside_is_no_expansion(text: str) -> None:
    assert not expanded_names(text)


def test_a_question_on_a_name_the_sources_never_spell_out_finds_no_expansion() -> None:
    question = "Apa kepanjangan dari nama inovasi Gempur Jatim?"
    assert ASKS_EXPANSION.search(question)
    mentions = ["Inovasi Gempur Jatim membantu pelaku usaha mikro memperoleh izin edar."]
    assert not expands_asked_name(question, mentions)
    spelled = ["Sistem Informasi Inovasi Pelayanan Publik (SINOVIK) dibuka tiap tahun."]
    assert expands_asked_name("What does SINOVIK stand for?", spelled)
    assert not ASKS_EXPANSION.search("Which regulation is the standing basis for KIPP?")
