"""scripts/bench_telegram.py in miniature: 3 users × 2 questions against the real bot
process and the emulator, plus the reply bookkeeping that decides what is lost or duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

import pytest
from telegram_emulator import TelegramEmulator

from replikasi.settings import Settings
from scripts.bench_telegram import ChatLog, cmd_bench_telegram

SUMMARY_KEYS = {
    "users",
    "questions",
    "replies",
    "messages",
    "offered_rate",
    "seconds",
    "replies_per_second",
    "latency_ms_p50",
    "latency_ms_p95",
    "latency_ms_p99",
    "latency_ms_max",
    "lost",
    "duplicates",
    "peak_rss_mb",
    "bot_cpu_percent",
    "harness_cpu_percent",
}
QUESTIONS = [
    "Apa saja bentuk replikasi inovasi pelayanan publik?",
    "Apa itu Kompetisi Inovasi Pelayanan Publik (KIPP)?",
    "What is the Hub JIPP?",
]


@pytest.mark.e2e
@pytest.mark.slow
def test_bench_smoke_answers_every_question_once(
    emulator: TelegramEmulator,  # only for its skip-or-fail logic when node/npm ci is missing
    starter_index: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        "".join(json.dumps({"id": f"q{i}", "question": q}) + "\n" for i, q in enumerate(QUESTIONS)),
        encoding="utf-8",
    )
    args = argparse.Namespace(users=3, per_user=2, json=True, rate=0.0)

    code = cmd_bench_telegram(args, starter_index, questions)

    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0
    assert set(summary) == SUMMARY_KEYS
    assert summary["questions"] == summary["replies"] == 6
    assert summary["lost"] == 0
    assert summary["duplicates"] == 0
    assert summary["peak_rss_mb"] > 0
    assert summary["latency_ms_p95"] >= summary["latency_ms_p50"] > 0


def _bot_message(*, buttons: bool) -> dict[str, object]:
    message: dict[str, object] = {"message_id": 1, "text": "…"}
    if buttons:
        message["reply_markup"] = {"inline_keyboard": [[{"text": "👍", "callback_data": "f"}]]}
    return message


def test_a_split_answer_is_one_reply_and_an_extra_reply_a_duplicate() -> None:
    async def scenario() -> ChatLog:
        log = ChatLog()
        log.sent += [0.0, 1.0]
        log.on_bot_message(_bot_message(buttons=False), 0.2)  # first part of a long answer
        log.on_bot_message(_bot_message(buttons=True), 0.3)  # its last part, with buttons
        log.on_bot_message({**_bot_message(buttons=True), "edit_date": 5}, 0.4)  # an edit
        log.on_bot_message(_bot_message(buttons=True), 1.5)  # the second answer
        log.on_bot_message(_bot_message(buttons=True), 1.6)  # nothing left to answer
        return log

    log = asyncio.run(scenario())
    assert log.replied == [0.2, 1.5]
    assert log.messages == 4
    assert log.extra == 1
