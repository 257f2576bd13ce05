"""A regulation's signing formula read into one sentence (bot.closing)."""

from __future__ import annotations

import pytest

from bot.closing import read_closing, readable_closing

LAID_OUT = """Ditetapkan di Sentosa Jaya
pada tanggal 22 April 2024
BUPATI FIKSI,

ttd

ANDIKA PRATAMA WIRAHADI

Diundangkan di Sentosa Jaya
pada tanggal 23 April 2024
SEKRETARIS DAERAH KABUPATEN FIKSI,
ttd.
RATNA SARI HALOHO

BERITA DAERAH KABUPATEN FIKSI TAHUN 2024 NOMOR 7"""

SAID = (
    "Ditetapkan di Sentosa Jaya pada tanggal 22 April 2024 oleh Bupati Fiksi, Andika Pratama "
    "Wirahadi; diundangkan di Sentosa Jaya pada tanggal 23 April 2024 oleh Sekretaris Daerah "
    "Kabupaten Fiksi, Ratna Sari Haloho; dimuat dalam Berita Daerah Kabupaten Fiksi Tahun "
    "2024 Nomor 7."
)


@pytest.mark.parametrize("text", [LAID_OUT, " ".join(LAID_OUT.split())])
def test_a_closing_is_said_in_one_sentence_with_or_without_its_lines(text: str) -> None:
    """Text from a PDF may have lost the lines; the formula reads the same either way."""
    assert readable_closing(text) == SAID


def test_a_ministers_closing_keeps_its_conjunctions_initials_and_acronyms() -> None:
    text = (
        "Ditetapkan di Jakarta pada tanggal 3 Mei 2024 MENTERI PENDAYAGUNAAN APARATUR NEGARA "
        "DAN REFORMASI BIROKRASI REPUBLIK INDONESIA, ttd. ABDULLAH AZWAR ANAS "
        "Salinan sesuai dengan aslinya KEPALA BIRO HUKUM, ttd. NIP 19700101"
    )
    acts, gazette = read_closing(text)
    assert [a.office for a in acts] == [
        "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Republik Indonesia"
    ]
    assert acts[0].name == "Abdullah Azwar Anas" and gazette == ""
    assert (
        read_closing("Ditetapkan di Rekaan pada tanggal 2 Mei 2023 KETUA DPRD, ttd. H. BUDI")[0][
            0
        ].office
        == "Ketua DPRD"
    )


def test_text_that_is_no_signing_formula_is_left_alone() -> None:
    assert readable_closing("Peraturan Bupati ini mulai berlaku pada tanggal diundangkan.") == ""
    assert readable_closing("TAMBAHAN BERITA DAERAH KABUPATEN FIKSI NOMOR 7") == ""
