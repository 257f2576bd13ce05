"""The narrow front of the answer engine that shells use (the Telegram bot, the LangChain
retriever): they depend on this Protocol, never on the retriever or the index behind it.
`bot.engine.AnswerEngine` implements it; tests pass a canned engine that does too."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from replikasi.records import Answer, RetrievedChunk, Turn

if TYPE_CHECKING:  # for the annotations only: importing them loads chromadb and the model code
    from replikasi.embeddings import EmbeddingModel
    from replikasi.index import IndexedDocument


class EngineFront(Protocol):
    @property
    def mode(self) -> str:
        """ "extractive" (offline) or "llm"."""

    @property
    def embedding(self) -> EmbeddingModel:
        """The embedder, shared with in-process ingests so the model is loaded once."""

    def warm(self) -> None:
        """Load the active index now (raises when it is missing)."""

    def reload(self) -> None:
        """Forget the loaded index generation after an in-process ingest."""

    def clear_caches(self) -> None: ...

    def documents(self) -> list[IndexedDocument]: ...

    def search_profiles(self, query: str, k: int = 20) -> list[RetrievedChunk]: ...

    def passage(self, chunk_id: str) -> RetrievedChunk | None: ...

    def retrieve(self, query: str, k: int | None = None) -> list[RetrievedChunk]:
        """The hybrid retrieval alone: the passages for `query`, best first."""

    def answer(
        self, question: str, history: Sequence[Turn] = (), *, overview: bool = True
    ) -> Answer:
        """The answer to `question`; `overview=False` for a caller composing its own
        overview from narrow questions (the planner): a broad how-to question is then
        answered like any other."""
