"""Probe 6 of issue 13: the Chroma server is lost in the middle of a command.

Before, an 85–93-line httpx traceback (the one-sentence message covered start-up only), and
a running bot answered with the generic error until restarted. Here a real `chroma run` is
killed during an ingest and under a long-lived answer engine: the CLI prints one sentence,
the engine raises the same `IndexUnavailableError`, nothing indexed before is lost, and the
same objects work again as soon as the server is back on its address.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.engine import AnswerEngine
from bot.retrieval import HybridRetriever
from ingest import pipeline
from replikasi import cli
from replikasi.embeddings import EmbeddingModel
from replikasi.errors import IndexUnavailableError
from replikasi.index import KnowledgeIndex
from replikasi.settings import Settings, get_settings
from tests.conftest import KNOWLEDGE
from tests.fakes import HashEmbeddings, hash_embedding_model

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

STARTUP_SECONDS = 60


class ChromaProcess:
    """`chroma run` on a fixed port and folder, so that it can be killed and come back."""

    def __init__(self, root: Path) -> None:
        self.binary = Path(sys.executable).with_name("chroma")
        if not self.binary.exists():
            self.binary = Path(shutil.which("chroma") or self.binary)
        self.path = root / "chroma-server"
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(self.binary), "run", "--path", str(self.path), "--host", "127.0.0.1",
             "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                url = f"http://127.0.0.1:{self.port}/api/v2/heartbeat"
                if httpx.get(url, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        pytest.fail("chroma run did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaProcess]:
    server = ChromaProcess(tmp_path)
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.kill()


@pytest.fixture
def workspace(tmp_path: Path, chroma: ChromaProcess, monkeypatch: pytest.MonkeyPatch):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge))
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(chroma.port))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


class KillsTheServer(HashEmbeddings):
    """Embeds the first batch, then takes the server down while the ingest is writing."""

    def __init__(self, chroma: ChromaProcess) -> None:
        super().__init__()
        self.chroma = chroma

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.calls == 1:
            self.chroma.kill()
        return super().embed_documents(texts)


def test_server_lost_mid_ingest_is_one_sentence_and_the_next_ingest_works(
    workspace: Settings,
    chroma: ChromaProcess,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(pipeline, "make_embedding_model", lambda _: hash_embedding_model())
    assert cli.main(["ingest"]) == 0
    capsys.readouterr()
    sections = [f"## Bagian {i}\n\n" + f"Isi bagian {i} tentang inovasi. " * 60 for i in range(20)]
    (workspace.knowledge_dir / "baru.md").write_text("# Baru\n\n" + "\n\n".join(sections))
    killer = EmbeddingModel("test:hash-256", KillsTheServer(chroma))
    monkeypatch.setattr(pipeline, "make_embedding_model", lambda _: killer)
    monkeypatch.setenv("EMBEDDING_BATCH_SIZE", "4")
    get_settings.cache_clear()
    assert cli.main(["ingest"]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    err = "\n".join(line for line in lines if not line.startswith("Embedding chunks"))
    assert err.startswith(
        f"Error: The knowledge index is unavailable: the Chroma server at 127.0.0.1:"
        f"{chroma.port} cannot be reached"
    ), err
    assert len(err.splitlines()) == 1 and "Traceback" not in err

    chroma.start()  # back on the same address: the same command works again
    assert cli.main(["sources", "--json"]) == 0
    before = {doc["id"] for doc in json.loads(capsys.readouterr().out)}
    assert len(before) == 13 and "baru.md" not in before  # the previous index answered throughout
    monkeypatch.setattr(pipeline, "make_embedding_model", lambda _: hash_embedding_model())
    assert cli.main(["ingest"]) == 0
    settings = get_settings()
    index = KnowledgeIndex.open(settings)
    assert "baru.md" in {doc.doc_id for doc in index.documents()}
    assert len(index.generations()) == 1  # the half-built generation was cleared


def test_a_running_engine_says_unavailable_then_recovers(
    workspace: Settings, chroma: ChromaProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "make_embedding_model", lambda _: hash_embedding_model())
    assert cli.main(["ingest"]) == 0
    engine = AnswerEngine(workspace, HybridRetriever(workspace, embedding=hash_embedding_model()))
    assert engine.answer("Berapa jumlah hub inovasi saat ini?").citations
    chroma.kill()
    engine.retriever.clear_query_cache()
    with pytest.raises(IndexUnavailableError) as lost:
        engine.answer("Apa itu SINOVIK?")
    message = str(lost.value)
    assert message.startswith("The knowledge index is unavailable") and "\n" not in message
    chroma.start()
    assert engine.answer("Apa itu SINOVIK?").citations  # the same engine, no restart
