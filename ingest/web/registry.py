"""The registry of web sources: the one owner of the `WebSource` record.

A web source is an address an admin added (/tambah, `replikasi ingest --url`): where it is
saved in the knowledge folder, which document it became, and what the last check learned
(ETag / Last-Modified for conditional requests, the hash of the bytes, failures in a row).
The records live in the bot store (SQLite or PostgreSQL, so replicas share them);
`WebSourceRegistry` is what the ingest side needs of it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal, Protocol

# Unreachable this many times in a row: admins are told (once), the last good version stays.
FAILURES_BEFORE_ALERT = 3
HOUR = 3600.0

State = Literal["ok", "new", "failing", "unreachable"]


@dataclass(frozen=True)
class WebSource:
    url: str
    doc_id: str
    file: str  # relative to the knowledge folder, e.g. "web/jippnas-menpan-go-id-3f2a1c.html"
    kind: str  # html, pdf, docx, text
    title: str = ""
    added_by: str = ""
    added_by_id: int | None = None
    added_at: float = 0.0
    # Hours between checks; None = WEB_SOURCES_CHECK_HOURS (0 = only on request, /cek).
    interval_hours: float | None = None
    last_checked: float | None = None
    last_changed: float | None = None
    etag: str = ""
    last_modified: str = ""
    content_hash: str = ""
    failures: int = 0  # in a row
    last_error: str = ""
    alerted: bool = False  # admins were told about the current run of failures
    source_id: int = 0  # 0 until the registry stores it

    @property
    def state(self) -> State:
        if self.failures >= FAILURES_BEFORE_ALERT:
            return "unreachable"
        if self.failures:
            return "failing"
        return "ok" if self.last_checked is not None else "new"

    def interval(self, default_hours: float) -> float:
        return default_hours if self.interval_hours is None else self.interval_hours

    def due(self, now: float | None = None, default_hours: float = 24.0) -> bool:
        """Whether the scheduled check should fetch it now."""
        hours = self.interval(default_hours)
        if hours <= 0:
            return False
        if self.last_checked is None:
            return True
        return (now if now is not None else time.time()) >= self.last_checked + hours * HOUR


class WebSourceRegistry(Protocol):
    def save_web_source(self, source: WebSource) -> WebSource:
        """Insert (source_id 0, or an address already registered) or update; the stored
        record, with its id."""
        ...

    def web_sources(self) -> list[WebSource]: ...

    def web_source(self, key: int | str) -> WebSource | None:
        """By id, address or document id."""
        ...

    def remove_web_source(self, source_id: int) -> None: ...
