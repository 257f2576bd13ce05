"""The default bot store: SQLite under the data directory, for one bot process.

One connection is shared by the event loop and worker threads, guarded by a lock; every call
is short. Writes use BEGIN IMMEDIATE, which takes SQLite's write lock at the start of the
transaction, so a read-modify-write (appending a turn) cannot interleave with another one,
even from another process using the same file. The queries it shares with PostgreSQL are in
`state_sql`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.followup import MAX_TURNS
from bot.telegram.state import Clock, Retention
from bot.telegram.state_sql import SQLBotStore
from replikasi.ingest_lock import IngestLock
from replikasi.records import Turn

DB_NAME = "bot.sqlite3"


class SQLiteBotStore(SQLBotStore):
    backend = "sqlite"
    # Each entry upgrades the schema by one version; never edit an entry once released.
    MIGRATIONS = (
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
        # 2: the answer's outcome in the log; voters' ids may be dropped (retention); digests.
        """
        ALTER TABLE questions ADD COLUMN outcome TEXT NOT NULL DEFAULT 'answered';
        UPDATE questions SET outcome = 'abstained' WHERE abstained = 1;
        CREATE TABLE feedback_v2 (
            answer_id TEXT NOT NULL,
            user_id INTEGER,
            chat_id INTEGER,
            value INTEGER NOT NULL CHECK (value IN (-1, 1)),
            created REAL NOT NULL
        );
        INSERT INTO feedback_v2 SELECT answer_id, user_id, chat_id, value, created FROM feedback;
        DROP TABLE feedback;
        ALTER TABLE feedback_v2 RENAME TO feedback;
        CREATE UNIQUE INDEX feedback_vote ON feedback (answer_id, user_id);
        CREATE INDEX feedback_created ON feedback (created);
        CREATE TABLE digests (period TEXT PRIMARY KEY, sent_at REAL NOT NULL);
        """,
        # 3: replication plans (see plan_store.py).
        """
        CREATE TABLE plans (
            plan_id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            language TEXT NOT NULL,
            step TEXT NOT NULL,
            draft TEXT NOT NULL,
            plan TEXT,
            title TEXT NOT NULL DEFAULT '',
            created REAL NOT NULL,
            updated REAL NOT NULL,
            version INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX plans_user ON plans (user_id, updated);
        CREATE TABLE plan_steps (
            plan_id TEXT NOT NULL,
            step TEXT NOT NULL,
            done_at REAL NOT NULL,
            PRIMARY KEY (plan_id, step)
        );
        CREATE TABLE plan_evidence (
            plan_id TEXT NOT NULL,
            question_key TEXT NOT NULL,
            data TEXT NOT NULL,
            created REAL NOT NULL,
            PRIMARY KEY (plan_id, question_key)
        );
        """,
        # 4: web sources added by address and the ingest history (see state_web_sources.py).
        """
        CREATE TABLE web_sources (
            source_id INTEGER PRIMARY KEY AUTOINCREMENT,
            url TEXT NOT NULL UNIQUE,
            doc_id TEXT NOT NULL,
            file TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            added_by TEXT NOT NULL DEFAULT '',
            added_by_id INTEGER,
            added_at REAL NOT NULL,
            interval_hours REAL,
            last_checked REAL,
            last_changed REAL,
            etag TEXT NOT NULL DEFAULT '',
            last_modified TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL DEFAULT '',
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '',
            alerted INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE ingest_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at REAL NOT NULL,
            actor_name TEXT NOT NULL,
            actor_id INTEGER,
            origin TEXT NOT NULL,
            added TEXT NOT NULL,
            updated TEXT NOT NULL,
            removed TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX ingest_history_at ON ingest_history (at);
        """,
        # 5: uploads waiting for an admin's choice (see upload_store.py).
        """
        CREATE TABLE pending_uploads (
            upload_id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            language TEXT NOT NULL,
            name TEXT NOT NULL,
            caption TEXT NOT NULL DEFAULT '',
            data BLOB NOT NULL,
            plan TEXT NOT NULL,
            created REAL NOT NULL
        );
        CREATE INDEX pending_uploads_created ON pending_uploads (created);
        """,
    )
    DAY_NUMBER = "CAST((asked + ?) / 86400 AS INTEGER)"

    def __init__(
        self,
        path: Path,
        *,
        idle_minutes: int = 30,
        clock: Clock = time.time,
        retention: Retention | None = None,
        ingest_lock: IngestLock | None = None,
    ) -> None:
        super().__init__(idle_minutes=idle_minutes, clock=clock, retention=retention)
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
            with self._tx() as conn:
                self._migrate(conn)
        except BaseException:
            self.close()
            raise

    @property
    def where(self) -> str:
        return str(self.path)

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

    def _json(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def _unjson(self, value: Any) -> Any:
        return json.loads(value)

    def add_turn(self, chat_id: int, turn: Turn) -> None:
        # Read, then write, inside one BEGIN IMMEDIATE transaction: no other writer between.
        with self._tx() as conn:
            history = [*self._turns(conn, chat_id), turn][-MAX_TURNS:]
            conn.execute(
                "INSERT INTO conversations (chat_id, turns, last_active) VALUES (?, ?, ?) "
                "ON CONFLICT (chat_id) DO UPDATE SET turns = excluded.turns, "
                "last_active = excluded.last_active",
                (chat_id, self._json([t.to_dict() for t in history]), self.clock()),
            )
