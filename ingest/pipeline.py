"""Incremental ingest: load → split → embed → store, built aside and switched in at the end.

Unchanged documents (same content hash) keep their stored embeddings; changed ones are
re-embedded; documents whose source file is gone are removed. A file that cannot be read is
reported and keeps whatever version of it was indexed before; so does a document that makes
no passage at all (a catalogue row with only a name) or more than MAX_CHUNKS_PER_DOCUMENT.

One ingest runs at a time across processes and replicas (`replikasi.ingest_lock`); the
loser is told who holds the lock. Documents whose text tries to instruct the assistant are
flagged in the report (`flagged`) for the admin to look at.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest.chunking import CHUNKER_VERSION, OCR_TEXT_VERSION, chunk_document
from ingest.documents import Chunk, SourceDocument
from ingest.loaders import LoadOptions
from ingest.loaders.limits import too_many_chunks_reason
from ingest.loading import load_sources
from ingest.ocr import OCR_PAGES, OcrSettings, PageCallback
from ingest.versions import Replacement, resolve_versions
from replikasi.embeddings import EmbeddingModel, make_embedding_model
from replikasi.errors import EmbeddingMismatchError, ReplikasiError
from replikasi.index import KnowledgeIndex, iter_chunks, model_of, passage_text
from replikasi.ingest_lock import IngestLease, ingest_lease
from replikasi.lexical_store import refresh_lexical_index
from replikasi.records import MetaKey
from replikasi.settings import Settings
from replikasi.unit_vectors import UnitVectors, refresh_unit_vectors
from replikasi.untrusted import planted_sentences

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
FLAG_EXCERPT_CHARS = 120


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    # Older versions of a regulation that left the index for a newer file (`reg_key`), and
    # older versions found among the files ingested now, left out for the same reason.
    replaced: list[Replacement] = field(default_factory=list)
    superseded: list[Replacement] = field(default_factory=list)
    # (doc id, pages) of documents whose text was read by OCR in this run.
    ocr: list[tuple[str, int]] = field(default_factory=list)
    # Documents whose text tries to instruct the assistant: (document, the sentence). They
    # are indexed (the rest of their text may be useful) but such sentences are never shown.
    flagged: list[tuple[str, str]] = field(default_factory=list)
    chunks: int = 0
    embedded_chunks: int = 0
    embedded_units: int = 0  # answer units (sentences) embedded for semantic scoring
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.replaced)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": [{"file": path, "reason": reason} for path, reason in self.failed],
            "flagged": [{"document": doc, "sentence": text} for doc, text in self.flagged],
            "replaced": [asdict(r) for r in self.replaced],
            "superseded": [asdict(r) for r in self.superseded],
            "ocr": [{"document": doc, "pages": pages} for doc, pages in self.ocr],
            "chunks": self.chunks,
            "embedded_chunks": self.embedded_chunks,
            "embedded_units": self.embedded_units,
            "seconds": round(self.seconds, 2),
        }


def run_ingest(
    settings: Settings,
    paths: Sequence[Path] | None = None,
    *,
    rebuild: bool = False,
    embedding: EmbeddingModel | None = None,
    on_progress: ProgressCallback | None = None,
    on_page: PageCallback | None = None,
) -> IngestReport:
    """Bring the index in line with `paths` (default: the knowledge folder).

    `on_progress(done, total)` follows the embedding of chunks; `on_page(PageProgress)` is
    called after each page read by OCR (scanned PDFs), so an admin sees "halaman 3/12".
    Raises IngestBusyError, naming the holder, when another ingest is running.
    """
    with ingest_lease(settings) as lease:
        return _run(settings, paths, rebuild, embedding, on_progress, on_page, lease)


def _run(
    settings: Settings,
    paths: Sequence[Path] | None,
    rebuild: bool,
    embedding: EmbeddingModel | None,
    on_progress: ProgressCallback | None,
    on_page: PageCallback | None,
    lease: IngestLease,
) -> IngestReport:
    started = time.perf_counter()
    roots = [Path(p) for p in paths] if paths else [settings.knowledge_dir]
    for root in roots:
        if not root.exists():
            raise ReplikasiError(f"Nothing to ingest: {root} does not exist.")
    loaded = load_sources(
        roots,
        knowledge_dir=settings.knowledge_dir,
        max_chunks=settings.max_chunks_per_document,
        options=load_options(settings, on_page),
    )
    embedding = embedding or make_embedding_model(settings)
    index = KnowledgeIndex.open(settings)
    previous = None if rebuild else index.active()
    if previous is not None and model_of(previous) != embedding.model_id:
        raise EmbeddingMismatchError(model_of(previous), embedding.model_id)
    indexed = {} if previous is None else {d.doc_id: d for d in index.documents()}

    report = IngestReport(failed=list(loaded.failed))
    incoming, replaced, superseded = resolve_versions(
        {doc.doc_id: doc for doc in loaded.documents}, indexed, _modified(loaded.source_of)
    )
    # An older version indexed before, under its own file's id, leaves the index too.
    replaced += [old for old in superseded if old.old_id in indexed]
    report.replaced = replaced
    report.superseded = [old for old in superseded if old.old_id not in indexed]
    report.flagged = _flag_instructions(incoming.values())
    leaving = {old.old_id for old in replaced}
    keep: list[str] = []  # doc ids whose stored chunks are copied over
    to_embed: list[Chunk] = []
    for doc_id, doc in incoming.items():
        old = indexed.get(doc_id)
        if old is not None and old.content_hash == document_fingerprint(doc):
            report.unchanged.append(doc_id)
            keep.append(doc_id)
            continue
        chunks = chunk_document(doc)
        problem = _chunk_problem(doc, len(chunks), settings.max_chunks_per_document)
        if problem is not None:
            report.failed.append(problem)
            if old is not None:
                keep.append(doc_id)  # the version indexed before stays
            continue
        (report.added if old is None else report.updated).append(doc_id)
        to_embed.extend(chunks)
    for doc_id, old in indexed.items():
        if doc_id in incoming or doc_id in leaving:
            continue
        if loaded.in_scope(old) and old.source_path not in loaded.failed_sources:
            report.removed.append(doc_id)
        else:
            keep.append(doc_id)

    if previous is not None and not report.changed:
        report.chunks = previous.count()
        report.embedded_units = _refresh_units(index, previous, embedding, settings, on_progress)
        refresh_lexical_index(settings, previous)
        index.tidy(keep=previous.name, stale_before=lease.started)
        report.seconds = time.perf_counter() - started
        return report

    report.ocr = [
        (doc_id, int(incoming[doc_id].metadata.get(OCR_PAGES, 0)))
        for doc_id in report.added + report.updated
        if incoming[doc_id].metadata.get(OCR_PAGES)
    ]
    target = index.create_generation(embedding.model_id)
    try:
        if previous is not None and keep:
            _copy_kept(previous, target, set(keep))
        _embed_and_store(
            target,
            to_embed,
            incoming,
            loaded.source_of,
            embedding,
            settings.embedding_batch_size,
            on_progress,
        )
        report.embedded_chunks = len(to_embed)
        report.chunks = target.count()
        if report.chunks == 0:
            raise ReplikasiError("No text could be ingested; nothing was changed.")
        report.embedded_units = _refresh_units(index, target, embedding, settings, on_progress)
        refresh_lexical_index(settings, target)
        lease.verify()
        index.activate(target, stale_before=lease.started)
    except BaseException:
        # Leave the previous generation answering; the half-built one is thrown away.
        index.discard(target.name)
        raise
    report.seconds = time.perf_counter() - started
    return report


def load_options(settings: Settings, on_page: PageCallback | None = None) -> LoadOptions:
    """How the loaders read files under these settings (OCR of scanned pages)."""
    return LoadOptions(
        ocr=OcrSettings(
            enabled=settings.ocr_enabled,
            languages=settings.ocr_languages,
            dpi=settings.ocr_dpi,
            page_timeout_seconds=settings.ocr_page_timeout_seconds,
            cache_dir=settings.data_dir / "ocr-cache",
        ),
        on_page=on_page,
    )


def _modified(source_of: dict[str, str]) -> dict[str, float]:
    times: dict[str, float] = {}
    for doc_id, source in source_of.items():
        try:
            times[doc_id] = Path(source).stat().st_mtime
        except OSError:
            times[doc_id] = 0.0
    return times


def _refresh_units(
    index: KnowledgeIndex,
    generation: Any,
    embedding: EmbeddingModel,
    settings: Settings,
    on_progress: ProgressCallback | None,
) -> int:
    """Answer-unit vectors for every chunk of `generation` (see `replikasi.unit_vectors`)."""
    return refresh_unit_vectors(
        UnitVectors(index.client, embedding),
        (
            (text, meta)
            for page in iter_chunks(generation)
            for text, meta in zip(page.documents, page.metadatas, strict=True)
        ),
        settings.embedding_batch_size,
        on_progress,
    )


def _copy_kept(previous: Any, target: Any, keep: set[str]) -> None:
    for page in iter_chunks(previous, with_embeddings=True):
        chosen = [i for i, m in enumerate(page.metadatas) if m.get(MetaKey.DOC_ID) in keep]
        if chosen and page.embeddings is not None:
            target.add(
                ids=[page.ids[i] for i in chosen],
                embeddings=[page.embeddings[i] for i in chosen],
                documents=[page.documents[i] for i in chosen],
                metadatas=[page.metadatas[i] for i in chosen],
            )


def _chunk_problem(doc: SourceDocument, count: int, limit: int) -> tuple[str, str] | None:
    """Why a document cannot be indexed as it is, as a (file, reason) failure."""
    where = doc.path if doc.format != "catalogue" else f"{doc.path}: '{doc.title}'"
    if count == 0:
        if doc.format == "catalogue":
            return where, "the entry has nothing but its name; add a summary or remove it"
        return where, "the document has no text besides its title"
    if count > limit:
        return where, too_many_chunks_reason(count, limit)
    return None


def _flag_instructions(documents: Iterable[SourceDocument]) -> list[tuple[str, str]]:
    flagged = []
    for doc in documents:
        planted = planted_sentences(doc.text)
        if planted:
            sentence = planted[0]
            if len(sentence) > FLAG_EXCERPT_CHARS:
                sentence = sentence[: FLAG_EXCERPT_CHARS - 1] + "…"
            name = doc.path if doc.format != "catalogue" else f"{doc.path}: '{doc.title}'"
            flagged.append((name, sentence))
    return flagged


def _embed_and_store(
    collection: Any,
    chunks: list[Chunk],
    documents: dict[str, SourceDocument],
    source_of: dict[str, str],
    embedding: EmbeddingModel,
    batch_size: int,
    on_progress: ProgressCallback | None,
) -> None:
    total = len(chunks)
    if on_progress:
        on_progress(0, total)
    for start in range(0, total, batch_size):
        batch = chunks[start : start + batch_size]
        texts = [passage_text(c.title, c.section, c.text) for c in batch]
        vectors = embedding.embeddings.embed_documents(texts)
        collection.add(
            ids=[c.chunk_id for c in batch],
            embeddings=vectors,
            documents=[c.text for c in batch],
            metadatas=[chunk_metadata(c, documents[c.doc_id], source_of[c.doc_id]) for c in batch],
        )
        if on_progress:
            on_progress(min(start + batch_size, total), total)


def document_fingerprint(doc: SourceDocument) -> str:
    """Changes when the document or the way it is chunked changes (for a scan, also the way
    its OCR text is read)."""
    scanned = f":o{OCR_TEXT_VERSION}" if doc.metadata.get(OCR_PAGES) else ""
    return f"{doc.content_hash}:c{CHUNKER_VERSION}{scanned}"


def chunk_metadata(chunk: Chunk, doc: SourceDocument, source_path: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        key: value
        for key, value in {**doc.metadata, **chunk.metadata}.items()
        if isinstance(value, (str, int, float, bool))
    }
    meta.update(
        {
            MetaKey.DOC_ID: chunk.doc_id,
            MetaKey.TITLE: chunk.title,
            MetaKey.SECTION: chunk.section,
            MetaKey.DOC_TYPE: chunk.doc_type,
            MetaKey.SOURCE_URL: chunk.source_url,
            MetaKey.POSITION: chunk.position,
            MetaKey.DOC_HASH: document_fingerprint(doc),
            MetaKey.PATH: doc.path,
            MetaKey.SOURCE_PATH: source_path,
            MetaKey.UPDATED: doc.updated,
            MetaKey.LANGUAGE: doc.language,
        }
    )
    return meta
