"""No secret reaches a log line: messages, arguments, exception text and tracebacks, at every
level, whether the secret is configured or merely shaped like one."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest

from replikasi.redaction import SecretRedactor, secrets_of
from replikasi.settings import Settings
from tests.conftest import REPO

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
OPENAI_KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz012345"
CHROMA_TOKEN = "chroma-token-5f2c9a7e"
DB_PASSWORD = "Pg-pass-81c3b2"
WEBHOOK_SECRET = "webhook_secret_value_42"


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=TOKEN,
        openai_api_key=OPENAI_KEY,
        chroma_auth_token=CHROMA_TOKEN,
        webhook_secret=WEBHOOK_SECRET,
        database_url=f"postgresql://bot:{DB_PASSWORD}@db.internal:5432/replikasi",
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    handler.addFilter(SecretRedactor(secrets_of(settings)))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


SECRETS = (TOKEN, TOKEN.split(":")[1], OPENAI_KEY, CHROMA_TOKEN, DB_PASSWORD, WEBHOOK_SECRET)


def assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked into: {text}"


def test_bot_token_in_a_request_url_is_masked_at_every_level(log) -> None:
    logger, stream = log
    url = f"https://api.telegram.org/bot{TOKEN}/getMe"
    for level in (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR):
        logger.log(level, 'HTTP Request: POST %s "HTTP/1.1 200 OK"', url)
    logger.info("file at %s", f"https://api.telegram.org/file/bot{TOKEN}/documents/a.pdf")
    output = stream.getvalue()
    assert_clean(output)
    assert output.count("/bot***/getMe") == 4 and "/file/bot***/documents" in output


def test_secrets_inside_exceptions_and_tracebacks_are_masked(log) -> None:
    logger, stream = log
    try:
        raise ConnectionError(
            f"cannot reach postgresql://bot:{DB_PASSWORD}@db.internal/replikasi "
            f"with headers {{'Authorization': 'Bearer {OPENAI_KEY}'}}"
        )
    except ConnectionError:
        logger.exception("Store failed for token %s", TOKEN)
    output = stream.getvalue()
    assert "Traceback" in output and "ConnectionError" in output
    assert "postgresql://bot:***@db.internal" in output
    assert_clean(output)


def test_secrets_of_unknown_shape_are_masked_when_configured(log) -> None:
    logger, stream = log
    logger.debug("chroma headers %r", {"x-chroma-token": CHROMA_TOKEN})
    logger.debug("webhook %s", {"secret_token": WEBHOOK_SECRET})
    logger.warning("settings %s", [CHROMA_TOKEN, WEBHOOK_SECRET])
    assert_clean(stream.getvalue())


def test_secret_shapes_are_masked_without_configuration() -> None:
    redactor = SecretRedactor()
    for text in (
        f"GET https://api.telegram.org/bot{TOKEN}/getUpdates",
        f"token {TOKEN} rejected",
        f"key {OPENAI_KEY}",
        f"dsn=postgresql://app:{DB_PASSWORD}@10.0.0.5/db",
        f"host=db user=app password={DB_PASSWORD}",
        f"GET /v1/items?api_key={OPENAI_KEY}&page=2",
        f"Authorization: Bearer {CHROMA_TOKEN}",
    ):
        masked = redactor.redact(text)
        assert_clean(masked)
        assert "***" in masked
    assert redactor.redact("Loaded 120 chunks in 0.4 s") == "Loaded 120 chunks in 0.4 s"


REAL_PROCESS = f"""
import http.server, logging, sys, threading
import httpx
from replikasi.redaction import install_redaction
from replikasi.settings import Settings

class Quiet(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(401); self.end_headers(); self.wfile.write(b"{{}}")
    def log_message(self, *args):
        logging.getLogger("server").debug("served %s", self.path)

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
threading.Thread(target=server.serve_forever, daemon=True).start()
logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
install_redaction(Settings(_env_file=None))
base = f"http://127.0.0.1:{{server.server_port}}"
with httpx.Client() as client:
    headers = {{"Authorization": "Bearer {OPENAI_KEY}"}}
    response = client.get(f"{{base}}/bot{TOKEN}/getMe", headers=headers)
    try:
        response.raise_for_status()
    except httpx.HTTPStatusError:
        logging.getLogger("bot").exception("Telegram refused the token")
logging.getLogger("bot").debug("connecting to %s", "postgresql://bot:{DB_PASSWORD}@db/x")
server.shutdown()
"""


def test_a_real_process_at_debug_logs_no_secret() -> None:
    """httpx and httpcore log request URLs and headers at DEBUG; a raised HTTP error quotes
    the URL; all of it goes through the record factory `install_redaction` sets."""
    result = subprocess.run(
        [sys.executable, "-c", REAL_PROCESS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "HTTP Request: GET" in output and "Traceback" in output  # it did log all that
    assert "/bot***/getMe" in output
    assert_clean(output)
