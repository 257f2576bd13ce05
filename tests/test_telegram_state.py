"""The bot's SQLite store: round trips, expiry, statistics, surviving a restart."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.answers import Answer
from bot.followup import MAX_TURNS, Turn
from bot.telegram.state import DAY, MIGRATIONS, BotStore
from tests.telegram_fakes import citation


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "bot.sqlite3"


def make_store(db: Path, clock: Clock, idle_minutes: int = 30) -> BotStore:
    return BotStore(db, idle_minutes=idle_minutes, clock=clock)


def answer(question: str, *, abstained: bool = False, language: str = "id") -> Answer:
    return Answer(
        question=question,
        language=language,  # type: ignore[arg-type]
        text=f"Jawaban untuk {question} [1]",
        citations=[] if abstained else [citation(1, doc_id="pedoman")],
        abstained=abstained,
        resolved_query=question,
    )


def test_schema_is_versioned_and_wal(db: Path, clock: Clock) -> None:
    store = make_store(db, clock)
    assert store.schema_version() == len(MIGRATIONS)
    store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"schema_migrations", "conversations", "answers", "feedback", "questions"} <= tables


def test_turns_round_trip_and_keep_only_the_recent_ones(db: Path, clock: Clock) -> None:
    store = make_store(db, clock)
    cited = citation(1, title="Judul “kutip”", snippet="Isi ✓")
    for i in range(MAX_TURNS + 2):
        store.add_turn(5, Turn(f"tanya {i}", f"topik {i}", [cited], abstained=i == 0))
    turns = store.turns(5)
    assert [t.question for t in turns] == [f"tanya {i}" for i in range(2, MAX_TURNS + 2)]
    assert turns[0].citations == [cited] and turns[0].resolved_query == "topik 2"
    assert store.turns(6) == []  # chats are separate
    store.reset(5)
    assert store.turns(5) == []


def test_conversation_expires_after_idle_time(db: Path, clock: Clock) -> None:
    store = make_store(db, clock, idle_minutes=30)
    store.add_turn(5, Turn("Apa itu KIPP?", "Apa itu KIPP?"))
    clock.now += 29 * 60
    assert len(store.turns(5)) == 1
    store.add_turn(5, Turn("siapa penyelenggaranya?", "KIPP siapa penyelenggaranya?"))
    clock.now += 29 * 60  # idle time counts from the last message
    assert len(store.turns(5)) == 2
    clock.now += 2 * 60
    assert store.turns(5) == []


def test_answers_and_feedback(db: Path, clock: Clock) -> None:
    store = make_store(db, clock)
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


def test_stats_counts_periods_abstentions_and_unanswered(db: Path, clock: Clock) -> None:
    store = make_store(db, clock)
    clock.now -= 20 * DAY
    store.log_question(answer("Pertanyaan lama"))
    store.log_question(answer("Resep rendang?", abstained=True))
    clock.now += 20 * DAY
    store.log_question(answer("Apa itu KIPP?"))
    store.log_question(answer("Cara perpanjang SIM?", abstained=True))
    store.log_question(answer("Who is the president?", abstained=True, language="en"))

    stats = store.stats()
    week, month = stats.periods
    assert (week.days, week.questions, week.abstained, week.answered) == (7, 3, 2, 1)
    assert (month.days, month.questions, month.abstained) == (30, 5, 3)
    assert month.abstained_share == pytest.approx(0.6)
    assert [q for _, q in stats.recent_unanswered] == [
        "Who is the president?",
        "Cara perpanjang SIM?",
        "Resep rendang?",
    ]


def test_question_log_keeps_no_user_or_chat_ids(db: Path, clock: Clock) -> None:
    store = make_store(db, clock)
    store.log_question(answer("Apa itu KIPP?"))
    store.close()
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(questions)")]
        [row] = conn.execute(
            "SELECT question, abstained, cited_doc_ids, language, mode FROM questions"
        )
    assert not {"user_id", "chat_id"} & set(columns)
    assert row == ("Apa itu KIPP?", 0, '["pedoman"]', "id", "extractive")


def test_everything_survives_a_restart(db: Path, clock: Clock) -> None:
    store = make_store(db, clock)
    store.add_turn(5, Turn("Apa itu KIPP?", "Apa itu KIPP?"))
    answer_id = store.save_answer(5, answer("Apa itu KIPP?"), "html")
    store.record_feedback(answer_id, 5, 11, 1)
    store.log_question(answer("Apa itu KIPP?"))
    store.close()
    assert store.closed
    with pytest.raises(RuntimeError, match="closed"):
        store.turns(5)

    reopened = make_store(db, clock)
    assert [t.question for t in reopened.turns(5)] == ["Apa itu KIPP?"]
    assert reopened.answer(answer_id) is not None
    assert reopened.stats().periods[0].questions == 1
    assert reopened.feedback(answer_id) == {11: 1}
    assert reopened.schema_version() == len(MIGRATIONS)  # migrations are not re-applied


def test_prune_forgets_idle_conversations_and_old_answers(db: Path, clock: Clock) -> None:
    store = make_store(db, clock)
    store.add_turn(5, Turn("a", "a"))
    old = store.save_answer(5, answer("a"), "html")
    clock.now += 91 * DAY
    recent = store.save_answer(5, answer("b"), "html")
    store.prune()
    assert store.answer(old) is None and store.answer(recent) is not None
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 0


def test_newer_schema_is_refused(db: Path, clock: Clock) -> None:
    make_store(db, clock).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (99, 0)")
    with pytest.raises(RuntimeError, match="newer than this code"):
        make_store(db, clock)
