"""Reliability and security probes on the Telegram side (issue "Reliability and security"):
the error path cannot fail, long operations always end with a final message, the token
never reaches a log, Telegram out of reach is one line and a retry (not a traceback), the
webhook secret is compared in constant time, over-long upload names, the vector store out
of reach while answering."""

from __future__ import annotations

import asyncio
import hmac
import io
import logging
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.telegram import admin, runner, uploads
from bot.telegram.app import build_application
from bot.telegram.runner import TelegramUnreachableError, retry_while_unreachable, serve
from bot.telegram.state import BotStore
from bot.telegram.webhook import SECRET_HEADER, start_webhook_server
from ingest.pipeline import IngestReport
from replikasi import cli
from replikasi.errors import IndexUnavailableError, ReplikasiError
from replikasi.logs import configure_logging
from replikasi.settings import Settings, get_settings
from tests.telegram_fakes import FakeEngine, FakeTelegram, Harness, message_update, run

pytestmark = pytest.mark.reliability

ADMIN = 900
USER = 1
TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"


@pytest.fixture
def bot_settings(settings: Settings) -> Settings:
    settings.knowledge_dir.mkdir(parents=True)
    return settings.model_copy(
        update={"telegram_bot_token": SecretStr(TOKEN), "admin_ids": [ADMIN]}
    )


@pytest.fixture
def log_lines(settings: Settings) -> Iterator[io.StringIO]:
    """What the operator's terminal shows (the one configured handler, at DEBUG)."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    stream = io.StringIO()
    secret = settings.model_copy(
        update={"telegram_bot_token": SecretStr(TOKEN), "log_level": "DEBUG"}
    )
    configure_logging(secret, stream=stream)
    yield stream
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
    root.setLevel(level)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the error path ----------------------------------------------------------------------------
def test_a_bot_api_answer_ptb_cannot_read_never_breaks_the_error_handler_or_a_reindex(
    bot_settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A Bot API server that echoes `link_preview_options` back as a string makes every
    send raise something that is not a TelegramError, although the message was delivered."""
    monkeypatch.setattr(admin, "run_ingest", lambda *a, **k: IngestReport(added=["baru"]))

    async def scenario(h: Harness) -> None:
        h.telegram.echo_link_preview_as_text = True
        h.engine.error = RuntimeError("boom")
        await h.send(message_update("Apa itu KIPP?", user_id=USER))
        await h.send(message_update("/reindex", user_id=ADMIN))
        await h.settle()

    h = run(bot_settings, scenario)
    apology, started, report = h.telegram.delivered_texts
    assert "terjadi kendala" in apology
    assert "Memperbarui indeks" in started and "Indeks diperbarui" in report
    assert "uncaught error was raised while handling the error" not in caplog.text
    assert not h.services.ingest_lock.locked()


@pytest.mark.parametrize("kind", ["reindex", "upload"])
def test_a_long_operation_cancelled_midway_still_ends_with_a_final_message(
    bot_settings: Settings, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    def cancelled(*args: Any, **kwargs: Any) -> Any:
        raise asyncio.CancelledError

    monkeypatch.setattr(admin, "run_ingest", cancelled)
    monkeypatch.setattr(admin, "save_and_ingest", cancelled)
    document = {"file_id": "f1", "file_unique_id": "u1", "file_name": "baru.md", "file_size": 9}

    async def scenario(h: Harness) -> None:
        h.telegram.files["f1"] = b"# Baru\n\nIsi."
        if kind == "reindex":
            await h.send(message_update("/reindex", user_id=ADMIN))
        else:
            await h.send(message_update(user_id=ADMIN, document=document))
        await asyncio.gather(*h.services.background, return_exceptions=True)

    h = run(bot_settings, scenario)
    started, final = h.telegram.sent_texts
    assert "⏳" in started and "terhenti sebelum selesai" in final
    assert not h.services.ingest_lock.locked()


def test_error_log_is_one_line_with_the_update_id(
    bot_settings: Settings, log_lines: io.StringIO
) -> None:
    async def scenario(h: Harness) -> None:
        h.engine.error = ValueError("tak terduga")
        update = message_update("Apa itu KIPP?", user_id=USER)
        update["update_id"] = 4242
        await h.send(update)

    run(bot_settings, scenario)
    [line] = [x for x in log_lines.getvalue().splitlines() if "Error while handling" in x]
    assert "[update 4242]" in line and "ValueError: tak terduga at " in line


# -- the vector store out of reach while answering --------------------------------------------
def test_chroma_out_of_reach_gets_a_short_apology_and_the_next_question_is_answered(
    bot_settings: Settings,
) -> None:
    async def scenario(h: Harness) -> None:
        h.engine.errors.append(
            IndexUnavailableError("Cannot reach the Chroma server at 127.0.0.1:8000.")
        )
        await h.send(message_update("Apa itu KIPP?", user_id=USER))
        await h.send(message_update("Apa itu KIPP?", user_id=USER))  # the server is back

    h = run(bot_settings, scenario)
    apology, answer = h.telegram.sent_texts
    assert apology.startswith("Maaf, basis pengetahuan sedang tidak dapat dihubungi.")
    assert "127.0.0.1" not in apology and "Chroma" not in apology
    assert "adopsi" in answer


# -- uploads -----------------------------------------------------------------------------------
def test_an_upload_name_over_255_bytes_is_shortened_and_the_file_added(
    bot_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "run_ingest", lambda *a, **k: IngestReport(added=["x"]))
    name = "Laporan inovasi pelayanan publik daerah " * 10 + ".md"  # 402 bytes
    document = {"file_id": "f1", "file_unique_id": "u1", "file_name": name, "file_size": 12}

    async def scenario(h: Harness) -> None:
        h.telegram.files["f1"] = b"# Laporan\n\nIsi."
        await h.send(message_update(user_id=ADMIN, document=document))

    h = run(bot_settings, scenario)
    [saved] = list(bot_settings.knowledge_dir.iterdir())
    assert len(saved.name.encode()) <= 200 and saved.suffix == ".md"
    assert saved.name.startswith("Laporan inovasi pelayanan publik daerah")
    assert "✅" in h.telegram.sent_texts[-1]


# -- reaching Telegram -------------------------------------------------------------------------
def test_telegram_unreachable_at_start_is_one_line_per_retry_then_one_clear_error(
    bot_settings: Settings, log_lines: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "FIRST_DELAY", 0.1)  # then 0.2, 0.4, …
    api = f"http://127.0.0.1:{_closed_port()}/bot"
    settings = bot_settings.model_copy(
        update={"telegram_base_url": api, "telegram_unreachable_give_up_seconds": 0.5}
    )
    application = build_application(settings, engine=FakeEngine(), store=BotStore.open(settings))

    with pytest.raises(TelegramUnreachableError) as raised:
        asyncio.run(serve(application, settings, asyncio.Event()))
    message = str(raised.value)
    assert f"Cannot reach the Telegram Bot API at {api}" in message and "\n" not in message
    assert "gave up after 0.5 seconds" in message
    retries = [x for x in log_lines.getvalue().splitlines() if "retrying in" in x]
    assert len(retries) == 3  # at 0, 0.1 and 0.3 s; the last try at 0.5 s
    assert all(api in line and "Traceback" not in line for line in retries)
    assert TOKEN not in log_lines.getvalue() and TOKEN.split(":")[1] not in log_lines.getvalue()


def test_serve_without_a_route_to_telegram_exits_with_one_sentence(
    bot_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = _closed_port()
    for name, value in {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": f"http://127.0.0.1:{port}/bot",
        "TELEGRAM_UNREACHABLE_GIVE_UP_SECONDS": "0.3",
        "DATA_DIR": str(bot_settings.data_dir),
        "KNOWLEDGE_DIR": str(bot_settings.knowledge_dir),
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        assert cli.main(["serve"]) == 2
    finally:
        get_settings.cache_clear()
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
    err = capsys.readouterr().err
    *retries, last = err.strip().splitlines()
    assert last.startswith(
        f"Error: Cannot reach the Telegram Bot API at http://127.0.0.1:{port}/bot"
    )
    assert retries and all("retrying in" in line for line in retries)
    assert "Traceback" not in err and TOKEN not in err


def test_telegram_reachable_again_ends_the_retries(
    bot_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "FIRST_DELAY", 0.01)
    attempts: list[int] = []

    async def flaky() -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise runner.NetworkError("Connection refused")

    async def main() -> bool:
        return await retry_while_unreachable(flaky, bot_settings, asyncio.Event())

    assert asyncio.run(main()) is True
    assert len(attempts) == 3


def test_a_rejected_token_is_one_sentence_without_the_token(
    bot_settings: Settings, log_lines: io.StringIO
) -> None:
    telegram = FakeTelegram()
    unauthorized = {"ok": False, "error_code": 401, "description": "Unauthorized"}
    telegram.fail("getMe", 401, unauthorized)
    application = build_application(
        bot_settings, engine=FakeEngine(), store=BotStore.open(bot_settings), request=telegram
    )
    with pytest.raises(ReplikasiError) as raised:
        asyncio.run(serve(application, bot_settings, asyncio.Event()))
    message = str(raised.value)
    assert message.startswith("Telegram rejected TELEGRAM_BOT_TOKEN")
    assert "\n" not in message and TOKEN not in message and "123456789" not in message
    assert TOKEN not in log_lines.getvalue()


def test_polling_outage_longer_than_the_give_up_time_stops_the_bot_with_one_error(
    bot_settings: Settings, log_lines: io.StringIO
) -> None:
    telegram = FakeTelegram()
    settings = bot_settings.model_copy(update={"telegram_unreachable_give_up_seconds": 0.5})
    application = build_application(
        settings, engine=FakeEngine(), store=BotStore.open(settings), request=telegram
    )

    async def main() -> None:
        for _ in range(20):
            telegram.fail_network("getUpdates", runner.NetworkError("Connection refused"))
        await serve(application, settings, asyncio.Event())

    with pytest.raises(TelegramUnreachableError, match=r"gave up after 0\.5 seconds"):
        asyncio.run(asyncio.wait_for(main(), 30))
    lines = [x for x in log_lines.getvalue().splitlines() if "retrying" in x]
    assert len(lines) >= 2 and all("Connection refused" in line for line in lines)
    assert application.bot_data.services.store.closed  # shut down cleanly


# -- the webhook -------------------------------------------------------------------------------
def test_webhook_secret_is_compared_in_constant_time_before_anything_else(
    bot_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = _closed_port()
    settings = bot_settings.model_copy(
        update={
            "webhook_url": "https://bot.example.go.id/telegram/hook",
            "webhook_secret": SecretStr("s3cret_token-1"),
            "webhook_listen": "127.0.0.1",
            "webhook_port": port,
        }
    )
    compared: list[tuple[bytes, bytes]] = []
    compare_digest = hmac.compare_digest

    def spy(given: bytes, expected: bytes) -> bool:
        compared.append((given, expected))
        return compare_digest(given, expected)

    monkeypatch.setattr("bot.telegram.webhook.hmac.compare_digest", spy)
    update = message_update("Apa itu KIPP?", user_id=USER)
    url = f"http://127.0.0.1:{port}/telegram/hook"

    async def scenario(h: Harness) -> None:
        server = start_webhook_server(h.app, settings)
        try:
            async with httpx.AsyncClient() as client:
                statuses = [
                    (await client.post(url, json=update)).status_code,
                    (
                        await client.post(url, json=update, headers={SECRET_HEADER: "s3"})
                    ).status_code,
                    (
                        await client.post(
                            url, content=b"{", headers={SECRET_HEADER: "s3cret_token-1"}
                        )
                    ).status_code,
                    (
                        await client.post(
                            url, json=update, headers={SECRET_HEADER: "s3cret_token-1"}
                        )
                    ).status_code,
                ]
                huge = b"{" + b" " * (2 << 20) + b"}"
                try:
                    refused = (await client.post(url, content=huge)).status_code
                except httpx.HTTPError:  # tornado may close the connection instead
                    refused = 413
            await asyncio.sleep(0.3)  # the application processes the queued update
        finally:
            server.stop()
        assert statuses == [403, 403, 400, 200] and refused >= 400

    h = run(settings, scenario)
    assert [given for given, _ in compared] == [b"", b"s3", b"s3cret_token-1", b"s3cret_token-1"]
    assert [q for q, _ in h.engine.asked] == ["Apa itu KIPP?"]
