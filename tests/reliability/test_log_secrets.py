"""Probe 5 of issue 13: secrets in logs, grepped at DEBUG.

Before: at LOG_LEVEL=INFO every httpx line carried the bot token in the URL, and a rejected
token printed a traceback quoting it. Here real `replikasi -v …` processes run with every
secret configured — bot token, OpenAI key, Chroma token, webhook secret, a DATABASE_URL with
a password — doing what makes libraries log URLs, headers and tracebacks: an ingest under
the PostgreSQL lock, an LLM answer through an OpenAI-compatible server, the bot starting
against a Bot API that rejects the token, an unreachable Chroma server. No output line may
contain any of the secrets, as written or URL-encoded.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.openai_stub import chat_stub
from tests.reliability.probes import Outcome, Workspace, starter_workspace

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
OPENAI_KEY = "sk-proj-Zx9fQ2mL7vR4tY8uW1eP0oK3jH6gB5n"
CHROMA_TOKEN = "chroma-secret-7d1e0c9b"
WEBHOOK_SECRET = "webhook_secret_3f9a2b"
DB_PASSWORD = "Db-pass-4c8e1f7a"
SECRETS = [TOKEN, TOKEN.split(":")[1], OPENAI_KEY, CHROMA_TOKEN, WEBHOOK_SECRET, DB_PASSWORD]


@pytest.fixture
def rejecting_bot_api() -> Iterator[str]:
    """A Bot API that answers every method with 401 Unauthorized (a revoked token)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"})
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

        do_GET = do_POST

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/bot"
    server.shutdown()


def with_secrets(workspace: Workspace, database_url: str) -> Workspace:
    workspace.extra_env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        OPENAI_API_KEY=OPENAI_KEY,
        CHROMA_AUTH_TOKEN=CHROMA_TOKEN,
        WEBHOOK_SECRET=WEBHOOK_SECRET,
        DATABASE_URL=database_url,
        LOG_LEVEL="DEBUG",
    )
    return workspace


def assert_no_secret(outcome: Outcome, what: str) -> None:
    lines = outcome.text.splitlines()
    assert lines, f"{what}: no output at all"
    for secret in SECRETS:
        for form in {secret, quote(secret, safe=""), quote(secret, safe="/:")}:
            leaked = [line for line in lines if form in line]
            assert not leaked, f"{what}: {form!r} in {leaked[:3]}"


def test_no_secret_in_any_debug_line(
    tmp_path: Path, postgres_url: str, rejecting_bot_api: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database_url = postgres_url.replace("postgres@", f"postgres:{DB_PASSWORD}@", 1)
    assert DB_PASSWORD in database_url
    workspace = with_secrets(starter_workspace(tmp_path), database_url)
    runs: list[tuple[str, Outcome]] = []

    ingest = workspace.run("-v", "ingest")
    assert ingest.code == 0, ingest.text
    runs.append(("ingest under the PostgreSQL lock", ingest))

    with chat_stub() as stub:
        stub.reply("Saat ini terbentuk 54 hub inovasi [1].")
        workspace.extra_env["OPENAI_BASE_URL"] = stub.base_url
        ask = workspace.run("-v", "ask", "Berapa jumlah hub inovasi saat ini?")
        del workspace.extra_env["OPENAI_BASE_URL"]
    assert ask.code == 0 and stub.requests, ask.text
    runs.append(("LLM answer", ask))

    workspace.extra_env["TELEGRAM_BASE_URL"] = rejecting_bot_api
    serve = workspace.run("-v", "serve", timeout=120)
    assert serve.code != 0 and "Unauthorized" in serve.text, serve.text
    assert "/bot***/getMe" in serve.text  # the URL was logged, with the token masked
    runs.append(("bot start with a rejected token", serve))

    workspace.extra_env.update(CHROMA_HOST="127.0.0.1", CHROMA_PORT="9")
    unreachable = workspace.run("-v", "sources")
    assert unreachable.code == 2 and "Cannot reach the Chroma server" in unreachable.err
    runs.append(("Chroma server unreachable", unreachable))

    for what, outcome in runs:
        assert_no_secret(outcome, what)
    with capsys.disabled():
        total = sum(len(outcome.text.splitlines()) for _, outcome in runs)
        print(f"\n[reliability] log grep at DEBUG: {len(runs)} commands, {total} lines, 0 secrets")
