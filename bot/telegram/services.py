"""What every handler needs, built once per Application and typed all the way down:
`context.services` is the `BotServices` (settings, engine front, store, the command table,
who may do what), through PTB's `ContextTypes` (see PTB's examples/contexttypesbot.py)."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.engine_front import EngineFront
from bot.telegram.menus import Command, Role
from bot.telegram.state import BotStore
from replikasi.ingest_lock import IngestLock
from replikasi.settings import Settings

if TYPE_CHECKING:
    from bot.planner import Planner


@dataclass
class BotServices:
    settings: Settings
    engine: EngineFront
    store: BotStore
    commands: Sequence[Command] = ()
    # Ingests run in the background so the admin's chat is not blocked meanwhile; kept here
    # so tests (and shutdown) can wait for them.
    background: set[asyncio.Task[Any]] = field(default_factory=set)
    # The time for the scheduled re-check of web sources (tests move it by days).
    clock: Callable[[], float] = time.time

    @functools.cached_property
    def planner(self) -> Planner:
        """The replication planner, on the same engine front."""
        from bot.planner import Planner

        return Planner(self.engine)

    @property
    def ingest_lock(self) -> IngestLock:
        """One ingest at a time (/reindex or an upload); a second request is told to wait.
        Kept by the store so that, with PostgreSQL, it holds across every replica."""
        return self.store.ingest_lock

    # -- who may do what -------------------------------------------------------------------
    def role_of(self, user_id: int | None) -> Role:
        if user_id is None:
            return Role.EVERYONE
        if user_id in self.settings.admin_ids:
            return Role.ADMIN
        if user_id in self.settings.coordinator_ids:
            return Role.COORDINATOR
        return Role.EVERYONE

    def is_admin(self, user_id: int | None) -> bool:
        return self.role_of(user_id) >= Role.ADMIN

    def is_allowed(self, user_id: int | None, chat_id: int | None) -> bool:
        """Without allow-lists everyone is served; with them, listed users (anywhere), every
        member of a listed chat, and admins and coordinators (so they cannot lock
        themselves out)."""
        settings = self.settings
        if not settings.allowed_user_ids and not settings.allowed_chat_ids:
            return True
        if self.role_of(user_id) > Role.EVERYONE:
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


class BotData:
    """The application's `bot_data`: the services, set by `build_application` before the
    application runs (PTB creates this object without arguments)."""

    services: BotServices


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The `context` every handler gets."""

    @property
    def services(self) -> BotServices:
        return self.bot_data.services


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
BotApplication = Application[Any, BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
