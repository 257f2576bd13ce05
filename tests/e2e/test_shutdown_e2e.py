"""`replikasi serve` as operators run it (a subprocess, on the emulator, over a prepared
index), stopped with SIGTERM while an answer is in flight: PTB stops fetching updates,
finishes the answer, closes the store, and the process exits with code 0. The answer is
delivered once and the SQLite state is intact and agrees with what the user saw.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from telegram_emulator import REPO_ROOT, EmulatorUser, TelegramEmulator

from replikasi.settings import Settings
from tests.openai_stub import Behaviour, chat_stub

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

STARTUP_TIMEOUT = 90.0
QUESTION = "Apa saja bentuk replikasi inovasi?"
LLM_REPLY = "Replikasi inovasi memiliki tiga bentuk: adopsi, adaptasi, dan modifikasi [1]."


def _wait_for(
    condition: Callable[[], object], timeout: float, what: str, process: subprocess.Popen[str]
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            _, stderr = process.communicate()
            pytest.fail(f"the bot exited ({process.returncode}) before {what}:\n{stderr}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def test_sigterm_while_answering_finishes_the_answer_and_exits_cleanly(
    emulator: TelegramEmulator, bot_token: str, starter_index: Settings, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(starter_index.data_dir, data_dir)
    with chat_stub() as llm:
        # A slow model keeps the answer in flight long enough to be interrupted.
        llm.behaviour = Behaviour(content=LLM_REPLY, delay=2.0)
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": bot_token,
            "TELEGRAM_BASE_URL": emulator.base_url,
            "DATA_DIR": str(data_dir),
            "KNOWLEDGE_DIR": str(starter_index.knowledge_dir),
            "OPENAI_BASE_URL": llm.base_url,
            "LLM_TIMEOUT_SECONDS": "20",
            "LOG_LEVEL": "INFO",
            "PYTHONPATH": str(REPO_ROOT),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "replikasi.cli", "serve"],
            cwd=tmp_path,  # no stray .env
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_for(
                lambda: emulator.bot_calls(bot_token, "getUpdates"),
                STARTUP_TIMEOUT,
                "the bot to start polling",
                process,
            )
            user = EmulatorUser(emulator, bot_token, user_id=6101)
            user.send_text(QUESTION)
            _wait_for(lambda: llm.requests, 30.0, "the bot to ask the model", process)
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()

    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    assert "Application is stopping" in stderr
    # The answer in flight was finished and delivered once, then the bot stopped.
    replies = [event["message"]["text"] for event in _all_bot_messages(user)]
    assert len(replies) == 1 and "tiga bentuk" in replies[0], replies
    with sqlite3.connect(data_dir / "bot.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        logged = db.execute("SELECT question, mode FROM questions").fetchall()
        answers = db.execute("SELECT COUNT(*) FROM answers").fetchone()
    assert logged == [(QUESTION, "llm")] and answers == (1,)


def _all_bot_messages(user: EmulatorUser) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = user.emulator.post(
        "/e2e/botMessages", {"token": user.token, "chatId": user.chat_id, "after": 0}
    )
    return events
