"""What the SQLite and PostgreSQL stores share: every query that differs only in placeholder
style, JSON adapter and connection, written once here with `?` placeholders.

A backend supplies:
- `_tx()`: one short transaction on its connection (a locked SQLite connection, a pooled
  PostgreSQL one);
- `_sql(query)`: the query in its placeholder style; `_json` / `_unjson`: its JSON adapter;
- `MIGRATIONS` (its DDL) and `_lock_migrations` (so replicas starting together apply each
  migration once);
- `add_turn`, the race-safe append, which each does its own way;
- `DAY_NUMBER`: the SQL for "the local calendar day of `asked`", used by the daily stats.
"""

from __future__ import annotations

import datetime as dt
import logging
from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, ClassVar, Protocol

from bot.telegram.state import (
    ANSWER_RETENTION_DAYS,
    DAY,
    BotStore,
    DayStats,
    PeriodStats,
    StoredAnswer,
    StoreSchemaError,
    UsageStats,
    check_vote,
    new_answer_id,
    stored_answer,
)
from bot.telegram.state_plans import SQLPlanQueries
from bot.telegram.state_uploads import SQLUploadQueries
from bot.telegram.state_web_sources import SQLWebSourceQueries
from replikasi.ingest_lock import IngestLock
from replikasi.records import Answer, Turn

log = logging.getLogger(__name__)

Params = Sequence[Any] | Mapping[str, Any]
# Unanswered questions read for the "topics" of /stats, newest first.
TOPIC_SAMPLE = 500


class Cursor(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    def execute(self, query: Any, params: Any = ..., /) -> Any: ...


class SQLBotStore(SQLPlanQueries, SQLWebSourceQueries, SQLUploadQueries, BotStore):
    MIGRATIONS: ClassVar[tuple[str, ...]]
    DAY_NUMBER: ClassVar[str]  # SQL with one `?`: the UTC offset in seconds
    _ingest_lock: IngestLock

    @property
    def ingest_lock(self) -> IngestLock:
        return self._ingest_lock

    @property
    @abstractmethod
    def where(self) -> str:
        """The database, for messages ("data/bot.sqlite3", "PostgreSQL db:5432/bot")."""

    @abstractmethod
    def _tx(self) -> AbstractContextManager[Connection]: ...

    def _sql(self, query: str) -> str:
        return query

    def _json(self, value: Any) -> Any:
        return value

    def _unjson(self, value: Any) -> Any:
        return value

    def _run(self, conn: Connection, query: str, params: Params = ()) -> Cursor:
        cursor: Cursor = conn.execute(self._sql(query), params)
        return cursor

    # -- schema --------------------------------------------------------------------------
    def _lock_migrations(self, conn: Connection) -> None:
        """Hold other processes off while migrating (nothing to do where the transaction
        already holds the database's write lock)."""

    def _migrate(self, conn: Connection) -> None:
        """Apply the missing migrations, inside the caller's transaction."""
        self._lock_migrations(conn)
        self._run(
            conn,
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)",
        )
        row = self._run(conn, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        current = int(row.fetchone()[0])
        known = len(self.MIGRATIONS)
        if current > known:
            raise StoreSchemaError(self.where, current, known)
        for version, script in enumerate(self.MIGRATIONS, start=1):
            if version <= current:
                continue
            for statement in statements(script):
                self._run(conn, statement)
            self._run(
                conn,
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                (version, self.clock()),
            )
            log.info("Bot store %s migrated to schema version %d", self.where, version)

    def schema_version(self) -> int:
        with self._tx() as conn:
            return int(self._run(conn, "SELECT MAX(version) FROM schema_migrations").fetchone()[0])

    # -- conversations -------------------------------------------------------------------
    def turns(self, chat_id: int) -> list[Turn]:
        # Idle rows are left for `prune`: deleting here could race with another writer that
        # has just started the conversation again.
        with self._tx() as conn:
            return self._turns(conn, chat_id)

    def _turns(self, conn: Connection, chat_id: int) -> list[Turn]:
        row = self._run(
            conn,
            "SELECT turns FROM conversations WHERE chat_id = ? AND last_active >= ?",
            (chat_id, self.idle_cutoff),
        ).fetchone()
        return [] if row is None else [Turn.from_dict(item) for item in self._unjson(row[0])]

    def reset(self, chat_id: int) -> None:
        with self._tx() as conn:
            self._run(conn, "DELETE FROM conversations WHERE chat_id = ?", (chat_id,))

    # -- answers and feedback ------------------------------------------------------------
    def save_answer(self, chat_id: int, answer: Answer, reply_html: str) -> str:
        answer_id = new_answer_id()
        citations = self._json([c.to_dict() for c in answer.citations])
        with self._tx() as conn:
            self._run(
                conn,
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
            row = self._run(
                conn,
                "SELECT chat_id, language, text, reply_html, citations FROM answers "
                "WHERE answer_id = ?",
                (answer_id,),
            ).fetchone()
        if row is None:
            return None
        return stored_answer(answer_id, row[0], row[1], row[2], row[3], self._unjson(row[4]))

    def record_feedback(self, answer_id: str, chat_id: int, user_id: int, value: int) -> None:
        check_vote(value)
        with self._tx() as conn:
            self._run(
                conn,
                "INSERT INTO feedback (answer_id, user_id, chat_id, value, created) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (answer_id, user_id) DO UPDATE SET "
                "value = excluded.value, created = excluded.created",
                (answer_id, user_id, chat_id, value, self.clock()),
            )

    def feedback(self, answer_id: str) -> dict[int, int]:
        with self._tx() as conn:
            rows = self._run(
                conn,
                "SELECT user_id, value FROM feedback WHERE answer_id = ? AND user_id IS NOT NULL",
                (answer_id,),
            ).fetchall()
        return {int(user): int(value) for user, value in rows}

    # -- question log and statistics -----------------------------------------------------
    def log_question(self, answer: Answer) -> None:
        with self._tx() as conn:
            self._run(
                conn,
                "INSERT INTO questions (asked, question, abstained, outcome, cited_doc_ids, "
                "language, mode) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    self.clock(),
                    answer.question,
                    answer.abstained,
                    answer.outcome,
                    self._json(answer.cited_doc_ids),
                    answer.language,
                    answer.mode,
                ),
            )

    def stats(
        self, *, unanswered: int = 10, days: int = 30, utc_offset_hours: float = 0
    ) -> UsageStats:
        now = self.clock()
        offset = utc_offset_hours * 3600
        with self._tx() as conn:
            periods = [self._period(conn, period, now) for period in (7, days)]
            up, down = self._run(
                conn,
                "SELECT COALESCE(SUM(CASE WHEN value = 1 THEN 1 ELSE 0 END), 0), "
                "COALESCE(SUM(CASE WHEN value = -1 THEN 1 ELSE 0 END), 0) "
                "FROM feedback WHERE created >= ?",
                (now - days * DAY,),
            ).fetchone()
            first_day = _day_number(now - (days - 1) * DAY, offset)
            daily = self._run(
                conn,
                f"SELECT {self.DAY_NUMBER} AS day, outcome, COUNT(*) FROM questions "
                f"WHERE asked >= ? GROUP BY day, outcome",
                (offset, (first_day * DAY) - offset),
            ).fetchall()
            unanswered_rows = self._run(
                conn,
                "SELECT asked, question FROM questions WHERE outcome <> 'answered' "
                "AND asked >= ? AND question <> '' ORDER BY asked DESC, id DESC LIMIT ?",
                (now - days * DAY, TOPIC_SAMPLE),
            ).fetchall()
        return UsageStats(
            periods=periods,
            feedback_up=int(up),
            feedback_down=int(down),
            recent_unanswered=[(float(a), str(q)) for a, q in unanswered_rows[:unanswered]],
            daily=_days(first_day, _day_number(now, offset), daily),
            unanswered_questions=[str(q) for _, q in unanswered_rows],
        )

    def _period(self, conn: Connection, days: int, now: float) -> PeriodStats:
        total, not_known, abstained = self._run(
            conn,
            "SELECT COUNT(*), "
            "COALESCE(SUM(CASE WHEN outcome = 'not_known' THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(CASE WHEN outcome = 'abstained' THEN 1 ELSE 0 END), 0) "
            "FROM questions WHERE asked >= ?",
            (now - days * DAY,),
        ).fetchone()
        unanswered = int(abstained) + int(not_known)
        return PeriodStats(days, int(total) - unanswered, int(not_known), int(abstained))

    # -- housekeeping --------------------------------------------------------------------
    def prune(self) -> None:
        now = self.clock()
        retention = self.retention
        with self._tx() as conn:
            self._run(conn, "DELETE FROM conversations WHERE last_active < ?", (self.idle_cutoff,))
            self._run(
                conn, "DELETE FROM answers WHERE created < ?", (now - ANSWER_RETENTION_DAYS * DAY,)
            )
            # A vote counts in the statistics for good; who cast it is forgotten.
            self._run(
                conn,
                "UPDATE feedback SET user_id = NULL, chat_id = NULL "
                "WHERE created < ? AND user_id IS NOT NULL",
                (now - retention.feedback_user_days * DAY,),
            )
            self._run(
                conn,
                "UPDATE questions SET question = '' WHERE asked < ? AND question <> ''",
                (now - retention.question_text_days * DAY,),
            )
            self._prune_plans(conn, now)
            self._prune_pending_uploads(conn, now)

    def claim_digest(self, period: str) -> bool:
        with self._tx() as conn:
            cursor = self._run(
                conn,
                "INSERT INTO digests (period, sent_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (period, self.clock()),
            )
            return bool(getattr(cursor, "rowcount", 0))


def statements(script: str) -> Iterator[str]:
    """A migration script's statements, to run one by one (SQLite's `executescript` would
    commit the surrounding transaction)."""
    return (part.strip() for part in script.split(";") if part.strip())


def _day_number(timestamp: float, offset: float) -> int:
    return int((timestamp + offset) // DAY)


def _days(first: int, last: int, rows: list[Any]) -> list[DayStats]:
    counts: dict[int, dict[str, int]] = {}
    for day, outcome, count in rows:
        counts.setdefault(int(day), {})[str(outcome)] = int(count)
    epoch = dt.date(1970, 1, 1)
    return [
        DayStats(
            epoch + dt.timedelta(days=day),
            answered=counts.get(day, {}).get("answered", 0),
            not_known=counts.get(day, {}).get("not_known", 0),
            abstained=counts.get(day, {}).get("abstained", 0),
        )
        for day in range(first, last + 1)
    ]
