"""Logging as an operator sees it: one line per event, libraries quiet at the default level,
and no secret in any line at any level."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from replikasi import cli
from replikasi.logs import configure_logging, log_scope
from replikasi.redaction import SecretRedactor
from replikasi.settings import Settings, get_settings

TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
API_KEY = "sk-test-abcdefghijklmnop"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)


def _configured(settings: Settings, **kwargs: object) -> io.StringIO:
    stream = io.StringIO()
    configure_logging(settings, stream=stream, **kwargs)  # type: ignore[arg-type]
    return stream


def test_libraries_stay_quiet_below_warning_and_ours_follow_log_level(
    settings: Settings, restore_logging: None
) -> None:
    stream = _configured(settings.model_copy(update={"log_level": "INFO"}))
    bm25s = logging.getLogger("bm25s")
    bm25s.setLevel(logging.DEBUG)  # what bm25s does to itself on import
    bm25s.debug("Building index from IDs")
    logging.getLogger("httpx").info("HTTP Request: POST https://example.org 200 OK")
    logging.getLogger("chromadb.telemetry").info("Anonymized telemetry enabled")
    logging.getLogger("httpx").warning("a library warning")
    logging.getLogger("bot.telegram.app").info("Starting the bot")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert "a library warning" in lines[0] and "Starting the bot" in lines[1]


@pytest.mark.reliability
def test_ingest_at_the_default_level_prints_no_debug_lines(
    settings: Settings,
    knowledge_copy: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
) -> None:
    """`replikasi ingest` printed "DEBUG bm25s: Building index from IDs" at WARNING."""
    from tests.fakes import hash_embedding_model

    monkeypatch.setattr(
        "ingest.pipeline.make_embedding_model", lambda _settings: hash_embedding_model()
    )
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("KNOWLEDGE_DIR", str(settings.knowledge_dir))
    get_settings.cache_clear()
    try:
        assert cli.main(["ingest"]) == 0
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "DEBUG" not in err and "bm25s" not in err


@pytest.mark.reliability
@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING"])
def test_no_secret_in_any_line_at_any_level(
    settings: Settings, restore_logging: None, level: str
) -> None:
    secret_settings = settings.model_copy(
        update={
            "log_level": level,
            "telegram_bot_token": SecretStr(TOKEN),
            "openai_api_key": SecretStr(API_KEY),
            "database_url": SecretStr("postgresql://bot:pa55w0rd@db:5432/replikasi"),
        }
    )
    stream = _configured(secret_settings)
    url = f"https://api.telegram.org/bot{TOKEN}/getUpdates"
    logging.getLogger("httpx").warning('HTTP Request: POST %s "HTTP/1.1 200 OK"', url)
    logging.getLogger("bot").warning("key %s", API_KEY)
    logging.getLogger("bot").warning("connecting to postgresql://bot:pa55w0rd@db:5432/x")
    logging.getLogger("bot").warning("file at https://api.telegram.org/file/bot%s/doc", TOKEN)
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
    except RuntimeError:
        logging.getLogger("telegram.ext").exception("Invalid token")
    text = stream.getvalue()
    assert text.count("\n") >= 5 if level == "DEBUG" else text.count("\n") == 5
    for secret in (TOKEN, API_KEY, "pa55w0rd", TOKEN.split(":")[1]):
        assert secret not in text
    assert "/bot***/getUpdates" in text and "postgresql://bot:***@db" in text


def test_exception_is_one_line_with_its_place_and_the_scope(
    settings: Settings, restore_logging: None
) -> None:
    stream = _configured(settings)
    with log_scope("update 17"):
        try:
            {}["missing"]
        except KeyError:
            logging.getLogger("bot.telegram.errors").exception("Error while handling")
    [line] = stream.getvalue().splitlines()
    assert "ERROR bot.telegram.errors [update 17]: Error while handling" in line
    assert "KeyError: 'missing' at tests/test_logging.py:" in line


def test_redactor_masks_configured_secrets_and_token_shapes() -> None:
    redactor = SecretRedactor(["hunter22"])
    assert redactor.redact("pw hunter22, bot 987654:" + "x" * 35) == "pw ***, bot ***"
    assert redactor.redact("ftp://me:pw@host/x") == "ftp://me:***@host/x"
    assert redactor.redact("plain text stays") == "plain text stays"
