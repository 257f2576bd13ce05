"""Several bot replicas on one PostgreSQL database (DATABASE_URL), on a real server.

What a user would notice if the state were not shared: a follow-up answered by another
replica losing its context, a 👍 on an answer from another replica failing, /stats counting
one replica only, two admins reindexing at once on two replicas.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
import threading
import time
from collections.abc import Callable
from multiprocessing.synchronize import Barrier, Event
from typing import Any

import pytest
from pydantic import SecretStr

from bot.followup import MAX_TURNS
from bot.telegram import admin
from bot.telegram.state_postgres import PostgresBotStore
from ingest.pipeline import IngestReport
from replikasi.errors import ReplikasiError
from replikasi.records import Answer, Turn
from replikasi.settings import Settings
from tests.postgres_server import PostgresServer
from tests.telegram_fakes import (
    Harness,
    callback_update,
    citation,
    message_update,
)

ADMIN = 900
USER = 1
# Spawned, not forked: a forked child would inherit the parent's pool threads and sockets.
SPAWN = multiprocessing.get_context("spawn")


def answer(question: str, *, abstained: bool = False) -> Answer:
    return Answer(
        question=question,
        language="id",
        text=f"Jawaban untuk {question} [1]",
        citations=[] if abstained else [citation(1)],
        outcome="abstained" if abstained else "answered",
        resolved_query=question,
    )


# -- the store, two replicas ---------------------------------------------------------------
def test_two_replicas_see_each_others_turns_answers_feedback_and_stats(
    postgres_url: str,
) -> None:
    a, b = PostgresBotStore(postgres_url), PostgresBotStore(postgres_url)
    try:
        a.add_turn(5, Turn("Apa itu SINOVIK?", "Apa itu SINOVIK?"))
        b.add_turn(5, Turn("siapa pengelolanya?", "SINOVIK siapa pengelolanya?"))
        assert [t.question for t in a.turns(5)] == ["Apa itu SINOVIK?", "siapa pengelolanya?"]

        answer_id = a.save_answer(5, answer("Apa itu SINOVIK?"), "<b>html</b>")
        stored = b.answer(answer_id)  # the buttons work on whichever replica gets the press
        assert stored is not None and stored.reply_html == "<b>html</b>"
        b.record_feedback(answer_id, 5, user_id=11, value=1)
        a.record_feedback(answer_id, 5, user_id=11, value=-1)  # changed their mind elsewhere
        assert b.feedback(answer_id) == {11: -1}

        a.log_question(answer("Apa itu SINOVIK?"))
        b.log_question(answer("Resep rendang?", abstained=True))
        for store in (a, b):
            stats = store.stats()
            assert (stats.periods[0].questions, stats.periods[0].abstained) == (2, 1)
            assert (stats.feedback_up, stats.feedback_down) == (0, 1)

        b.reset(5)
        assert a.turns(5) == []
    finally:
        a.close()
        b.close()


def test_replicas_starting_together_migrate_once(postgres_url: str) -> None:
    stores: list[PostgresBotStore] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_one() -> None:
        try:
            start.wait()
            stores.append(PostgresBotStore(postgres_url))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == [] and len(stores) == 4
        assert {store.schema_version() for store in stores} == {len(PostgresBotStore.MIGRATIONS)}
    finally:
        for store in stores:
            store.close()


def _append_turns(url: str, replica: int, chats: int, rounds: int, start: Barrier) -> None:
    store = PostgresBotStore(url)
    try:
        start.wait(60)
        for round_ in range(rounds):
            for chat in range(chats):
                store.add_turn(chat, Turn(f"r{replica} {round_}", "q"))
    finally:
        store.close()


def test_appends_from_two_processes_are_all_kept(postgres_url: str) -> None:
    replicas, chats, rounds = 2, 40, MAX_TURNS // 2
    start = SPAWN.Barrier(replicas)
    processes = [
        SPAWN.Process(target=_append_turns, args=(postgres_url, r, chats, rounds, start))
        for r in range(replicas)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    assert [p.exitcode for p in processes] == [0] * replicas

    store = PostgresBotStore(postgres_url)
    try:
        for chat in range(chats):
            questions = [t.question for t in store.turns(chat)]
            assert sorted(questions) == sorted(
                f"r{r} {i}" for r in range(replicas) for i in range(rounds)
            )
            for r in range(replicas):  # each replica's turns keep their order
                mine = [q for q in questions if q.startswith(f"r{r} ")]
                assert mine == [f"r{r} {i}" for i in range(rounds)]
    finally:
        store.close()


# -- the ingest lock -----------------------------------------------------------------------
def _hold_ingest_lock(url: str, held: Event) -> None:
    store = PostgresBotStore(url)
    if store.ingest_lock.try_acquire():
        held.set()
    time.sleep(120)  # killed by the test long before


def test_ingest_lock_excludes_other_replicas_and_dies_with_its_holder(postgres_url: str) -> None:
    a, b = PostgresBotStore(postgres_url), PostgresBotStore(postgres_url)
    try:
        assert a.ingest_lock.try_acquire()
        assert not b.ingest_lock.try_acquire() and not b.ingest_lock.locked()
        a.ingest_lock.release()
        assert b.ingest_lock.try_acquire()
        b.ingest_lock.release()

        # A replica that dies mid-ingest (OOM, SIGKILL) must not block ingests forever.
        held = SPAWN.Event()
        holder = SPAWN.Process(target=_hold_ingest_lock, args=(postgres_url, held))
        holder.start()
        try:
            assert held.wait(60), "the other replica could not take the lock"
            assert not a.ingest_lock.try_acquire()
        finally:
            holder.kill()
            holder.join(30)
        deadline = time.monotonic() + 10
        while not a.ingest_lock.try_acquire():
            assert time.monotonic() < deadline, "the dead replica's lock was never freed"
            time.sleep(0.1)
        a.ingest_lock.release()
    finally:
        a.close()
        b.close()


# -- start-up errors -----------------------------------------------------------------------
def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nobody listens once the socket is closed


def test_unreachable_server_is_one_sentence_naming_the_host_not_the_password() -> None:
    port = _closed_port()
    with pytest.raises(ReplikasiError) as raised:
        PostgresBotStore(f"postgresql://bot:s3cret-pw@127.0.0.1:{port}/replikasi")
    message = str(raised.value)
    assert message.startswith(f"Cannot connect to PostgreSQL at 127.0.0.1:{port}/replikasi")
    assert "s3cret-pw" not in message and "\n" not in message


def test_missing_database_is_named(postgres_server: PostgresServer) -> None:
    with pytest.raises(ReplikasiError, match=r"127\.0\.0\.1:\d+/nope.*does not exist"):
        PostgresBotStore(postgres_server.url("nope"))


@pytest.mark.parametrize(
    "url",
    ["mysql://bot:s3cret-pw@db/replikasi", "postgresql:/bot:s3cret-pw@db?=x=y"],
)
def test_a_url_that_is_not_postgresql_is_refused_without_echoing_it(url: str) -> None:
    with pytest.raises(ReplikasiError, match="DATABASE_URL") as raised:
        PostgresBotStore(url)
    assert "s3cret-pw" not in str(raised.value)


# -- two bot Applications ------------------------------------------------------------------
# One bot process: its own Application, Bot API double, engine and data directory; only
# DATABASE_URL in common with the other (Harness opens the store the settings ask for).
Replica = Harness


def run_replicas(replicas: list[Replica], scenario: Callable[[Replica, Replica], Any]) -> None:
    async def main() -> None:
        for replica in replicas:
            await replica.app.initialize()
            await replica.app.start()  # no updater: updates come from `send`
        try:
            await scenario(*replicas)
            for replica in replicas:
                await replica.settle()
        finally:
            for replica in replicas:
                await replica.app.stop()
                await replica.app.shutdown()  # closes each replica's store

    asyncio.run(main())


@pytest.fixture
def two_replicas(settings: Settings, postgres_url: str) -> list[Replica]:
    def replica(name: str) -> Replica:
        return Replica(
            settings.model_copy(
                update={
                    "data_dir": settings.data_dir / name,
                    "telegram_bot_token": SecretStr("123456:TEST"),
                    "admin_ids": [ADMIN],
                    "database_url": SecretStr(postgres_url),
                }
            )
        )

    return [replica("replica-a"), replica("replica-b")]


def test_a_follow_up_on_another_replica_keeps_the_conversation(
    two_replicas: list[Replica],
) -> None:
    async def scenario(a: Replica, b: Replica) -> None:
        await a.send(message_update("Apa itu SINOVIK?", user_id=USER))
        await b.send(message_update("siapa pengelolanya?", user_id=USER))
        markup = a.telegram.of("sendMessage")[0]["reply_markup"]
        thumbs_up = next(
            button["callback_data"]
            for row in markup["inline_keyboard"]
            for button in row
            if button["text"] == "👍"
        )
        await b.send(callback_update(thumbs_up, user_id=USER, reply_markup=markup))
        await a.send(message_update("/stats", user_id=ADMIN))

    run_replicas(two_replicas, scenario)
    a, b = two_replicas
    [(_, history)] = b.engine.asked
    assert [turn.question for turn in history] == ["Apa itu SINOVIK?"]  # asked on replica A
    [ack] = b.telegram.of("answerCallbackQuery")
    assert ack["text"] == "Terima kasih! Senang jawaban ini membantu."  # not "ask again"
    stats = a.telegram.sent_texts[-1]
    assert "Statistik penggunaan" in stats and "2 pertanyaan" in stats and "👍 1" in stats


def test_only_one_replica_reindexes_at_a_time(
    two_replicas: list[Replica], monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    ingests: list[str] = []

    def slow_ingest(settings: Settings, *args: Any, **kwargs: Any) -> IngestReport:
        ingests.append(settings.data_dir.name)
        release.wait(10)
        return IngestReport(unchanged=["pedoman"], chunks=3)

    monkeypatch.setattr(admin, "run_ingest", slow_ingest)

    async def scenario(a: Replica, b: Replica) -> None:
        await a.send(message_update("/reindex", user_id=ADMIN))
        await b.send(message_update("/reindex", user_id=ADMIN))  # while A's still runs
        release.set()
        await a.settle()
        await b.send(message_update("/reindex", user_id=ADMIN))  # A is done: B may

    run_replicas(two_replicas, scenario)
    a, b = two_replicas
    assert "Memperbarui indeks" in a.telegram.sent_texts[0]
    busy, started, _summary = b.telegram.sent_texts
    assert "sedang berjalan" in busy and "Memperbarui indeks" in started
    assert ingests == ["replica-a", "replica-b"]
