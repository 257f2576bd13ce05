"""Test doubles that keep tests fast and offline."""

from __future__ import annotations

import hashlib
import re

import numpy as np
from langchain_core.embeddings import Embeddings

from replikasi.embeddings import EmbeddingModel


class HashEmbeddings(Embeddings):
    """Bag-of-words vectors from hashed tokens: deterministic, instant, and texts sharing
    words are close, which is all retrieval tests need."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls = 0

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(self.dim, dtype=np.float32)
        for token in re.findall(r"\w+", text.lower()):
            digest = hashlib.md5(token.encode()).digest()
            vector[int.from_bytes(digest[:4], "little") % self.dim] += 1.0
        norm = float(np.linalg.norm(vector)) or 1.0
        return (vector / norm).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def hash_embedding_model(dim: int = 256) -> EmbeddingModel:
    return EmbeddingModel(f"test:hash-{dim}", HashEmbeddings(dim))
