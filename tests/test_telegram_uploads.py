"""Admins' uploads: file names, refusals, and save → ingest → keep or roll back."""

from __future__ import annotations

import pytest

from bot.telegram.uploads import check_upload, safe_filename, save_and_ingest
from ingest.pipeline import run_ingest
from replikasi.embeddings import EmbeddingModel
from replikasi.settings import Settings

NOTE = (
    b"---\ntitle: Catatan Rapat Replikasi\ntype: article\n---\n# Catatan\n\n"
    b"Rapat membahas replikasi inovasi SWP di Temanggung.\n"
)


@pytest.fixture
def indexed(settings: Settings, fake_embedding: EmbeddingModel) -> Settings:
    settings.knowledge_dir.mkdir(parents=True)
    (settings.knowledge_dir / "dasar.md").write_text(
        "# Dasar\n\nReplikasi inovasi memiliki tiga bentuk: adopsi, adaptasi, modifikasi.\n"
    )
    run_ingest(settings, embedding=fake_embedding)
    return settings


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/catatan.md", "catatan.md"),
        ("C:\\Users\\admin\\Laporan Q1 (final).PDF", "Laporan Q1 (final).pdf"),
        (".tersembunyi.md", "tersembunyi.md"),
        ("~$kunci.docx", "kunci.docx"),
        ("data;rm -rf.csv", "data_rm -rf.csv"),
        (None, ""),
    ],
)
def test_safe_filename(given: str | None, expected: str) -> None:
    assert safe_filename(given) == expected


def test_check_upload() -> None:
    assert check_upload("a.md", 10, 1).problem is None
    assert check_upload("a.MD", None, 1).problem is None  # size unknown: checked after download
    assert check_upload("a.exe", 10, 1).problem == "unsupported"
    assert check_upload("noext", 10, 1).problem == "unsupported"
    assert check_upload(".md", 10, 1).problem == "unsupported"
    assert check_upload("a.pdf", 2 * 1024 * 1024, 1).problem == "too_big"


def test_new_same_and_changed_uploads(indexed: Settings, fake_embedding: EmbeddingModel) -> None:
    target = indexed.knowledge_dir / "catatan.md"
    added = save_and_ingest(indexed, "catatan.md", NOTE, fake_embedding)
    assert added.status == "added" and added.report is not None
    assert added.report.added == ["catatan.md"] and added.report.removed == []
    assert target.read_bytes() == NOTE

    same = save_and_ingest(indexed, "catatan.md", NOTE, fake_embedding)
    assert same.status == "same" and same.report is not None and not same.report.changed

    changed = NOTE.replace(b"Temanggung", b"Jambi")
    updated = save_and_ingest(indexed, "catatan.md", changed, fake_embedding)
    assert updated.status == "updated" and updated.report is not None
    assert updated.report.updated == ["catatan.md"]
    assert target.read_bytes() == changed
    assert sorted(p.name for p in indexed.knowledge_dir.iterdir()) == ["catatan.md", "dasar.md"]


def test_unreadable_upload_is_removed_again(
    indexed: Settings, fake_embedding: EmbeddingModel
) -> None:
    outcome = save_and_ingest(indexed, "katalog.json", b"{not json", fake_embedding)
    assert outcome.status == "failed" and outcome.reason
    assert not (indexed.knowledge_dir / "katalog.json").exists()


def test_unreadable_replacement_keeps_the_previous_version(
    indexed: Settings, fake_embedding: EmbeddingModel
) -> None:
    good = b"name,agency\nPesona Surga,PSAA Alyatama\n"
    assert save_and_ingest(indexed, "katalog.csv", good, fake_embedding).status == "added"
    outcome = save_and_ingest(indexed, "katalog.csv", b"agency\nTanpa nama\n", fake_embedding)
    assert outcome.status == "failed_kept" and outcome.reason
    assert (indexed.knowledge_dir / "katalog.csv").read_bytes() == good
