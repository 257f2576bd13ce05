"""Build and run the Telegram bot.

    replikasi serve        # polling; a webhook when WEBHOOK_URL is set

`build_application` wires the handlers to an engine and a store (both injectable, so tests
can pass prepared ones); `run_bot` runs it until SIGINT/SIGTERM. On a stop signal PTB stops
fetching updates, lets in-flight answers and ingests finish, then `post_shutdown` closes the
store (SQLite, or PostgreSQL shared with other replicas when DATABASE_URL is set).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.engine import AnswerEngine
from bot.messages import Language
from bot.telegram import admin, handlers, texts
from bot.telegram.errors import on_error
from bot.telegram.ordering import PerChatUpdateProcessor
from bot.telegram.sending import RetryingRateLimiter
from bot.telegram.services import SERVICES_KEY, BotServices
from bot.telegram.state import BotStore, open_store
from replikasi.errors import ReplikasiError
from replikasi.settings import Settings

log = logging.getLogger(__name__)

BotApplication = Application[Any, Any, Any, Any, Any, Any]

# A RetryAfter (flood control) is waited out and the request sent again, up to this often;
# network errors are retried too (see bot/telegram/sending.py).
RATE_LIMIT_RETRIES = 5
MAX_CONCURRENT_UPDATES = 256
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def build_application(
    settings: Settings,
    engine: AnswerEngine | None = None,
    store: BotStore | None = None,
    *,
    request: BaseRequest | None = None,
) -> BotApplication:
    """The bot, ready to run. `request` replaces the HTTP layer (tests)."""
    token = require_token(settings)
    engine = engine or AnswerEngine(settings)
    store = store or open_store(settings)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_file_url)
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
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()
    application.bot_data[SERVICES_KEY] = BotServices(settings=settings, engine=engine, store=store)
    add_handlers(application)
    return application


def add_handlers(application: BotApplication) -> None:
    # Edited messages are not new questions: only fresh messages are handled.
    fresh = filters.UpdateType.MESSAGE
    private = fresh & filters.ChatType.PRIVATE
    groups = fresh & filters.ChatType.GROUPS
    application.add_handler(TypeHandler(Update, handlers.enforce_allow_lists), group=-1)
    commands = {
        "start": handlers.start,
        "help": handlers.help_command,
        "bantuan": handlers.help_command,
        "reset": handlers.reset,
        "sumber": handlers.sources,
        "inovasi": handlers.innovations,
        "tanya": handlers.ask_command,
        "reindex": admin.reindex,
        "stats": admin.stats,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=fresh))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(MessageHandler(private & filters.Document.ALL, admin.upload))
    text = filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(private & text, handlers.private_text))
    application.add_handler(MessageHandler(groups & text, handlers.group_text))
    application.add_handler(MessageHandler(private & filters.COMMAND, handlers.unknown_command))
    application.add_handler(
        MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.non_text)
    )
    application.add_error_handler(on_error)


async def post_init(application: BotApplication) -> None:
    """Publish the command menu, tidy the store, and load the index before the first
    question (a missing index is logged; users get a clear message until it is built)."""
    services: BotServices = application.bot_data[SERVICES_KEY]
    menus: tuple[tuple[Language, str | None], ...] = (("id", None), ("en", "en"))
    for language, code in menus:
        commands = [BotCommand(name, about) for name, about in texts.COMMANDS[language]]
        try:
            await application.bot.set_my_commands(commands, language_code=code)
        except TelegramError as exc:
            log.warning("Could not publish the command menu (%s): %s", language, exc)
    services.store.prune()
    try:
        await asyncio.to_thread(services.engine.warm)
    except ReplikasiError as exc:
        log.warning("The bot runs, but cannot answer yet: %s", exc)


async def post_shutdown(application: BotApplication) -> None:
    services: BotServices = application.bot_data[SERVICES_KEY]
    # Ingests still running in their worker threads must finish before the store goes.
    with contextlib.suppress(Exception):
        await asyncio.gather(*services.background, return_exceptions=True)
    services.store.close()


def run_bot(settings: Settings) -> None:
    """Run until SIGINT/SIGTERM: polling, or a webhook when WEBHOOK_URL is set."""
    application = build_application(settings)
    if not settings.webhook_url:
        log.info("Starting the bot (polling %s)", settings.telegram_base_url)
        application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        return
    options = webhook_options(settings)
    log.info(
        "Starting the bot (webhook %s on %s:%d)",
        settings.webhook_url,
        settings.webhook_listen,
        settings.webhook_port,
    )
    application.run_webhook(**options)


def webhook_options(settings: Settings) -> dict[str, Any]:
    """How the webhook server listens and what it tells Telegram (`setWebhook`): the local
    path is the public URL's, and requests without the secret token are refused (403)."""
    assert settings.webhook_url
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlsplit(settings.webhook_url).path.strip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": require_webhook_secret(settings),
        "allowed_updates": ALLOWED_UPDATES,
        "drop_pending_updates": False,
    }


def require_token(settings: Settings) -> str:
    secret = settings.telegram_bot_token
    token = secret.get_secret_value().strip() if secret is not None else ""
    if not token:
        raise ReplikasiError(
            "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in "
            ".env (see .env.example), or use `replikasi chat` for the terminal chat."
        )
    return token


def require_webhook_secret(settings: Settings) -> str:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not _SECRET_TOKEN.match(secret):
        raise ReplikasiError(
            "WEBHOOK_SECRET must be set when WEBHOOK_URL is set (1-256 characters: letters, "
            "digits, _ and -), so that requests not coming from Telegram are rejected."
        )
    return secret
