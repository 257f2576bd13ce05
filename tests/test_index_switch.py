"""The switch to a new index generation removes only what it replaced (and leftovers of
ingests that died before the lock was taken), readers never follow the pointer into a
removed generation, and embedded Chroma does not keep the folders of removed ones."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from bot.retrieval import HybridRetriever
from ingest.pipeline import run_ingest
from replikasi.chroma_segments import orphan_segment_folders
from replikasi.index import KnowledgeIndex
from replikasi.settings import Settings


def _generation(index: KnowledgeIndex, model: str = "test:hash-256"):
    collection = index.create_generation(model)
    collection.add(
        ids=[f"c{i}" for i in range(3)],
        embeddings=np.ones((3, 4), dtype=np.float32),
        documents=["x", "y", "z"],
        metadatas=[{"doc_id": "d"} for _ in range(3)],
    )
    return collection


def _names(index: KnowledgeIndex) -> set[str]:
    return {name for name, _ in index.generations()}


def test_switch_keeps_a_generation_another_ingest_is_building(settings: Settings) -> None:
    index = KnowledgeIndex.open(settings)
    leftover = _generation(index)  # from an ingest killed before this one took the lock
    old = _generation(index)
    index.activate(old)
    lock_taken = time.time()
    time.sleep(0.01)
    building = _generation(index)  # what a racing process would be building (no lock)
    new = _generation(index)
    index.activate(new, stale_before=lock_taken)
    assert index.active_name() == new.name
    assert _names(index) == {new.name, building.name}
    assert leftover.name not in _names(index) and old.name not in _names(index)


def test_pointer_to_a_removed_generation_reads_as_no_index(settings: Settings) -> None:
    index = KnowledgeIndex.open(settings)
    gen = _generation(index)
    index.activate(gen)
    index.client.delete_collection(gen.name)
    assert index.active() is None
    assert index.documents() == []


def test_activate_refuses_a_generation_that_is_gone(settings: Settings) -> None:
    from replikasi.errors import IndexChangedError

    index = KnowledgeIndex.open(settings)
    current = _generation(index)
    index.activate(current)
    gone = _generation(index)
    index.client.delete_collection(gone.name)
    with pytest.raises(IndexChangedError):
        index.activate(gone)
    assert index.active_name() == current.name  # readers still have the working one


def test_reader_holding_a_replaced_generation_loads_the_new_one(
    settings: Settings, knowledge_copy: Path, fake_embedding
) -> None:
    assert run_ingest(settings, embedding=fake_embedding).ok
    retriever = HybridRetriever(settings, embedding=fake_embedding)
    assert retriever.search("hub inovasi", k=3)
    first = retriever.generation().name
    (knowledge_copy / "baru.md").write_text("# Inovasi Baru\n\nInovasi baru tentang hub.\n")
    assert run_ingest(settings, embedding=fake_embedding).added == ["baru.md"]
    # The retriever still holds the removed generation (it re-reads the pointer only every
    # few seconds): its next search must still work, from the new generation.
    results = retriever.search("hub inovasi", k=3)
    assert results and retriever.generation().name != first


def test_no_orphan_segment_folders_pile_up(
    settings: Settings, knowledge_copy: Path, fake_embedding
) -> None:
    for round_number in range(4):
        (knowledge_copy / "ronde.md").write_text(f"# Ronde\n\nPutaran ingest ke-{round_number}.\n")
        assert run_ingest(settings, embedding=fake_embedding).ok
    assert orphan_segment_folders(settings.chroma_dir) == []
    segment_folders = [p for p in settings.chroma_dir.iterdir() if p.is_dir()]
    # meta + one generation + the answer units' vectors (one collection shared by the
    # generations, pruned to what the index holds): at most three segment folders remain
    assert len(segment_folders) <= 3
    assert len(KnowledgeIndex.open(settings).generations()) == 1
