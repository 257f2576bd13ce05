"""The pending-upload queries of the SQL stores (SQLite and PostgreSQL alike; see
upload_store.py for what is kept). Mixed into `SQLBotStore`, which supplies the transaction,
placeholders and JSON adapter; the table is created by each backend's pending-upload
migration."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from bot.messages import Language
from bot.telegram.state_mixin import SQLQueriesMixin
from bot.telegram.upload_store import PENDING_UPLOAD_HOURS, PendingUpload, UploadStore

if TYPE_CHECKING:
    from bot.telegram.state_sql import Connection

_COLUMNS = "upload_id, user_id, chat_id, language, name, caption, data, plan, created"


def new_upload_id() -> str:
    return secrets.token_urlsafe(6)  # 8 characters, fits in callback data


class SQLUploadQueries(SQLQueriesMixin, UploadStore):
    def save_pending_upload(
        self,
        user_id: int,
        chat_id: int,
        language: Language,
        name: str,
        data: bytes,
        plan: dict[str, Any],
        caption: str = "",
    ) -> str:
        upload_id = new_upload_id()
        with self._tx() as conn:
            self._run(
                conn,
                f"INSERT INTO pending_uploads ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    upload_id,
                    user_id,
                    chat_id,
                    language,
                    name,
                    caption,
                    data,
                    self._json(plan),
                    self.clock(),
                ),
            )
        return upload_id

    def pending_upload(self, upload_id: str, user_id: int, since: float) -> PendingUpload | None:
        with self._tx() as conn:
            row = self._run(
                conn,
                f"SELECT {_COLUMNS} FROM pending_uploads "
                "WHERE upload_id = ? AND user_id = ? AND created >= ?",
                (upload_id, user_id, since),
            ).fetchone()
        return None if row is None else self._pending(row)

    def take_pending_upload(
        self, upload_id: str, user_id: int, since: float
    ) -> PendingUpload | None:
        # One statement: of two replicas (or a double tap), exactly one gets the row.
        with self._tx() as conn:
            rows = self._run(
                conn,
                "DELETE FROM pending_uploads WHERE upload_id = ? AND user_id = ? "
                f"AND created >= ? RETURNING {_COLUMNS}",
                (upload_id, user_id, since),
            ).fetchall()
        return self._pending(rows[0]) if rows else None

    def _prune_pending_uploads(self, conn: Connection, now: float) -> None:
        """Uploads nobody chose for within PENDING_UPLOAD_HOURS: their bytes go."""
        self._run(
            conn,
            "DELETE FROM pending_uploads WHERE created < ?",
            (now - PENDING_UPLOAD_HOURS * 3600,),
        )

    def _pending(self, row: Any) -> PendingUpload:
        return PendingUpload(
            upload_id=str(row[0]),
            user_id=int(row[1]),
            chat_id=int(row[2]),
            language="en" if row[3] == "en" else "id",
            name=str(row[4]),
            caption=str(row[5] or ""),
            data=bytes(row[6]),
            plan=dict(self._unjson(row[7]) or {}),
            created=float(row[8]),
        )
