"""Uploads waiting for an admin's choice, in the bot store on SQLite and PostgreSQL alike:
per user, taken once (double taps, replicas), expired after PENDING_UPLOAD_HOURS, pruned,
and the migration that adds them."""

from __future__ import annotations

import threading

from bot.telegram.state import DAY
from bot.telegram.upload_store import PENDING_UPLOAD_HOURS
from tests.test_telegram_state import Backend, answer, backend  # noqa: F401  (the fixture)

ALICE, BOB = 101, 202
PLAN = {"conflicts": [{"reason": "same_name", "path": "catatan.md"}], "free_name": "c (2).md"}
DATA = b"%PDF-1.7 \x00\xff binary bytes survive"


def test_a_pending_upload_belongs_to_its_admin_and_is_taken_once(backend: Backend) -> None:  # noqa: F811
    first, second = backend.open(), backend.open()  # two replicas on one database
    upload_id = first.save_pending_upload(ALICE, ALICE, "en", "perwal.pdf", DATA, PLAN, "Judul")
    assert first.pending_upload(upload_id, BOB, 0) is None
    assert second.take_pending_upload(upload_id, BOB, 0) is None  # not Bob's
    waiting = second.pending_upload(upload_id, ALICE, 0)
    assert waiting is not None
    assert (waiting.name, waiting.data, waiting.plan, waiting.caption, waiting.language) == (
        "perwal.pdf",
        DATA,
        PLAN,
        "Judul",
        "en",
    )
    taken = second.take_pending_upload(upload_id, ALICE, 0)
    assert taken is not None and taken.data == DATA
    assert first.take_pending_upload(upload_id, ALICE, 0) is None  # the other replica: gone
    assert backend.count("pending_uploads") == 0


def test_concurrent_presses_take_an_upload_exactly_once(backend: Backend) -> None:  # noqa: F811
    stores = [backend.open() for _ in range(4)]
    upload_id = stores[0].save_pending_upload(ALICE, ALICE, "id", "a.md", b"# A", PLAN)
    barrier = threading.Barrier(len(stores))
    got: list[object] = []

    def press(store) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        got.append(store.take_pending_upload(upload_id, ALICE, 0))

    threads = [threading.Thread(target=press, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(item is not None for item in got) == 1


def test_an_old_choice_expires_and_is_pruned_with_its_bytes(backend: Backend) -> None:  # noqa: F811
    store = backend.open()
    upload_id = store.save_pending_upload(ALICE, ALICE, "id", "a.md", b"# A", PLAN)
    backend.clock.now += PENDING_UPLOAD_HOURS * 3600 + 1
    since = backend.clock.now - PENDING_UPLOAD_HOURS * 3600
    assert store.pending_upload(upload_id, ALICE, since) is None
    assert store.take_pending_upload(upload_id, ALICE, since) is None
    assert backend.count("pending_uploads") == 1  # until the prune
    store.prune()
    assert backend.count("pending_uploads") == 0


def test_upgrade_adds_pending_uploads_and_keeps_the_rest(backend: Backend) -> None:  # noqa: F811
    old = backend.open(migrations=3)  # the release before pending uploads
    old.save_answer(5, answer("Apa itu KIPP?"), "html")
    old.create_plan(ALICE, ALICE, "id", "innovation", {})
    old.close()
    store = backend.open()
    assert store.schema_version() == backend.migrations
    assert "pending_uploads" in backend.tables()
    assert backend.count("answers") == 1 and backend.count("plans") == 1
    assert store.save_pending_upload(ALICE, ALICE, "id", "a.md", b"# A", PLAN)
    backend.clock.now += DAY  # pruning leaves the rest alone
    store.prune()
    assert backend.count("plans") == 1
