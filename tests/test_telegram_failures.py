"""When a part fails, through the bot: the index (missing, another embedding model, an
interrupted /reindex), Telegram itself (flood control, network errors while sending) and the
LLM endpoint. The bot keeps running, users get a short clear message (or simply their answer),
admins get the detail, and every reply is delivered.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.engine import AnswerEngine
from bot.llm import LLMAnswerer
from bot.retrieval import HybridRetriever
from bot.telegram import sending
from ingest.pipeline import run_ingest
from replikasi.embeddings import EmbeddingModel
from replikasi.index import KnowledgeIndex
from replikasi.settings import Settings
from tests.fakes import HashEmbeddings, hash_embedding_model
from tests.openai_stub import Behaviour, ChatStub, chat_stub
from tests.telegram_fakes import (
    Harness,
    connection_refused,
    flood_control,
    message_update,
    read_timeout,
    run,
)

ADMIN = 900
USER = 1
QUESTION = "Berapa jumlah hub inovasi?"
PREPARING = "basis pengetahuan sedang disiapkan"


@pytest.fixture
def bot_settings(settings: Settings, knowledge_copy: Path) -> Settings:
    """The starter knowledge folder (not indexed yet), small embedding batches."""
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr("123456:TEST"),
            "admin_ids": [ADMIN],
            "embedding_batch_size": 8,
        }
    )


def _engine(settings: Settings, embedding: EmbeddingModel) -> AnswerEngine:
    return AnswerEngine(settings, retriever=HybridRetriever(settings, embedding=embedding))


def _answered(text: str) -> bool:
    return "<b>Sumber:</b>" in text and "hub" in text.lower()


# -- the index -----------------------------------------------------------------------------
def test_missing_index_is_explained_and_an_admin_reindex_brings_answers_back(
    bot_settings: Settings, fake_embedding: EmbeddingModel
) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update(QUESTION, user_id=USER))
        await h.send(message_update(QUESTION, user_id=ADMIN))
        await h.send(message_update("/reindex", user_id=ADMIN))
        await h.settle()
        await h.send(message_update(QUESTION, user_id=USER))

    h = run(bot_settings, scenario, _engine(bot_settings, fake_embedding))
    to_user, to_admin, started, report, answer = h.telegram.sent_texts
    assert PREPARING in to_user and "Untuk admin" not in to_user
    assert to_admin.startswith(to_user)
    assert "empty or missing; build it with `replikasi ingest`" in to_admin
    assert "Dari Telegram: kirim <code>/reindex</code>." in to_admin
    assert "Memperbarui indeks" in started and "Indeks diperbarui" in report
    assert _answered(answer)


def test_index_from_another_embedding_model_can_be_rebuilt_from_telegram(
    bot_settings: Settings, fake_embedding: EmbeddingModel
) -> None:
    assert run_ingest(bot_settings, embedding=hash_embedding_model(dim=128)).ok

    async def scenario(h: Harness) -> None:
        await h.send(message_update(QUESTION, user_id=USER))
        await h.send(message_update(QUESTION, user_id=ADMIN))
        await h.send(message_update("/reindex", user_id=ADMIN))
        await h.settle()
        await h.send(message_update("/reindex rebuild", user_id=ADMIN))
        await h.settle()
        await h.send(message_update(QUESTION, user_id=USER))

    h = run(bot_settings, scenario, _engine(bot_settings, fake_embedding))
    to_user, to_admin, _, refused, _, rebuilt, answer = h.telegram.sent_texts
    assert PREPARING in to_user and "test:hash" not in to_user
    assert "built with embedding model 'test:hash-128' but 'test:hash-256'" in to_admin
    assert "<code>/reindex rebuild</code>" in to_admin
    assert "Pembaruan indeks gagal; indeks sebelumnya tetap dipakai" in refused
    assert "<code>/reindex rebuild</code>" in refused
    assert "Indeks diperbarui" in rebuilt
    assert _answered(answer)


class _FailingHalfway(HashEmbeddings):
    """Embeds the first batch, then fails the way `error` says (once, unless `always`)."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error: BaseException | None = error

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.calls >= 1 and self.error is not None:
            error, self.error = self.error, None
            raise error
        return super().embed_documents(texts)


@pytest.mark.parametrize(
    "error",
    [RuntimeError("embedding server went away"), KeyboardInterrupt()],
    ids=["crash", "interrupt"],
)
def test_reindex_interrupted_midway_keeps_the_previous_index_answering(
    bot_settings: Settings, error: BaseException
) -> None:
    embedder = _FailingHalfway(error)
    embedding = EmbeddingModel("test:hash-256", embedder)
    assert run_ingest(bot_settings, embedding=hash_embedding_model()).ok
    index = KnowledgeIndex.open(bot_settings)
    before = index.active_name()
    for path in sorted(bot_settings.knowledge_dir.glob("*.md")):
        path.write_text(path.read_text() + "\n\nCatatan: dokumen ini ditinjau ulang.\n")
    embedder.calls = 0
    generations: list[str | None] = []

    async def scenario(h: Harness) -> None:
        await h.send(message_update("/reindex", user_id=ADMIN))
        await h.settle()
        generations.append(index.active_name())
        await h.send(message_update(QUESTION, user_id=USER))
        await h.send(message_update("/reindex", user_id=ADMIN))
        await h.settle()

    h = run(bot_settings, scenario, _engine(bot_settings, embedding))
    _, failed, answer, _, report = h.telegram.sent_texts
    assert "❌ Pembaruan indeks gagal; indeks sebelumnya tetap dipakai." in failed
    assert type(error).__name__ in failed
    assert generations == [before]  # the half-built generation was never switched in
    assert _answered(answer)
    assert "Indeks diperbarui" in report and "Diperbarui: 13" in report
    assert index.active_name() != before


# -- Telegram ------------------------------------------------------------------------------
@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sending, "RETRY_DELAYS", (0.01,))


def test_flood_control_three_times_running_still_delivers_once(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        for _ in range(3):
            h.telegram.fail("sendMessage", 429, flood_control())
        await h.send(message_update(QUESTION))
        await h.send(message_update("Apa itu KIPP?"))

    h = run(bot_settings, scenario)
    assert len(h.telegram.of("sendMessage")) == 5  # 3 refused + 2 delivered
    assert len(h.telegram.delivered_texts) == 2
    assert all("adopsi" in text for text in h.telegram.delivered_texts)


@pytest.mark.parametrize(
    ("failures", "attempts"),
    [
        ([connection_refused, connection_refused, connection_refused], 4),
        ([read_timeout], 2),
        ([connection_refused, read_timeout], 3),
    ],
    ids=["refused-3x", "read-timeout", "refused-then-timeout"],
)
def test_network_errors_while_sending_are_retried_and_the_reply_delivered_once(
    bot_settings: Settings, quick_retries: None, failures: list, attempts: int
) -> None:
    async def scenario(h: Harness) -> None:
        for make in failures:
            h.telegram.fail_network("sendMessage", make())
        await h.send(message_update(QUESTION))

    h = run(bot_settings, scenario)
    assert len(h.telegram.of("sendMessage")) == attempts
    [reply] = h.telegram.delivered_texts
    assert "adopsi" in reply
    assert h.store.stats().periods[0].questions == 1


def test_reply_lost_after_telegram_took_it_is_sent_once_more_not_endlessly(
    bot_settings: Settings, quick_retries: None
) -> None:
    """The documented price of never losing an answer: after a timeout that Telegram had in
    fact acted on, the user may see the answer twice, never more."""

    async def scenario(h: Harness) -> None:
        h.telegram.fail_network("sendMessage", read_timeout(), delivered=True)
        h.telegram.fail_network("sendMessage", read_timeout(), delivered=True)
        await h.send(message_update(QUESTION))
        await h.send(message_update("Apa itu KIPP?"))

    h = run(bot_settings, scenario)
    texts = h.telegram.delivered_texts
    assert len(texts) == 3  # answer, its one retry, the next answer
    assert "terjadi kendala" not in " ".join(texts)


def test_telegram_unreachable_gives_up_after_bounded_retries_and_recovers(
    bot_settings: Settings, quick_retries: None
) -> None:
    async def scenario(h: Harness) -> None:
        for _ in range(4):
            h.telegram.fail_network("sendMessage", connection_refused())
        h.telegram.fail_network("sendChatAction", connection_refused())
        await h.send(message_update(QUESTION))
        await h.send(message_update("Apa itu KIPP?"))

    h = run(bot_settings, scenario)
    assert len(h.telegram.of("sendChatAction")) == 2  # "typing…" is never retried
    assert len(h.telegram.of("sendMessage")) == 5  # 4 attempts, then the next answer
    [reply] = h.telegram.delivered_texts
    assert "adopsi" in reply


# -- the LLM endpoint ----------------------------------------------------------------------
def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def stub() -> Iterator[ChatStub]:
    with chat_stub() as running:
        yield running


@pytest.mark.parametrize(
    "behaviour",
    [None, Behaviour(status=500), Behaviour(delay=1.5), Behaviour(garbage=True)],
    ids=["down", "http-500", "slow", "malformed-json"],
)
def test_llm_failure_gives_the_user_the_extractive_answer_and_nothing_alarming(
    settings: Settings,
    starter_index: Settings,
    starter_engine: AnswerEngine,
    stub: ChatStub,
    behaviour: Behaviour | None,
) -> None:
    if behaviour is None:
        base_url = f"http://127.0.0.1:{_closed_port()}/v1"
    else:
        base_url, stub.behaviour = stub.base_url, behaviour
    llm_settings = starter_index.model_copy(
        update={"openai_base_url": base_url, "llm_timeout_seconds": 0.5}
    )
    engine = AnswerEngine(
        llm_settings, retriever=starter_engine.retriever, llm=LLMAnswerer(llm_settings)
    )
    bot_settings = settings.model_copy(update={"telegram_bot_token": SecretStr("123456:TEST")})

    async def scenario(h: Harness) -> None:
        await h.send(message_update("Apa saja bentuk replikasi inovasi pelayanan publik?"))

    h = run(bot_settings, scenario, engine)
    [reply] = h.telegram.delivered_texts
    assert "adopsi" in reply.lower() and "<b>Sumber:</b>" in reply
    for alarming in ("kendala", "error", "gagal", "LLM", "500", "timeout", "llm_fallback"):
        assert alarming not in reply
    assert (behaviour is None) == (stub.requests == [])  # the stub was asked, unless down
