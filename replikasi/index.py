"""The Chroma index: one collection per index generation and a pointer to the active one.

An ingest builds a new generation aside (copying the embeddings of unchanged documents) and
only then moves the pointer, so a failed or interrupted ingest leaves the previous index
answering. The pointer lives in Chroma itself, so the same scheme works for an embedded
`PersistentClient` and for a Chroma server. Ingests hold the ingest lock
(`replikasi.ingest_lock`), so a switch removes only the generation it replaced and leftovers
of ingests that died before the lock was taken, never one another process is building.

Every call to Chroma goes through `guarded`: a server lost mid-command becomes one sentence
(`IndexUnavailableError`), and the next call works again once it is back.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection

from replikasi.chroma_guard import GuardedClient
from replikasi.chroma_segments import remove_orphan_segments
from replikasi.errors import (
    EmbeddingMismatchError,
    IndexChangedError,
    IndexMissingError,
    IndexUnavailableError,
)
from replikasi.records import MetaKey
from replikasi.settings import Settings

log = logging.getLogger(__name__)

META_COLLECTION = "replikasi-meta"
GENERATION_PREFIX = "kb-"
POINTER_ID = "active"
PAGE = 1000
# A reader that finds the pointer naming a removed generation reads the pointer again: an
# ingest may have switched it in between.
POINTER_READS = 3


@dataclass(frozen=True)
class IndexedDocument:
    """One document as recorded in the index (aggregated from its chunks' metadata)."""

    doc_id: str
    title: str
    doc_type: str
    updated: str
    path: str
    source_path: str
    content_hash: str
    chunks: int
    # The document's metadata as stored on its first chunk (reg_label, reg_number, ...).
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredChunks:
    ids: list[str]
    documents: list[str]
    metadatas: list[dict[str, Any]]
    embeddings: list[list[float]] | None = None


def connect(settings: Settings) -> ClientAPI:
    """A Chroma client: a server when `CHROMA_HOST` is set, else embedded on disk."""
    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    if settings.chroma_host:
        headers = {}
        if settings.chroma_auth_token:
            headers["Authorization"] = f"Bearer {settings.chroma_auth_token.get_secret_value()}"
        try:
            client = chromadb.HttpClient(
                host=settings.chroma_host,
                port=settings.chroma_port,
                headers=headers,
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:
            raise IndexUnavailableError(
                f"Cannot reach the Chroma server at {settings.chroma_host}:"
                f"{settings.chroma_port}; is it running, and are CHROMA_HOST/CHROMA_PORT right?"
            ) from exc
        return client
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    except Exception as exc:
        raise IndexUnavailableError(
            f"Cannot open the index in {settings.chroma_dir} ({exc}); "
            "rebuild it with `replikasi ingest --rebuild`."
        ) from exc


class KnowledgeIndex:
    """Generations of the knowledge collection and the pointer that selects one."""

    def __init__(
        self, client: ClientAPI, *, where: str = "", persist_dir: Path | None = None
    ) -> None:
        self.where = where or "the Chroma index"
        self.client = cast(ClientAPI, GuardedClient(client, self.where))
        # Embedded Chroma only: where orphaned segment folders are cleaned up after a switch.
        self.persist_dir = persist_dir
        self._meta = self.client.get_or_create_collection(META_COLLECTION, embedding_function=None)

    @classmethod
    def open(cls, settings: Settings) -> KnowledgeIndex:
        client = connect(settings)
        if settings.chroma_host:
            where = f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
            return cls(client, where=where)
        return cls(
            client, where=f"the index in {settings.chroma_dir}", persist_dir=settings.chroma_dir
        )

    # -- the pointer ---------------------------------------------------------------------
    def active_name(self) -> str | None:
        record = self._meta.get(ids=[POINTER_ID], include=["metadatas"])
        metadatas = record.get("metadatas") or []
        if not metadatas or not metadatas[0]:
            return None
        name = metadatas[0].get("collection")
        return str(name) if name else None

    def active(self) -> Collection | None:
        """The generation the pointer names, checked to exist (None when there is none)."""
        name = self.active_name()
        for _ in range(POINTER_READS):
            if name is None:
                return None
            collection = self._get(name)
            if collection is not None:
                return collection
            again = self.active_name()
            if again == name:
                break
            name = again  # switched meanwhile: follow the pointer
        log.warning("The index pointer names %s, which does not exist", name)
        return None

    def _get(self, name: str) -> Collection | None:
        try:
            return self.client.get_collection(name, embedding_function=None)
        except IndexChangedError:
            return None

    def require_active(self, model_id: str) -> Collection:
        """The active collection, checked against the configured embedding model."""
        collection = self.active()
        if collection is None or collection.count() == 0:
            raise IndexMissingError()
        indexed = model_of(collection)
        if indexed != model_id:
            raise EmbeddingMismatchError(indexed, model_id)
        return collection

    def create_generation(self, model_id: str) -> Collection:
        name = f"{GENERATION_PREFIX}{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        return self.client.create_collection(
            name,
            metadata={"embedding_model": model_id, "created_at": time.time()},
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )

    def activate(self, collection: Collection, *, stale_before: float | None = None) -> None:
        """Point readers at `collection`, then drop the generation it replaced.

        Call it holding the ingest lock. `stale_before` (when the lock was taken) also drops
        generations created before it: leftovers of ingests that died, since nobody else can
        be building one while the lock is held.
        """
        replaced = self.active_name()
        if self._get(collection.name) is None:
            raise IndexChangedError()  # never point readers at a generation that is gone
        self._meta.upsert(
            ids=[POINTER_ID],
            embeddings=np.ones((1, 1), dtype=np.float32),
            metadatas=[{"collection": collection.name, "switched_at": time.time()}],
        )
        if replaced and replaced != collection.name:
            self.discard(replaced)
        self.tidy(keep=collection.name, stale_before=stale_before)

    def tidy(self, *, keep: str, stale_before: float | None) -> None:
        """Remove leftovers of interrupted ingests and (embedded Chroma) the folders that
        deleted generations leave behind. Call it holding the ingest lock."""
        if stale_before is not None:
            self.drop_stale_generations(before=stale_before, keep=keep)
        if self.persist_dir is not None:
            remove_orphan_segments(self.persist_dir)

    def generations(self) -> list[tuple[str, float]]:
        """Every generation with its creation time (0 when unknown), oldest first."""
        found = []
        for existing in self.client.list_collections():
            name = existing.name if hasattr(existing, "name") else str(existing)
            if not name.startswith(GENERATION_PREFIX):
                continue
            metadata = getattr(existing, "metadata", None) or {}
            try:
                created = float(metadata.get("created_at", 0.0))
            except (TypeError, ValueError):
                created = 0.0
            found.append((name, created))
        return sorted(found, key=lambda item: item[1])

    def drop_stale_generations(self, *, before: float, keep: str) -> None:
        active = self.active_name()
        for name, created in self.generations():
            if name not in (keep, active) and created < before:
                log.info("Removing index generation %s left by an interrupted ingest", name)
                self.discard(name)

    def discard(self, name: str) -> None:
        try:
            self.client.delete_collection(name)
        except IndexUnavailableError as exc:
            # Already gone, or the server is down: the next ingest removes it as stale, so
            # this is no reason to add a second message to the one the user gets.
            log.info("Could not delete index generation %s yet: %s", name, exc)

    # -- reading -------------------------------------------------------------------------
    def documents(self) -> list[IndexedDocument]:
        collection = self.active()
        return [] if collection is None else summarize_documents(collection)


def model_of(collection: Collection) -> str:
    return str((collection.metadata or {}).get("embedding_model", "unknown"))


def iter_chunks(
    collection: Collection,
    *,
    ids: Sequence[str] | None = None,
    with_embeddings: bool = False,
) -> Iterator[StoredChunks]:
    """Page through a collection (or the given ids) without loading it all at once."""
    include: list[Any] = ["documents", "metadatas"]
    if with_embeddings:
        include.append("embeddings")
    if ids is not None:
        for start in range(0, len(ids), PAGE):
            yield _stored(collection.get(ids=list(ids[start : start + PAGE]), include=include))
        return
    offset = 0
    while True:
        page = collection.get(limit=PAGE, offset=offset, include=include)
        if not page["ids"]:
            return
        yield _stored(page)
        offset += len(page["ids"])


def _stored(page: Any) -> StoredChunks:
    embeddings = page.get("embeddings")
    return StoredChunks(
        ids=list(page["ids"]),
        documents=[doc or "" for doc in (page.get("documents") or [])],
        metadatas=[dict(meta or {}) for meta in (page.get("metadatas") or [])],
        embeddings=None if embeddings is None else [list(map(float, e)) for e in embeddings],
    )


def summarize_documents(collection: Collection) -> list[IndexedDocument]:
    by_doc: dict[str, dict[str, Any]] = {}
    for page in iter_chunks(collection):
        for meta in page.metadatas:
            doc_id = str(meta.get(MetaKey.DOC_ID, ""))
            entry = by_doc.setdefault(doc_id, {"meta": meta, "chunks": 0})
            entry["chunks"] += 1
    docs = []
    for doc_id, entry in by_doc.items():
        meta = entry["meta"]
        docs.append(
            IndexedDocument(
                doc_id=doc_id,
                title=str(meta.get(MetaKey.TITLE, doc_id)),
                doc_type=str(meta.get(MetaKey.DOC_TYPE, "document")),
                updated=str(meta.get(MetaKey.UPDATED, "")),
                path=str(meta.get(MetaKey.PATH, "")),
                source_path=str(meta.get(MetaKey.SOURCE_PATH, "")),
                content_hash=str(meta.get(MetaKey.DOC_HASH, "")),
                chunks=entry["chunks"],
                metadata=meta,
            )
        )
    return sorted(docs, key=lambda d: (d.doc_type != "regulation", d.doc_type, d.doc_id))


def passage_text(title: str, section: str, body: str) -> str:
    """What is embedded and keyword-indexed for a chunk: its headings give it context."""
    header = f"{title} — {section}" if section else title
    return f"{header}\n{body}"
