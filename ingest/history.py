"""The ingest history: who changed the knowledge base, when, how and what.

Every way of changing the index writes one `HistoryEntry`: an admin's upload, /reindex,
/tambah, a re-check of a web source that found a change, /hapus, and `replikasi ingest` when
the bot store can be opened. /riwayat shows the latest ones. The entries live in the bot
store (`HistoryLog` is what the ingest side needs of it), not in the index: they outlive
rebuilds.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from replikasi.logs import exception_summary

if TYPE_CHECKING:
    from ingest.pipeline import IngestReport

log = logging.getLogger(__name__)

MAX_DETAIL_CHARS = 300


@dataclass(frozen=True)
class Actor:
    """Who asked for the change: an admin (id and name) or a process ("jadwal", the CLI)."""

    name: str
    user_id: int | None = None

    def describe(self) -> str:
        if self.user_id is None:
            return self.name
        return f"{self.name} ({self.user_id})" if self.name else str(self.user_id)


SCHEDULE = Actor("jadwal")


@dataclass(frozen=True)
class HistoryEntry:
    """One change of the knowledge base; `origin` says where from ("/reindex", an address,
    "upload perwal.pdf"); `detail` a summary or why it failed."""

    origin: str
    actor: Actor
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    detail: str = ""
    at: float = field(default_factory=time.time)
    entry_id: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


class HistoryLog(Protocol):
    def add_history(self, entry: HistoryEntry) -> None: ...
    def history(self, limit: int = 20) -> list[HistoryEntry]: ...


def entry_from_report(
    report: IngestReport, origin: str, actor: Actor, *, detail: str = ""
) -> HistoryEntry:
    """What an ingest changed, as a history entry (replaced older versions count as removed)."""
    notes = [detail] if detail else []
    if report.failed:
        notes.append(f"{len(report.failed)} file(s) could not be read: " + report.failed[0][1])
    return HistoryEntry(
        origin=origin,
        actor=actor,
        added=tuple(report.added),
        updated=tuple(report.updated),
        removed=tuple([*report.removed, *(r.old_id for r in report.replaced)]),
        detail="; ".join(notes)[:MAX_DETAIL_CHARS],
    )


def record_quietly(history: HistoryLog | None, entry: HistoryEntry) -> None:
    """Write an entry; the history is a record, so failing to write it never fails the
    change it describes (it is logged)."""
    if history is None:
        return
    try:
        history.add_history(entry)
    except Exception as exc:
        log.warning("Could not write the ingest history: %s", exception_summary(exc))
