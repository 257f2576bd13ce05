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
- the ingest lock is a session advisory lock on a connection of its own, held for the
  whole ingest: another replica's /reindex sees it as busy, and if the holder dies PostgreSQL
  ends its session and frees the lock, so there is no stale lock to clean up.

Times are epoch seconds (DOUBLE PRECISION), as in SQLite, because the store takes an
injectable clock (tests move it by days). The queries it shares with SQLite are in
`state_sql`; here are the connection handling, the locks, the DDL and the append.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from bot.followup import MAX_TURNS
from bot.telegram.state import Clock, IngestLock, Retention
from bot.telegram.state_sql import Connection, SQLBotStore
from replikasi.errors import ReplikasiError
from replikasi.records import Turn

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 10
# Handlers call the store briefly from the event loop and a few worker threads.
POOL_MAX_SIZE = 4
# Advisory lock keys (64-bit, per database): the ASCII of a short name, easy to spot in
# pg_locks.
INGEST_LOCK_KEY = int.from_bytes(b"rpl:ingt", "big")
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


def describe_target(conninfo: str) -> str:
    """host:port/database of a DATABASE_URL, for messages: never the user or password."""
    try:
        params = conninfo_to_dict(conninfo)
    except psycopg.Error:
        # The parser's message quotes the string, password included: not repeated here.
        raise ReplikasiError(
            "DATABASE_URL is not a valid PostgreSQL address; expected "
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE."
        ) from None
    host = str(params.get("host") or params.get("hostaddr") or "localhost (unix socket)")
    port = str(params.get("port") or 5432)
    database = str(params.get("dbname") or params.get("user") or "")
    return f"{host}:{port}/{database}"


def _check_scheme(conninfo: str) -> None:
    if "://" in conninfo and urlsplit(conninfo).scheme not in ("postgresql", "postgres"):
        raise ReplikasiError(
            "DATABASE_URL must be a PostgreSQL address (postgresql://USER:PASSWORD@HOST:PORT/"
            "DATABASE); leave it empty to keep the bot's state in SQLite."
        )


def _connect(conninfo: str, target: str, **kwargs: Any) -> psycopg.Connection[Any]:
    """A connection, or one sentence naming the server (and never the password)."""
    try:
        return psycopg.connect(conninfo, connect_timeout=CONNECT_TIMEOUT_SECONDS, **kwargs)
    except psycopg.Error as exc:
        reason = _first_line(str(exc))
        password = conninfo_to_dict(conninfo).get("password")
        if password:
            reason = reason.replace(str(password), "***")
        raise ReplikasiError(
            f"Cannot connect to PostgreSQL at {target} (DATABASE_URL): {reason}. Check that "
            "the server is running and the address, user and password are right."
        ) from None


def _first_line(text: str) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line.rstrip(".") or "unknown error"


class AdvisoryIngestLock(IngestLock):
    """pg_try_advisory_lock on a dedicated connection, held while the ingest runs.

    A connection of its own because a session lock lives as long as its connection: a
    pooled one would be handed to other work (or recycled) mid-ingest, and a long ingest
    would keep a pool slot busy. Note: a pooler in transaction mode (PgBouncer) would break
    session locks; point DATABASE_URL at PostgreSQL or a session-mode pooler.
    """

    def __init__(self, conninfo: str, target: str, key: int = INGEST_LOCK_KEY) -> None:
        self._conninfo = conninfo
        self._target = target
        self._key = key
        # Refuses a second ingest in this process without a round trip to the server.
        self._local = threading.Lock()
        self._conn: psycopg.Connection[Any] | None = None

    def try_acquire(self) -> bool:
        if not self._local.acquire(blocking=False):
            return False
        try:
            conn = _connect(self._conninfo, self._target, autocommit=True)
            try:
                row = conn.execute("SELECT pg_try_advisory_lock(%s)", (self._key,)).fetchone()
            except BaseException:
                conn.close()
                raise
        except BaseException:
            self._local.release()
            raise
        if not (row and row[0]):
            conn.close()
            self._local.release()
            return False
        self._conn = conn
        return True

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.execute("SELECT pg_advisory_unlock(%s)", (self._key,))
            except psycopg.Error as exc:  # the session is gone, and the lock with it
                log.warning("Releasing the ingest lock: %s", exc)
            finally:
                conn.close()
        if self._local.locked():
            self._local.release()

    def locked(self) -> bool:
        return self._local.locked()

    def close(self) -> None:
        """Drop a lock still held when the store closes (its session ends anyway)."""
        if self._conn is not None:
            self.release()


class PostgresBotStore(SQLBotStore):
    backend = "postgresql"
    _ingest_lock: AdvisoryIngestLock
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
    ) -> None:
        super().__init__(idle_minutes=idle_minutes, clock=clock, retention=retention)
        _check_scheme(conninfo)
        self.target = describe_target(conninfo)
        # One direct connection first: a clear error when the server cannot be reached, and
        # the migrations run before any handler touches the tables.
        with _connect(conninfo, self.target) as conn, conn.transaction():
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
        self._ingest_lock = AdvisoryIngestLock(conninfo, self.target)

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
