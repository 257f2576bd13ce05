"""Embeddings of answer units (sentences, short lists), for semantic sentence scoring.

The offline answer picks sentences; comparing the question with each candidate sentence in
embedding space lets a sentence that answers in other words win. Embedding sentences at
question time would cost far more than an answer may take, so they are embedded once, at
ingest, and kept in a Chroma collection of their own, keyed by the model and the unit's text:
unchanged text is never embedded twice, every process (and replica, with a Chroma server)
shares them, and a missing vector only means the engine falls back to passage similarity.

Rows of innovation catalogues are left out: they are short records found by name or by
filters, their passage vector already says what they are about, and a 3,000-row catalogue
would add thousands of sentences to embed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from chromadb.api import ClientAPI

from replikasi.embeddings import EmbeddingModel
from replikasi.records import MetaKey
from replikasi.sentences import split_units

log = logging.getLogger(__name__)

COLLECTION_PREFIX = "replikasi-units-"
PAGE = 500

ProgressCallback = Callable[[int, int], None]


def unit_key(model_id: str, text: str) -> str:
    return hashlib.sha1(f"{model_id}\x00{text}".encode()).hexdigest()


def wants_unit_vectors(metadata: dict[str, Any]) -> bool:
    """Catalogue rows (innovation profiles with a `name` field) are scored by their passage."""
    return not metadata.get(MetaKey.NAME)


def units_of(text: str) -> list[str]:
    return [unit.text for unit in split_units(text)]


class UnitVectors:
    """The unit-vector store of one embedding model."""

    def __init__(self, client: ClientAPI, embedding: EmbeddingModel) -> None:
        self.embedding = embedding
        name = COLLECTION_PREFIX + hashlib.sha1(embedding.model_id.encode()).hexdigest()[:12]
        self._collection = client.get_or_create_collection(name, embedding_function=None)

    def key(self, text: str) -> str:
        return unit_key(self.embedding.model_id, text)

    def fetch(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """Stored vectors (unit-normalised float32) of the given unit texts, by text."""
        by_key = {self.key(text): text for text in texts}
        keys = list(by_key)
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), PAGE):
            page = self._collection.get(ids=keys[start : start + PAGE], include=["embeddings"])
            embeddings = page.get("embeddings")
            if embeddings is None:
                continue
            for key, vector in zip(page["ids"], embeddings, strict=True):
                found[by_key[key]] = _normalised(vector)
        return found

    def ensure(
        self,
        texts: Sequence[str],
        batch_size: int = 32,
        on_progress: ProgressCallback | None = None,
    ) -> int:
        """Embed and store the units that have no vector yet; returns how many were embedded."""
        unique = list(dict.fromkeys(texts))
        stored = self.fetch(unique)
        missing = [text for text in unique if text not in stored]
        total = len(missing)
        if on_progress:
            on_progress(0, total)
        for start in range(0, total, batch_size):
            batch = missing[start : start + batch_size]
            vectors = self.embedding.embeddings.embed_documents(batch)
            self._collection.upsert(
                ids=[self.key(text) for text in batch],
                embeddings=np.asarray(vectors, dtype=np.float32),
            )
            if on_progress:
                on_progress(min(start + batch_size, total), total)
        return total

    def prune(self, keep: Iterable[str]) -> int:
        """Delete vectors of units no longer in the index (run under the ingest lock)."""
        wanted = {self.key(text) for text in keep}
        stale: list[str] = []
        offset = 0
        while True:
            page = self._collection.get(limit=PAGE * 2, offset=offset, include=[])
            ids = page["ids"]
            if not ids:
                break
            stale.extend(i for i in ids if i not in wanted)
            offset += len(ids)
        for start in range(0, len(stale), PAGE):
            self._collection.delete(ids=stale[start : start + PAGE])
        return len(stale)


def refresh_unit_vectors(
    store: UnitVectors,
    chunks: Iterable[tuple[str, dict[str, Any]]],
    batch_size: int,
    on_progress: ProgressCallback | None = None,
) -> int:
    """At ingest: embed the answer units and words of the index's chunks that have no vector
    yet, forget those no chunk has any more. Chunks are (text, metadata) pairs; returns how
    many texts were embedded. Every chunk is looked at, not only new ones, so a change in how
    passages are split into units is caught up by the next ingest, changed or not (looking
    up a knowledge base's units takes well under a second)."""
    texts = list(semantic_texts(chunks))
    embedded = store.ensure(texts, batch_size, on_progress)
    store.prune(texts)
    return embedded


def semantic_texts(chunks: Iterable[tuple[str, dict[str, Any]]]) -> Iterable[str]:
    """What is embedded besides passages: each answer unit, and each content word (see
    `replikasi.vocabulary`), of the chunks that want them."""
    from replikasi.vocabulary import vocabulary

    for text, meta in chunks:
        if wants_unit_vectors(meta):
            yield from units_of(text)
            yield from vocabulary([text])


def _normalised(vector: Any) -> np.ndarray:
    array = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(array))
    return array / norm if norm else array
