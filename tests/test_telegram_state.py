"""The bot's store, the same contract on both backends: SQLite (the default) and PostgreSQL
(a real server, see tests/postgres_server.py): round trips, expiry, statistics, surviving a
restart, migrations, concurrent writers, the ingest lock."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.followup import MAX_TURNS
from bot.telegram.state import DAY, BotStore, Retention, StoreSchemaError, open_store
from bot.telegram.state_postgres import PostgresBotStore
from bot.telegram.state_sql import SQLBotStore
from bot.telegram.state_sqlite import SQLiteBotStore
from replikasi.records import Answer, Turn
from replikasi.settings import Settings
from tests.telegram_fakes import citation


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class Backend:
    """Opens stores on one database (again and again, like restarts or replicas) and runs
    raw SQL on it for what the interface deliberately does not expose."""

    name: str
    store_class: type[SQLBotStore]
    target: Any  # the SQLite file or the PostgreSQL URL
    sql: Callable[[str], list[tuple[Any, ...]]]
    clock: Clock = field(default_factory=Clock)
    opened: list[BotStore] = field(default_factory=list)

    @property
    def migrations(self) -> int:
        return len(self.store_class.MIGRATIONS)

    def open(
        self,
        idle_minutes: int = 30,
        *,
        retention: Retention | None = None,
        migrations: int | None = None,
    ) -> BotStore:
        """A store; with `migrations`, as an older version knowing only the first ones."""
        cls = self.store_class
        if migrations is not None:
            cls = type(f"Old{cls.__name__}", (cls,), {"MIGRATIONS": cls.MIGRATIONS[:migrations]})
        store = cls(self.target, idle_minutes=idle_minutes, clock=self.clock, retention=retention)
        self.opened.append(store)
        return store

    def tables(self) -> set[str]:
        if self.name == "sqlite":
            return {row[0] for row in self.sql("SELECT name FROM sqlite_master")}
        query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        return {row[0] for row in self.sql(query)}

    def columns(self, table: str) -> set[str]:
        if self.name == "sqlite":
            return {row[1] for row in self.sql(f"PRAGMA table_info({table})")}
        query = f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}'"
        return {row[0] for row in self.sql(query)}

    def count(self, table: str) -> int:
        return int(self.sql(f"SELECT COUNT(*) FROM {table}")[0][0])


def sqlite_backend(db: Path) -> Backend:
    def sql(query: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(db) as conn:
            return conn.execute(query).fetchall()

    return Backend("sqlite", SQLiteBotStore, db, sql)


def postgres_backend(url: str) -> Backend:
    import psycopg

    def sql(query: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(url, autocommit=True) as conn:
            cursor = conn.execute(query)
            return cursor.fetchall() if cursor.description else []

    return Backend("postgresql", PostgresBotStore, url, sql)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        chosen = sqlite_backend(tmp_path / "data" / "bot.sqlite3")
    else:  # the server is started only when a PostgreSQL case runs
        chosen = postgres_backend(request.getfixturevalue("postgres_url"))
    yield chosen
    for store in chosen.opened:
        store.close()


def answer(
    question: str, *, abstained: bool = False, language: str = "id", outcome: str = ""
) -> Answer:
    outcome = outcome or ("abstained" if abstained else "answered")
    return Answer(
        question=question,
        language=language,  # type: ignore[arg-type]
        text=f"Jawaban untuk {question} [1]",
        citations=[] if outcome != "answered" else [citation(1, doc_id="pedoman")],
        outcome=outcome,  # type: ignore[arg-type]
        resolved_query=question,
    )


def test_schema_is_versioned(backend: Backend) -> None:
    store = backend.open()
    assert store.schema_version() == backend.migrations
    assert {"schema_migrations", "conversations", "answers", "feedback", "questions"} <= (
        backend.tables()
    )


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    SQLiteBotStore(db).close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_turns_round_trip_and_keep_only_the_recent_ones(backend: Backend) -> None:
    store = backend.open()
    cited = citation(1, title="Judul “kutip”", snippet="Isi ✓")
    for i in range(MAX_TURNS + 2):
        store.add_turn(5, Turn(f"tanya {i}", f"topik {i}", [cited], abstained=i == 0))
    turns = store.turns(5)
    assert [t.question for t in turns] == [f"tanya {i}" for i in range(2, MAX_TURNS + 2)]
    assert turns[0].citations == [cited] and turns[0].resolved_query == "topik 2"
    assert store.turns(6) == []  # chats are separate
    store.reset(5)
    assert store.turns(5) == []


def test_conversation_expires_after_idle_time(backend: Backend) -> None:
    clock = backend.clock
    store = backend.open(idle_minutes=30)
    store.add_turn(5, Turn("Apa itu KIPP?", "Apa itu KIPP?"))
    clock.now += 29 * 60
    assert len(store.turns(5)) == 1
    store.add_turn(5, Turn("siapa penyelenggaranya?", "KIPP siapa penyelenggaranya?"))
    clock.now += 29 * 60  # idle time counts from the last message
    assert len(store.turns(5)) == 2
    clock.now += 2 * 60
    assert store.turns(5) == []
    store.add_turn(5, Turn("Apa itu SINOVIK?", "Apa itu SINOVIK?"))  # a new conversation
    assert [t.question for t in store.turns(5)] == ["Apa itu SINOVIK?"]


def test_answers_and_feedback(backend: Backend) -> None:
    store = backend.open()
    first = answer("Apa itu SINOVIK?")
    answer_id = store.save_answer(7, first, "<b>html</b>")
    assert len(answer_id) <= 12
    stored = store.answer(answer_id)
    assert stored is not None
    assert (stored.chat_id, stored.text, stored.reply_html) == (7, first.text, "<b>html</b>")
    assert stored.citation(1) == first.citations[0] and stored.citation(2) is None
    assert store.answer("nope") is None

    store.record_feedback(answer_id, 7, user_id=11, value=1)
    store.record_feedback(answer_id, 7, user_id=12, value=1)
    store.record_feedback(answer_id, 7, user_id=11, value=-1)  # a changed mind replaces
    assert store.feedback(answer_id) == {11: -1, 12: 1}
    stats = store.stats()
    assert (stats.feedback_up, stats.feedback_down) == (1, 1)
    with pytest.raises(ValueError):
        store.record_feedback(answer_id, 7, user_id=11, value=5)


def test_stats_counts_periods_abstentions_and_unanswered(backend: Backend) -> None:
    clock = backend.clock
    store = backend.open()
    clock.now -= 20 * DAY
    store.log_question(answer("Pertanyaan lama"))
    store.log_question(answer("Resep rendang?", abstained=True))
    clock.now += 20 * DAY
    store.log_question(answer("Apa itu KIPP?"))
    store.log_question(answer("Cara perpanjang SIM?", abstained=True))
    store.log_question(answer("Who is the president?", abstained=True, language="en"))

    stats = store.stats()
    week, month = stats.periods
    assert (week.days, week.questions, week.unanswered, week.answered) == (7, 3, 2, 1)
    assert (month.days, month.questions, month.unanswered) == (30, 5, 3)
    assert month.unanswered_share == pytest.approx(0.6)
    assert [q for _, q in stats.recent_unanswered] == [
        "Who is the president?",
        "Cara perpanjang SIM?",
        "Resep rendang?",
    ]


def test_question_log_keeps_no_user_or_chat_ids(backend: Backend) -> None:
    store = backend.open()
    store.log_question(answer("Apa itu KIPP?"))
    assert not {"user_id", "chat_id"} & backend.columns("questions")
    [(question, abstained, cited, language, mode)] = backend.sql(
        "SELECT question, abstained, cited_doc_ids, language, mode FROM questions"
    )
    cited = json.loads(cited) if isinstance(cited, str) else cited
    assert (question, bool(abstained), cited, language, mode) == (
        "Apa itu KIPP?",
        False,
        ["pedoman"],
        "id",
        "extractive",
    )


def test_everything_survives_a_restart(backend: Backend) -> None:
    store = backend.open()
    store.add_turn(5, Turn("Apa itu KIPP?", "Apa itu KIPP?"))
    answer_id = store.save_answer(5, answer("Apa itu KIPP?"), "html")
    store.record_feedback(answer_id, 5, 11, 1)
    store.log_question(answer("Apa itu KIPP?"))
    store.close()
    assert store.closed
    with pytest.raises(RuntimeError, match="closed"):
        store.turns(5)

    reopened = backend.open()
    assert [t.question for t in reopened.turns(5)] == ["Apa itu KIPP?"]
    assert reopened.answer(answer_id) is not None
    assert reopened.stats().periods[0].questions == 1
    assert reopened.feedback(answer_id) == {11: 1}
    assert reopened.schema_version() == backend.migrations  # migrations are not re-applied
    assert backend.count("schema_migrations") == backend.migrations


@pytest.mark.reliability
def test_prune_forgets_idle_conversations_and_old_answers(backend: Backend) -> None:
    store = backend.open()
    store.add_turn(5, Turn("a", "a"))
    old = store.save_answer(5, answer("a"), "html")
    backend.clock.now += 91 * DAY
    recent = store.save_answer(5, answer("b"), "html")
    store.prune()
    assert store.answer(old) is None and store.answer(recent) is not None
    assert backend.count("conversations") == 0


def test_newer_schema_is_refused(backend: Backend) -> None:
    backend.open().close()
    backend.sql("INSERT INTO schema_migrations VALUES (99, 0)")
    with pytest.raises(StoreSchemaError, match="newer than this code"):
        backend.open()


def test_ingest_lock_refuses_a_second_ingest_until_released(backend: Backend) -> None:
    lock = backend.open().ingest_lock
    assert lock.try_acquire() and lock.locked()
    assert not lock.try_acquire()  # busy: refused at once, never waited for
    lock.release()
    assert not lock.locked()
    assert lock.try_acquire()
    lock.release()


def test_concurrent_writers_lose_nothing(backend: Backend) -> None:
    """Two store instances (two replicas, or two processes on one SQLite file), several
    threads each, all appending to the same chats at once."""
    stores = [backend.open(), backend.open()]
    writers, chats = MAX_TURNS, 15
    shared_answer = stores[0].save_answer(1, answer("Apa itu KIPP?"), "html")
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        store = stores[writer % 2]
        try:
            start.wait()
            for chat in range(chats):
                store.add_turn(chat, Turn(f"w{writer} c{chat}", "q"))
                store.log_question(answer(f"w{writer} c{chat}"))
            store.record_feedback(shared_answer, 1, user_id=100 + writer, value=1)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for chat in range(chats):
        questions = sorted(t.question for t in stores[1].turns(chat))
        assert questions == sorted(f"w{w} c{chat}" for w in range(writers))
    assert stores[0].stats().periods[0].questions == writers * chats
    assert len(stores[1].feedback(shared_answer)) == writers


def test_open_store_follows_database_url(settings: Settings, tmp_path: Path) -> None:
    store = open_store(settings)
    try:
        assert isinstance(store, SQLiteBotStore)
        assert store.path == settings.data_dir / "bot.sqlite3"
    finally:
        store.close()
    blank = Settings(_env_file=None, database_url="  ")  # type: ignore[call-arg,arg-type]
    assert blank.database_url is None  # an empty DATABASE_URL= line keeps SQLite


def test_open_store_uses_postgresql_when_database_url_is_set(
    settings: Settings, postgres_url: str
) -> None:
    from pydantic import SecretStr

    store = open_store(
        settings.model_copy(
            update={"database_url": SecretStr(postgres_url), "conversation_idle_minutes": 5}
        )
    )
    try:
        assert isinstance(store, PostgresBotStore) and store.backend == "postgresql"
        assert store.idle_seconds == 300
        assert not (settings.data_dir / "bot.sqlite3").exists()
    finally:
        store.close()


# -- schema upgrades, outcomes, retention ------------------------------------------------------
def test_upgrade_keeps_every_row_and_learns_each_questions_outcome(backend: Backend) -> None:
    old = backend.open(migrations=1)  # the schema of the previous release
    answer_id = old.save_answer(5, answer("Apa itu KIPP?"), "html")
    old.record_feedback(answer_id, 5, user_id=11, value=1)
    true = "1" if backend.name == "sqlite" else "TRUE"
    backend.sql(
        "INSERT INTO questions (asked, question, abstained, cited_doc_ids, language, mode) "
        f"VALUES ({backend.clock.now}, 'Resep rendang?', {true}, '[]', 'id', 'extractive')"
    )
    old.close()

    store = backend.open()
    assert store.schema_version() == backend.migrations
    assert store.feedback(answer_id) == {11: 1}
    store.record_feedback(answer_id, 5, user_id=11, value=-1)  # still one vote per person
    assert store.feedback(answer_id) == {11: -1}
    [month] = store.stats().periods[1:]
    assert (month.answered, month.not_known, month.abstained) == (0, 0, 1)


def test_outcomes_per_day_for_the_chart(backend: Backend) -> None:
    clock = backend.clock
    clock.now = 1_700_000_000.0  # 2023-11-14 22:13 UTC = 2023-11-15 05:13 in Jakarta
    store = backend.open()
    store.log_question(answer("Apa itu KIPP?"))
    store.log_question(answer("Kapan SINOVIK 2030 dibuka?", outcome="not_known"))
    clock.now -= 2 * DAY
    store.log_question(answer("Resep rendang?", abstained=True))
    clock.now += 2 * DAY

    stats = store.stats(utc_offset_hours=7)
    assert len(stats.daily) == 30
    last, before = stats.daily[-1], stats.daily[-3]
    assert str(last.day) == "2023-11-15" and (last.answered, last.not_known) == (1, 1)
    assert str(before.day) == "2023-11-13" and before.abstained == 1
    assert sum(day.questions for day in stats.daily) == 3
    assert stats.unanswered_questions == ["Kapan SINOVIK 2030 dibuka?", "Resep rendang?"]
    assert str(store.stats(utc_offset_hours=0).daily[-1].day) == "2023-11-14"


@pytest.mark.reliability
def test_retention_forgets_voters_and_question_texts_but_keeps_the_counts(
    backend: Backend,
) -> None:
    clock = backend.clock
    store = backend.open(retention=Retention(feedback_user_days=30, question_text_days=60))
    answer_id = store.save_answer(5, answer("Apa itu KIPP?"), "html")
    store.record_feedback(answer_id, 5, user_id=11, value=1)
    store.log_question(answer("Apa itu KIPP?"))
    clock.now += 31 * DAY
    store.record_feedback(answer_id, 6, user_id=12, value=-1)  # recent: kept
    store.prune()
    assert store.feedback(answer_id) == {12: -1}
    assert backend.sql("SELECT user_id, chat_id FROM feedback WHERE value = 1") == [(None, None)]
    assert [q for (q,) in backend.sql("SELECT question FROM questions")] == ["Apa itu KIPP?"]

    clock.now += 30 * DAY
    store.prune()
    assert [q for (q,) in backend.sql("SELECT question FROM questions")] == [""]
    assert backend.count("questions") == 1  # the count still answers "how many asked"


def test_each_digest_is_claimed_once_across_replicas(backend: Backend) -> None:
    first, second = backend.open(), backend.open()
    assert first.claim_digest("2024-W05")
    assert not second.claim_digest("2024-W05") and not first.claim_digest("2024-W05")
    assert second.claim_digest("2024-W06")
