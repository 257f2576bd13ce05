"""Articles copied from news sites lose their web junk and keep every real paragraph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.loaders import load_file
from ingest.loaders.boilerplate import clean_web_text, looks_like_web_page
from tests.ci import require_shared, skip_or_fail

SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEEDS: list[Path | None] = [*sorted(SEEDS_DIR.glob("*.txt"))] if SEEDS_DIR.is_dir() else []

# Distinctive phrases from real article paragraphs (datelines included), by seed prefix.
ARTICLE_PHRASES = {
    "000": ["adopsi, adaptasi, dan modifikasi", "GALAMEDIANEWS - Pada tahun 2024", "Batik Ciprat"],
    "001": ["Indonesiaplus.id", "Pesona Surga", "One Agency One Innovation"],
    "002": ["623 peserta", "54 hub", "JAKARTA, FLORESPOS.net", "Universitas Padjajaran"],
    "003": ["Rumah Kinasih from Blitar", "Kartini Integrated Center in Temanggung."],
    "004": ["sembilan kategori", "Jakarta (ANTARA) - Kementerian", "adaptasi perubahan iklim"],
}
JUNK_SUBSTRINGS = [
    "URL berhasil dicopy",
    "Related Articles",
    "Berita Terkait",
    "Berita Terbaru",
    "Read Entire Article",
    "Dilarang keras",
    "Back to top",
    "kali dibaca",
    "facebook twitter",
    "| | |",
    "week ago",
]
JUNK_LINE = re.compile(
    r"^(baca juga|penulis\s*:|editor\s*:|pewarta\s*:|sumber( berita)?\s*:|tags$|terkini$"
    r"|terpopuler$|- jurnalis$|copyright)",
    re.IGNORECASE | re.MULTILINE,
)


def _squash(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture(params=SEEDS or [None], ids=lambda p: p.name if p else "no-seeds")
def seed(request: pytest.FixtureRequest) -> Path:
    if request.param is None:
        require_shared(SEEDS_DIR)
        skip_or_fail(f"no seed articles (*.txt) in {SEEDS_DIR}")
    path: Path = request.param
    return path


def test_seed_loses_web_junk(seed: Path) -> None:
    (doc,) = load_file(seed, seed.parent)
    for junk in JUNK_SUBSTRINGS:
        assert junk not in doc.text
    assert JUNK_LINE.findall(doc.text) == []


def test_seed_keeps_article_paragraphs(seed: Path) -> None:
    (doc,) = load_file(seed, seed.parent)
    for phrase in ARTICLE_PHRASES.get(seed.name[:3], []):
        assert phrase in doc.text
    # Every long paragraph of the copy is article text and must survive word for word.
    text = _squash(doc.text)
    for paragraph in seed.read_text(encoding="utf-8").split("\n"):
        if len(paragraph) > 200 and not paragraph.startswith("Dilarang"):
            assert _squash(paragraph) in text


def test_seed_related_headline_list_is_dropped() -> None:
    seed = SEEDS_DIR / "002_f12ac4b78df0233e.txt"
    require_shared(seed)
    (doc,) = load_file(seed, seed.parent)
    assert "Batas Akhir Pendaftaran Seleksi PPPK" not in doc.text
    assert "Minggu, 19 Januari 2025" not in doc.text
    assert doc.text.rstrip().endswith("Universitas Padjajaran. *")
    # The photo caption was pasted twice; it is kept once.
    assert doc.text.count("Foto: kemenpanrb") == 1
    assert doc.title == "Inovasi Pelayanan Publik Harus Fokus pada Kebutuhan Masyarakat"


ARTICLE = (
    "EKONOMI\n\n"
    "Pemkab Contoh raih penghargaan inovasi\n\n"
    "KOTA CONTOH - Pemerintah Kabupaten Contoh meraih penghargaan Top 45 Kompetisi Inovasi "
    "Pelayanan Publik berkat layanan antar dokumen kependudukan ke rumah warga lanjut usia.\n\n"
)
LONG_PARAGRAPH = (
    "Layanan tersebut kini direplikasi oleh tiga kabupaten tetangga yang mengirim petugas "
    "untuk belajar langsung tentang alur kerja, anggaran, dan cara melibatkan kader desa."
)


def test_trailing_related_list_and_credits_are_cut() -> None:
    page = (
        ARTICLE + "Baca Juga : Harga cabai naik lagi\n\nShare: Facebook Twitter WhatsApp\n\n"
        f"{LONG_PARAGRAPH}\n\nReporter : Seseorang\n\nArtikel Terkait\n\n"
        "Judul berita pertama yang tidak relevan\n12 Mei 2024\nJudul berita kedua\n"
    )
    assert looks_like_web_page(page)
    cleaned = clean_web_text(page)
    assert cleaned.endswith(LONG_PARAGRAPH)
    assert "Harga cabai" not in cleaned and "Facebook" not in cleaned
    assert "EKONOMI" not in cleaned  # the category label above the headline
    assert cleaned.startswith("Pemkab Contoh raih penghargaan inovasi\n\nKOTA CONTOH")


def test_marker_followed_by_article_text_only_loses_the_marker() -> None:
    page = ARTICLE + "Terkini\n\n" + LONG_PARAGRAPH + "\n\nBaca juga: Berita lain\n"
    cleaned = clean_web_text(page)
    assert "Terkini" not in cleaned
    assert cleaned.endswith(LONG_PARAGRAPH)


def test_plain_note_is_not_mistaken_for_a_web_page() -> None:
    note = "Rapat koordinasi\n\nSumber: notulen\nEditor: sekretariat\n\nPasal 3\n(1) Isi ayat."
    assert not looks_like_web_page(note)
