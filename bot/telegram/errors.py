"""The error handler: one log line with the update id, a message the user can act on, and
nothing that can fail in turn.

Users never see internals. When the index is missing, half-built or from another embedding
model, users are told the knowledge base is being prepared; when the vector store cannot be
reached, that it cannot be reached right now (the next question tries again, so the bot
recovers by itself when the server is back). Admins also get the exact reason. Telling the
user is best effort: Telegram may be what is failing, or answer something PTB cannot read;
whatever goes wrong while apologising is logged, never raised (PTB would otherwise report
"an uncaught error was raised while handling the error").
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError

from bot.telegram import texts
from bot.telegram.services import BotContext
from replikasi.errors import (
    EmbeddingMismatchError,
    IndexMissingError,
    IndexUnavailableError,
    ReplikasiError,
)
from replikasi.logs import exception_summary, log_scope

log = logging.getLogger(__name__)

INDEX_NOT_READY = IndexMissingError | EmbeddingMismatchError
_DETAIL_CHARS = 500


async def on_error(update: object, context: BotContext) -> None:
    scope = f"update {update.update_id}" if isinstance(update, Update) else "bot"
    with log_scope(scope):
        try:
            await _handle(update, context)
        except Exception as exc:  # the last line of defence: log, never raise
            log.error("The error handler failed: %s", exception_summary(exc))


async def _handle(update: object, context: BotContext) -> None:
    error = context.error
    if error is None:
        return
    if isinstance(error, INDEX_NOT_READY | IndexUnavailableError):
        log.warning("Cannot answer: %s", error)
    elif isinstance(error, Forbidden):  # the user blocked the bot, or it left the group
        log.info("Not allowed to write to the chat: %s", error)
        return
    elif isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        # Sending failed even after the retries of bot/telegram/sending.py. A notice would
        # travel the same failing way, and after a timeout the answer may well have arrived:
        # "something went wrong" under a delivered answer would only confuse.
        log.warning("Telegram unreachable: %s", error)
        return
    else:
        log.error("Error while handling an update: %s", exception_summary(error))
        log.debug("Traceback", exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return  # e.g. an error while polling: nobody to tell
    await _apologise(update, context, error)


async def _apologise(update: Update, context: BotContext, error: BaseException) -> None:
    user = update.effective_user
    language = texts.user_language(user)
    if isinstance(error, IndexUnavailableError):
        key = "index_unreachable"
    elif isinstance(error, INDEX_NOT_READY):
        key = "index_unavailable"
    else:
        key = "generic_error"
    text = texts.say(key, language)
    if context.services.is_admin(user.id if user else None):
        detail = (
            str(error) if isinstance(error, ReplikasiError) else f"{type(error).__name__}: {error}"
        )
        text += "\n\n" + texts.say("admin_detail", language, detail=detail[:_DETAIL_CHARS])
        if isinstance(error, INDEX_NOT_READY):
            # The detail names the CLI command; an admin on a phone can fix it from here.
            rebuild = isinstance(error, EmbeddingMismatchError)
            command = "/reindex rebuild" if rebuild else "/reindex"
            text += "\n" + texts.say("index_fix_hint", language, command=command)

    if update.callback_query is not None:
        with contextlib.suppress(Exception):  # it may have been answered already
            await update.callback_query.answer()
    message = update.effective_message
    try:
        if message is not None and update.callback_query is None:
            await message.reply_text(text)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, text)
    except Exception as exc:
        log.warning("Could not tell the user about the error: %s", exception_summary(exc))
