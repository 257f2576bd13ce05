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
injectable clock (tests move it by days). The queries it shares with SQLite are in
`state_sql`; here are the connection handling, the migration lock, the DDL and the append.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from bot.followup import MAX_TURNS
from bot.telegram.state import Clock, Retention
from bot.telegram.state_sql import Connection, SQLBotStore
from replikasi.ingest_lock import IngestLock
from replikasi.postgres import CONNECT_TIMEOUT_SECONDS, check_database_url, connect
from replikasi.records import Turn

log = logging.getLogger(__name__)

# Handlers call the store briefly from the event loop and a few worker threads.
POOL_MAX_SIZE = 4
# Advisory lock key (64-bit, per database): the ASCII of a short name, easy to spot in
# pg_locks. (The ingest lock's key lives with the lock, in replikasi.ingest_lock.)
MIGRATION_LOCK_KEY = int.from_bytes(b"rpl:migr", "big")

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


class PostgresBotStore(SQLBotStore):
    backend = "postgresql"
    _ingest_lock: IngestLock
    # Each entry upgrades the schema by one version; never edit an entry once released.
    MIGRATIONS = (
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
        # 2: the answer's outcome in the log; voters' ids may be dropped (retention); digests.
        """
        ALTER TABLE questions ADD COLUMN outcome TEXT NOT NULL DEFAULT 'answered';
        UPDATE questions SET outcome = 'abstained' WHERE abstained;
        ALTER TABLE feedback DROP CONSTRAINT feedback_pkey;
        ALTER TABLE feedback ALTER COLUMN user_id DROP NOT NULL;
        ALTER TABLE feedback ALTER COLUMN chat_id DROP NOT NULL;
        CREATE UNIQUE INDEX feedback_vote ON feedback (answer_id, user_id);
        CREATE TABLE digests (period TEXT PRIMARY KEY, sent_at DOUBLE PRECISION NOT NULL);
        """,
        # 3: replication plans (see plan_store.py).
        """
        CREATE TABLE plans (
            plan_id TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL,
            chat_id BIGINT NOT NULL,
            language TEXT NOT NULL,
            step TEXT NOT NULL,
            draft JSONB NOT NULL,
            plan JSONB,
            title TEXT NOT NULL DEFAULT '',
            created DOUBLE PRECISION NOT NULL,
            updated DOUBLE PRECISION NOT NULL,
            version INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX plans_user ON plans (user_id, updated);
        CREATE TABLE plan_steps (
            plan_id TEXT NOT NULL,
            step TEXT NOT NULL,
            done_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (plan_id, step)
        );
        CREATE TABLE plan_evidence (
            plan_id TEXT NOT NULL,
            question_key TEXT NOT NULL,
            data JSONB NOT NULL,
            created DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (plan_id, question_key)
        );
        """,
        # 4: web sources added by address and the ingest history (see state_web_sources.py).
        """
        CREATE TABLE web_sources (
            source_id BIGSERIAL PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            doc_id TEXT NOT NULL,
            file TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            added_by TEXT NOT NULL DEFAULT '',
            added_by_id BIGINT,
            added_at DOUBLE PRECISION NOT NULL,
            interval_hours DOUBLE PRECISION,
            last_checked DOUBLE PRECISION,
            last_changed DOUBLE PRECISION,
            etag TEXT NOT NULL DEFAULT '',
            last_modified TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL DEFAULT '',
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '',
            alerted INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE ingest_history (
            id BIGSERIAL PRIMARY KEY,
            at DOUBLE PRECISION NOT NULL,
            actor_name TEXT NOT NULL,
            actor_id BIGINT,
            origin TEXT NOT NULL,
            added JSONB NOT NULL,
            updated JSONB NOT NULL,
            removed JSONB NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX ingest_history_at ON ingest_history (at);
        """,
        # 5: uploads waiting for an admin's choice (see upload_store.py).
        """
        CREATE TABLE pending_uploads (
            upload_id TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL,
            chat_id BIGINT NOT NULL,
            language TEXT NOT NULL,
            name TEXT NOT NULL,
            caption TEXT NOT NULL DEFAULT '',
            data BYTEA NOT NULL,
            plan JSONB NOT NULL,
            created DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX pending_uploads_created ON pending_uploads (created);
        """,
    )
    DAY_NUMBER = "FLOOR((asked + ?) / 86400)"

    def __init__(
        self,
        conninfo: str,
        *,
        idle_minutes: int = 30,
        clock: Clock = time.time,
        retention: Retention | None = None,
        pool_size: int = POOL_MAX_SIZE,
        ingest_lock: IngestLock | None = None,
    ) -> None:
        super().__init__(idle_minutes=idle_minutes, clock=clock, retention=retention)
        self.target = check_database_url(conninfo)
        # One direct connection first: a clear error when the server cannot be reached, and
        # the migrations run before any handler touches the tables.
        with connect(conninfo, self.target) as conn, conn.transaction():
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

    @property
    def where(self) -> str:
        return f"PostgreSQL {self.target}"

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            self._ingest_lock.close()
            pool.close()

    @property
    def closed(self) -> bool:
        return self._pool is None

    @contextmanager
    def _tx(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection for one transaction (committed when the block ends)."""
        if self._pool is None:
            raise RuntimeError("the bot store is closed")
        with self._pool.connection() as conn:
            yield conn

    def _sql(self, query: str) -> str:
        return query.replace("?", "%s")

    def _json(self, value: Any) -> Jsonb:
        return Jsonb(value)

    def _lock_migrations(self, conn: Connection) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))

    def add_turn(self, chat_id: int, turn: Turn) -> None:
        with self._tx() as conn:
            conn.execute(
                _APPEND_TURN,
                {
                    "chat_id": chat_id,
                    "turns": Jsonb([turn.to_dict()]),
                    "now": self.clock(),
                    "idle_cutoff": self.idle_cutoff,
                    "max_turns": MAX_TURNS,
                },
            )
