"""One update at a time per chat, in arrival order; different chats concurrently.

PTB's concurrent processing would otherwise let a quick second question overtake a slower
first one, or a follow-up run before the turn it follows is stored. Updates are started in
arrival order and each takes its chat's lock before doing anything else; asyncio locks are
granted first come, first served, so the order within a chat holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from replikasi.logs import log_scope


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}  # chat id -> updates holding or waiting for its lock

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        label = f"update {update.update_id}" if isinstance(update, Update) else "update"
        with log_scope(label):  # every log line written for this update names it
            await self._in_chat_order(update, coroutine)

    async def _in_chat_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat_id = _chat_id(update)
        if chat_id is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[chat_id] -= 1
            if not self._users[chat_id]:  # forget idle chats so the dict stays small
                del self._users[chat_id]
                del self._locks[chat_id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def _chat_id(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None
