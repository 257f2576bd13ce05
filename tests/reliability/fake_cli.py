"""`replikasi` as users run it, with the test hash embedder instead of the real model.

For subprocess tests that start many ingests: everything but the embedder is the real
command (argument parsing, settings, the ingest lock, Chroma on disk, messages, exit codes).
Run as `python -m tests.reliability.fake_cli ingest ...` from the repository root.
REPLIKASI_TEST_EMBED_DELAY (seconds per batch) slows embedding down so that a test can kill
an ingest in the middle of its work.
"""

from __future__ import annotations

import os
import sys
import time

from bot import retrieval
from ingest import pipeline
from replikasi import cli
from replikasi.embeddings import EmbeddingModel
from replikasi.settings import Settings
from tests.fakes import HashEmbeddings


class SlowHashEmbeddings(HashEmbeddings):
    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        time.sleep(self.delay)
        return super().embed_documents(texts)


def fake_embedding_model(_: Settings) -> EmbeddingModel:
    delay = float(os.environ.get("REPLIKASI_TEST_EMBED_DELAY", "0") or 0)
    return EmbeddingModel("test:hash-256", SlowHashEmbeddings(delay))


pipeline.make_embedding_model = fake_embedding_model  # type: ignore[assignment]
retrieval.make_embedding_model = fake_embedding_model  # type: ignore[assignment]

if __name__ == "__main__":
    sys.exit(cli.main())
