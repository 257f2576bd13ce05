"""Webhook mode end to end: the bot registers its webhook (with the secret token) at the
emulated Telegram, which then POSTs user messages to it with the token in the
X-Telegram-Bot-Api-Secret-Token header. Requests without the token, or with a wrong one,
are refused with 403 and never reach a handler.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from telegram_emulator import EmulatorUser, RunBot, TelegramEmulator

from bot.telegram.app import build_application
from bot.telegram.state import BotStore
from replikasi.settings import Settings
from tests.telegram_fakes import FakeEngine

pytestmark = [pytest.mark.e2e]

SECRET = "s3cret_token-1"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
QUESTION = "Apa saja bentuk replikasi?"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _forged_update(user: EmulatorUser, update_id: int, text: str) -> dict[str, Any]:
    message = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": user.chat,
        "from": user.user,
        "text": text,
    }
    return {"update_id": update_id, "message": message}


def test_webhook_serves_telegram_and_refuses_requests_without_the_secret(
    emulator: TelegramEmulator, bot_token: str, run_bot: RunBot, tmp_path: Path
) -> None:
    port = _free_port()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path / "data",
        knowledge_dir=tmp_path / "knowledge",
        telegram_bot_token=SecretStr(bot_token),
        telegram_base_url=emulator.base_url,
        webhook_url=f"http://127.0.0.1:{port}/telegram/updates",
        webhook_secret=SecretStr(SECRET),
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    engine = FakeEngine()
    store = BotStore.open(settings)
    application = build_application(settings, engine=engine, store=store)  # type: ignore[arg-type]
    run_bot(application, webhook=settings)

    [registered] = emulator.bot_calls(bot_token, "setWebhook")
    assert registered["params"]["url"] == settings.webhook_url
    assert registered["params"]["secret_token"] == SECRET

    # A real user, through Telegram: delivered with the token, answered.
    user = EmulatorUser(emulator, bot_token, user_id=5101)
    user.send_text(QUESTION)
    [answer] = user.wait_for_replies(1)
    assert "adopsi" in answer["text"]

    # Someone who found the URL: refused before any handler runs.
    url = str(settings.webhook_url)
    forged = _forged_update(user, 900_001, "Apa itu KIPP?")
    assert httpx.post(url, json=forged).status_code == 403
    assert httpx.post(url, json=forged, headers={HEADER: "tebakan"}).status_code == 403
    user.expect_no_replies(within=0.5)
    assert [question for question, _ in engine.asked] == [QUESTION]

    # The very same request with the token is served: the token is what tells them apart.
    assert httpx.post(url, json=forged, headers={HEADER: SECRET}).status_code == 200
    user.wait_for_replies(1)
    assert [question for question, _ in engine.asked] == [QUESTION, "Apa itu KIPP?"]
