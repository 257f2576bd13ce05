"""Incremental ingest: load → split → embed → store, built aside and switched in at the end.

Unchanged documents (same content hash) keep their stored embeddings; changed ones are
re-embedded; documents whose source file is gone are removed. A file that cannot be read is
reported and keeps whatever version of it was indexed before.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.chunking import CHUNKER_VERSION, chunk_document
from ingest.documents import Chunk, LoadError, SourceDocument
from ingest.loaders import LoadOptions, discover_files, load_file
from ingest.ocr import OCR_PAGES, OcrSettings, PageCallback
from ingest.versions import Replacement, resolve_versions
from replikasi.embeddings import EmbeddingModel, make_embedding_model
from replikasi.errors import EmbeddingMismatchError, IngestBusyError, ReplikasiError
from replikasi.index import IndexedDocument, KnowledgeIndex, iter_chunks, model_of, passage_text
from replikasi.lexical_store import refresh_lexical_index
from replikasi.records import MetaKey
from replikasi.settings import Settings

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
_INGEST_LOCK = threading.Lock()


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
    chunks: int = 0
    embedded_chunks: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.replaced)

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class _Loaded:
    documents: list[SourceDocument]
    failed: list[tuple[str, str]]
    # Source files that failed to load: their previously indexed documents are kept.
    failed_sources: set[str]
    scanned_files: set[str]
    scanned_dirs: list[str]
    source_of: dict[str, str]  # doc id -> resolved path of the file it came from


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
    """
    if not _INGEST_LOCK.acquire(blocking=False):
        raise IngestBusyError()
    try:
        return _run(settings, paths, rebuild, embedding, on_progress, on_page)
    finally:
        _INGEST_LOCK.release()


def _run(
    settings: Settings,
    paths: Sequence[Path] | None,
    rebuild: bool,
    embedding: EmbeddingModel | None,
    on_progress: ProgressCallback | None,
    on_page: PageCallback | None = None,
) -> IngestReport:
    started = time.perf_counter()
    roots = [Path(p) for p in paths] if paths else [settings.knowledge_dir]
    for root in roots:
        if not root.exists():
            raise ReplikasiError(f"Nothing to ingest: {root} does not exist.")
    loaded = _load_all(roots, load_options(settings, on_page))
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
    leaving = {old.old_id for old in replaced}
    keep: list[str] = []  # doc ids whose stored chunks are copied over
    for doc_id, doc in incoming.items():
        old = indexed.get(doc_id)
        if old is None:
            report.added.append(doc_id)
        elif old.content_hash != document_fingerprint(doc):
            report.updated.append(doc_id)
        else:
            report.unchanged.append(doc_id)
            keep.append(doc_id)
    for doc_id, old in indexed.items():
        if doc_id in incoming or doc_id in leaving:
            continue
        if _in_scope(old, loaded) and old.source_path not in loaded.failed_sources:
            report.removed.append(doc_id)
        else:
            keep.append(doc_id)

    if previous is not None and not report.changed:
        report.chunks = previous.count()
        report.seconds = time.perf_counter() - started
        refresh_lexical_index(settings, previous)
        return report

    report.ocr = [
        (doc_id, int(incoming[doc_id].metadata.get(OCR_PAGES, 0)))
        for doc_id in report.added + report.updated
        if incoming[doc_id].metadata.get(OCR_PAGES)
    ]
    to_embed = [
        chunk
        for doc_id in report.added + report.updated
        for chunk in chunk_document(incoming[doc_id])
    ]
    target = index.create_generation(embedding.model_id)
    try:
        if previous is not None and keep:
            keep_set = set(keep)
            for page in iter_chunks(previous, with_embeddings=True):
                chosen = [
                    i for i, m in enumerate(page.metadatas) if m.get(MetaKey.DOC_ID) in keep_set
                ]
                if chosen and page.embeddings is not None:
                    target.add(
                        ids=[page.ids[i] for i in chosen],
                        embeddings=[page.embeddings[i] for i in chosen],  # type: ignore[arg-type]
                        documents=[page.documents[i] for i in chosen],
                        metadatas=[page.metadatas[i] for i in chosen],  # type: ignore[misc]
                    )
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
        refresh_lexical_index(settings, target)
        index.activate(target)
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


def _load_all(roots: Sequence[Path], options: LoadOptions) -> _Loaded:
    documents: list[SourceDocument] = []
    failed: list[tuple[str, str]] = []
    failed_sources: set[str] = set()
    scanned_files: set[str] = set()
    scanned_dirs: list[str] = []
    seen: dict[str, str] = {}
    source_of: dict[str, str] = {}
    for root in roots:
        base = root if root.is_dir() else root.parent
        if root.is_dir():
            scanned_dirs.append(str(root.resolve()))
        try:
            files = discover_files([root])
        except LoadError as exc:
            failed.append((exc.path, exc.reason))
            continue
        for path in files:
            source = str(path.resolve())
            scanned_files.add(source)
            try:
                docs = load_file(path, base, options)
            except LoadError as exc:
                failed.append((exc.path, exc.reason))
                failed_sources.add(source)
                continue
            except Exception as exc:  # a loader bug must not sink the whole ingest
                log.exception("Unexpected error loading %s", path)
                failed.append((str(path), f"unexpected error: {exc}"))
                failed_sources.add(source)
                continue
            for doc in docs:
                if doc.doc_id in seen:
                    failed.append(
                        (str(path), f"duplicate id '{doc.doc_id}' (also in {seen[doc.doc_id]})")
                    )
                    continue
                seen[doc.doc_id] = str(path)
                source_of[doc.doc_id] = source
                documents.append(doc)
    return _Loaded(documents, failed, failed_sources, scanned_files, scanned_dirs, source_of)


def _in_scope(doc: IndexedDocument, loaded: _Loaded) -> bool:
    """Was this document's source file among what was scanned (so its absence means removal)?"""
    if doc.source_path in loaded.scanned_files:
        return True
    return any(doc.source_path.startswith(d.rstrip("/") + "/") for d in loaded.scanned_dirs)


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
    """Changes when the document or the way it is chunked changes."""
    return f"{doc.content_hash}:c{CHUNKER_VERSION}"


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
