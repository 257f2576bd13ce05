"""/rencana end to end: the Telegram emulator ⇄ the real bot ⇄ the real engine over the
starter knowledge base plus a synthetic catalogue. One plan for an innovation of knowledge/
(with back, and the bot restarted in the middle), one for a catalogue row (cancelled once,
then made); both DOCX downloaded and opened with python-docx."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from telegram_emulator import BotRunner, EmulatorUser, RunBot, TelegramEmulator

from bot.engine import AnswerEngine
from bot.retrieval import HybridRetriever
from bot.telegram.app import build_application
from bot.telegram.plan_store import READY
from bot.telegram.state import BotStore
from ingest.pipeline import run_ingest
from replikasi.embeddings import EmbeddingModel, make_embedding_model
from replikasi.settings import Settings
from scripts.generate_catalogue import generate_profiles, write_catalogue
from tests.plan_checks import count_docx, count_summary

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TIMEOUT = 60.0
SECTIONS_ID = (
    "Inovasi asal", "Bentuk replikasi", "Tahapan menurut sumber", "Persiapan dan kajian",
    "Kesepakatan dengan instansi asal", "Implementasi dan pemantauan", "Evaluasi",
    "Pendaftaran dan pelaporan", "Dasar hukum", "Yang belum diketahui basis pengetahuan",
)  # fmt: skip


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


@pytest.fixture(scope="module")
def catalogue_index(
    starter_index: Settings, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[dict[str, Any]], EmbeddingModel]:
    """The starter index plus 20 synthetic profiles (ingested incrementally; the catalogue
    lives in a temporary knowledge folder, never in knowledge/)."""
    base = tmp_path_factory.mktemp("plan-kb")
    shutil.copytree(starter_index.data_dir, base / "data")
    shutil.copytree(starter_index.knowledge_dir, base / "knowledge")
    profiles = generate_profiles(20, seed=21)
    write_catalogue(profiles, base / "knowledge" / "katalog-sintetis.csv")
    embedding = make_embedding_model(_settings(base))
    assert run_ingest(_settings(base), embedding=embedding).ok
    return base, profiles, embedding


@dataclass
class PlanBot:
    emulator: TelegramEmulator
    token: str
    settings: Settings
    embedding: EmbeddingModel
    run_bot: RunBot
    runner: BotRunner | None = None
    store: BotStore | None = None

    def start(self) -> None:
        engine = AnswerEngine(
            self.settings, retriever=HybridRetriever(self.settings, embedding=self.embedding)
        )
        self.store = BotStore.open(self.settings)
        self.runner = self.run_bot(
            build_application(self.settings, engine=engine, store=self.store)
        )

    def stop(self) -> None:
        if self.runner is not None:
            self.runner.stop()  # waits for the handlers and background work
        if self.store is not None:
            self.store.close()
        self.runner = self.store = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def user(self, user_id: int) -> EmulatorUser:
        return EmulatorUser(self.emulator, self.token, user_id=user_id)


@pytest.fixture
def plan_bot(
    emulator: TelegramEmulator,
    bot_token: str,
    run_bot: RunBot,
    catalogue_index: tuple[Path, list[dict[str, Any]], EmbeddingModel],
    tmp_path: Path,
) -> Iterator[PlanBot]:
    base, _, embedding = catalogue_index
    shutil.copytree(base, tmp_path / "bot")
    settings = _settings(
        tmp_path / "bot",
        telegram_bot_token=bot_token,
        telegram_base_url=emulator.base_url,
        telegram_base_file_url=emulator.base_file_url,
    )
    bot = PlanBot(emulator, bot_token, settings, embedding, run_bot)
    bot.start()
    yield bot
    bot.stop()


def labels(message: dict[str, Any]) -> list[str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["text"] for row in keyboard for button in row]


def press(user: EmulatorUser, message: dict[str, Any], label: str) -> None:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    for row in keyboard:
        for button in row:
            if button["text"].startswith(label):
                user.press_button(message, button["callback_data"])
                return
    raise AssertionError(f"no button {label!r} in {labels(message)}")


def reply(user: EmulatorUser, count: int = 1) -> list[dict[str, Any]]:
    return user.wait_for_replies(count, timeout=TIMEOUT)


def check_plan(user: EmulatorUser, document: dict[str, Any], summary: dict[str, Any]) -> bytes:
    """The DOCX as the user downloads it: every section, the sources, only cited sentences;
    and the summary in the chat, cited the same way."""
    assert document["document"]["file_name"].startswith("Rencana Replikasi")
    data = user.download(document)
    count, sections = count_docx(data)
    assert count.ok, (count.uncited, count.invalid)
    for title in SECTIONS_ID:
        assert any(title in heading for heading in sections), (title, list(sections))
    assert sections["Sumber"] and all(line.startswith("[") for line in sections["Sumber"])
    summary_count = count_summary(summary["text"])
    assert summary_count.ok, (summary_count.uncited, summary_count.invalid)
    return data


def test_plan_for_a_knowledge_base_innovation_across_a_restart(plan_bot: PlanBot) -> None:
    user = plan_bot.user(8101)
    user.send_command("rencana")
    [ask] = reply(user)
    assert "langkah 1 dari 4" in ask["text"]
    user.send_text("pelatihan barista untuk penyandang disabilitas")
    [choices] = reply(user)
    assert any("BARIS DITEBAS" in label for label in labels(choices)), labels(choices)
    press(user, choices, next(label for label in labels(choices) if "BARIS DITEBAS" in label)[:2])
    [agency] = reply(user)
    assert "Inovasi: <b>BARIS DITEBAS</b>" in agency["text"]
    press(user, agency, "⬅️")  # back to the choices, then the same choice again
    [again] = reply(user)
    assert labels(again) == labels(choices)
    press(user, again, next(label for label in labels(again) if "BARIS DITEBAS" in label)[:2])
    reply(user)
    user.send_text("Dinas Sosial Kabupaten Sleman")
    [region] = reply(user)
    assert "langkah 3 dari 4" in region["text"]

    plan_bot.restart()  # the draft is in the store; the conversation goes on

    user.send_text("Kabupaten Sleman, DIY")
    [form] = reply(user)
    assert "langkah 4 dari 4" in form["text"] and "<b>Sumber:</b>" in form["text"]
    assert "DI Yogyakarta adalah hub inovasi" in form["text"]  # the KB names DIY a hub
    assert labels(form)[:3] == ["Adopsi", "Adaptasi 💡", "Modifikasi 💡"]
    press(user, form, "Adaptasi")
    composing, document, summary = reply(user, 3)
    assert "Menyusun rencana" in composing["text"]
    check_plan(user, document, summary)
    assert summary["text"].startswith(
        "📝 <b>Rencana Replikasi BARIS DITEBAS — Dinas Sosial Kabupaten Sleman</b>"
    )
    press(user, summary, "⬜ 1.")
    [ticked] = reply(user)
    assert "Kemajuan: 1 dari 5 langkah selesai" in ticked["text"]
    assert plan_bot.store is not None
    [stored] = plan_bot.store.plans(8101)
    assert stored.step == READY and stored.done == {"prepare"}


def test_plan_for_a_catalogue_innovation_cancelled_then_made(
    plan_bot: PlanBot, catalogue_index: tuple[Path, list[dict[str, Any]], EmbeddingModel]
) -> None:
    _, profiles, _ = catalogue_index
    row = profiles[0]
    user = plan_bot.user(8202)
    user.send_text(f"buat rencana replikasi {row['name']}")
    [choices] = reply(user)
    assert labels(choices)[0].startswith(f"1. {str(row['name'])[:20]}")
    assert str(row["agency"]) in choices["text"]
    press(user, choices, "1.")
    [agency] = reply(user)
    press(user, agency, "✖️")
    [cancelled] = reply(user)
    assert "dibatalkan" in cancelled["text"]

    user.send_command("rencana")  # no plan kept: a new one starts
    [ask] = reply(user)
    assert "langkah 1 dari 4" in ask["text"]
    user.send_text(str(row["name"]))
    [choices] = reply(user)
    press(user, choices, "1.")
    reply(user)
    user.send_text("Dinas Kesehatan Kota Ambon")
    reply(user)
    user.send_text(f"{row['kabupaten_kota']}")  # a regency the catalogue places in a province
    [form] = reply(user)
    assert str(row["region"]) in form["text"]
    press(user, form, "Modifikasi")
    _, document, summary = reply(user, 3)
    data = check_plan(user, document, summary)
    opened = Document(io.BytesIO(data))
    assert opened.paragraphs[0].text.startswith(f"Rencana Replikasi {row['name']}")
    text = "\n".join(p.text for p in opened.paragraphs)
    assert str(row["agency"]) in text and "contoh.invalid" in text  # who runs it, contact
