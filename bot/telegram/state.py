"""The bot's memory, in SQLite under the data directory: it survives restarts.

- conversations: each chat's recent turns, so follow-up questions work; forgotten after
  `conversation_idle_minutes` without a message.
- answers: a short id per answer with its citations, so the 📄 / 👍 buttons under an answer
  keep working after a restart (callback data holds only the id).
- feedback: 👍 / 👎 per answer. The voter's user id is kept because it is needed: one vote
  per person per answer, which a person may change.
- questions: the question log for /stats: question, time, answered or not, cited documents,
  language, mode. No user or chat id: the log is about the knowledge base, not about people.

All SQL lives in this module behind `BotStore`, so the store can later be swapped for
PostgreSQL without touching the handlers. One connection is shared by the event loop and
worker threads, guarded by a lock; every call is short.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.answers import Answer, Citation
from bot.followup import MAX_TURNS, Turn
from bot.messages import Language
from replikasi.settings import Settings

log = logging.getLogger(__name__)

DB_NAME = "bot.sqlite3"
DAY = 86_400.0
# Buttons under answers older than this stop working (the user is asked to ask again).
ANSWER_RETENTION_DAYS = 90

# Each entry upgrades the schema by one version; never edit an entry once released.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE conversations (
        chat_id INTEGER PRIMARY KEY,
        turns TEXT NOT NULL,
        last_active REAL NOT NULL
    );
    CREATE TABLE answers (
        answer_id TEXT PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        created REAL NOT NULL,
        language TEXT NOT NULL,
        text TEXT NOT NULL,
        reply_html TEXT NOT NULL,
        citations TEXT NOT NULL
    );
    CREATE INDEX answers_created ON answers (created);
    CREATE TABLE feedback (
        answer_id TEXT NOT NULL,
        user_id INTEGER NOT NULL,
        chat_id INTEGER NOT NULL,
        value INTEGER NOT NULL CHECK (value IN (-1, 1)),
        created REAL NOT NULL,
        PRIMARY KEY (answer_id, user_id)
    );
    CREATE INDEX feedback_created ON feedback (created);
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        asked REAL NOT NULL,
        question TEXT NOT NULL,
        abstained INTEGER NOT NULL,
        cited_doc_ids TEXT NOT NULL,
        language TEXT NOT NULL,
        mode TEXT NOT NULL
    );
    CREATE INDEX questions_asked ON questions (asked);
    """,
)


@dataclass(frozen=True)
class StoredAnswer:
    """What the buttons under an answer need: its text, citations and the message shown."""

    answer_id: str
    chat_id: int
    language: Language
    text: str
    reply_html: str
    citations: list[Citation]

    def citation(self, number: int) -> Citation | None:
        return next((c for c in self.citations if c.number == number), None)


@dataclass(frozen=True)
class PeriodStats:
    days: int
    questions: int
    abstained: int

    @property
    def answered(self) -> int:
        return self.questions - self.abstained

    @property
    def abstained_share(self) -> float:
        return self.abstained / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class UsageStats:
    periods: list[PeriodStats]
    feedback_up: int
    feedback_down: int
    recent_unanswered: list[tuple[float, str]] = field(default_factory=list)


class BotStore:
    """Conversations, answers, feedback and the question log of the Telegram bot."""

    def __init__(
        self,
        path: Path,
        *,
        idle_minutes: int = 30,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.idle_seconds = idle_minutes * 60.0
        self.clock = clock
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=10.0
        )
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(cls, settings: Settings) -> BotStore:
        return cls(settings.data_dir / DB_NAME, idle_minutes=settings.conversation_idle_minutes)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @property
    def closed(self) -> bool:
        return self._conn is None

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One transaction, serialized with every other use of the connection."""
        with self._lock:
            if self._conn is None:
                raise RuntimeError("the bot store is closed")
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # -- schema --------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._tx() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, applied_at REAL NOT NULL)"
            )
            current = conn.execute(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
            ).fetchone()[0]
            if current > len(MIGRATIONS):
                raise RuntimeError(
                    f"{self.path} has schema version {current}, newer than this code "
                    f"({len(MIGRATIONS)}); update the bot."
                )
            for version, script in enumerate(MIGRATIONS, start=1):
                if version <= current:
                    continue
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (version, self.clock()),
                )
                log.info("Bot store %s migrated to schema version %d", self.path, version)

    def schema_version(self) -> int:
        with self._tx() as conn:
            return int(conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0])

    # -- conversations -------------------------------------------------------------------
    def turns(self, chat_id: int) -> list[Turn]:
        """The chat's recent turns, or none when the conversation has gone idle."""
        with self._tx() as conn:
            return self._load_turns(conn, chat_id)

    def add_turn(self, chat_id: int, turn: Turn) -> None:
        with self._tx() as conn:
            history = [*self._load_turns(conn, chat_id), turn][-MAX_TURNS:]
            payload = json.dumps([_turn_to_json(t) for t in history], ensure_ascii=False)
            conn.execute(
                "INSERT INTO conversations (chat_id, turns, last_active) VALUES (?, ?, ?) "
                "ON CONFLICT (chat_id) DO UPDATE SET turns = excluded.turns, "
                "last_active = excluded.last_active",
                (chat_id, payload, self.clock()),
            )

    def _load_turns(self, conn: sqlite3.Connection, chat_id: int) -> list[Turn]:
        row = conn.execute(
            "SELECT turns, last_active FROM conversations WHERE chat_id = ?", (chat_id,)
        ).fetchone()
        if row is None:
            return []
        if self.clock() - row[1] > self.idle_seconds:
            conn.execute("DELETE FROM conversations WHERE chat_id = ?", (chat_id,))
            return []
        return [_turn_from_json(item) for item in json.loads(row[0])]

    def reset(self, chat_id: int) -> None:
        with self._tx() as conn:
            conn.execute("DELETE FROM conversations WHERE chat_id = ?", (chat_id,))

    # -- answers and feedback ------------------------------------------------------------
    def save_answer(self, chat_id: int, answer: Answer, reply_html: str) -> str:
        """Keep what the answer's buttons need; returns its short id (for callback data)."""
        answer_id = secrets.token_urlsafe(6)  # 8 characters, ~48 bits
        citations = json.dumps([asdict(c) for c in answer.citations], ensure_ascii=False)
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO answers (answer_id, chat_id, created, language, text, reply_html, "
                "citations) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    chat_id,
                    self.clock(),
                    answer.language,
                    answer.text,
                    reply_html,
                    citations,
                ),
            )
        return answer_id

    def answer(self, answer_id: str) -> StoredAnswer | None:
        with self._tx() as conn:
            row = conn.execute(
                "SELECT chat_id, language, text, reply_html, citations FROM answers "
                "WHERE answer_id = ?",
                (answer_id,),
            ).fetchone()
        if row is None:
            return None
        return StoredAnswer(
            answer_id=answer_id,
            chat_id=row[0],
            language="en" if row[1] == "en" else "id",
            text=row[2],
            reply_html=row[3],
            citations=[Citation(**item) for item in json.loads(row[4])],
        )

    def record_feedback(self, answer_id: str, chat_id: int, user_id: int, value: int) -> None:
        """One vote per person per answer; voting again replaces the earlier vote."""
        if value not in (-1, 1):
            raise ValueError("feedback is +1 or -1")
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO feedback (answer_id, user_id, chat_id, value, created) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (answer_id, user_id) DO UPDATE SET "
                "value = excluded.value, created = excluded.created",
                (answer_id, user_id, chat_id, value, self.clock()),
            )

    def feedback(self, answer_id: str) -> dict[int, int]:
        """user id → vote, for one answer."""
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT user_id, value FROM feedback WHERE answer_id = ?", (answer_id,)
            ).fetchall()
        return {int(user): int(value) for user, value in rows}

    # -- question log and statistics -----------------------------------------------------
    def log_question(self, answer: Answer) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO questions (asked, question, abstained, cited_doc_ids, language, "
                "mode) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    self.clock(),
                    answer.question,
                    int(answer.abstained),
                    json.dumps(answer.cited_doc_ids),
                    answer.language,
                    answer.mode,
                ),
            )

    def stats(self, *, unanswered: int = 10) -> UsageStats:
        now = self.clock()
        with self._tx() as conn:
            periods = []
            for days in (7, 30):
                total, abstained = conn.execute(
                    "SELECT COUNT(*), COALESCE(SUM(abstained), 0) FROM questions WHERE asked >= ?",
                    (now - days * DAY,),
                ).fetchone()
                periods.append(PeriodStats(days, int(total), int(abstained)))
            up, down = conn.execute(
                "SELECT COALESCE(SUM(value = 1), 0), COALESCE(SUM(value = -1), 0) "
                "FROM feedback WHERE created >= ?",
                (now - 30 * DAY,),
            ).fetchone()
            recent = conn.execute(
                "SELECT asked, question FROM questions WHERE abstained = 1 "
                "ORDER BY asked DESC, id DESC LIMIT ?",
                (unanswered,),
            ).fetchall()
        return UsageStats(
            periods=periods,
            feedback_up=int(up),
            feedback_down=int(down),
            recent_unanswered=[(float(asked), str(q)) for asked, q in recent],
        )

    # -- housekeeping --------------------------------------------------------------------
    def prune(self) -> None:
        """Forget idle conversations and answers too old for their buttons to matter."""
        now = self.clock()
        with self._tx() as conn:
            conn.execute(
                "DELETE FROM conversations WHERE last_active < ?", (now - self.idle_seconds,)
            )
            conn.execute(
                "DELETE FROM answers WHERE created < ?", (now - ANSWER_RETENTION_DAYS * DAY,)
            )


def _statements(script: str) -> list[str]:
    # Executed one by one: `executescript` would commit the surrounding transaction.
    return [part.strip() for part in script.split(";") if part.strip()]


def _turn_to_json(turn: Turn) -> dict[str, object]:
    return {
        "question": turn.question,
        "resolved_query": turn.resolved_query,
        "abstained": turn.abstained,
        "citations": [asdict(c) for c in turn.citations],
    }


def _turn_from_json(item: dict[str, object]) -> Turn:
    citations = item.get("citations") or []
    assert isinstance(citations, list)
    return Turn(
        question=str(item.get("question", "")),
        resolved_query=str(item.get("resolved_query", "")),
        citations=[Citation(**c) for c in citations],
        abstained=bool(item.get("abstained", False)),
    )
