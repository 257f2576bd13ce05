"""Logging, configured in one place for every command (`configure_logging`).

- One line per event: `time LEVEL logger [update 17]: message`. The bracket names what is
  being handled (a Telegram update, …) when the code runs inside `log_scope`. An exception
  becomes a short "(ValueError: … at file.py:12)" at the end of that line; the whole
  traceback is printed at DEBUG only.
- Libraries (bm25s, httpx, chromadb, pypdf, …) speak at WARNING and above only, whatever
  LOG_LEVEL says, unless it is DEBUG (or `-v`). httpx logs every Bot API URL, token included,
  at INFO; bm25s sets its own logger to DEBUG on import.
- Every record passes the filters of `log_filters` last: secrets are masked there
  (replikasi/redaction.py), whatever the level. That redactor is also installed in the log
  record factory, so records reaching a handler some library adds are masked too.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import TextIO

from replikasi.redaction import install_redaction
from replikasi.settings import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s%(scope)s: %(message)s"
LIBRARIES = (
    "apscheduler",
    "bm25s",
    "chromadb",
    "httpcore",
    "httpx",
    "matplotlib",
    "openai",
    "PIL",
    "posthog",
    "psycopg",
    "pypdf",
    "tornado",
    "urllib3",
)
_scope: ContextVar[str] = ContextVar("log_scope", default="")


@contextlib.contextmanager
def log_scope(label: str) -> Iterator[None]:
    """Name what is being handled ("update 17") in every log line written meanwhile, also
    from worker threads started with `asyncio.to_thread` (they copy the context)."""
    token = _scope.set(label)
    try:
        yield
    finally:
        _scope.reset(token)


def log_filters(settings: Settings) -> list[logging.Filter]:
    """The filters every record passes last; add one here and every command has it."""
    return [install_redaction(settings)]


def configure_logging(
    settings: Settings,
    *,
    verbose: bool = False,
    stream: TextIO | None = None,
    extra_filters: Sequence[logging.Filter] = (),
) -> logging.Handler:
    """Install the one handler on the root logger (replacing one installed before)."""
    level = logging.DEBUG if verbose else level_of(settings.log_level)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "replikasi", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.replikasi = True  # type: ignore[attr-defined]
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(FORMAT, defaults={"scope": ""}))
    for log_filter in (
        ScopeFilter(),
        LibraryThreshold(level),
        OneLine(level),
        *log_filters(settings),
        *extra_filters,
    ):
        handler.addFilter(log_filter)
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def level_of(name: str) -> int:
    level = logging.getLevelName(name.strip().upper())
    return level if isinstance(level, int) else logging.WARNING


class ScopeFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        scope = _scope.get()
        record.scope = f" [{scope}]" if scope else ""
        return True


class LibraryThreshold(logging.Filter):
    """Records of libraries pass at WARNING and above (everything when debugging)."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.threshold = logging.DEBUG if level <= logging.DEBUG else max(level, logging.WARNING)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.split(".", 1)[0] not in LIBRARIES:
            return True  # ours, and python-telegram-bot's lifecycle lines, at LOG_LEVEL
        return record.levelno >= self.threshold


class OneLine(logging.Filter):
    """Multi-line messages on one line; an exception as a short summary (not at DEBUG)."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.keep_tracebacks = level <= logging.DEBUG

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None and not self.keep_tracebacks:
            message = f"{message} ({exception_summary(record.exc_info[1])})"
            record.exc_info = None
            record.exc_text = None
        if "\n" in message:
            message = " | ".join(line.strip() for line in message.splitlines() if line.strip())
        record.msg, record.args = message, None
        return True


def exception_summary(error: BaseException) -> str:
    """`Type: message at file.py:line` (the innermost frame), on one line."""
    text = " ".join(str(error).split())
    summary = f"{type(error).__name__}: {text}" if text else type(error).__name__
    frame = None
    tb = error.__traceback__
    while tb is not None:
        frame, tb = tb, tb.tb_next
    if frame is not None:
        path = Path(frame.tb_frame.f_code.co_filename)
        summary += f" at {'/'.join(path.parts[-2:])}:{frame.tb_lineno}"
    return summary
