"""A regulation's outline ("ringkasan Perwal …", "berapa pasal?", "isi BAB III apa?") is
told from its structure, not searched for."""

from __future__ import annotations

import pytest

from bot.query import analyse
from bot.regulation_outline import asked_chapter, first_words, regulation_outline
from replikasi.language import detect_language
from replikasi.records import MetaKey, RetrievedChunk

DOC = "perwal-fiktif-3-2026.txt"


def _chunk(position: int, section: str, text: str, article: str = "", **meta: object):
    return RetrievedChunk(
        chunk_id=f"{DOC}#{position}",
        doc_id=DOC,
        title="Peraturan Wali Kota Fiktif Nomor 3 Tahun 2026 tentang Replikasi Inovasi",
        section=section,
        text=text,
        doc_type="regulation",
        source_url="",
        metadata={MetaKey.POSITION: position, MetaKey.REG_LABEL: "Perwal Fiktif 3/2026",
                  "article": article, **meta},
    )  # fmt: skip


CHUNKS = [
    _chunk(0, "Judul", "PERATURAN WALI KOTA FIKTIF …", reg_section="title"),
    _chunk(2, "BAB I KETENTUAN UMUM › Pasal 1", "Dalam Peraturan ini …", "Pasal 1"),
    _chunk(3, "BAB I KETENTUAN UMUM › Pasal 2", "(1) Replikasi bertujuan …", "Pasal 2"),
    _chunk(4, "BAB II TAHAPAN REPLIKASI › Bagian Kesatu Umum › Pasal 3", "(1) A …", "Pasal 3"),
    _chunk(5, "BAB II TAHAPAN REPLIKASI › Bagian Kesatu Umum › Pasal 3", "(4) B …", "Pasal 3"),
    _chunk(6, "BAB III PEMBINAAN DAN SANKSI › Pasal 4", "(1) C …", "Pasal 4"),
    _chunk(7, "Penjelasan › Pasal 2", "Cukup jelas.", reg_section="elucidation"),
    _chunk(1, "Menimbang", "bahwa …", reg_section="preamble"),
]


def test_the_outline_holds_each_chapter_with_its_articles_in_order() -> None:
    outline = regulation_outline(DOC, reversed(CHUNKS))
    assert outline is not None and outline.articles == 4
    assert [(c.label, c.span) for c in outline.chapters] == [
        ("BAB I Ketentuan Umum", "Pasal 1–2"),
        ("BAB II Tahapan Replikasi", "Pasal 3"),  # one article in two passages
        ("BAB III Pembinaan dan Sanksi", "Pasal 4"),
    ]
    assert outline.title.section == "Judul"
    assert regulation_outline("other.txt", CHUNKS) is None


@pytest.mark.parametrize(
    ("question", "outline", "chapter"),
    [
        ("ringkasan perwal fiktif 3/2026 dong", True, 0),
        ("Apa saja isi pokok Perwal Fiktif 3/2026?", True, 0),
        ("Perbup 14/2026 terdiri dari berapa pasal?", True, 0),
        ("Give me a summary of the Perwal Fiktif 3/2026", True, 0),
        ("BAB apa saja yang ada di Perwal Fiktif?", True, 0),
        ("isi BAB III Perwal Fiktif apa?", False, 3),
        ("What does chapter 2 of this regulation say?", False, 2),
        ("ringkasan inovasi BARIS DITEBAS dong", False, 0),  # names no regulation
        ("isi Pasal 3 BAB II Perwal Fiktif apa?", False, 0),  # an article: looked up as one
    ],
)
def test_an_outline_or_a_chapter_is_asked_of_a_regulation_named(
    question: str, outline: bool, chapter: int
) -> None:
    query = analyse(question, detect_language(question))
    assert (query.outline, query.chapter) == (outline, chapter)


def test_chapters_are_numbered_in_roman_or_arabic_figures() -> None:
    assert [asked_chapter(f"BAB {n}") for n in ("I", "IV", "IX", "XIV", "12")] == [1, 4, 9, 14, 12]
    assert asked_chapter("Pasal 4") == 0


def test_an_articles_first_words_are_cut_at_a_word() -> None:
    text = "(1) Pelaksanaan replikasi dilakukan paling lama 6 (enam) bulan sejak rencana"
    assert first_words(text, 40) == "(1) Pelaksanaan replikasi dilakukan …"
    assert first_words("Cukup jelas.") == "Cukup jelas."
