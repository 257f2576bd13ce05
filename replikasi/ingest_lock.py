"""One ingest at a time: across threads, processes, and (with PostgreSQL) every replica.

Two ingests writing one index at once can lose it (the second switch removes what the first
built), so every ingest takes this lock: `replikasi ingest`, the bot's /reindex and uploads,
and any replica. Nobody waits on it; a busy lock means "try later", and the loser is told
who holds it ("Another ingest is running (since 14:03:12, by `replikasi ingest`, pid 4242 on
host-a)").

- A file lock (flock) on DATA_DIR/ingest.lock, holding the holder's pid, host, command and
  start time. The kernel frees it when the holder dies, even by kill -9.
- With DATABASE_URL, also a PostgreSQL session advisory lock on a connection of its own (the
  same key the bot has always used), so replicas on other machines are excluded too. A dead
  holder's session ends and frees it.

A process may claim the lock first and ingest under it later (the bot claims it on the event
loop, then ingests in a worker thread): `run_ingest` borrows a lock this process already
holds, once at a time, instead of refusing itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from replikasi.errors import IngestBusyError, ReplikasiError
from replikasi.settings import Settings

log = logging.getLogger(__name__)

LOCK_FILE = "ingest.lock"
# Advisory lock key (64-bit, per database): the ASCII of a short name, easy to spot in pg_locks.
INGEST_LOCK_KEY = int.from_bytes(b"rpl:ingt", "big")
_APP_PREFIX = "replikasi-ingest"

_HOLDER_SQL = """
SELECT a.application_name, EXTRACT(EPOCH FROM a.backend_start)::float8, a.client_hostname
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.classid::bigint = %s AND l.objid::bigint = %s
LIMIT 1
"""


@dataclass(frozen=True)
class LockHolder:
    """Who holds the lock, for the message the loser sees."""

    pid: int | None
    host: str
    command: str
    started: float

    def describe(self) -> str:
        moment = time.localtime(self.started)
        same_day = time.strftime("%Y%m%d", moment) == time.strftime("%Y%m%d")
        when = time.strftime("%H:%M:%S" if same_day else "%Y-%m-%d %H:%M:%S", moment)
        where = f"pid {self.pid} on {self.host}" if self.pid else f"on {self.host}"
        return f"since {when}, by `{self.command}`, {where}"

    @classmethod
    def of_this_process(cls, command: str | None = None) -> LockHolder:
        return cls(os.getpid(), socket.gethostname(), command or current_command(), time.time())


def current_command() -> str:
    """The command line of this process, shortened: what an admin recognises."""
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    words = [program, *sys.argv[1:]]
    text = " ".join(words)
    return text if len(text) <= 80 else text[:77] + "…"


@dataclass
class _Hold:
    """A lock taken by this process: the open lock file and/or the PostgreSQL session."""

    holder: LockHolder
    file_key: str | None
    pg_key: str | None
    fd: int | None = None
    conn: Any = None
    ingesting: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


# Locks this process holds, by lock file and by database: a claimant's lock is borrowed by
# the ingest it claimed it for. Process state, not configuration.
_REGISTRY = threading.Lock()
_HELD_FILES: dict[str, _Hold] = {}
_HELD_DATABASES: dict[str, _Hold] = {}


class IngestLock:
    """The ingest lock for one data directory and (optionally) one PostgreSQL database."""

    def __init__(
        self,
        lock_dir: Path | None,
        database_url: str | None = None,
        *,
        command: str | None = None,
    ) -> None:
        self._path = (lock_dir / LOCK_FILE) if lock_dir is not None else None
        self._database_url = database_url
        self._target: str | None = None
        if database_url is not None:
            from replikasi.postgres import check_database_url

            self._target = check_database_url(database_url)
        self._command = command
        self._hold: _Hold | None = None
        self._guard = threading.Lock()

    @classmethod
    def for_settings(cls, settings: Settings, *, command: str | None = None) -> IngestLock:
        url = settings.database_url.get_secret_value() if settings.database_url else None
        return cls(settings.data_dir, url, command=command)

    @property
    def file_key(self) -> str | None:
        return str(self._path.resolve()) if self._path is not None else None

    @property
    def pg_key(self) -> str | None:
        return self._target

    # -- taking and giving back ----------------------------------------------------------
    def try_acquire(self) -> bool:
        """Take the lock if it is free everywhere it is shared; False when it is held."""
        return self._try_acquire(ingesting=False)

    def _try_acquire(self, *, ingesting: bool) -> bool:
        with self._guard:
            if self._hold is not None:
                return False
            with _REGISTRY:
                if self._held_here() is not None:
                    return False
                hold = self._take()
                if hold is None:
                    return False
                hold.ingesting = ingesting  # registered already in use: nobody borrows it
                if hold.file_key:
                    _HELD_FILES[hold.file_key] = hold
                if hold.pg_key:
                    _HELD_DATABASES[hold.pg_key] = hold
            self._hold = hold
            return True

    def acquire(self) -> None:
        """Take the lock or raise IngestBusyError naming who holds it."""
        if not self.try_acquire():
            holder = self.holder()
            raise IngestBusyError(holder.describe() if holder else None)

    def release(self) -> None:
        """Give back a lock taken with `try_acquire` (from any thread)."""
        with self._guard:
            hold, self._hold = self._hold, None
        if hold is None:
            return
        with _REGISTRY:
            if hold.file_key and _HELD_FILES.get(hold.file_key) is hold:
                del _HELD_FILES[hold.file_key]
            if hold.pg_key and _HELD_DATABASES.get(hold.pg_key) is hold:
                del _HELD_DATABASES[hold.pg_key]
        _free(hold)

    def locked(self) -> bool:
        """Whether this lock object holds it (other processes' ingests are not visible here)."""
        return self._hold is not None

    def close(self) -> None:
        """Drop the lock if still held (a store closing mid-ingest)."""
        self.release()

    def __enter__(self) -> IngestLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()

    # -- who holds it --------------------------------------------------------------------
    def holder(self) -> LockHolder | None:
        """The holder as recorded in the lock file or by PostgreSQL (None when unknown)."""
        if self._hold is not None:
            return self._hold.holder
        with _REGISTRY:
            here = self._held_here()
        if here is not None:
            return here.holder
        return self._file_holder() or self._database_holder()

    def _held_here(self) -> _Hold | None:
        """A hold of this process on the same file or database (caller has _REGISTRY)."""
        file_key, pg_key = self.file_key, self.pg_key
        return (_HELD_FILES.get(file_key) if file_key else None) or (
            _HELD_DATABASES.get(pg_key) if pg_key else None
        )

    def _file_holder(self) -> LockHolder | None:
        if self._path is None:
            return None
        for _ in range(3):  # the winner writes its details right after taking the lock
            try:
                data = json.loads(self._path.read_text(encoding="utf-8") or "null")
            except (OSError, ValueError):
                data = None
            if isinstance(data, dict):
                try:
                    return LockHolder(**data)
                except TypeError:
                    return None
            time.sleep(0.05)
        return None

    def _database_holder(self) -> LockHolder | None:
        if self._database_url is None or self._target is None:
            return None
        from replikasi.postgres import connect

        try:
            with connect(self._database_url, self._target, autocommit=True) as conn:
                row = conn.execute(
                    _HOLDER_SQL, (INGEST_LOCK_KEY >> 32, INGEST_LOCK_KEY & 0xFFFFFFFF)
                ).fetchone()
        except Exception as exc:  # only for the message: never fail because of it
            log.debug("Could not ask PostgreSQL who holds the ingest lock: %s", exc)
            return None
        if not row:
            return None
        name, started, client = str(row[0] or ""), float(row[1] or time.time()), row[2]
        pid, host = None, str(client or "another machine")
        if name.startswith(_APP_PREFIX):
            details = name[len(_APP_PREFIX) :].strip()
            pid_text, _, host_text = details.partition("@")
            pid = int(pid_text) if pid_text.isdigit() else None
            host = host_text or host
        return LockHolder(pid, host, "replikasi", started)

    # -- the mechanisms ------------------------------------------------------------------
    def _take(self) -> _Hold | None:
        holder = LockHolder.of_this_process(self._command)
        hold = _Hold(holder, self.file_key, self.pg_key)
        try:
            if self._path is not None:
                hold.fd = _lock_file(self._path, holder)
                if hold.fd is None:
                    return None
            if self._database_url is not None and self._target is not None:
                hold.conn = _lock_database(self._database_url, self._target, holder)
                if hold.conn is None:
                    _free(hold)
                    return None
        except BaseException:
            _free(hold)
            raise
        return hold


def _lock_file(path: Path, holder: LockHolder) -> int | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ReplikasiError(
            f"Cannot create the ingest lock {path} ({exc.strerror or exc}); check that "
            "DATA_DIR exists and is writable."
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    with contextlib.suppress(OSError):  # the details only serve the loser's message
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(asdict(holder)).encode("utf-8"), 0)
    return fd


def _lock_database(url: str, target: str, holder: LockHolder) -> Any:
    from replikasi.postgres import connect

    # A connection of its own: a session lock lives as long as its connection, so a pooled
    # one would be handed to other work mid-ingest. (A pooler in transaction mode, such as
    # PgBouncer's, breaks session locks: point DATABASE_URL at PostgreSQL itself.)
    name = f"{_APP_PREFIX} {holder.pid}@{holder.host}"[:63]
    conn = connect(url, target, autocommit=True, application_name=name)
    try:
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (INGEST_LOCK_KEY,)).fetchone()
    except BaseException:
        conn.close()
        raise
    if not (row and row[0]):
        conn.close()
        return None
    return conn


def _free(hold: _Hold) -> None:
    with hold.lock:
        conn, hold.conn = hold.conn, None
        fd, hold.fd = hold.fd, None
    if conn is not None:
        try:
            conn.execute("SELECT pg_advisory_unlock(%s)", (INGEST_LOCK_KEY,))
        except Exception as exc:  # the session is gone, and the lock with it
            log.warning("Releasing the ingest lock in PostgreSQL: %s", exc)
        finally:
            with contextlib.suppress(Exception):
                conn.close()
    if fd is not None:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@dataclass(frozen=True)
class IngestLease:
    """The lock as one ingest sees it: since when it is held, and whether it still is."""

    hold: _Hold

    @property
    def started(self) -> float:
        return self.hold.holder.started

    def verify(self) -> None:
        """Raise when the lock was lost (its PostgreSQL session ended): switching the index
        now could undo another replica's ingest."""
        conn = self.hold.conn
        if conn is None:
            return
        try:
            conn.execute("SELECT 1")
        except Exception:
            raise ReplikasiError(
                "The connection to PostgreSQL holding the ingest lock was lost, so this ingest "
                "stopped without changing the index; run it again."
            ) from None


@contextlib.contextmanager
def ingest_lease(settings: Settings, *, command: str | None = None) -> Iterator[IngestLease]:
    """Hold the ingest lock for one ingest: borrow the one this process claimed for it, or
    take it now. Raises IngestBusyError (naming the holder) when another ingest runs."""
    lock = IngestLock.for_settings(settings, command=command)
    with _REGISTRY:
        hold = lock._held_here()
        borrowed = hold is not None
        if hold is not None:
            if hold.ingesting:
                raise IngestBusyError(hold.holder.describe())
            hold.ingesting = True
    if hold is None:
        if not lock._try_acquire(ingesting=True):
            holder = lock.holder()
            raise IngestBusyError(holder.describe() if holder else None)
        hold = lock._hold
        assert hold is not None
    try:
        yield IngestLease(hold)
    finally:
        hold.ingesting = False
        if not borrowed:
            lock.release()
