"""Web sources end to end: the Telegram emulator ⇄ the real bot (real engine over a small
index, hash embeddings for speed) ⇄ a page on a loopback HTTP server. An admin adds the page
with /tambah, the page changes and the bot's own job queue notices and announces it, the
new text is answerable, /hapus removes it after the confirm button, /riwayat shows it all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from telegram_emulator import EmulatorUser, RunBot, TelegramEmulator

from bot.engine import AnswerEngine
from bot.retrieval import HybridRetriever
from bot.telegram.app import build_application
from bot.telegram.state import BotStore
from ingest.pipeline import run_ingest
from replikasi.index import KnowledgeIndex
from replikasi.settings import Settings
from tests.fakes import hash_embedding_model
from tests.web_server import Route, WebServer, page

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ADMIN = 4101
TIMEOUT = 60.0
PARAGRAPHS = [
    "JIPPNas adalah Jaringan Informasi Pelayanan Publik Nasional yang memuat inovasi "
    "pelayanan publik dari instansi pusat dan daerah beserta kontak pengelolanya. " * 3,
    "Setiap inovasi di JIPPNas memiliki profil: nama, instansi, tahun, dan ringkasan "
    "manfaat bagi masyarakat yang dapat dipelajari oleh instansi lain. " * 3,
]


def test_tambah_change_announced_hapus_and_riwayat(
    emulator: TelegramEmulator,
    bot_token: str,
    run_bot: RunBot,
    web_server: WebServer,
    tmp_path: Path,
) -> None:
    embedding = hash_embedding_model()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path / "data",
        knowledge_dir=tmp_path / "knowledge",
        telegram_bot_token=bot_token,
        telegram_base_url=emulator.base_url,
        telegram_base_file_url=emulator.base_file_url,
        admin_ids=[ADMIN],
        web_sources_allow_private=True,
        # The bot's job queue checks every ~4 seconds, so the change is noticed quickly.
        web_sources_check_hours=0.001,
    )
    settings.knowledge_dir.mkdir(parents=True)
    (settings.knowledge_dir / "dasar.md").write_text(
        "# Dasar\n\nReplikasi inovasi memiliki tiga bentuk: adopsi, adaptasi, modifikasi.\n"
    )
    assert run_ingest(settings, embedding=embedding).ok
    web_server.routes["/jippnas"] = Route(page("JIPPNas", *PARAGRAPHS), etag='"v1"')
    url = web_server.url("/jippnas")

    engine = AnswerEngine(settings, retriever=HybridRetriever(settings, embedding=embedding))
    store = BotStore.open(settings)
    runner = run_bot(build_application(settings, engine=engine, store=store))
    try:
        admin = EmulatorUser(emulator, bot_token, user_id=ADMIN)
        admin.send_command("tambah", url)
        started, added = admin.wait_for_replies(2, timeout=TIMEOUT)
        assert "Mengambil" in started["text"]
        assert "Ditambahkan" in added["text"] and "JIPPNas" in added["text"]
        assert "HTML" in added["text"] and "bagian" in added["text"]

        changed = [*PARAGRAPHS, "Per November 2026 JIPPNas mencatat 4.321 inovasi terverifikasi."]
        web_server.routes["/jippnas"] = Route(page("JIPPNas", *changed), etag='"v2"')
        [announced] = admin.wait_for_replies(1, timeout=TIMEOUT)
        assert announced["text"].startswith("🔄 <b>JIPPNas</b>: ")
        assert "bagian berubah" in announced["text"] or "ditambah" in announced["text"]
        assert url in announced["text"]
        admin.expect_no_replies(within=6)  # unchanged afterwards (304): announced once
        assert web_server.conditional["/jippnas"] >= 1

        admin.send_text("Berapa inovasi terverifikasi di JIPPNas per November 2026?")
        [answer] = admin.wait_for_replies(1, timeout=TIMEOUT)
        assert "4.321" in answer["text"]

        source = store.web_sources()[0]
        admin.send_command("hapus", str(source.source_id))
        [question] = admin.wait_for_replies(1, timeout=TIMEOUT)
        assert "Hapus" in question["text"] and "tidak akan diperiksa lagi" in question["text"]
        admin.press_button(question, _data(question, "🗑️ Hapus"))
        working, done = admin.wait_for_replies(2, timeout=TIMEOUT)
        assert "Menghapus" in working["text"] and "dihapus" in done["text"]
        ids = {doc.doc_id for doc in KnowledgeIndex.open(settings).documents()}
        assert ids == {"dasar.md"} and store.web_sources() == []

        admin.send_command("riwayat")
        [history] = admin.wait_for_replies(1, timeout=TIMEOUT)
        text = history["text"]
        for word in ("ditambah", "diperbarui", "dihapus", "jadwal otomatis", url):
            assert word in text, (word, text)
    finally:
        runner.stop()
        store.close()


def _data(message: dict[str, Any], label: str) -> str:
    for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if button["text"] == label:
                return str(button["callback_data"])
    raise AssertionError(f"no button {label!r}")
