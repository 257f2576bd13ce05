"""Uploading a regulation again: another format, a new version, a file of the same name."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ingest.pipeline import run_ingest
from ingest.versions import plan_upload, preview_upload
from replikasi import cli
from replikasi.embeddings import EmbeddingModel
from replikasi.index import KnowledgeIndex
from replikasi.settings import Settings, get_settings
from tests.regulation_fixtures import PERWAL, source_text, write_docx, write_pdf

NOTE = "# Catatan\n\nRapat replikasi inovasi di Kota Fiktif membahas jadwal studi tiru.\n"


@pytest.fixture
def folder(settings: Settings) -> Path:
    settings.knowledge_dir.mkdir(parents=True)
    (settings.knowledge_dir / "catatan.md").write_text(NOTE)
    return settings.knowledge_dir


def _ids(settings: Settings) -> list[str]:
    return sorted(doc.doc_id for doc in KnowledgeIndex.open(settings).documents())


def _touch(path: Path, seconds: float) -> None:
    os.utime(path, (seconds, seconds))


def test_the_same_name_in_another_format_is_kept_beside_the_first(
    settings: Settings, folder: Path, fake_embedding: EmbeddingModel
) -> None:
    (folder / "catatan.txt").write_text("Notulen lain: kunjungan ke Dinas Kesehatan.\n")
    report = run_ingest(settings, embedding=fake_embedding)
    assert sorted(report.added) == ["catatan.md", "catatan.txt"]
    assert _ids(settings) == ["catatan.md", "catatan.txt"]


def test_the_same_regulation_in_another_format_replaces_it_and_says_so(
    settings: Settings, folder: Path, fake_embedding: EmbeddingModel
) -> None:
    _touch(write_pdf(folder / "perwal.pdf"), 1_000_000)
    run_ingest(settings, embedding=fake_embedding)
    docx = write_docx(folder / "perwal.docx")
    _touch(docx, 2_000_000)

    report = run_ingest(settings, [docx], embedding=fake_embedding)
    assert report.added == ["perwal.docx"]
    assert [(r.old_id, r.new_id) for r in report.replaced] == [("perwal.pdf", "perwal.docx")]
    assert report.replaced[0].old_title.startswith("Peraturan Wali Kota Fiktif Nomor 3")
    assert _ids(settings) == ["catatan.md", "perwal.docx"]

    # A re-index of the whole folder keeps the newer file and names the older one.
    again = run_ingest(settings, embedding=fake_embedding)
    assert not again.changed and _ids(settings) == ["catatan.md", "perwal.docx"]
    assert [(r.old_id, r.new_id) for r in again.superseded] == [("perwal.pdf", "perwal.docx")]


def test_a_new_version_of_a_regulation_replaces_the_old_one(
    settings: Settings, folder: Path, fake_embedding: EmbeddingModel
) -> None:
    old = folder / "perwal-3-2026.txt"
    old.write_text(source_text())
    _touch(old, 1_000_000)
    run_ingest(settings, embedding=fake_embedding)
    new = folder / "perwal-3-2026-revisi.txt"
    new.write_text(source_text().replace("14 (empat belas) hari kerja", "10 (sepuluh) hari kerja"))

    report = run_ingest(settings, embedding=fake_embedding)
    assert report.added == ["perwal-3-2026-revisi.txt"] and not report.removed
    assert [r.old_id for r in report.replaced] == ["perwal-3-2026.txt"]
    collection = KnowledgeIndex.open(settings).active()
    assert collection is not None
    texts = " ".join(collection.get(where={"article": "Pasal 11"})["documents"] or [])
    assert "10 (sepuluh) hari kerja" in texts and "empat belas" not in texts


def test_a_curated_document_with_an_id_is_never_replaced(
    settings: Settings, folder: Path, fake_embedding: EmbeddingModel
) -> None:
    (folder / "ringkasan.md").write_text("---\nid: perwal-fiktif\n---\n" + source_text())
    run_ingest(settings, embedding=fake_embedding)
    report = run_ingest(settings, [write_pdf(folder / "perwal.pdf")], embedding=fake_embedding)
    assert not report.replaced
    assert _ids(settings) == ["catatan.md", "perwal-fiktif", "perwal.pdf"]


def test_upload_plan_names_what_would_be_replaced(
    settings: Settings, folder: Path, fake_embedding: EmbeddingModel, tmp_path: Path
) -> None:
    write_pdf(folder / "perwal.pdf")
    run_ingest(settings, embedding=fake_embedding)
    indexed = KnowledgeIndex.open(settings).documents()

    # The same regulation as DOCX: the PDF would be replaced.
    docx = write_docx(tmp_path / "perwal.docx").read_bytes()
    preview = preview_upload(folder, "perwal.docx", docx, indexed)
    assert preview.documents[0].doc_id == "perwal.docx"
    [conflict] = preview.plan.conflicts
    assert (conflict.reason, conflict.doc_id, conflict.path) == (
        "same_regulation",
        "perwal.pdf",
        "perwal.pdf",
    )
    assert conflict.label == "Perwal Fiktif 3/2026" and preview.plan.needs_confirmation

    # Another note under an existing name: the file of that name would be overwritten.
    other = b"# Catatan lain\n\nJadwal bimbingan teknis replikasi.\n"
    plan = preview_upload(folder, "catatan.md", other, indexed).plan
    assert [(c.reason, c.doc_id) for c in plan.conflicts] == [("same_name", "catatan.md")]
    assert plan.free_name == "catatan (2).md"

    # The same bytes again, or a new unrelated file: nothing to confirm.
    assert not preview_upload(folder, "catatan.md", NOTE.encode(), indexed).plan.conflicts
    assert not plan_upload(folder, "baru.md", [], indexed).needs_confirmation


def test_sources_json_lists_ids_titles_numbers_and_ocr(
    settings: Settings, folder: Path, fake_embedding: EmbeddingModel, monkeypatch, capsys
) -> None:
    write_pdf(folder / f"{PERWAL}.pdf")
    run_ingest(settings, embedding=fake_embedding)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    try:
        assert cli.main(["sources", "--json"]) == 0
    finally:
        get_settings.cache_clear()
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    perwal = records[f"{PERWAL}.pdf"]
    assert perwal["title"].startswith("Peraturan Wali Kota Fiktif Nomor 3 Tahun 2026 tentang")
    assert (perwal["type"], perwal["number"], perwal["year"]) == ("regulation", "3", 2026)
    assert perwal["label"] == "Perwal Fiktif 3/2026" and perwal["ocr"] is False
    assert perwal["chunks"] > 20
    assert records["catatan.md"]["number"] is None and records["catatan.md"]["type"] == "document"


def test_sources_table_shows_long_ids_whole() -> None:
    from rich.console import Console

    from replikasi.console import sources_table
    from replikasi.index import IndexedDocument

    long_id = "peraturan/perwal-kota-fiktif-nomor-3-tahun-2026-tentang-replikasi.pdf"
    doc = IndexedDocument(
        long_id, "Peraturan Wali Kota Fiktif " * 4, "regulation", "", "", "", "", 9
    )
    console = Console(width=100, record=True)
    console.print(sources_table([doc]))
    assert long_id in console.export_text()


def test_ingest_summary_names_replaced_versions_and_ocr() -> None:
    from rich.console import Console

    from ingest.cli import ingest_summary
    from ingest.pipeline import IngestReport
    from ingest.versions import Replacement

    report = IngestReport(
        added=["perwal-scan.pdf"],
        replaced=[Replacement("perwal.pdf", "Perwal Fiktif 3/2026", "perwal-scan.pdf")],
        ocr=[("perwal-scan.pdf", 8), ("se-scan.pdf", 1)],
    )
    console = Console(width=200, record=True)
    console.print(ingest_summary(report))
    text = console.export_text()
    assert "replaced perwal.pdf (Perwal Fiktif 3/2026) by perwal-scan.pdf" in text
    assert "text of perwal-scan.pdf read by OCR (8 pages)" in text
    assert "text of se-scan.pdf read by OCR (1 page)" in text
