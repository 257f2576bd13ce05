"""The error handler: log the failure, tell the user something they can act on.

Users never see internals. When the index is missing, half-built or from another embedding
model, users are told the knowledge base is being prepared; admins also get the exact
reason (an English sentence saying which command fixes it). The bot keeps running.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.telegram import texts
from bot.telegram.handlers import Context
from bot.telegram.services import get_services
from replikasi.errors import (
    EmbeddingMismatchError,
    IndexMissingError,
    IndexUnavailableError,
    ReplikasiError,
)

log = logging.getLogger(__name__)

INDEX_ERRORS = (IndexMissingError, EmbeddingMismatchError, IndexUnavailableError)
_DETAIL_CHARS = 500


async def on_error(update: object, context: Context) -> None:
    error = context.error
    if isinstance(error, INDEX_ERRORS):
        log.warning("Cannot answer: %s", error)
    elif isinstance(error, Forbidden):  # the user blocked the bot, or it left the group
        log.info("Not allowed to write to the chat: %s", error)
        return
    elif isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        # Sending failed even after the retries of bot/telegram/sending.py. A notice would
        # travel the same failing way, and after a timeout the answer may well have arrived:
        # "something went wrong" under a delivered answer would only confuse.
        log.warning("Telegram unreachable while handling an update: %s", error)
        return
    else:
        log.error("Error while handling an update", exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return  # e.g. a network error while polling: nobody to tell

    user = update.effective_user
    language = texts.user_language(user)
    key = "index_unavailable" if isinstance(error, INDEX_ERRORS) else "generic_error"
    text = texts.say(key, language)
    if error is not None and get_services(context).is_admin(user.id if user else None):
        detail = (
            str(error) if isinstance(error, ReplikasiError) else f"{type(error).__name__}: {error}"
        )
        text += "\n\n" + texts.say("admin_detail", language, detail=detail[:_DETAIL_CHARS])
        if isinstance(error, IndexMissingError | EmbeddingMismatchError):
            # The detail names the CLI command; an admin on a phone can fix it from here.
            rebuild = isinstance(error, EmbeddingMismatchError)
            command = "/reindex rebuild" if rebuild else "/reindex"
            text += "\n" + texts.say("index_fix_hint", language, command=command)

    # Telling the user must not fail in turn (Telegram may be what is failing).
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # it may have been answered already
            await update.callback_query.answer()
    with contextlib.suppress(TelegramError):
        message = update.effective_message
        if message is not None and update.callback_query is None:
            await message.reply_text(text)
        else:
            await context.bot.send_message(update.effective_chat.id, text)
