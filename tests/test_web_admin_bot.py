"""The web-source commands and the scheduled re-check through the real application over the
fake Bot API: /tambah, /sumber_web, /cek, /hapus with its confirm button, /riwayat, and the
job on PTB's job queue driven by a fake clock (a replica that finds the ingest lock held
skips the round). Marked slow by the `web_server` fixture."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from pydantic import SecretStr

from bot.telegram.web_admin import scheduled_check
from ingest.pipeline import run_ingest
from replikasi.embeddings import EmbeddingModel
from replikasi.index import KnowledgeIndex
from replikasi.ingest_lock import IngestLock
from replikasi.settings import Settings
from tests.telegram_fakes import FakeEngine, Harness, callback_update, message_update, run
from tests.web_server import Route, WebServer, page

ADMIN = 900
OTHER_ADMIN = 901
USER = 902
PARAGRAPHS = [
    f"Paragraf {n}: hub inovasi provinsi {n} membantu replikasi inovasi pelayanan publik "
    f"dengan pendampingan, data kinerja, dan forum berbagi praktik baik. " * 6
    for n in range(4)
]


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def bot_settings(settings: Settings, fake_embedding: EmbeddingModel) -> Settings:
    settings.knowledge_dir.mkdir(parents=True)
    (settings.knowledge_dir / "dasar.md").write_text(
        "# Dasar\n\nReplikasi inovasi memiliki tiga bentuk: adopsi, adaptasi, modifikasi.\n"
    )
    run_ingest(settings, embedding=fake_embedding)
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr("123456:TEST"),
            "admin_ids": [ADMIN, OTHER_ADMIN],
            "web_sources_allow_private": True,
        }
    )


@pytest.fixture
def engine(fake_embedding: EmbeddingModel) -> FakeEngine:
    fake = FakeEngine()
    fake.embedding = fake_embedding
    return fake


def texts_to(h: Harness, chat_id: int) -> list[str]:
    return [str(p["text"]) for p in h.telegram.of("sendMessage") if p["chat_id"] == chat_id]


def markup(params: dict[str, Any]) -> dict[str, Any]:
    value = params.get("reply_markup") or {}
    return json.loads(value) if isinstance(value, str) else value


async def run_job(h: Harness) -> None:
    """Run the scheduled check on the job queue now, and wait for it."""
    job_queue = h.app.job_queue
    assert job_queue is not None
    assert job_queue.get_jobs_by_name("web-sources")  # scheduled by the application
    done = asyncio.Event()

    async def tracked(context: Any) -> None:
        try:
            await scheduled_check(context)
        finally:
            done.set()

    job_queue.run_once(tracked, when=0)
    await asyncio.wait_for(done.wait(), timeout=30)


def test_tambah_then_scheduled_check_announces_a_change_once(
    bot_settings: Settings, engine: FakeEngine, web_server: WebServer
) -> None:
    clock = Clock()
    web_server.routes["/hub"] = Route(page("Hub Inovasi", *PARAGRAPHS), etag='"v1"')
    url = web_server.url("/hub")

    async def scenario(h: Harness) -> None:
        h.services.clock = clock
        await h.send(message_update(f"/tambah {url}", user_id=ADMIN))
        await h.settle()
        await run_job(h)  # not due yet: nothing fetched
        assert web_server.hits["/hub"] == 1
        changed = list(PARAGRAPHS)
        changed[1] = "Hub inovasi kini membuka layanan klinik replikasi setiap Kamis. " * 8
        web_server.routes["/hub"] = Route(page("Hub Inovasi", *changed), etag='"v2"')
        clock.now += 25 * 3600
        await run_job(h)
        assert web_server.hits["/hub"] == 2 and web_server.conditional["/hub"] == 1
        clock.now += 25 * 3600
        await run_job(h)  # 304 now: nothing to announce
        assert web_server.conditional["/hub"] == 2
        await h.send(message_update("/sumber_web", user_id=ADMIN))
        await h.send(message_update("/riwayat", user_id=ADMIN))

    h = run(bot_settings, scenario, engine=engine)
    started, added, *rest = texts_to(h, ADMIN)
    assert "Mengambil" in started
    assert "Hub Inovasi" in added and "HTML" in added and "bagian" in added
    announcements = [t for t in texts_to(h, OTHER_ADMIN) if t.startswith("🔄")]
    assert len(announcements) == 1
    assert "Hub Inovasi" in announcements[0] and "bagian berubah" in announcements[0]
    listing = next(t for t in rest if "Sumber web: 1" in t)
    assert url in listing and "✅" in listing
    history = next(t for t in rest if "Riwayat" in t)
    assert "diperbarui" in history and "ditambah" in history and "jadwal otomatis" in history
    assert engine.reloads >= 2  # after adding and after the change


def test_scheduled_check_skips_quietly_while_another_ingest_holds_the_lock(
    bot_settings: Settings, engine: FakeEngine, web_server: WebServer
) -> None:
    clock = Clock()
    web_server.routes["/kipp"] = Route(page("KIPP", *PARAGRAPHS))

    async def scenario(h: Harness) -> None:
        h.services.clock = clock
        await h.send(message_update(f"/tambah {web_server.url('/kipp')}", user_id=ADMIN))
        await h.settle()
        clock.now += 25 * 3600
        # Another ingest holds the lock (a second lock object over the same lock file).
        other = IngestLock.for_settings(bot_settings, command="another replica")
        assert other.try_acquire()
        await run_job(h)
        other.release()

    h = run(bot_settings, scenario, engine=engine)
    assert web_server.hits["/kipp"] == 1  # the round was skipped; no message either
    assert not [t for t in texts_to(h, OTHER_ADMIN)]


def test_hapus_asks_first_and_removes_document_and_upload_file(
    bot_settings: Settings, engine: FakeEngine
) -> None:
    (bot_settings.knowledge_dir / "catatan.md").write_text(
        "# Catatan Rapat\n\nRapat membahas replikasi inovasi SWP di Temanggung.\n"
    )
    run_ingest(bot_settings, embedding=engine.embedding)

    async def scenario(h: Harness) -> None:
        await h.send(message_update("/hapus catatan.md", user_id=USER))  # not an admin
        await h.send(message_update("/hapus tidak-ada", user_id=ADMIN))
        await h.send(message_update("/hapus catatan.md", user_id=ADMIN))
        question = h.telegram.of("sendMessage")[-1]
        keyboard = markup(question)["inline_keyboard"][0]
        assert [b["text"] for b in keyboard] == ["🗑️ Hapus", "Batal"]
        await h.send(callback_update("x:n", user_id=ADMIN))  # cancel first: nothing happens
        assert (bot_settings.knowledge_dir / "catatan.md").exists()
        await h.send(callback_update(keyboard[0]["callback_data"], user_id=USER))
        assert (bot_settings.knowledge_dir / "catatan.md").exists()  # refused
        await h.send(callback_update(keyboard[0]["callback_data"], user_id=ADMIN))
        await h.settle()
        await h.send(message_update("/riwayat", user_id=ADMIN))

    h = run(bot_settings, scenario, engine=engine)
    replies = texts_to(h, ADMIN)
    assert any("tidak-ada" in t and "Tidak ada dokumen" in t for t in replies)
    assert any("Hapus <b>Catatan Rapat</b>" in t and "catatan.md" in t for t in replies)
    assert any("dihapus dari basis pengetahuan" in t for t in replies)
    assert "hanya dapat digunakan oleh admin" in texts_to(h, USER)[0]
    assert not (bot_settings.knowledge_dir / "catatan.md").exists()
    ids = {d.doc_id for d in KnowledgeIndex.open(bot_settings).documents()}
    assert ids == {"dasar.md"}
    assert "dihapus (1): catatan.md" in replies[-1]
    edits = [str(p["text"]) for p in h.telegram.of("editMessageText")]
    assert any("Dibatalkan" in t for t in edits)


def test_tambah_refuses_bad_and_private_addresses_with_a_reason(
    bot_settings: Settings, engine: FakeEngine, web_server: WebServer
) -> None:
    closed = bot_settings.model_copy(update={"web_sources_allow_private": False})
    web_server.routes["/x"] = Route(page("X", *PARAGRAPHS))

    async def scenario(h: Harness) -> None:
        await h.send(message_update("/tambah", user_id=ADMIN))
        await h.send(message_update("/tambah ftp://example.org/a.pdf", user_id=ADMIN))
        await h.settle()
        await h.send(message_update(f"/tambah {web_server.url('/x')}", user_id=ADMIN))
        await h.settle()

    h = run(closed, scenario, engine=engine)
    usage, _, refused_scheme, _, refused_private = texts_to(h, ADMIN)
    assert "/tambah https://" in usage
    assert "Only http and https" in refused_scheme and "tidak dapat ditambahkan" in refused_scheme
    assert "private or local network" in refused_private
    assert web_server.hits["/x"] == 0


def test_unreachable_source_is_announced_once_and_cek_reports_it(
    bot_settings: Settings, engine: FakeEngine, web_server: WebServer
) -> None:
    clock = Clock()
    web_server.routes["/jdih"] = Route(page("JDIH", *PARAGRAPHS))

    async def scenario(h: Harness) -> None:
        h.services.clock = clock
        await h.send(message_update(f"/tambah {web_server.url('/jdih')}", user_id=ADMIN))
        await h.settle()
        del web_server.routes["/jdih"]
        for _ in range(4):
            clock.now += 25 * 3600
            await run_job(h)
        await h.send(message_update("/cek", user_id=ADMIN))
        await h.settle()

    h = run(bot_settings, scenario, engine=engine)
    warnings = [t for t in texts_to(h, OTHER_ADMIN) if t.startswith("⚠️")]
    assert len(warnings) == 1
    assert "JDIH" in warnings[0] and "3 kali berturut-turut" in warnings[0]
    assert "versi terakhir" in warnings[0] and "404" in warnings[0]
    checked = texts_to(h, ADMIN)[-1]
    assert "1 gagal" in checked and "404" in checked
    ids = {d.doc_id for d in KnowledgeIndex.open(bot_settings).documents()}
    assert len(ids) == 2  # the last good version keeps answering
