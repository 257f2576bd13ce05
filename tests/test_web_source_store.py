"""The web-source registry and the ingest history in the bot store, on SQLite and
PostgreSQL alike: upsert by address, lookups by id/address/document, two replicas seeing the
same records, the history newest first, and the upgrade from the schema before them."""

from __future__ import annotations

import dataclasses

from ingest.history import Actor, HistoryEntry
from ingest.web.registry import WebSource
from tests.test_telegram_state import Backend, answer, backend  # noqa: F401  (the fixture)

URL = "https://jippnas.menpan.go.id/profil"


def source(**fields: object) -> WebSource:
    values: dict[str, object] = {
        "url": URL,
        "doc_id": "web/jippnas-menpan-go-id-profil-1a2b3c4d.html",
        "file": "web/jippnas-menpan-go-id-profil-1a2b3c4d.html",
        "kind": "html",
        "title": "JIPPNas",
        "added_by": "Budi",
        "added_by_id": 7_000_000_001,  # Telegram ids exceed 32 bits
        "added_at": 1_800_000_000.0,
    }
    values.update(fields)
    return WebSource(**values)  # type: ignore[arg-type]


def test_sources_are_saved_found_updated_and_removed(backend: Backend) -> None:  # noqa: F811
    store, replica = backend.open(), backend.open()
    saved = store.save_web_source(source())
    assert saved.source_id > 0 and saved == dataclasses.replace(source(), source_id=saved.source_id)
    for key in (saved.source_id, str(saved.source_id), URL, saved.doc_id):
        assert replica.web_source(key) == saved
    assert replica.web_source("https://other.example/") is None
    assert saved.interval_hours is None
    checked = dataclasses.replace(
        saved,
        interval_hours=6.0,
        etag='"v2"',
        failures=3,
        last_error="404",
        alerted=True,
        last_checked=5.0,
    )
    assert store.save_web_source(checked) == checked
    # The same address again updates the one record (no duplicate).
    again = store.save_web_source(dataclasses.replace(source(), title="JIPPNas baru"))
    assert again.source_id == saved.source_id and len(replica.web_sources()) == 1
    store.save_web_source(source(url="https://kipp.menpan.go.id/", doc_id="web/kipp.html"))
    assert [s.url for s in replica.web_sources()] == [URL, "https://kipp.menpan.go.id/"]
    replica.remove_web_source(saved.source_id)
    assert [s.doc_id for s in store.web_sources()] == ["web/kipp.html"]


def test_history_is_read_newest_first(backend: Backend) -> None:  # noqa: F811
    store = backend.open()
    assert store.history() == []
    store.add_history(HistoryEntry("/reindex", Actor("Budi", 7_000_000_001), added=("a",), at=1))
    store.add_history(HistoryEntry(URL, Actor("jadwal"), updated=("b",), detail="x", at=2))
    newest, oldest = backend.open().history()
    assert (newest.origin, newest.updated, newest.detail, newest.actor) == (
        URL,
        ("b",),
        "x",
        Actor("jadwal"),
    )
    assert oldest.added == ("a",) and oldest.actor.user_id == 7_000_000_001
    assert [e.origin for e in store.history(limit=1)] == [URL]


def test_upgrade_from_the_plan_schema_adds_the_tables(backend: Backend) -> None:  # noqa: F811
    old = backend.open(migrations=3)
    old.save_answer(5, answer("Apa itu KIPP?"), "html")
    old.close()
    store = backend.open()
    assert store.schema_version() == backend.migrations >= 4
    assert {"web_sources", "ingest_history"} <= backend.tables()
    assert backend.count("answers") == 1
    assert store.save_web_source(source()).source_id > 0
