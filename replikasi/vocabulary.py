"""A semantic bridge from words no passage contains to words the passages do contain.

An English question ("Who opened the event?") or a chat one ("kerjaannya ngapain aja?") uses
words the knowledge base never writes. The embedding model places "opened" next to "membuka"
and "kerjaannya" next to "pekerjaan": each passage word is embedded once (at ingest, in the
same store as answer units), and a question word that no passage contains is compared with
them at question time. A close passage word lends its terms to the question, at reduced
weight, for keyword search and for measuring how much of the question a sentence covers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from replikasi.embeddings import EmbeddingModel, embed_queries
from replikasi.indonesian import STOPWORDS, word_terms

# Cosine between e5 word embeddings: unrelated words sit around 0.85-0.87, translations and
# inflections of one another from about 0.89 up.
BRIDGE_MIN = 0.885
BRIDGE_TOP = 2


def vocabulary(texts: Iterable[str]) -> list[str]:
    """The distinct content words of `texts` (alphabetic, longer than two letters)."""
    words: set[str] = set()
    for text in texts:
        for word, terms in word_terms(text):
            if terms and len(word) > 2 and word.isalpha() and word not in STOPWORDS:
                words.add(word)
    return sorted(words)


@dataclass(frozen=True)
class Bridge:
    word: str  # the question's word
    terms: tuple[str, ...]  # index terms of the passage word it is close to
    similarity: float


class VocabularyBridge:
    """Passage words and their vectors, for one index generation."""

    def __init__(self, words: list[str], vectors: np.ndarray, embedding: EmbeddingModel) -> None:
        self.words = words
        self.vectors = vectors
        self.embedding = embedding
        self._terms = {word: terms for word, terms in word_terms(" ".join(words))}

    def __len__(self) -> int:
        return len(self.words)

    def bridges(self, words: list[str]) -> list[Bridge]:
        """Passage words close to each of `words` (one batch through the embedder)."""
        if not words or not self.words:
            return []
        queries = np.asarray(embed_queries(self.embedding, words), dtype=np.float32)
        queries /= np.maximum(np.linalg.norm(queries, axis=1, keepdims=True), 1e-9)
        similarities = queries @ self.vectors.T
        found: list[Bridge] = []
        for word, row in zip(words, similarities, strict=True):
            for index in np.argsort(-row)[:BRIDGE_TOP]:
                if row[index] < BRIDGE_MIN:
                    break
                terms = self._terms.get(self.words[index], ())
                if terms:
                    found.append(Bridge(word, terms, float(row[index])))
        return found
