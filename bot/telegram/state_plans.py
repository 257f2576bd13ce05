"""The plan queries of the SQL stores (SQLite and PostgreSQL alike; see plan_store.py for
what is kept). Mixed into `SQLBotStore`, which supplies the transaction, placeholders and
JSON adapter; the tables are created by each backend's migration 3."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.telegram.plan_store import DRAFT_RETENTION_DAYS, READY, PlanStore, StoredPlan
from bot.telegram.state_mixin import SQLQueriesMixin

if TYPE_CHECKING:
    from bot.telegram.state_sql import Connection

DAY = 86_400.0
_COLUMNS = (
    "plan_id, user_id, chat_id, language, step, draft, plan, title, created, updated, version"
)
_OWNED = "EXISTS (SELECT 1 FROM plans WHERE plan_id = ? AND user_id = ?)"


def new_plan_id() -> str:
    return secrets.token_urlsafe(6)  # 8 characters, fits in callback data


class SQLPlanQueries(SQLQueriesMixin, PlanStore):
    def create_plan(
        self, user_id: int, chat_id: int, language: str, step: str, draft: dict[str, Any]
    ) -> StoredPlan:
        plan_id, now = new_plan_id(), self.clock()
        with self._tx() as conn:
            self._run(
                conn,
                f"INSERT INTO plans ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL, '', ?, ?, 0)",
                (plan_id, user_id, chat_id, language, step, self._json(draft), now, now),
            )
        stored = self.plan(plan_id, user_id)
        assert stored is not None
        return stored

    def plan(self, plan_id: str, user_id: int) -> StoredPlan | None:
        with self._tx() as conn:
            row = self._run(
                conn,
                f"SELECT {_COLUMNS} FROM plans WHERE plan_id = ? AND user_id = ?",
                (plan_id, user_id),
            ).fetchone()
            if row is None:
                return None
            done = self._run(
                conn, "SELECT step FROM plan_steps WHERE plan_id = ?", (plan_id,)
            ).fetchall()
        return self._stored(row, frozenset(str(step) for (step,) in done))

    def plans(self, user_id: int, limit: int = 30) -> list[StoredPlan]:
        with self._tx() as conn:
            rows = self._run(
                conn,
                f"SELECT {_COLUMNS} FROM plans WHERE user_id = ? "
                "ORDER BY updated DESC, plan_id LIMIT ?",
                (user_id, limit),
            ).fetchall()
            done_rows = self._run(
                conn,
                "SELECT s.plan_id, s.step FROM plan_steps s JOIN plans p "
                "ON p.plan_id = s.plan_id WHERE p.user_id = ?",
                (user_id,),
            ).fetchall()
        done: dict[str, set[str]] = {}
        for plan_id, step in done_rows:
            done.setdefault(str(plan_id), set()).add(str(step))
        return [self._stored(row, frozenset(done.get(str(row[0]), ()))) for row in rows]

    def active_draft(self, user_id: int, chat_id: int, since: float) -> StoredPlan | None:
        with self._tx() as conn:
            row = self._run(
                conn,
                f"SELECT {_COLUMNS} FROM plans WHERE user_id = ? AND chat_id = ? "
                "AND step <> ? AND updated >= ? ORDER BY updated DESC, plan_id LIMIT 1",
                (user_id, chat_id, READY, since),
            ).fetchone()
        return None if row is None else self._stored(row, frozenset())

    def update_plan(
        self,
        plan_id: str,
        user_id: int,
        version: int,
        *,
        step: str,
        draft: dict[str, Any],
        plan: dict[str, Any] | None = None,
        title: str | None = None,
    ) -> bool:
        assignments = ["step = ?", "draft = ?", "updated = ?", "version = version + 1"]
        values: list[Any] = [step, self._json(draft), self.clock()]
        if plan is not None:
            assignments.append("plan = ?")
            values.append(self._json(plan))
        if title is not None:
            assignments.append("title = ?")
            values.append(title)
        with self._tx() as conn:
            cursor = self._run(
                conn,
                f"UPDATE plans SET {', '.join(assignments)} "
                "WHERE plan_id = ? AND user_id = ? AND version = ?",
                (*values, plan_id, user_id, version),
            )
            changed = bool(getattr(cursor, "rowcount", 0))
            if changed and plan is not None:
                self._run(conn, "DELETE FROM plan_evidence WHERE plan_id = ?", (plan_id,))
        return changed

    def delete_plan(self, plan_id: str, user_id: int) -> bool:
        with self._tx() as conn:
            cursor = self._run(
                conn, "DELETE FROM plans WHERE plan_id = ? AND user_id = ?", (plan_id, user_id)
            )
            if not getattr(cursor, "rowcount", 0):
                return False
            self._run(conn, "DELETE FROM plan_steps WHERE plan_id = ?", (plan_id,))
            self._run(conn, "DELETE FROM plan_evidence WHERE plan_id = ?", (plan_id,))
        return True

    def set_step_done(self, plan_id: str, user_id: int, step: str, done: bool) -> None:
        with self._tx() as conn:
            if done:
                self._run(
                    conn,
                    f"INSERT INTO plan_steps (plan_id, step, done_at) SELECT ?, ?, ? "
                    f"WHERE {_OWNED} ON CONFLICT (plan_id, step) DO NOTHING",
                    (plan_id, step, self.clock(), plan_id, user_id),
                )
            else:
                self._run(
                    conn,
                    f"DELETE FROM plan_steps WHERE plan_id = ? AND step = ? AND {_OWNED}",
                    (plan_id, step, plan_id, user_id),
                )

    def save_evidence(self, plan_id: str, evidence: Mapping[str, dict[str, Any]]) -> None:
        now = self.clock()
        with self._tx() as conn:
            for key, data in evidence.items():
                self._run(
                    conn,
                    "INSERT INTO plan_evidence (plan_id, question_key, data, created) "
                    "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM plans WHERE plan_id = ?) "
                    "ON CONFLICT (plan_id, question_key) DO UPDATE SET data = excluded.data, "
                    "created = excluded.created",
                    (plan_id, key, self._json(data), now, plan_id),
                )

    def evidence(self, plan_id: str) -> dict[str, dict[str, Any]]:
        with self._tx() as conn:
            rows = self._run(
                conn,
                "SELECT question_key, data FROM plan_evidence WHERE plan_id = ?",
                (plan_id,),
            ).fetchall()
        return {str(key): self._unjson(data) for key, data in rows}

    def _prune_plans(self, conn: Connection, now: float) -> None:
        """Drafts nobody touched for DRAFT_RETENTION_DAYS, and whatever belonged to them."""
        self._run(
            conn,
            "DELETE FROM plans WHERE step <> ? AND updated < ?",
            (READY, now - DRAFT_RETENTION_DAYS * DAY),
        )
        for table in ("plan_steps", "plan_evidence"):
            self._run(
                conn,
                f"DELETE FROM {table} WHERE plan_id NOT IN (SELECT plan_id FROM plans)",
            )

    def _stored(self, row: Any, done: frozenset[str]) -> StoredPlan:
        plan = row[6]
        return StoredPlan(
            plan_id=str(row[0]),
            user_id=int(row[1]),
            chat_id=int(row[2]),
            language="en" if row[3] == "en" else "id",
            step=str(row[4]),
            draft=dict(self._unjson(row[5]) or {}),
            plan=None if plan is None else self._unjson(plan),
            title=str(row[7] or ""),
            created=float(row[8]),
            updated=float(row[9]),
            version=int(row[10]),
            done=done,
        )
