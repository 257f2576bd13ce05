"""Rerankers over the fused candidates, applied in turn (kotaemon-style `rerankers`).

Each has the shape of langchain-core's `BaseDocumentCompressor.compress_documents(documents,
query)`: candidates in, candidates out, best first. A new reranker (a cross-encoder, a
recency prior) plugs in by being added to the engine's list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from bot.query import Query
from bot.scoring import article_matches, terms_of
from bot.term_weights import TermWeights
from replikasi.records import RetrievedChunk


class Reranker(Protocol):
    def compress_documents(
        self, documents: Sequence[RetrievedChunk], query: Query
    ) -> list[RetrievedChunk]: ...


@dataclass(frozen=True)
class ArticleFirst:
    """A question that names an article ("isi Pasal 11 apa?") goes straight to it: passages
    of that article first, those of a regulation the question names before others."""

    def compress_documents(
        self, documents: Sequence[RetrievedChunk], query: Query
    ) -> list[RetrievedChunk]:
        if not query.anchors.article:
            return list(documents)
        numbers = query.anchors.reg_numbers

        def key(chunk: RetrievedChunk) -> tuple[int, int]:
            matches = article_matches(query, chunk)
            named = bool(numbers) and chunk.regulation_number in numbers
            return (0 if matches else 1, 0 if named else 1)

        return sorted(documents, key=key)  # stable: retrieval order within each group


@dataclass(frozen=True)
class ProfileRowsAfterDocuments:
    """Catalogue rows (thousands of short innovation profiles) must not drown definitions
    and procedures: a row keeps its place only when the question names it (a rare word of
    the question is in its name) or it is closer to the question than every document
    passage; otherwise it follows them. Questions with profile filters are left alone."""

    weights: TermWeights
    rare_df: int = 3

    def compress_documents(
        self, documents: Sequence[RetrievedChunk], query: Query
    ) -> list[RetrievedChunk]:
        if query.filters:
            return list(documents)
        rows = [d for d in documents if d.is_profile_row]
        if not rows or len(rows) == len(documents):
            return list(documents)
        best_document = max(
            (d.dense or 0.0 for d in documents if not d.is_profile_row), default=0.0
        )
        rare = {t for t in query.own_terms if 0 < self.weights.df.get(t, 0) <= self.rare_df}
        kept, demoted = [], []
        for doc in documents:
            is_row = doc.is_profile_row
            named = bool(rare & terms_of(doc.title))
            closer = (doc.dense or 0.0) > best_document
            (demoted if is_row and not (named or closer) else kept).append(doc)
        return kept + demoted


def rerank(
    documents: Sequence[RetrievedChunk], query: Query, rerankers: Sequence[Reranker]
) -> list[RetrievedChunk]:
    """Apply `rerankers` in turn and number the result 1..n."""
    ordered = list(documents)
    for reranker in rerankers:
        ordered = reranker.compress_documents(ordered, query)
    return [replace(chunk, rank=rank) for rank, chunk in enumerate(ordered, start=1)]
