from __future__ import annotations

from ingest.chunking import chunk_document, is_regulation_text
from ingest.documents import SourceDocument

REGULATION = """# Peraturan Contoh tentang Replikasi

BAB I
KETENTUAN UMUM

Pasal 1
Dalam peraturan ini yang dimaksud dengan replikasi adalah penerapan inovasi yang sudah terbukti.

BAB II
PELAKSANAAN REPLIKASI

Bagian Kesatu
Persiapan

Pasal 2
(1) Instansi penerima menyiapkan rencana replikasi.
(2) Rencana replikasi memuat bentuk replikasi: adopsi, adaptasi, atau modifikasi.
(3) Rencana disetujui pimpinan instansi.

Bagian Kedua
Evaluasi

Pasal 3
Evaluasi dilakukan setiap tahun.
"""


def _doc(text: str, title: str = "Peraturan Contoh tentang Replikasi") -> SourceDocument:
    return SourceDocument(doc_id="contoh", title=title, text=text, path="contoh.md")


def test_regulation_chunks_keep_parent_headings() -> None:
    chunks = chunk_document(_doc(REGULATION))
    paths = [c.section_path for c in chunks]
    assert ("BAB I KETENTUAN UMUM", "Pasal 1") in paths
    assert ("BAB II PELAKSANAAN REPLIKASI", "Bagian Kesatu Persiapan", "Pasal 2") in paths
    assert ("BAB II PELAKSANAAN REPLIKASI", "Bagian Kedua Evaluasi", "Pasal 3") in paths
    pasal2 = next(c for c in chunks if c.section_path[-1] == "Pasal 2")
    assert "(2) Rencana replikasi memuat bentuk replikasi" in pasal2.text
    # The document title is metadata, not a section of its own.
    assert all("Peraturan Contoh" not in " ".join(p) for p in paths)


def test_long_pasal_is_split_between_ayat_not_inside_them() -> None:
    ayat = "\n".join(f"({i}) " + "Ketentuan tentang replikasi inovasi. " * 8 for i in range(1, 9))
    text = f"BAB I\nUMUM\n\nPasal 1\n{ayat}\n\nPasal 2\nSelesai."
    chunks = chunk_document(_doc(text), max_chars=700)
    pasal1 = [c for c in chunks if c.section_path[-1] == "Pasal 1"]
    assert len(pasal1) > 1
    for chunk in pasal1:
        assert chunk.text.startswith("("), chunk.text[:40]  # every piece starts at an ayat
        assert len(chunk.text) <= 700


def test_markdown_sections_and_long_section_overlap() -> None:
    long_body = " ".join(f"Kalimat nomor {i} tentang hub inovasi daerah." for i in range(80))
    text = (
        f"# Judul\n\nRingkasan singkat.\n\n## Hub\n\n### Kriteria\n\n{long_body}"
        "\n\n## Lain\n\nTeks lain."
    )
    chunks = chunk_document(_doc(text, title="Judul"), max_chars=500, overlap=100)
    kriteria = [c for c in chunks if c.section_path == ("Hub", "Kriteria")]
    assert len(kriteria) >= 5
    assert all(len(c.text) <= 500 for c in kriteria)
    # Consecutive pieces overlap so a sentence cut at a boundary is still whole somewhere.
    first_end = kriteria[0].text[-40:]
    assert first_end.split()[-1] in kriteria[1].text
    assert any(c.section_path == ("Lain",) for c in chunks)


def test_chunk_ids_are_stable_and_unique() -> None:
    first = chunk_document(_doc(REGULATION))
    second = chunk_document(_doc(REGULATION))
    assert [c.chunk_id for c in first] == [c.chunk_id for c in second]
    assert len({c.chunk_id for c in first}) == len(first)
    assert all(c.chunk_id.startswith("contoh#") for c in first)


def test_markdown_tables_and_emphasis_become_plain_sentences() -> None:
    text = (
        "## Data\n\nRincian:\n\n| Asal | Jumlah |\n|---|---|\n| **LAN** | 876 |"
        "\n\nSelesai di sini, cukup panjang. " * 30
    )
    chunks = chunk_document(_doc(text, title="X"))
    joined = "\n".join(c.text for c in chunks)
    assert "Asal: LAN; Jumlah: 876." in joined
    assert "|" not in joined and "**" not in joined


def test_regulation_detection() -> None:
    assert is_regulation_text(REGULATION)
    assert not is_regulation_text("# Judul\n\nPasal 5 disebut sekali saja dalam teks biasa.")
