"""What every handler needs, built once per Application: settings, engine, store, and who
may do what."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.engine import AnswerEngine
from bot.telegram.state import BotStore, IngestLock
from replikasi.settings import Settings

SERVICES_KEY = "services"


@dataclass
class BotServices:
    settings: Settings
    engine: AnswerEngine
    store: BotStore
    # Ingests run in the background so the admin's chat is not blocked meanwhile; kept here
    # so tests (and shutdown) can wait for them.
    background: set[asyncio.Task[Any]] = field(default_factory=set)

    @property
    def ingest_lock(self) -> IngestLock:
        """One ingest at a time (/reindex or an upload); a second request is told to wait.
        Kept by the store so that, with PostgreSQL, it holds across every replica."""
        return self.store.ingest_lock

    # -- who may do what -------------------------------------------------------------------
    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids

    def can_see_stats(self, user_id: int | None) -> bool:
        return user_id is not None and (
            user_id in self.settings.admin_ids or user_id in self.settings.coordinator_ids
        )

    def is_allowed(self, user_id: int | None, chat_id: int | None) -> bool:
        """Without allow-lists everyone is served; with them, listed users (anywhere), every
        member of a listed chat, and admins and coordinators (so they cannot lock
        themselves out)."""
        settings = self.settings
        if not settings.allowed_user_ids and not settings.allowed_chat_ids:
            return True
        if self.can_see_stats(user_id):
            return True
        return (user_id is not None and user_id in settings.allowed_user_ids) or (
            chat_id is not None and chat_id in settings.allowed_chat_ids
        )

    def run_in_background(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        coroutine: Coroutine[Any, Any, Any],
        update: Update,
    ) -> asyncio.Task[Any]:
        """Run `coroutine` as a task whose errors reach the error handler with `update`."""
        task = application.create_task(coroutine, update=update)
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        return task


def get_services(context: ContextTypes.DEFAULT_TYPE) -> BotServices:
    services = context.bot_data[SERVICES_KEY]
    assert isinstance(services, BotServices)
    return services
