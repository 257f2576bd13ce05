"""No secret reaches a log: a logging filter that masks them in every record.

`SecretRedactor` masks the configured secrets (bot token, API keys, passwords: every
`SecretStr` setting) wherever they appear, plus what looks like one even when it is not
configured here: a Telegram bot token in a Bot API URL (`…/bot<token>/getMe`) and the
password of a `scheme://user:password@host` address. It rewrites the message, its arguments
and the rendered traceback, so the record is safe for every handler after it.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from pydantic import SecretStr

from replikasi.settings import Settings

MASK = "***"
# Telegram bot tokens: "<bot id>:<35 characters>", in a Bot API URL or on their own.
_BOT_URL_TOKEN = re.compile(r"(/(?:file/)?bot)\d+:[A-Za-z0-9_-]+")
_BARE_BOT_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}")
_URL_PASSWORD = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:)[^@\s/]+@")
_SHORTEST_SECRET = 4  # shorter values would mask ordinary words


class SecretRedactor(logging.Filter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first, so a secret containing another is masked whole.
        self.secrets = sorted(
            {s for s in secrets if len(s) >= _SHORTEST_SECRET}, key=len, reverse=True
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretRedactor:
        return cls(secret_values(settings))

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        text = _BOT_URL_TOKEN.sub(rf"\1{MASK}", text)
        text = _BARE_BOT_TOKEN.sub(MASK, text)
        return _URL_PASSWORD.sub(rf"\1{MASK}@", text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.redact("".join(traceback.format_exception(*record.exc_info)))
            record.exc_text = record.exc_text.rstrip("\n")
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def secret_values(settings: Settings) -> list[str]:
    """Every `SecretStr` setting, and the password inside a secret URL (DATABASE_URL)."""
    values: list[str] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if not isinstance(value, SecretStr):
            continue
        secret = value.get_secret_value().strip()
        values.append(secret)
        if "://" in secret:
            try:
                password = urlsplit(secret).password
            except ValueError:
                password = None
            if password:
                values += [password, unquote(password)]
    return [value for value in values if value]
