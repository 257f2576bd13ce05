"""The bot store in PostgreSQL (DATABASE_URL), shared by every bot replica.

Several webhook processes behind one address may each receive a chat's next message, so
everything a later message depends on lives here: conversation turns, the answers behind
buttons, feedback, the question log, and the ingest lock. Rules that keep it safe with many
writers:

- every method is one transaction on a pooled connection;
- a turn is appended by one INSERT … ON CONFLICT DO UPDATE that computes the new history
  from the row as locked by the update itself, so two replicas appending at once both land
  (a read in Python followed by a write would lose one);
- votes are upserts keyed by (answer, user); the question log is insert-only;
- migrations run under a transaction-scoped advisory lock, so replicas starting together
  apply each one exactly once;
- the ingest lock (`replikasi.ingest_lock`) is a session advisory lock on a connection of
  its own, held for the whole ingest: another replica's /reindex, or `replikasi ingest`,
  sees it as busy, and if the holder dies PostgreSQL ends its session and frees the lock.

Times are epoch seconds (DOUBLE PRECISION), as in SQLite, because the store takes an
injectable clock (tests move it by days).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

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
from replikasi.postgres import CONNECT_TIMEOUT_SECONDS, check_database_url, connect

log = logging.getLogger(__name__)

# Handlers call the store briefly from the event loop and a few worker threads.
POOL_MAX_SIZE = 4
# Advisory lock key (64-bit, per database): the ASCII of a short name, easy to spot in
# pg_locks. (The ingest lock's key lives with the lock, in replikasi.ingest_lock.)
MIGRATION_LOCK_KEY = int.from_bytes(b"rpl:migr", "big")

# Each entry upgrades the schema by one version; never edit an entry once released.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE conversations (
        chat_id BIGINT PRIMARY KEY,
        turns JSONB NOT NULL,
        last_active DOUBLE PRECISION NOT NULL
    );
    CREATE INDEX conversations_last_active ON conversations (last_active);
    CREATE TABLE answers (
        answer_id TEXT PRIMARY KEY,
        chat_id BIGINT NOT NULL,
        created DOUBLE PRECISION NOT NULL,
        language TEXT NOT NULL,
        text TEXT NOT NULL,
        reply_html TEXT NOT NULL,
        citations JSONB NOT NULL
    );
    CREATE INDEX answers_created ON answers (created);
    CREATE TABLE feedback (
        answer_id TEXT NOT NULL,
        user_id BIGINT NOT NULL,
        chat_id BIGINT NOT NULL,
        value SMALLINT NOT NULL CHECK (value IN (-1, 1)),
        created DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (answer_id, user_id)
    );
    CREATE INDEX feedback_created ON feedback (created);
    CREATE TABLE questions (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        asked DOUBLE PRECISION NOT NULL,
        question TEXT NOT NULL,
        abstained BOOLEAN NOT NULL,
        cited_doc_ids JSONB NOT NULL,
        language TEXT NOT NULL,
        mode TEXT NOT NULL
    );
    CREATE INDEX questions_asked ON questions (asked);
    """,
)

# The previous history (empty when the conversation went idle) plus the new turn, keeping
# the last MAX_TURNS in order. `c` is the row as locked by this very statement.
_APPEND_TURN = """
INSERT INTO conversations AS c (chat_id, turns, last_active)
VALUES (%(chat_id)s, %(turns)s, %(now)s)
ON CONFLICT (chat_id) DO UPDATE SET
    turns = (
        SELECT COALESCE(jsonb_agg(kept.turn ORDER BY kept.n), '[]'::jsonb)
        FROM (
            SELECT history.turn, history.n
            FROM jsonb_array_elements(
                CASE WHEN c.last_active < %(idle_cutoff)s THEN '[]'::jsonb ELSE c.turns END
                || excluded.turns
            ) WITH ORDINALITY AS history (turn, n)
            ORDER BY history.n DESC
            LIMIT %(max_turns)s
        ) AS kept
    ),
    last_active = excluded.last_active
"""


class PostgresBotStore(BotStore):
    backend = "postgresql"

    def __init__(
        self,
        conninfo: str,
        *,
        idle_minutes: int = 30,
        clock: Clock = time.time,
        pool_size: int = POOL_MAX_SIZE,
        ingest_lock: IngestLock | None = None,
    ) -> None:
        super().__init__(idle_minutes=idle_minutes, clock=clock)
        self.target = check_database_url(conninfo)
        # One direct connection first: a clear error when the server cannot be reached, and
        # the migrations run before any handler touches the tables.
        with connect(conninfo, self.target) as conn:
            self._migrate(conn)
        self._pool: ConnectionPool[Any] | None = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=pool_size,
            kwargs={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
            # A connection broken by a server restart or failover is replaced before use
            # instead of failing one handler per pooled connection.
            check=ConnectionPool.check_connection,
            name="replikasi-bot-store",
            open=True,
        )
        # The core's lock (advisory lock in this database, plus DATA_DIR's lock file when
        # built from settings): the same one `replikasi ingest` and every replica take.
        self._ingest_lock = ingest_lock or IngestLock(None, conninfo)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            self._ingest_lock.close()
            pool.close()

    @property
    def closed(self) -> bool:
        return self._pool is None

    @property
    def ingest_lock(self) -> IngestLock:
        return self._ingest_lock

    def _pool_or_raise(self) -> ConnectionPool[Any]:
        if self._pool is None:
            raise RuntimeError("the bot store is closed")
        return self._pool

    # -- schema --------------------------------------------------------------------------
    def _migrate(self, conn: psycopg.Connection[Any]) -> None:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)"
            )
            row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            current = int(_one(row.fetchone()))
            if current > len(MIGRATIONS):
                raise StoreSchemaError(f"PostgreSQL {self.target}", current, len(MIGRATIONS))
            for version, script in enumerate(MIGRATIONS, start=1):
                if version <= current:
                    continue
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (%s, %s)",
                    (version, self.clock()),
                )
                log.info("Bot store %s migrated to schema version %d", self.target, version)

    def schema_version(self) -> int:
        with self._pool_or_raise().connection() as conn:
            return int(_one(conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()))

    # -- conversations -------------------------------------------------------------------
    def turns(self, chat_id: int) -> list[Turn]:
        # Idle rows are left for `prune`: deleting here could race with another replica
        # that has just started the conversation again.
        with self._pool_or_raise().connection() as conn:
            row = conn.execute(
                "SELECT turns FROM conversations WHERE chat_id = %s AND last_active >= %s",
                (chat_id, self.idle_cutoff),
            ).fetchone()
        return [] if row is None else [turn_from_json(item) for item in row[0]]

    def add_turn(self, chat_id: int, turn: Turn) -> None:
        with self._pool_or_raise().connection() as conn:
            conn.execute(
                _APPEND_TURN,
                {
                    "chat_id": chat_id,
                    "turns": Jsonb([turn_to_json(turn)]),
                    "now": self.clock(),
                    "idle_cutoff": self.idle_cutoff,
                    "max_turns": MAX_TURNS,
                },
            )

    def reset(self, chat_id: int) -> None:
        with self._pool_or_raise().connection() as conn:
            conn.execute("DELETE FROM conversations WHERE chat_id = %s", (chat_id,))

    # -- answers and feedback ------------------------------------------------------------
    def save_answer(self, chat_id: int, answer: Answer, reply_html: str) -> str:
        answer_id = new_answer_id()
        with self._pool_or_raise().connection() as conn:
            conn.execute(
                "INSERT INTO answers (answer_id, chat_id, created, language, text, reply_html, "
                "citations) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (
                    answer_id,
                    chat_id,
                    self.clock(),
                    answer.language,
                    answer.text,
                    reply_html,
                    Jsonb(citations_to_json(answer.citations)),
                ),
            )
        return answer_id

    def answer(self, answer_id: str) -> StoredAnswer | None:
        with self._pool_or_raise().connection() as conn:
            row = conn.execute(
                "SELECT chat_id, language, text, reply_html, citations FROM answers "
                "WHERE answer_id = %s",
                (answer_id,),
            ).fetchone()
        if row is None:
            return None
        return stored_answer(answer_id, row[0], row[1], row[2], row[3], row[4])

    def record_feedback(self, answer_id: str, chat_id: int, user_id: int, value: int) -> None:
        check_vote(value)
        with self._pool_or_raise().connection() as conn:
            conn.execute(
                "INSERT INTO feedback (answer_id, user_id, chat_id, value, created) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (answer_id, user_id) DO UPDATE SET "
                "value = excluded.value, created = excluded.created",
                (answer_id, user_id, chat_id, value, self.clock()),
            )

    def feedback(self, answer_id: str) -> dict[int, int]:
        with self._pool_or_raise().connection() as conn:
            rows = conn.execute(
                "SELECT user_id, value FROM feedback WHERE answer_id = %s", (answer_id,)
            ).fetchall()
        return {int(user): int(value) for user, value in rows}

    # -- question log and statistics -----------------------------------------------------
    def log_question(self, answer: Answer) -> None:
        with self._pool_or_raise().connection() as conn:
            conn.execute(
                "INSERT INTO questions (asked, question, abstained, cited_doc_ids, language, "
                "mode) VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    self.clock(),
                    answer.question,
                    answer.abstained,
                    Jsonb(answer.cited_doc_ids),
                    answer.language,
                    answer.mode,
                ),
            )

    def stats(self, *, unanswered: int = 10) -> UsageStats:
        now = self.clock()
        with self._pool_or_raise().connection() as conn:
            periods = []
            for days in (7, 30):
                total, abstained = _row(
                    conn.execute(
                        "SELECT COUNT(*), COUNT(*) FILTER (WHERE abstained) FROM questions "
                        "WHERE asked >= %s",
                        (now - days * DAY,),
                    ).fetchone()
                )
                periods.append(PeriodStats(days, int(total), int(abstained)))
            up, down = _row(
                conn.execute(
                    "SELECT COUNT(*) FILTER (WHERE value = 1), COUNT(*) FILTER (WHERE value = -1) "
                    "FROM feedback WHERE created >= %s",
                    (now - 30 * DAY,),
                ).fetchone()
            )
            recent = conn.execute(
                "SELECT asked, question FROM questions WHERE abstained "
                "ORDER BY asked DESC, id DESC LIMIT %s",
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
        with self._pool_or_raise().connection() as conn:
            conn.execute("DELETE FROM conversations WHERE last_active < %s", (self.idle_cutoff,))
            conn.execute(
                "DELETE FROM answers WHERE created < %s", (now - ANSWER_RETENTION_DAYS * DAY,)
            )


def _row(row: tuple[Any, ...] | None) -> tuple[Any, ...]:
    assert row is not None  # aggregates always return a row
    return row


def _one(row: tuple[Any, ...] | None) -> Any:
    return _row(row)[0]


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]
