"""Build the Telegram bot: `build_application` wires the command table and the other
handlers to an engine front and a store (both injectable, so tests pass prepared ones).
Running it is bot/telegram/runner.py (`run_bot`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.engine_front import EngineFront
from bot.telegram import admin, answering, commands, knowledge_admin, planning
from bot.telegram.access import enforce_allow_lists, requires
from bot.telegram.buttons import button
from bot.telegram.command_table import COMMANDS, add_command_handlers, publish_menus
from bot.telegram.errors import on_error
from bot.telegram.jobs import schedule_jobs
from bot.telegram.menus import Command, Role
from bot.telegram.ordering import PerChatUpdateProcessor
from bot.telegram.plan_buttons import plan_button, plan_from_answer
from bot.telegram.sending import RetryingRateLimiter
from bot.telegram.services import CONTEXT_TYPES, BotApplication, BotServices
from bot.telegram.state import BotStore, open_store
from bot.telegram.upload_buttons import upload_choice
from replikasi.errors import ReplikasiError
from replikasi.logs import exception_summary
from replikasi.settings import Settings

log = logging.getLogger(__name__)

# A RetryAfter (flood control) is waited out and the request sent again, up to this often;
# network errors are retried too (see bot/telegram/sending.py).
RATE_LIMIT_RETRIES = 5
MAX_CONCURRENT_UPDATES = 256
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


def build_application(
    settings: Settings,
    engine: EngineFront | None = None,
    store: BotStore | None = None,
    *,
    request: BaseRequest | None = None,
    commands: Sequence[Command] = COMMANDS,
) -> BotApplication:
    """The bot, ready to run. `request` replaces the HTTP layer (tests)."""
    token = require_token(settings)
    if engine is None:
        from bot.engine import AnswerEngine  # the real engine loads the model: only when used

        engine = AnswerEngine(settings)
    store = store or open_store(settings)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_file_url)
        .context_types(CONTEXT_TYPES)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                # Answers link their sources; a preview of the first one would bury the answer.
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                # A question deleted before its answer is ready still gets the answer.
                allow_sending_without_reply=True,
            )
        )
        .rate_limiter(RetryingRateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES))
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application: BotApplication = builder.build()
    application.bot_data.services = BotServices(
        settings=settings, engine=engine, store=store, commands=tuple(commands)
    )
    add_handlers(application, commands)
    schedule_jobs(application, settings)
    return application


def add_handlers(application: BotApplication, table: Sequence[Command] = COMMANDS) -> None:
    # Edited messages are not new questions: only fresh messages are handled.
    fresh = filters.UpdateType.MESSAGE
    private = fresh & filters.ChatType.PRIVATE
    groups = fresh & filters.ChatType.GROUPS
    text = filters.TEXT & ~filters.COMMAND
    application.add_handler(TypeHandler(Update, enforce_allow_lists), group=-1)
    add_command_handlers(application, table)
    application.add_handler(CallbackQueryHandler(plan_button, pattern=r"^p:"))
    application.add_handler(CallbackQueryHandler(plan_from_answer, pattern=r"^r:"))
    application.add_handler(
        CallbackQueryHandler(requires(Role.ADMIN)(knowledge_admin.remove_button), pattern=r"^x:")
    )
    application.add_handler(CallbackQueryHandler(upload_choice, pattern=r"^u:"))
    application.add_handler(CallbackQueryHandler(button))
    application.add_handler(MessageHandler(private & filters.Document.ALL, admin.upload))
    # A request for a plan in words, then what a draft plan waits for, then questions.
    plan_input = planning.PlanInputFilter(application.bot_data.services)
    application.add_handler(
        MessageHandler(private & text & planning.PlanTrigger(), planning.plan_trigger)
    )
    application.add_handler(MessageHandler(private & text & plan_input, planning.plan_text))
    application.add_handler(MessageHandler(private & text, answering.private_text))
    application.add_handler(MessageHandler(groups & text, answering.group_text))
    application.add_handler(MessageHandler(private & filters.COMMAND, commands.unknown_command))
    application.add_handler(
        MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, answering.non_text)
    )
    application.add_error_handler(on_error)


async def post_init(application: BotApplication) -> None:
    """Publish the command menus, tidy the store, and load the index before the first
    question (a missing index is logged; users get a clear message until it is built)."""
    services = application.bot_data.services
    await publish_menus(application, services)
    try:
        services.store.prune()
    except Exception as exc:  # the prune job tries again later
        log.warning("Pruning the bot store failed: %s", exception_summary(exc))
    try:
        await asyncio.to_thread(services.engine.warm)
    except ReplikasiError as exc:
        log.warning("The bot runs, but cannot answer yet: %s", exc)


async def post_shutdown(application: BotApplication) -> None:
    services = application.bot_data.services
    # Ingests still running in their worker threads must finish before the store goes.
    with contextlib.suppress(Exception):
        await asyncio.gather(*services.background, return_exceptions=True)
    services.store.close()


def require_token(settings: Settings) -> str:
    secret = settings.telegram_bot_token
    token = secret.get_secret_value().strip() if secret is not None else ""
    if not token:
        raise ReplikasiError(
            "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in "
            ".env (see .env.example), or use `replikasi chat` for the terminal chat."
        )
    return token
