"""Loading knowledge files: ids, titles, Markdown structure, and errors an admin can act on."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from ingest.documents import LoadError, SourceDocument
from ingest.loaders import SUPPORTED_EXTENSIONS, discover_files, load_file


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


def load_one(path: Path, root: Path) -> SourceDocument:
    documents = load_file(path, root)
    assert len(documents) == 1
    return documents[0]


def load_error(path: Path, root: Path) -> str:
    with pytest.raises(LoadError) as caught:
        load_file(path, root)
    assert caught.value.path == path.relative_to(root).as_posix()
    return caught.value.reason


# --- Markdown and plain text -------------------------------------------------------------


def test_front_matter_sets_id_title_type_urls_and_metadata(tmp_path: Path) -> None:
    path = write(
        tmp_path / "program" / "replikasi.md",
        "---\n"
        "id: program/replikasi-2024\n"
        "title: Program Replikasi Inovasi\n"
        "type: program\n"
        "source_urls: https://menpan.go.id/replikasi\n"
        "updated: 2024-10-03\n"
        "penanggung_jawab: Asdep Praktik Terbaik\n"
        "tags: [inovasi, replikasi]\n"
        "---\n"
        "# Judul di badan\n\nIsi program.\n",
    )
    doc = load_one(path, tmp_path)
    assert doc.doc_id == "program/replikasi-2024"
    assert doc.title == "Program Replikasi Inovasi"
    assert doc.doc_type == "program"
    assert doc.source_urls == ("https://menpan.go.id/replikasi",)
    assert doc.updated == "2024-10-03"
    assert doc.path == "program/replikasi.md"
    assert doc.text == "# Judul di badan\n\nIsi program."
    assert doc.metadata == {"penanggung_jawab": "Asdep Praktik Terbaik"}


def test_without_front_matter_id_comes_from_path_and_title_from_first_heading(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path / "peraturan" / "Pedoman 6 2024.md",
        "Catatan pembuka\n\n## Mekanisme Replikasi\n\nBAB I\nKETENTUAN UMUM\n\nPasal 1\n",
    )
    doc = load_one(path, tmp_path)
    assert doc.doc_id == "peraturan/pedoman-6-2024.md"
    assert doc.path == "peraturan/Pedoman 6 2024.md"
    assert doc.title == "Mekanisme Replikasi"
    assert "BAB I\nKETENTUAN UMUM\n\nPasal 1" in doc.text


def test_plain_text_note_comes_through_unchanged(tmp_path: Path) -> None:
    note = (
        "Catatan rapat replikasi\n\n"
        "Sumber: notulen rapat koordinasi\n"
        "Pasal 3\n"
        "(1) Replikasi dilakukan melalui adopsi, adaptasi, atau modifikasi.\n"
        "Editor: tim sekretariat"
    )
    doc = load_one(write(tmp_path / "catatan_rapat.txt", note + "\n"), tmp_path)
    assert doc.text == note
    assert doc.title == "Catatan rapat replikasi"
    assert doc.format == "text"


def test_plain_text_with_long_first_line_is_titled_from_file_name(tmp_path: Path) -> None:
    doc = load_one(write(tmp_path / "ringkasan_kipp.txt", "kata " * 60), tmp_path)
    assert doc.title == "Ringkasan kipp"


def test_invalid_front_matter_says_where(tmp_path: Path) -> None:
    path = write(tmp_path / "rusak.md", "---\ntitle: Ok\ntype: [program\n---\nIsi\n")
    reason = load_error(path, tmp_path)
    assert "front matter" in reason
    assert "line 3" in reason


def test_unclosed_front_matter_is_an_error(tmp_path: Path) -> None:
    reason = load_error(write(tmp_path / "a.md", "---\ntitle: x\n\nIsi tanpa penutup\n"), tmp_path)
    assert "never closed" in reason


def test_unknown_document_type_is_rejected(tmp_path: Path) -> None:
    reason = load_error(write(tmp_path / "a.md", "---\ntype: memo\n---\nIsi\n"), tmp_path)
    assert "unknown type 'memo'" in reason


# --- HTML --------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head><title>Replikasi Inovasi - Portal Berita</title>
<link rel="canonical" href="https://example.go.id/berita/replikasi">
<style>.x{color:red}</style><script>var tracking = 1;</script></head>
<body class="single has-sidebar">
<header><nav><a href="/">Beranda</a> <a href="/nasional">Nasional</a></nav></header>
<div class="share-buttons">Bagikan ke Facebook</div>
<main>
  <h1>Replikasi Inovasi Layanan Publik</h1>
  <p>Pemerintah daerah didorong mereplikasi <b>inovasi</b> yang sudah terbukti.</p>
  <p>Baca juga: Berita lain yang tidak relevan</p>
  <h2>Tahapan</h2>
  <ul><li>Identifikasi inovasi</li><li>Penyesuaian dengan kebutuhan daerah</li></ul>
  <h3>Contoh</h3>
  <table><tr><th>Inovasi</th><th>Daerah</th></tr>
         <tr><td>BARIS DITEBAS</td><td>Bandung</td></tr></table>
  <div class="related-posts"><a href="/x">Judul berita lain</a></div>
</main>
<aside>Terpopuler minggu ini</aside>
<footer>Hak cipta portal</footer>
</body></html>"""


def test_html_keeps_the_article_as_markdown_and_drops_the_page_around_it(tmp_path: Path) -> None:
    doc = load_one(write(tmp_path / "berita" / "replikasi.html", PAGE), tmp_path)
    assert doc.title == "Replikasi Inovasi Layanan Publik"
    assert doc.source_urls == ("https://example.go.id/berita/replikasi",)
    assert doc.text.startswith("# Replikasi Inovasi Layanan Publik\n\n")
    assert "Pemerintah daerah didorong mereplikasi inovasi yang sudah terbukti." in doc.text
    assert "## Tahapan\n\n- Identifikasi inovasi\n- Penyesuaian dengan kebutuhan daerah" in doc.text
    assert "### Contoh" in doc.text
    assert "Inovasi: BARIS DITEBAS | Daerah: Bandung" in doc.text
    for junk in ("Beranda", "Bagikan", "tracking", "color:red", "Baca juga", "Judul berita lain"):
        assert junk not in doc.text
    assert "Terpopuler" not in doc.text and "Hak cipta" not in doc.text


def test_html_layout_wrapper_named_like_a_sidebar_keeps_its_content(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Profil Inovasi</title></head>'
        '<body><div class="wrap with-sidebar"><p>Caf\xe9 Inklusi melatih<br>barista tunanetra.'
        '</p></div><div id="comments">Komentar pembaca</div></body></html>'
    )
    path = tmp_path / "profil.html"
    path.write_bytes(page.encode("latin-1"))
    doc = load_one(path, tmp_path)
    assert doc.title == "Profil Inovasi"
    assert doc.text == "Café Inklusi melatih\nbarista tunanetra."


def test_html_with_only_navigation_is_an_error(tmp_path: Path) -> None:
    page = "<html><body><nav>Menu</nav><script>x()</script></body></html>"
    assert "no readable text" in load_error(write(tmp_path / "kosong.html", page), tmp_path)


# --- DOCX --------------------------------------------------------------------------------


def test_docx_headings_paragraphs_and_tables_in_body_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Panduan Replikasi", level=1)
    document.add_paragraph("Panduan ini menjelaskan langkah replikasi.")
    document.add_heading("Daftar Inovasi", level=2)
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(
        table.rows,
        [("Nama", "Daerah", "Tahun"), ("SIPANDU", "Banyuwangi", "2021"), ("LAPOR", "Jakarta", "")],
        strict=True,
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("Catatan setelah tabel.")
    document.add_paragraph("Langkah pertama", style="List Bullet")
    path = tmp_path / "panduan" / "Panduan Replikasi.docx"
    path.parent.mkdir()
    document.save(str(path))

    doc = load_one(path, tmp_path)
    assert doc.doc_id == "panduan/panduan-replikasi.docx"
    assert doc.title == "Panduan Replikasi"
    assert doc.text == (
        "# Panduan Replikasi\n\n"
        "Panduan ini menjelaskan langkah replikasi.\n\n"
        "## Daftar Inovasi\n\n"
        "Nama: SIPANDU | Daerah: Banyuwangi | Tahun: 2021\n"
        "Nama: LAPOR | Daerah: Jakarta\n\n"
        "Catatan setelah tabel.\n\n"
        "- Langkah pertama"
    )


def test_damaged_docx_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "rusak.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip archive" * 10)
    assert "not a readable Word document" in load_error(path, tmp_path)


# --- PDF ---------------------------------------------------------------------------------


def make_pdf(path: Path, pages: list[str], encrypt_for: str | None = None) -> Path:
    """A PDF with a real text layer; `encrypt_for` is the password needed to open it ("" for
    a PDF that opens freely but is restricted, as many government PDFs are)."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    if encrypt_for is not None:
        pdf.set_encryption(owner_password="owner", user_password=encrypt_for)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 10, text)
    pdf.output(str(path))
    return path


def test_pdf_text_is_extracted_from_every_page(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "Pedoman 6 2024.pdf",
        ["Pedoman Replikasi Inovasi\nBAB I\nKETENTUAN UMUM", "Pasal 3\nReplikasi dilakukan."],
    )
    doc = load_one(path, tmp_path)
    assert doc.doc_id == "pedoman-6-2024.pdf"
    assert doc.format == "pdf"
    assert "BAB I" in doc.text and "KETENTUAN UMUM" in doc.text
    assert "Pasal 3" in doc.text and "Replikasi dilakukan." in doc.text
    assert doc.title == "Pedoman Replikasi Inovasi"


def test_corrupt_pdf_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "rusak.pdf"
    path.write_bytes(bytes(range(256)) * 8)
    assert "not a readable PDF" in load_error(path, tmp_path)


def test_pdf_without_text_layer_asks_for_ocr(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", [""])
    assert "no text layer" in load_error(path, tmp_path)


def test_password_protected_pdf_is_an_error(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "rahasia.pdf", ["Isi rahasia"], encrypt_for="secret")
    assert "password-protected" in load_error(path, tmp_path)


def test_restricted_pdf_without_open_password_still_loads(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "terbatas.pdf", ["Isi yang boleh dibaca"], encrypt_for="")
    assert "Isi yang boleh dibaca" in load_one(path, tmp_path).text


# --- Errors common to all formats --------------------------------------------------------


@pytest.mark.parametrize("name", ["kosong.md", "kosong.pdf", "kosong.docx", "kosong.csv"])
def test_zero_byte_file_is_an_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.touch()
    assert load_error(path, tmp_path) == "file is empty"


def test_whitespace_only_text_is_an_error(tmp_path: Path) -> None:
    assert load_error(write(tmp_path / "a.txt", "\n   \n\t\n"), tmp_path) == "file is empty"


def test_latin1_text_is_rejected_as_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path / "lama.txt", "Inovasi daerah: café à la carte", encoding="latin-1")
    assert "not valid UTF-8" in load_error(path, tmp_path)


def test_unsupported_extension_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "lama.doc", "x")
    assert "unsupported file type '.doc'" in load_error(path, tmp_path)


# --- Catalogues --------------------------------------------------------------------------

CSV_TEXT = (
    "\ufeffNama Inovasi;Instansi;Provinsi;Tahun;Kategori;Penghargaan;Ringkasan;Hasil;Tautan;"
    "Kontak\n"
    "SIPANDU;Pemkab Banyuwangi;Jawa Timur;2021;Digital;Top 45 KIPP;Layanan terpadu.;"
    "Antrean turun 60%.;https://sipandu.example.id;0812\n"
    ";Pemkot X;;;;;;;;\n"
    "SIPANDU;Pemkab Lain;;2022;;;;;;\n"
)


def test_csv_catalogue_gives_one_innovation_per_row(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path / "katalog" / "Inovasi 2024.csv", CSV_TEXT)
    with caplog.at_level(logging.WARNING):
        docs = load_file(path, tmp_path)
    assert [d.doc_id for d in docs] == [
        "katalog/inovasi-2024/sipandu",
        "katalog/inovasi-2024/sipandu-2",
    ]
    first = docs[0]
    assert first.title == "SIPANDU"
    assert first.doc_type == "innovation" and first.format == "catalogue"
    assert first.source_urls == ("https://sipandu.example.id",)
    assert first.metadata == {
        "name": "SIPANDU",
        "agency": "Pemkab Banyuwangi",
        "region": "Jawa Timur",
        "year": 2021,
        "category": "Digital",
        "award": "Top 45 KIPP",
        "contact_url": "https://sipandu.example.id",
        "kontak": "0812",
    }
    assert first.text == (
        "# SIPANDU\n\n"
        "Instansi: Pemkab Banyuwangi\nDaerah: Jawa Timur\nTahun: 2021\n"
        "Kategori: Digital\nPenghargaan: Top 45 KIPP\n\n"
        "## Ringkasan\nLayanan terpadu.\n\n## Hasil\nAntrean turun 60%."
    )
    assert docs[1].text == "# SIPANDU\n\nInstansi: Pemkab Lain\nTahun: 2022"
    assert "row 3 has no name" in caplog.text


def test_json_catalogue_under_items_key(tmp_path: Path) -> None:
    data = {
        "items": [
            {"id": "inovasi/lapor", "name": "LAPOR", "year": 2015, "tags": ["aduan", "online"]},
            {"judul": "Si Cantik", "daerah": "Sleman", "deskripsi": "Perizinan daring."},
        ]
    }
    docs = load_file(write(tmp_path / "inovasi.json", json.dumps(data)), tmp_path)
    assert [d.doc_id for d in docs] == ["inovasi/lapor", "inovasi/si-cantik"]
    assert docs[0].metadata == {"name": "LAPOR", "year": 2015, "tags": "aduan, online"}
    assert docs[1].metadata == {"name": "Si Cantik", "region": "Sleman"}
    assert "## Ringkasan\nPerizinan daring." in docs[1].text


def test_yaml_catalogue_as_a_list(tmp_path: Path) -> None:
    text = (
        "- name: Mal Pelayanan Publik\n  region: Kota Batam\n  award: Top 99\n- nama: E-Kinerja\n"
    )
    docs = load_file(write(tmp_path / "daftar.yaml", text), tmp_path)
    assert [d.title for d in docs] == ["Mal Pelayanan Publik", "E-Kinerja"]
    assert docs[0].metadata["award"] == "Top 99"
    assert all(d.doc_type == "innovation" for d in docs)


def test_csv_without_name_column_lists_the_columns_found(tmp_path: Path) -> None:
    path = write(tmp_path / "salah.csv", "Instansi,Tahun\nPemkab A,2020\n")
    reason = load_error(path, tmp_path)
    assert "no 'name' column" in reason
    assert "'Instansi'" in reason and "'Tahun'" in reason


def test_csv_in_excel_latin1_encoding_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "excel.csv", "nama;daerah\nInovasi Café;Bali\n", encoding="latin-1")
    assert "not valid UTF-8" in load_error(path, tmp_path)


@pytest.mark.parametrize(
    ("name", "text"),
    [("config.json", '{"settings": {"a": 1}}'), ("config.yaml", "just a sentence\n")],
)
def test_json_or_yaml_that_is_not_a_catalogue_says_what_is_expected(
    tmp_path: Path, name: str, text: str
) -> None:
    reason = load_error(write(tmp_path / name, text), tmp_path)
    assert "expected a list of innovation entries" in reason


def test_invalid_json_says_where(tmp_path: Path) -> None:
    reason = load_error(write(tmp_path / "rusak.json", '[{"name": "A",}]'), tmp_path)
    assert "invalid JSON at line 1" in reason


# --- Discovery ---------------------------------------------------------------------------


def test_discover_files_recurses_sorted_and_skips_hidden_and_unsupported(tmp_path: Path) -> None:
    for name in [
        "b.md",
        "a/z.pdf",
        "a/c.CSV",
        ".git/config.yaml",
        "a/.hidden.md",
        "a/~$lock.docx",
        "a/program.exe",
        "notes",
    ]:
        write(tmp_path / name, "x")
    assert discover_files([tmp_path]) == [
        tmp_path / "a" / "c.CSV",
        tmp_path / "a" / "z.pdf",
        tmp_path / "b.md",
    ]


def test_discover_files_rejects_an_explicit_unsupported_file(tmp_path: Path) -> None:
    path = write(tmp_path / "program.exe", "x")
    with pytest.raises(LoadError, match=r"unsupported file type '\.exe' \(supported: \.md"):
        discover_files([path])
    assert ".pdf" in SUPPORTED_EXTENSIONS


def test_discover_files_accepts_explicit_files_and_reports_missing_ones(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", "isi")
    assert discover_files([path, tmp_path]) == [path]
    with pytest.raises(LoadError, match="no such file"):
        discover_files([tmp_path / "hilang.md"])
