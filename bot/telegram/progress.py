"""One message edited in place to show how long work in a worker thread is getting on.

The work (OCR of a scan, embedding) runs in a thread and reports as often as it likes through
`update`, which is thread-safe and cheap; the message is edited from the event loop at most
once per `interval` seconds (Telegram limits how often a message may change), always ending
on the latest state reported. Work done within the first interval edits nothing at all. An
edit that fails is logged and skipped: progress is a courtesy, the final reply is what
matters.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from types import TracebackType
from typing import Self

from telegram import Message

from replikasi.logs import exception_summary

log = logging.getLogger(__name__)

EDIT_INTERVAL_SECONDS = 2.0


class ProgressMessage:
    def __init__(self, message: Message | None, *, interval: float | None = None) -> None:
        self.message = message
        self.interval = EDIT_INTERVAL_SECONDS if interval is None else interval
        self.edits = 0
        self._latest: str | None = None
        self._shown: str | None = None
        self._last_edit = float("-inf")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    def update(self, html: str) -> None:
        """Report the current state (from any thread)."""
        self._latest = html
        loop, changed = self._loop, self._changed
        if loop is not None and changed is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop is shutting down
                loop.call_soon_threadsafe(changed.set)

    async def __aenter__(self) -> Self:
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        self._last_edit = time.monotonic()  # the message was just sent: the first edit waits
        if self.message is not None:
            self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        task, self._task = self._task, None
        self._loop = None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if exc_type is None and self._shown is not None and self._latest != self._shown:
            await self._edit_when_allowed()  # the last state reported, not a stale one

    async def _run(self) -> None:
        assert self._changed is not None
        while True:
            await self._changed.wait()
            self._changed.clear()
            await self._edit_when_allowed()

    async def _edit_when_allowed(self) -> None:
        wait = self._last_edit + self.interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        text = self._latest
        if text is None or text == self._shown or self.message is None:
            return
        self._last_edit = time.monotonic()
        try:
            await self.message.edit_text(text)
            self.edits += 1
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.info("Could not show progress: %s", exception_summary(exc))
        self._shown = text
