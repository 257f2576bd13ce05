"""One ingest at a time across processes: the loser is told who holds the lock and since
when; a dead holder never blocks the next ingest; the bot's claim and its ingest share one
lock; with DATABASE_URL, replicas sharing the database exclude each other too."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.telegram.state import open_store
from ingest.pipeline import run_ingest
from replikasi.errors import IngestBusyError, ReplikasiError
from replikasi.ingest_lock import LOCK_FILE, IngestLock, ingest_lease
from replikasi.settings import Settings
from tests.conftest import REPO

HOLD_SCRIPT = """
import sys, time
from pathlib import Path
from replikasi.ingest_lock import IngestLock
lock = IngestLock(Path(sys.argv[1]), sys.argv[2] or None, command="replikasi ingest")
assert lock.try_acquire()
print("held", flush=True)
time.sleep(120)
"""


def _hold_in_another_process(data_dir: Path, database_url: str = "") -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_SCRIPT, str(data_dir), database_url],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    return process


def test_second_lock_in_the_same_data_dir_is_refused_until_released(tmp_path: Path) -> None:
    first, second = IngestLock(tmp_path), IngestLock(tmp_path)
    assert first.try_acquire() and first.locked()
    assert not second.try_acquire() and not second.locked()
    holder = second.holder()
    assert holder is not None and holder.pid == os.getpid()
    first.release()
    assert not first.locked()
    assert second.try_acquire()
    second.release()


def test_the_loser_is_told_since_when_and_by_whom(settings: Settings, fake_embedding) -> None:
    holder = _hold_in_another_process(settings.data_dir)
    try:
        with pytest.raises(IngestBusyError) as busy:
            run_ingest(settings, embedding=fake_embedding)
    finally:
        holder.kill()
        holder.wait()
    message = str(busy.value)
    assert message.startswith("Another ingest is running (since ")
    assert "by `replikasi ingest`" in message
    assert f"pid {holder.pid} on {socket.gethostname()}" in message
    assert "\n" not in message


def test_a_holder_killed_with_sigkill_frees_the_lock_at_once(tmp_path: Path) -> None:
    holder = _hold_in_another_process(tmp_path)
    lock = IngestLock(tmp_path)
    assert not lock.try_acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert lock.try_acquire()  # the kernel dropped the dead process's lock
    lock.release()
    # Its details went with it: the next loser is told about the live holder only.
    assert (tmp_path / LOCK_FILE).read_text() == ""


def test_an_ingest_borrows_the_lock_its_process_claimed_for_it(
    settings: Settings, knowledge_copy: Path, fake_embedding
) -> None:
    """The bot claims the lock on the event loop, then ingests in a worker thread: the
    ingest must not refuse its own claimant, and nobody else may ingest meanwhile."""
    store = open_store(settings)
    try:
        claim = store.ingest_lock
        assert claim.try_acquire()
        assert not IngestLock.for_settings(settings).try_acquire()  # the CLI would be refused
        report = run_ingest(settings, embedding=fake_embedding)
        assert report.ok and report.added
        assert claim.locked()  # the ingest gave it back to its claimant, not to everyone
        claim.release()
    finally:
        store.close()


def test_a_second_ingest_in_the_same_process_is_refused_while_one_runs(
    settings: Settings,
) -> None:
    started, finish = threading.Event(), threading.Event()

    def first() -> None:
        with ingest_lease(settings):
            started.set()
            finish.wait(30)

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert started.wait(30)
        with (
            pytest.raises(IngestBusyError, match=r"since \d\d:\d\d:\d\d"),
            ingest_lease(settings),
        ):
            pass
    finally:
        finish.set()
        thread.join()
    with ingest_lease(settings):  # free again
        pass


def test_an_unwritable_data_dir_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(ReplikasiError, match="Cannot create the ingest lock") as raised:
        IngestLock(blocker / "data").try_acquire()
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "url",
    ["postgresql://u:pw-secret@[bad/db", "postgresql://u:pw-secret@host:notaport/db", "x=y=z"],
)
def test_a_malformed_database_url_is_one_sentence(tmp_path: Path, url: str) -> None:
    with pytest.raises(ReplikasiError, match="DATABASE_URL") as raised:
        IngestLock(tmp_path, url)
    assert "pw-secret" not in str(raised.value) and "\n" not in str(raised.value)


def test_replicas_sharing_postgresql_exclude_each_other(tmp_path: Path, postgres_url: str) -> None:
    """Two machines: different data directories, one database."""
    holder = _hold_in_another_process(tmp_path / "machine-a", postgres_url)
    try:
        lock = IngestLock(tmp_path / "machine-b", postgres_url)
        assert not lock.try_acquire()
        with pytest.raises(IngestBusyError) as busy:
            lock.acquire()
        assert f"pid {holder.pid} on {socket.gethostname()}" in str(busy.value)
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 10
    while not lock.try_acquire():  # PostgreSQL ends the dead session and frees the lock
        assert time.monotonic() < deadline, "the dead holder's advisory lock was never freed"
        time.sleep(0.1)
    lock.release()
