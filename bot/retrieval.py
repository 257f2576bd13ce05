"""Hybrid retrieval: dense search in Chroma plus BM25, combined by a weighted sum of their
scaled scores (`convex_fusion`).

The retriever also holds what the rest of the pipeline reads per index generation: the
chunks, term weights (IDF) and the vectors of their answer units (see
`replikasi.unit_vectors`), so one question never waits for the index twice.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Collection as AbstractSet
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
from chromadb.api.models.Collection import Collection

from bot.query import anchors_of
from bot.scoring import units_of
from bot.term_weights import TermWeights
from replikasi.embeddings import EmbeddingModel, make_embedding_model
from replikasi.errors import IndexChangedError
from replikasi.index import KnowledgeIndex, iter_chunks, passage_text
from replikasi.indonesian import tokenize
from replikasi.lexical import BM25Index
from replikasi.lexical_store import refresh_lexical_index
from replikasi.records import RetrievedChunk
from replikasi.settings import Settings
from replikasi.unit_vectors import UnitVectors, semantic_texts, wants_unit_vectors
from replikasi.vocabulary import VocabularyBridge, vocabulary

log = logging.getLogger(__name__)

# Chosen on the tune questions of the bank and the test regulations (0.3–0.8 tried; 0.6–0.7
# best): R@1 0.953 -> 0.973 on the knowledge base, 0.929 -> 0.962 with the catalogue, against
# reciprocal rank fusion, which ignores how far the best keyword match leads.
DENSE_WEIGHT = 0.7
CANDIDATES = 30
# Passages read for their one close sentence, beside the best-ranked ones (see
# `closest_unit_passages`).
CLOSEST_UNITS = 2
# How often a running bot looks for a newer index generation (an ingest in another process).
POINTER_CHECK_SECONDS = 5.0


@dataclass
class _Generation:
    name: str
    collection: Collection
    lexical: BM25Index
    chunks: dict[str, RetrievedChunk]
    weights: TermWeights
    unit_vectors: dict[str, np.ndarray]  # answer-unit text -> unit-normalised vector
    vocabulary: VocabularyBridge
    # Passages of documents, when catalogue rows (short innovation profiles) are indexed too
    document_ids: frozenset[str] | None = None


class HybridRetriever:
    """Finds the chunks that best match a question, from the active index generation."""

    def __init__(self, settings: Settings, embedding: EmbeddingModel | None = None) -> None:
        self.settings = settings
        self.embedding = embedding or make_embedding_model(settings)
        self.index = KnowledgeIndex.open(settings)
        self._generation: _Generation | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._embed_query = lru_cache(maxsize=2048)(self._embed_query_uncached)

    # -- index generations ---------------------------------------------------------------
    def generation(self) -> _Generation:
        """The loaded generation, reloaded when an ingest has switched the pointer."""
        with self._lock:
            now = time.monotonic()
            current = self._generation
            if current is not None and now - self._checked_at < POINTER_CHECK_SECONDS:
                return current
            self._checked_at = now
            if current is not None and self.index.active_name() == current.name:
                return current
            collection = self.index.require_active(self.embedding.model_id)
            self._generation = self._load(collection)
            return self._generation

    def reload(self) -> None:
        """Forget the loaded generation (after an in-process ingest)."""
        with self._lock:
            self._generation = None

    def _load(self, collection: Collection) -> _Generation:
        started = time.perf_counter()
        chunks: dict[str, RetrievedChunk] = {}
        for page in iter_chunks(collection):
            for chunk_id, text, meta in zip(page.ids, page.documents, page.metadatas, strict=True):
                chunks[chunk_id] = RetrievedChunk.from_stored(chunk_id, text, meta)
        lexical = refresh_lexical_index(self.settings, collection)
        weights = TermWeights({cid: _passage_terms(c) for cid, c in chunks.items()})
        if chunks:
            # Load the embedder and Chroma's vector index now, not on a user's first question.
            collection.query(query_embeddings=_as_matrix(self.embed_query("inovasi")), n_results=1)
        unit_vectors, vocabulary = self._semantic_vectors(chunks.values())
        log.info(
            "Loaded index %s: %d chunks, %d unit vectors in %.2fs",
            collection.name,
            len(chunks),
            len(unit_vectors),
            time.perf_counter() - started,
        )
        documents = frozenset(c for c, chunk in chunks.items() if not chunk.is_profile_row)
        return _Generation(
            collection.name,
            collection,
            lexical,
            chunks,
            weights,
            unit_vectors,
            vocabulary,
            documents if 0 < len(documents) < len(chunks) else None,
        )

    def _semantic_vectors(
        self, chunks: Iterable[RetrievedChunk]
    ) -> tuple[dict[str, np.ndarray], VocabularyBridge]:
        """Vectors of every answer unit and passage word, embedding the few an ingest did
        not (an index built by an older version); without them sentences are scored by their
        passage alone and unknown words are not bridged."""
        pairs = [(chunk.text, chunk.metadata) for chunk in chunks]
        texts = list(dict.fromkeys(semantic_texts(pairs)))
        store = UnitVectors(self.index.client, self.embedding)
        words = vocabulary(t for t, m in pairs if wants_unit_vectors(m))
        try:
            vectors = store.fetch(texts) if texts else {}
            missing = len(texts) - len(vectors)
            if missing:
                log.info("Embedding %d answer units and words the index lacks", missing)
                store.ensure(texts, self.settings.embedding_batch_size)
                vectors = store.fetch(texts)
        except Exception as exc:  # an embedder or server hiccup costs precision, not answers
            log.warning("Answer-unit vectors unavailable, scoring by passage only: %s", exc)
            return {}, VocabularyBridge([], np.zeros((0, 1), dtype=np.float32), self.embedding)
        word_set = set(words)
        units = {t: v for t, v in vectors.items() if t not in word_set}
        kept = [w for w in words if w in vectors]
        matrix = np.vstack([vectors[w] for w in kept]) if kept else np.zeros((0, 1), np.float32)
        return units, VocabularyBridge(kept, matrix, self.embedding)

    def chunk(self, chunk_id: str) -> RetrievedChunk | None:
        return self.generation().chunks.get(chunk_id)

    # -- search --------------------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int = 5,
        *,
        doc_types: AbstractSet[str] | None = None,
        where: dict[str, Any] | None = None,
        lexical_query: str | None = None,
        documents_only: bool = False,
    ) -> list[RetrievedChunk]:
        """Top `k` chunks for `query`, optionally only of some document types or metadata,
        or only passages of documents (no catalogue rows; none when no rows are indexed)."""
        gen = self.generation()
        if documents_only and gen.document_ids is None:
            return []
        allowed = _allowed_ids(gen, doc_types, where, documents_only)
        if allowed is not None and not allowed:
            return []
        try:
            dense = self._dense(gen, query, allowed)
        except IndexChangedError:  # an ingest elsewhere replaced it: read the new one
            self.reload()
            gen = self.generation()
            allowed = _allowed_ids(gen, doc_types, where, documents_only)
            if allowed is not None and not allowed:
                return []
            dense = self._dense(gen, query, allowed)
        lexical = gen.lexical.search(lexical_query or query, CANDIDATES, allowed_ids=allowed)
        lexical_scores = dict(lexical)
        # keyword hits outside the dense candidates get their similarity too, so both
        # scores are known for every candidate before they are combined
        missing = {cid for cid in lexical_scores if cid not in dense and cid in gen.chunks}
        if missing:  # (an index replaced meanwhile: fused without them, read next time)
            with contextlib.suppress(IndexChangedError):
                dense = {**dense, **self._dense(gen, query, missing)}
        fused = convex_fusion(dense, lexical_scores)
        ordered = sorted(fused, key=lambda cid: (-fused[cid], -dense.get(cid, 0.0)))
        results = []
        for rank, chunk_id in enumerate(ordered[:k], start=1):
            base = gen.chunks.get(chunk_id)
            if base is None:
                continue
            results.append(
                replace(
                    base,
                    score=fused[chunk_id],
                    dense=dense.get(chunk_id),
                    lexical=lexical_scores.get(chunk_id),
                    rank=rank,
                )
            )
        return results

    def with_similarity(self, query: str, chunks: Sequence[RetrievedChunk]) -> list[RetrievedChunk]:
        """`chunks` with their dense similarity to `query` where it is missing (found by
        keyword search or by structure, not among the dense candidates)."""
        missing = {c.chunk_id for c in chunks if c.dense is None}
        if not missing:
            return list(chunks)
        gen = self.generation()
        try:
            dense = self._dense(gen, query, missing & set(gen.chunks))
        except IndexChangedError:
            return list(chunks)
        return [
            replace(c, dense=dense.get(c.chunk_id)) if c.chunk_id in missing else c for c in chunks
        ]

    def closest_unit_passages(
        self, query: str, chunks: Sequence[RetrievedChunk], n: int = CLOSEST_UNITS
    ) -> list[RetrievedChunk]:
        """The chunks holding the `n` answer units nearest `query` in embedding space, nearest
        first: a long passage (an article of several ayat) may rank low as a whole while
        one of its sentences is the answer."""
        vectors = self.generation().unit_vectors
        if not vectors or not chunks:
            return []
        question = self.query_vector(query)
        nearest: list[tuple[float, RetrievedChunk]] = []
        for chunk in chunks:
            # the same split the scorer reads, cached: each candidate is split once
            texts = (unit.text for unit in units_of(chunk.text))
            sims = [float(vectors[t] @ question) for t in texts if t in vectors]
            if sims:
                nearest.append((max(sims), chunk))
        nearest.sort(key=lambda pair: -pair[0])
        return [chunk for _, chunk in nearest[:n]]

    def _dense(self, gen: _Generation, query: str, allowed: set[str] | None) -> dict[str, float]:
        n = min(CANDIDATES, len(gen.chunks))
        if n == 0:
            return {}
        kwargs: dict[str, Any] = {}
        if allowed is not None and len(allowed) < len(gen.chunks):
            kwargs["ids"] = sorted(allowed)
            n = min(n, len(allowed))
        result = gen.collection.query(
            query_embeddings=_as_matrix(self._embed_query(query)),
            n_results=n,
            include=["distances"],
            **kwargs,
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        return {cid: 1.0 - float(dist) for cid, dist in zip(ids, distances, strict=True)}

    def _embed_query_uncached(self, query: str) -> tuple[float, ...]:
        return tuple(self.embedding.embeddings.embed_query(query))

    def clear_query_cache(self) -> None:
        self._embed_query.cache_clear()

    def embed_query(self, query: str) -> list[float]:
        return list(self._embed_query(query))

    def query_vector(self, query: str) -> np.ndarray:
        """The question's embedding, unit-normalised (cosine = dot product)."""
        vector = np.asarray(self._embed_query(query), dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector


def _passage_terms(chunk: RetrievedChunk) -> frozenset[str]:
    """The terms a passage holds, as document frequencies count them: its words, and each
    regulation number it writes out ("Nomor 14 Tahun 2026") in the short form people ask
    with ("14/2026"), so a question naming an indexed regulation names nothing unknown."""
    text = passage_text(chunk.title, chunk.section, chunk.text)
    return frozenset(tokenize(text)) | anchors_of(text).reg_numbers


def _as_matrix(vector: Sequence[float]) -> np.ndarray:
    """One query vector in the shape Chroma expects."""
    return np.asarray([vector], dtype=np.float32)


def convex_fusion(
    dense: dict[str, float], lexical: dict[str, float], weight: float = DENSE_WEIGHT
) -> dict[str, float]:
    """`weight` × dense similarity + (1 − `weight`) × BM25 score, each scaled to 0–1 over the
    candidates (similarity min–max, BM25 by its best): unlike reciprocal rank fusion, a
    passage whose keywords match far better than any other's is not outranked by passages
    that both searches rank only moderately."""
    ids = set(dense) | set(lexical)
    if not ids:
        return {}
    lo, hi = min(dense.values(), default=0.0), max(dense.values(), default=0.0)
    top = max(lexical.values(), default=0.0)

    def d(cid: str) -> float:
        return (dense[cid] - lo) / (hi - lo) if cid in dense and hi > lo else 0.0

    def lx(cid: str) -> float:
        return lexical.get(cid, 0.0) / top if top > 0 else 0.0

    return {cid: weight * d(cid) + (1 - weight) * lx(cid) for cid in ids}


def _allowed_ids(
    gen: _Generation,
    doc_types: AbstractSet[str] | None,
    where: dict[str, Any] | None,
    documents_only: bool = False,
) -> set[str] | None:
    if documents_only and gen.document_ids is not None and not doc_types and not where:
        return set(gen.document_ids)
    if not doc_types and not where:
        return None
    allowed = set()
    for chunk_id, chunk in gen.chunks.items():
        if documents_only and chunk.is_profile_row:
            continue
        if doc_types and chunk.doc_type not in doc_types:
            continue
        if where and not _matches(chunk.metadata, where):
            continue
        allowed.add(chunk_id)
    return allowed


def _matches(metadata: dict[str, Any], where: dict[str, Any]) -> bool:
    """Equality filters, case-insensitive for text (region names are typed freely), and
    {"$contains": text} for a case-insensitive substring ("Jawa Tengah" in a region field)."""
    for key, expected in where.items():
        value = metadata.get(key)
        if isinstance(expected, dict) and "$contains" in expected:
            needle = str(expected["$contains"]).casefold()
            if not isinstance(value, str) or needle not in value.casefold():
                return False
        elif value is None or str(value).casefold() != str(expected).casefold():
            return False  # "2023" and 2023 are the same year whatever the catalogue stored
    return True
