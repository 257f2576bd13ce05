"""The synthetic catalogue generator: shape, determinism, and that `replikasi` ingests it."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ingest.loaders import load_file
from ingest.pipeline import run_ingest
from replikasi.embeddings import EmbeddingModel
from replikasi.settings import Settings
from scripts.generate_catalogue import (
    CONTACT_BASE,
    FIELDNAMES,
    change_rows,
    generate_profiles,
    load_vocabulary,
    main,
    read_catalogue,
    write_catalogue,
)
from tests.conftest import KNOWLEDGE

N = 60


def kipp_2025_categories() -> list[str]:
    """The nine categories as the knowledge base states them (knowledge/kipp.md)."""
    text = (KNOWLEDGE / "kipp.md").read_text(encoding="utf-8")
    section = text.split("## Kategori KIPP 2025", 1)[1].split("\n## ", 1)[0]
    return [m.rstrip(".") for m in re.findall(r"^\d+\.\s+(.+)$", section, flags=re.M)]


def test_vocabulary_has_every_province_and_the_nine_kipp_categories() -> None:
    vocab = load_vocabulary()
    assert len(vocab.provinces) == 38
    assert [c.name for c in vocab.categories] == kipp_2025_categories()
    assert len(vocab.categories) == 9


def test_csv_has_the_catalogue_columns_and_every_row_is_marked_synthetic(tmp_path: Path) -> None:
    out = tmp_path / "katalog.csv"
    assert main(["--out", str(out), "-n", str(N), "--seed", "7"]) == 0
    with out.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == FIELDNAMES
    assert len(rows) == N
    assert all(row["synthetic"] == "true" for row in rows)
    assert all(row["contact_url"].startswith(CONTACT_BASE) for row in rows)
    assert len({row["name"] for row in rows}) == N  # names are unique, so ids are stable


def test_same_seed_same_catalogue_other_seed_other_catalogue(tmp_path: Path) -> None:
    paths = [tmp_path / name for name in ("a.csv", "b.csv", "c.csv")]
    for path, seed in zip(paths, ("1", "1", "2"), strict=True):
        assert main(["--out", str(path), "-n", str(N), "--seed", seed]) == 0
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_text_is_varied_indonesian_prose() -> None:
    rows = generate_profiles(200, seed=3)
    for row in rows:
        for column in ("summary", "results"):
            sentences = re.findall(r"[^.!?]+(?:[.!?](?!\d)|$)", row[column])
            assert 2 <= len([s for s in sentences if s.strip()]) <= 4, row[column]
    assert len({row["summary"] for row in rows}) == len(rows)
    # Not one sentence with blanks filled in: many distinct openings.
    assert len({row["summary"].split(" ")[0] for row in rows}) > 10
    assert {row["year"] for row in rows} <= set(range(2014, 2026))
    assert {row["award"].split(" KIPP")[0] for row in rows} == {"", "Finalis", "Top 99", "Top 45"}


@pytest.mark.parametrize("suffix", [".csv", ".json", ".yaml"])
def test_catalogue_loader_reads_every_profile_with_filterable_metadata(
    tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"katalog{suffix}"
    write_catalogue(generate_profiles(N, seed=5), out)
    documents = load_file(out, tmp_path)
    assert len(documents) == N
    provinces = set(load_vocabulary().provinces)
    categories = set(kipp_2025_categories())
    for doc in documents:
        assert doc.doc_type == "innovation"
        assert doc.metadata["region"] in provinces
        assert isinstance(doc.metadata["year"], int) and 2014 <= doc.metadata["year"] <= 2025
        assert doc.metadata["category"] in categories
        assert doc.metadata["synthetic"] in (True, "true")
        assert doc.doc_id.startswith("katalog/")


def test_changed_rows_reingest_as_updates_only(
    tmp_path: Path, settings: Settings, fake_embedding: EmbeddingModel
) -> None:
    catalogue = tmp_path / "cat" / "katalog.csv"
    write_catalogue(generate_profiles(N, seed=11), catalogue)
    first = run_ingest(settings, [catalogue], embedding=fake_embedding)
    assert first.ok and len(first.added) == N

    assert main(["--base", str(catalogue), "--rows-changed", "3", "--out", str(catalogue)]) == 0
    second = run_ingest(settings, [catalogue], embedding=fake_embedding)
    assert len(second.updated) == 3
    assert not second.added and not second.removed
    assert second.embedded_chunks == 3


def test_change_rows_keeps_names_and_edits_exactly_k_rows(tmp_path: Path) -> None:
    rows = generate_profiles(N, seed=13)
    changed = change_rows(rows, 5)
    assert [r["name"] for r in changed] == [r["name"] for r in rows]
    assert sum(1 for a, b in zip(rows, changed, strict=True) if a != b) == 5
    path = tmp_path / "k.json"
    write_catalogue(changed, path)
    assert read_catalogue(path) == changed


def test_refuses_to_write_into_a_knowledge_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "knowledge" / "katalog.csv"
    assert main(["--out", str(target), "-n", "5"]) == 2
    assert not target.exists()
    assert "never go into knowledge" in capsys.readouterr().err
