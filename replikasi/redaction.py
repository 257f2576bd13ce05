"""No secret in any log line, at any level, from any library.

httpx logs every request URL at INFO, and the Bot API puts the bot token in the URL
(`/bot123456:ABC…/getMe`); an exception raised by a client quotes its URL, a database
driver its connection string. `SecretRedactor` rewrites a log record before any handler sees
it: the message with its arguments, the exception text and traceback, the stack info. It
masks the configured secrets (every `SecretStr` setting: bot token, OpenAI key, Chroma
token, webhook secret, DATABASE_URL and its password, also URL-encoded) and, whatever the
configuration, anything shaped like one: Bot API paths, `sk-…` keys, bearer tokens,
passwords in URLs and `password=`/`api_key=`/`token=` pairs.

`install_redaction(settings)` applies it to every record the process creates (through the
log record factory, so handlers added later by any library are covered too) and returns the
filter for handlers. The CLI does not call it directly: `replikasi.logs.log_filters` does,
so logging is configured in one place.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from pydantic import SecretStr

from replikasi.settings import Settings

MASK = "***"
# Shorter configured values could be ordinary words; real secrets are longer.
MIN_SECRET_CHARS = 6

_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    # Bot API paths: /bot<token>/method and /file/bot<token>/path.
    (re.compile(r"(/bot)\d+:[^/\s?#'\"]+"), r"\1" + MASK),
    # A bot token on its own: digits, a colon, 30+ URL-safe characters.
    (re.compile(r"(?<![\w:])\d{5,12}:[A-Za-z0-9_-]{30,}"), MASK),
    # OpenAI-style keys (sk-…, sk-proj-…).
    (re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"), "sk-" + MASK),
    # Authorization headers and bearer tokens.
    (re.compile(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1" + MASK),
    (re.compile(r"(?i)(\bx-chroma-token['\"]?\s*[:=]\s*['\"]?)[^\s'\",}]+"), r"\1" + MASK),
    # user:password@ in any URL (postgresql://, https://, redis://…).
    (re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]*:)[^@\s/'\"]+(@)"), r"\1" + MASK + r"\2"),
    # key=value and "key": "value" pairs (query strings, conninfo, JSON, reprs).
    (
        re.compile(
            r"(?i)(\b(?:password|passwd|pwd|api[_-]?key|apikey|access[_-]?token|auth[_-]?token"
            r"|secret[_-]?token|secret|client[_-]?secret|token)['\"]?\s*[=:]\s*['\"]?)"
            r"(?!\*\*\*)[^\s'\"&,;}]+"
        ),
        r"\1" + MASK,
    ),
)


def secrets_of(settings: Settings) -> list[str]:
    """Every `SecretStr` setting (a new one is covered without touching this), and the
    password inside a secret URL (DATABASE_URL), as written and URL-decoded."""
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


class SecretRedactor(logging.Filter):
    """A logging filter that masks secrets in a record; it never drops a record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: list[str] = []
        self.set_secrets(secrets)

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretRedactor:
        return cls(secrets_of(settings))

    def set_secrets(self, secrets: Iterable[str]) -> None:
        found: set[str] = set()
        for secret in secrets:
            if secret and len(secret) >= MIN_SECRET_CHARS:
                found.update({secret, quote(secret, safe=""), quote(secret, safe="/:")})
        # Longest first, so a secret containing another is masked whole.
        self._secrets = sorted(found, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        for pattern, replacement in _SHAPES:
            text = pattern.sub(replacement, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record, self.redact)
        return True


def redact_record(
    record: logging.LogRecord, redact: Callable[[str], str], *, keep_exception: bool = False
) -> None:
    """Render the record's message, exception and stack once, masked, and drop the raw
    arguments and exception so no handler or formatter can render them again. Safe to
    apply more than once (by the record factory, then by a handler's own filter).

    The record factory keeps the exception object (`keep_exception`): our handler's
    `OneLine` filter turns it into a one-line summary, and the redactor that handler runs
    last masks that. Formatters print the masked `exc_text` rendered here, not the object."""
    try:
        message = record.getMessage()
    except Exception:  # a bad format string must not hide the record
        message = f"{record.msg} {record.args}"
    record.msg = redact(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if not keep_exception:
        record.exc_info = None
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


_INSTALL_LOCK = threading.Lock()
_installed: SecretRedactor | None = None


def install_redaction(settings: Settings) -> SecretRedactor:
    """Mask secrets in every log record this process creates from now on, whatever handler
    gets it (idempotent: a second call only updates the secrets). Returns the filter, for
    the end of a handler whose own filters add text to a record after it was made (the
    exception summary of `replikasi.logs.OneLine`)."""
    global _installed
    with _INSTALL_LOCK:
        if _installed is not None:
            _installed.set_secrets(secrets_of(settings))
            return _installed
        redactor = SecretRedactor(secrets_of(settings))
        create = logging.getLogRecordFactory()

        def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = create(*args, **kwargs)
            redact_record(record, redactor.redact, keep_exception=True)
            return record

        logging.setLogRecordFactory(make_record)
        _installed = redactor
        return redactor
