"""DATABASE_URL: checked once, connected with one clear sentence on failure, never echoed.

Shared by the bot's PostgreSQL store and the ingest lock (which takes a PostgreSQL advisory
lock when DATABASE_URL is set, so that every replica and every `replikasi ingest` agree on
who is ingesting). Messages name host:port/database and never the user or password.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict

from replikasi.errors import ReplikasiError

CONNECT_TIMEOUT_SECONDS = 10
EXPECTED_FORM = "postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
# A password this short could match ordinary words of a driver message ("p" in "supported");
# such messages never quote it anyway.
_MIN_PASSWORD_TO_MASK = 4


def check_database_url(conninfo: str) -> str:
    """host:port/database of a DATABASE_URL, for messages; one sentence when it is malformed."""
    if "://" in conninfo:
        try:
            parts = urlsplit(conninfo)
            _ = parts.port  # raises ValueError for "host:abc" or a port out of range
        except ValueError:
            raise ReplikasiError(
                f"DATABASE_URL is not a valid address (check the host and the port); expected "
                f"{EXPECTED_FORM}."
            ) from None
        if parts.scheme not in ("postgresql", "postgres"):
            raise ReplikasiError(
                f"DATABASE_URL must be a PostgreSQL address ({EXPECTED_FORM}); leave it empty "
                "to keep the bot's state in SQLite."
            )
    try:
        params = conninfo_to_dict(conninfo)
    except psycopg.Error:
        # The parser's message quotes the string, password included: not repeated here.
        raise ReplikasiError(
            f"DATABASE_URL is not a valid PostgreSQL address; expected {EXPECTED_FORM}."
        ) from None
    port = str(params.get("port") or 5432)
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ReplikasiError(
            f"DATABASE_URL has an invalid port ({port}); expected a number such as 5432."
        )
    host = str(params.get("host") or params.get("hostaddr") or "localhost (unix socket)")
    database = str(params.get("dbname") or params.get("user") or "")
    return f"{host}:{port}/{database}"


def connect(conninfo: str, target: str, **kwargs: Any) -> psycopg.Connection[Any]:
    """A connection, or one sentence naming the server (and never the password)."""
    try:
        return psycopg.connect(conninfo, connect_timeout=CONNECT_TIMEOUT_SECONDS, **kwargs)
    except psycopg.Error as exc:
        reason = first_line(str(exc))
        password = str(conninfo_to_dict(conninfo).get("password") or "")
        if len(password) >= _MIN_PASSWORD_TO_MASK:
            reason = reason.replace(password, "***")
        raise ReplikasiError(
            f"Cannot connect to PostgreSQL at {target} (DATABASE_URL): {reason}. Check that "
            "the server is running and the address, user and password are right."
        ) from None


def first_line(text: str) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line.rstrip(".") or "unknown error"
