"""The real bot, end to end: Telegram emulator ⇄ PTB application ⇄ the real answer engine
over a real index of the starter knowledge base (built once per session with the local
embedding model).

Each test gets its own bot token (its own chats on the shared emulator) and its own copy of
the index, so tests that reindex or upload cannot affect the others.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from telegram_emulator import EmulatorUser, RunBot, TelegramEmulator

from bot.engine import AnswerEngine
from bot.messages import EXAMPLE_QUESTIONS
from bot.retrieval import HybridRetriever
from bot.telegram.app import build_application
from bot.telegram.state import BotStore
from ingest.pipeline import run_ingest
from replikasi.embeddings import EmbeddingModel, make_embedding_model
from replikasi.settings import Settings

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
ADMIN = 4001
USER = 4002
GROUP = -4003
REPLY_TIMEOUT = 15.0


def _settings(base: Path, **fields: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=base / "data",
        knowledge_dir=base / "knowledge",
        embedding_backend="local",
        openai_api_key=None,
        openai_base_url=None,
        chroma_host=None,
        **fields,
    )


@pytest.fixture(scope="session")
def embedding_model() -> EmbeddingModel:
    return make_embedding_model(_settings(Path("unused")))


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory, embedding_model: EmbeddingModel) -> Path:
    """The starter knowledge base, indexed once for the whole session."""
    base = tmp_path_factory.mktemp("kb")
    shutil.copytree(REPO / "knowledge", base / "knowledge")
    report = run_ingest(_settings(base), embedding=embedding_model)
    assert report.ok and report.chunks > 50, report
    return base


@dataclass
class LiveBot:
    emulator: TelegramEmulator
    token: str
    settings: Settings
    engine: AnswerEngine
    store: BotStore

    def user(self, user_id: int = USER, **kwargs: Any) -> EmulatorUser:
        return EmulatorUser(self.emulator, self.token, user_id=user_id, **kwargs)

    def calls(self, method: str) -> list[dict[str, Any]]:
        return [call["params"] for call in self.emulator.bot_calls(self.token, method)]


@pytest.fixture
def live_bot(
    emulator: TelegramEmulator,
    bot_token: str,
    run_bot: RunBot,
    built_index: Path,
    embedding_model: EmbeddingModel,
    tmp_path: Path,
) -> Iterator[LiveBot]:
    base = tmp_path / "bot"
    shutil.copytree(built_index, base)
    settings = _settings(
        base,
        telegram_bot_token=bot_token,
        telegram_base_url=emulator.base_url,
        telegram_base_file_url=emulator.base_file_url,
        admin_ids=[ADMIN],
    )
    engine = AnswerEngine(settings, retriever=HybridRetriever(settings, embedding=embedding_model))
    store = BotStore.open(settings)
    runner = run_bot(build_application(settings, engine=engine, store=store))
    yield LiveBot(emulator, bot_token, settings, engine, store)
    runner.stop()  # before the store closes under it (also reports handler errors)
    store.close()


def buttons(message: dict[str, Any]) -> list[str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["text"] for row in keyboard for button in row]


def button_data(message: dict[str, Any], label: str) -> str:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    for row in keyboard:
        for button in row:
            if button["text"] == label:
                return str(button["callback_data"])
    raise AssertionError(f"no button {label!r} in {buttons(message)}")


def ask(user: EmulatorUser, question: str) -> dict[str, Any]:
    user.send_text(question)
    [reply] = user.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    return reply


# -- for every user ------------------------------------------------------------------------
def test_start_welcomes_with_three_example_buttons(live_bot: LiveBot) -> None:
    user = live_bot.user()
    user.send_command("start")
    [welcome] = user.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    assert welcome["parse_mode"] == "HTML"
    assert "<b>Asisten Replikasi Inovasi</b>" in welcome["text"]
    assert buttons(welcome) == [
        "Apa saja bentuk replikasi inovasi?",
        "Apa itu JIPPNas?",
        "Apa tahapan replikasi inovasi?",
    ]

    user.press_button(welcome, button_data(welcome, "Apa itu JIPPNas?"))
    [answer] = user.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    assert answer["text"].startswith("❓ <b>Apa itu JIPPNas?</b>")
    assert "Jaringan Inovasi Pelayanan Publik Nasional" in answer["text"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_example_question_is_answered_with_sources(live_bot: LiveBot, language: str) -> None:
    """The examples are a new user's first impression: none may end in "not covered"."""
    for i, example in enumerate(EXAMPLE_QUESTIONS[language]):  # type: ignore[index]
        user = live_bot.user(user_id=USER + 100 + i)  # a fresh chat: no earlier turns
        user.user["language_code"] = language
        user.send_command("start")
        [welcome] = user.wait_for_replies(1, timeout=REPLY_TIMEOUT)
        user.press_button(welcome, button_data(welcome, example))
        [answer] = user.wait_for_replies(1, timeout=REPLY_TIMEOUT)
        label = "<b>Sumber:</b>" if language == "id" else "<b>Sources:</b>"
        assert label in answer["text"], f"example {example!r} was not answered: {answer['text']}"


def test_question_answered_with_sources_passage_and_feedback(live_bot: LiveBot) -> None:
    user = live_bot.user()
    answer = ask(user, "Apa saja bentuk replikasi inovasi?")
    text = answer["text"]
    assert "Adopsi" in text and "Adaptasi" in text and "Modifikasi" in text
    assert "[1]" in text and "<b>Sumber:</b>" in text
    assert buttons(answer)[0] == "📄 1" and buttons(answer)[-2:] == ["👍", "👎"]
    assert user.chat_actions() == ["typing"]

    user.press_button(answer, button_data(answer, "📄 1"))
    [passage] = user.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    assert passage["message_id"] == answer["message_id"]  # shown in place
    assert passage["text"].startswith("📄 <b>[1] ")
    assert "<blockquote>" in passage["text"] and "adopsi" in passage["text"].lower()
    assert "⬅️ Jawaban" in buttons(passage)

    user.press_button(passage, button_data(passage, "👍"))
    [voted] = user.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    assert "👍 ✓" in buttons(voted)
    acks = [params.get("text") for params in live_bot.calls("answerCallbackQuery")]
    assert "Terima kasih! Senang jawaban ini membantu." in acks
    assert live_bot.store.stats().feedback_up == 1

    user.press_button(voted, button_data(voted, "⬅️ Jawaban"))
    [back] = user.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    assert back["text"] == text and "⬅️ Jawaban" not in buttons(back)


@pytest.mark.parametrize(
    "question",
    [
        "Gimana cara perpanjang SIM online?",
        "Siapa presiden Amerika?",
        "Resep rendang padang yang enak?",
    ],
)
def test_unanswerable_question_points_to_official_channels(
    live_bot: LiveBot, question: str
) -> None:
    reply = ask(live_bot.user(), question)
    # a plain "not covered", or "no definite answer found; what I do know: …" — never an answer
    text = reply["text"].lower()
    assert "belum memuat jawaban" in text or "belum menemukan jawaban yang pasti" in text
    assert "menpan.go.id" in reply["text"]
    [(_, unanswered)] = live_bot.store.stats().recent_unanswered
    assert unanswered == question


def test_english_question_gets_an_english_answer(live_bot: LiveBot) -> None:
    reply = ask(live_bot.user(), "What is SINOVIK?")
    assert reply["text"].startswith("From the knowledge base")
    assert "<b>Sources:</b>" in reply["text"]


def test_follow_up_uses_the_conversation_until_reset(live_bot: LiveBot) -> None:
    user = live_bot.user()
    first = ask(user, "Apa itu SINOVIK?")
    assert "Sistem Informasi Inovasi Pelayanan Publik" in first["text"]
    thanks = ask(user, "makasih kak")  # small talk: a reply in kind, not a turn
    assert thanks["text"].startswith("Sama-sama!") and len(buttons(thanks)) == 3
    follow_up = ask(user, "siapa yang ngelola?")  # leans on SINOVIK without saying so
    assert "SINOVIK" in follow_up["text"] and "KemenPANRB" in follow_up["text"]

    user.send_command("reset")
    [done] = user.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    assert "Percakapan dimulai ulang" in done["text"]
    assert live_bot.store.turns(user.chat_id) == []
    fresh = ask(user, "siapa pengelolanya?")
    # without the conversation there is nothing to resolve "-nya" to: no answer, and nothing
    # of SINOVIK carried over (the knowledge base's closest facts may follow the "not known")
    assert "belum memuat jawaban" in fresh["text"] or "belum menemukan jawaban" in fresh["text"]
    assert "Sistem Informasi Inovasi Pelayanan Publik" not in fresh["text"]


def test_sources_and_innovation_listings(live_bot: LiveBot) -> None:
    user = live_bot.user()
    user.send_command("sumber")
    [documents] = user.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    assert "<b>Basis pengetahuan: 13 dokumen</b>" in documents["text"]
    assert "<b>Regulasi</b>" in documents["text"] and "<b>Profil inovasi</b>" in documents["text"]

    user.send_command("inovasi", "disabilitas")
    [found] = user.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    assert "BARIS DITEBAS" in found["text"] and "Sheltered Workshop Peduli" in found["text"]
    assert "Pedoman" not in found["text"]  # innovation profiles only

    user.send_command("inovasi")
    [usage] = user.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    assert "<code>/inovasi disabilitas</code>" in usage["text"]


def test_group_answers_only_when_mentioned(live_bot: LiveBot) -> None:
    member = live_bot.user(user_id=USER, chat_type="group", chat_id=GROUP)
    member.send_text("Apa itu KIPP? (ngobrol antar anggota, bukan ke bot)")
    member.expect_no_replies(within=1.0)
    asked = member.send_text(f"{member.bot_mention} apa itu KIPP?")
    [reply] = member.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    assert reply["reply_to_message"]["message_id"] == asked["message_id"]
    assert "Kompetisi Inovasi Pelayanan Publik" in reply["text"]
    member.expect_no_replies(within=0.5)


# -- for admins ----------------------------------------------------------------------------
def test_non_admin_reindex_is_refused(live_bot: LiveBot) -> None:
    user = live_bot.user(user_id=USER)
    user.send_command("reindex")
    [refusal] = user.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    assert refusal["text"] == "Maaf, perintah ini hanya dapat digunakan oleh admin."
    user.expect_no_replies(within=1.0)


def test_admin_reindex_reports_summary_and_new_document_is_answerable(
    live_bot: LiveBot,
) -> None:
    (live_bot.settings.knowledge_dir / "inovasi-sipandu.md").write_text(
        "---\ntitle: SIPANDU Kabupaten Contoh\ntype: innovation\n---\n"
        "# SIPANDU\n\nSIPANDU adalah layanan antar dokumen kependudukan ke rumah warga lanjut "
        "usia di Kabupaten Contoh, dimulai tahun 2023.\n",
        encoding="utf-8",
    )
    admin = live_bot.user(user_id=ADMIN)
    admin.send_command("reindex")
    started, summary = admin.wait_for_replies(2, timeout=60)
    assert "Memperbarui indeks" in started["text"]
    assert "<b>Indeks diperbarui</b>" in summary["text"]
    assert (
        "Ditambahkan: 1" in summary["text"] and "<code>inovasi-sipandu.md</code>" in summary["text"]
    )

    reply = ask(admin, "Apa itu SIPANDU?")
    assert "lanjut usia" in reply["text"] and "SIPANDU Kabupaten Contoh" in reply["text"]


def test_admin_upload_is_ingested_and_answerable(live_bot: LiveBot) -> None:
    admin = live_bot.user(user_id=ADMIN)
    admin.send_document("notulen.exe", b"MZ...", "application/octet-stream")
    [refused] = admin.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    assert "jenis berkas EXE tidak didukung" in refused["text"]

    note = (
        b"---\ntitle: Notulen Rapat Replikasi GERCEP\ntype: article\n---\n# GERCEP\n\n"
        b"GERCEP (Gerakan Cepat Pelayanan) direplikasi oleh Kota Contoh pada 2025 "
        b"dengan anggaran sepuluh juta rupiah.\n"
    )
    admin.send_document("notulen-gercep.md", note, "text/markdown")
    received, outcome = admin.wait_for_replies(2, timeout=60)
    assert "Menyimpan dan memproses <b>notulen-gercep.md</b>" in received["text"]
    assert "ditambahkan ke indeks" in outcome["text"]
    assert (live_bot.settings.knowledge_dir / "notulen-gercep.md").read_bytes() == note

    reply = ask(admin, "Siapa yang mereplikasi GERCEP?")
    assert "Kota Contoh" in reply["text"] and "Notulen Rapat Replikasi GERCEP" in reply["text"]

    ordinary = live_bot.user(user_id=USER)
    ordinary.send_document("catatan.md", b"# Catatan\n\nisi", "text/markdown")
    [denied] = ordinary.wait_for_replies(1, timeout=REPLY_TIMEOUT)
    assert "hanya admin yang dapat menambahkan dokumen" in denied["text"]
