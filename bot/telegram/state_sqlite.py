"""The default bot store: SQLite under the data directory, for one bot process.

One connection is shared by the event loop and worker threads, guarded by a lock; every call
is short. Writes use BEGIN IMMEDIATE, which takes SQLite's write lock at the start of the
transaction, so a read-modify-write (appending a turn) cannot interleave with another one,
even from another process using the same file.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.answers import Answer
from bot.followup import MAX_TURNS, Turn
from bot.telegram.state import (
    ANSWER_RETENTION_DAYS,
    DAY,
    BotStore,
    Clock,
    IngestLock,
    PeriodStats,
    StoredAnswer,
    StoreSchemaError,
    UsageStats,
    check_vote,
    citations_to_json,
    new_answer_id,
    stored_answer,
    turn_from_json,
    turn_to_json,
)

log = logging.getLogger(__name__)

DB_NAME = "bot.sqlite3"

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


class SQLiteBotStore(BotStore):
    backend = "sqlite"

    def __init__(
        self,
        path: Path,
        *,
        idle_minutes: int = 30,
        clock: Clock = time.time,
        ingest_lock: IngestLock | None = None,
    ) -> None:
        super().__init__(idle_minutes=idle_minutes, clock=clock)
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        # The core's lock file in the data directory (where the database lives): the same
        # lock `replikasi ingest` takes, so the CLI and the bot never ingest at once.
        self._ingest_lock = ingest_lock or IngestLock(path.parent)
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

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @property
    def closed(self) -> bool:
        return self._conn is None

    @property
    def ingest_lock(self) -> IngestLock:
        return self._ingest_lock

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
                raise StoreSchemaError(str(self.path), current, len(MIGRATIONS))
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
        with self._tx() as conn:
            return self._load_turns(conn, chat_id)

    def add_turn(self, chat_id: int, turn: Turn) -> None:
        with self._tx() as conn:
            history = [*self._load_turns(conn, chat_id), turn][-MAX_TURNS:]
            payload = json.dumps([turn_to_json(t) for t in history], ensure_ascii=False)
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
        if row[1] < self.idle_cutoff:
            conn.execute("DELETE FROM conversations WHERE chat_id = ?", (chat_id,))
            return []
        return [turn_from_json(item) for item in json.loads(row[0])]

    def reset(self, chat_id: int) -> None:
        with self._tx() as conn:
            conn.execute("DELETE FROM conversations WHERE chat_id = ?", (chat_id,))

    # -- answers and feedback ------------------------------------------------------------
    def save_answer(self, chat_id: int, answer: Answer, reply_html: str) -> str:
        answer_id = new_answer_id()
        citations = json.dumps(citations_to_json(answer.citations), ensure_ascii=False)
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
        return stored_answer(answer_id, row[0], row[1], row[2], row[3], json.loads(row[4]))

    def record_feedback(self, answer_id: str, chat_id: int, user_id: int, value: int) -> None:
        check_vote(value)
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO feedback (answer_id, user_id, chat_id, value, created) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (answer_id, user_id) DO UPDATE SET "
                "value = excluded.value, created = excluded.created",
                (answer_id, user_id, chat_id, value, self.clock()),
            )

    def feedback(self, answer_id: str) -> dict[int, int]:
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
        now = self.clock()
        with self._tx() as conn:
            conn.execute("DELETE FROM conversations WHERE last_active < ?", (self.idle_cutoff,))
            conn.execute(
                "DELETE FROM answers WHERE created < ?", (now - ANSWER_RETENTION_DAYS * DAY,)
            )


def _statements(script: str) -> list[str]:
    # Executed one by one: `executescript` would commit the surrounding transaction.
    return [part.strip() for part in script.split(";") if part.strip()]
