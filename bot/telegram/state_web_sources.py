"""The web-source registry and the ingest history in the SQL stores (SQLite and PostgreSQL
alike). Mixed into `SQLBotStore`, which supplies the transaction, placeholders and JSON
adapter; the tables are created by each backend's migration 4.

- web_sources: one row per address (`ingest.web.registry.WebSource`), upserted by address.
  Only ingests write it, and they hold the ingest lock, so there is one writer at a time.
- ingest_history: insert-only (`ingest.history.HistoryEntry`), read newest first.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from bot.telegram.state_mixin import SQLQueriesMixin
from ingest.history import Actor, HistoryEntry
from ingest.web.registry import WebSource

if TYPE_CHECKING:
    pass

_SOURCE_COLUMNS = (
    "url, doc_id, file, kind, title, added_by, added_by_id, added_at, interval_hours, "
    "last_checked, last_changed, etag, last_modified, content_hash, failures, last_error, "
    "alerted"
)
_UPDATED = ", ".join(
    f"{name} = excluded.{name}" for name in _SOURCE_COLUMNS.split(", ") if name != "url"
)
MAX_HISTORY = 200


class WebSourceStore(ABC):
    """What `BotStore` keeps of web sources and the ingest history (the `WebSourceRegistry`
    and `HistoryLog` the ingest side asks for)."""

    @abstractmethod
    def save_web_source(self, source: WebSource) -> WebSource: ...

    @abstractmethod
    def web_sources(self) -> list[WebSource]: ...

    @abstractmethod
    def web_source(self, key: int | str) -> WebSource | None: ...

    @abstractmethod
    def remove_web_source(self, source_id: int) -> None: ...

    @abstractmethod
    def add_history(self, entry: HistoryEntry) -> None: ...

    @abstractmethod
    def history(self, limit: int = 20) -> list[HistoryEntry]: ...


class SQLWebSourceQueries(SQLQueriesMixin, WebSourceStore):
    def save_web_source(self, source: WebSource) -> WebSource:
        values = (
            source.url,
            source.doc_id,
            source.file,
            source.kind,
            source.title,
            source.added_by,
            source.added_by_id,
            source.added_at,
            source.interval_hours,
            source.last_checked,
            source.last_changed,
            source.etag,
            source.last_modified,
            source.content_hash,
            source.failures,
            source.last_error,
            1 if source.alerted else 0,
        )
        marks = ", ".join("?" for _ in values)
        with self._tx() as conn:
            row = self._run(
                conn,
                f"INSERT INTO web_sources ({_SOURCE_COLUMNS}) VALUES ({marks}) "
                f"ON CONFLICT (url) DO UPDATE SET {_UPDATED} RETURNING source_id",
                values,
            ).fetchone()
        stored = self.web_source(int(row[0]))
        assert stored is not None
        return stored

    def web_sources(self) -> list[WebSource]:
        with self._tx() as conn:
            rows = self._run(
                conn, f"SELECT source_id, {_SOURCE_COLUMNS} FROM web_sources ORDER BY source_id"
            ).fetchall()
        return [_source(row) for row in rows]

    def web_source(self, key: int | str) -> WebSource | None:
        params: tuple[object, ...]
        if isinstance(key, int) or key.isdigit():
            where, params = "source_id = ?", (int(key),)
        else:
            where, params = "url = ? OR doc_id = ?", (key, key)
        with self._tx() as conn:
            row = self._run(
                conn,
                f"SELECT source_id, {_SOURCE_COLUMNS} FROM web_sources WHERE {where} "
                "ORDER BY source_id LIMIT 1",
                params,
            ).fetchone()
        return None if row is None else _source(row)

    def remove_web_source(self, source_id: int) -> None:
        with self._tx() as conn:
            self._run(conn, "DELETE FROM web_sources WHERE source_id = ?", (source_id,))

    def add_history(self, entry: HistoryEntry) -> None:
        with self._tx() as conn:
            self._run(
                conn,
                "INSERT INTO ingest_history (at, actor_name, actor_id, origin, added, updated, "
                "removed, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.at,
                    entry.actor.name,
                    entry.actor.user_id,
                    entry.origin,
                    self._json(list(entry.added)),
                    self._json(list(entry.updated)),
                    self._json(list(entry.removed)),
                    entry.detail,
                ),
            )

    def history(self, limit: int = 20) -> list[HistoryEntry]:
        with self._tx() as conn:
            rows = self._run(
                conn,
                "SELECT id, at, actor_name, actor_id, origin, added, updated, removed, detail "
                "FROM ingest_history ORDER BY at DESC, id DESC LIMIT ?",
                (max(1, min(limit, MAX_HISTORY)),),
            ).fetchall()
        return [
            HistoryEntry(
                origin=str(origin),
                actor=Actor(str(name), None if user_id is None else int(user_id)),
                added=tuple(self._unjson(added)),
                updated=tuple(self._unjson(updated)),
                removed=tuple(self._unjson(removed)),
                detail=str(detail),
                at=float(at),
                entry_id=int(entry_id),
            )
            for entry_id, at, name, user_id, origin, added, updated, removed, detail in rows
        ]


def _source(row: Any) -> WebSource:
    (source_id, url, doc_id, file, kind, title, added_by, added_by_id, added_at, hours) = row[:10]
    (checked, changed, etag, last_modified, content_hash, failures, error, alerted) = row[10:]
    return WebSource(
        url=str(url),
        doc_id=str(doc_id),
        file=str(file),
        kind=str(kind),
        title=str(title),
        added_by=str(added_by),
        added_by_id=None if added_by_id is None else int(added_by_id),
        added_at=float(added_at),
        interval_hours=None if hours is None else float(hours),
        last_checked=None if checked is None else float(checked),
        last_changed=None if changed is None else float(changed),
        etag=str(etag),
        last_modified=str(last_modified),
        content_hash=str(content_hash),
        failures=int(failures),
        last_error=str(error),
        alerted=bool(alerted),
        source_id=int(source_id),
    )
