"""The admin's answer to "this upload would replace …": Ganti, Simpan berdampingan, Batal.

The upload waits in the store (upload_store.py), so the press may reach any replica, after a
restart too. Taking it from the store is atomic: a double tap or two replicas act once, and a
press on a choice already made, cancelled or expired is told so. Replace and keep-both run
the ingest like a fresh upload (under the ingest lock, in a worker thread), showing progress
in the question's message; cancel forgets the file.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot, CallbackQuery, Message, Update
from telegram.error import TelegramError

from bot.telegram import texts, upload_texts
from bot.telegram.admin import save_upload
from bot.telegram.progress import ProgressMessage
from bot.telegram.sending import send_quietly
from bot.telegram.services import BotContext, BotServices
from bot.telegram.splitting import split_message
from bot.telegram.upload_store import PENDING_UPLOAD_HOURS, PendingUpload
from bot.telegram.upload_views import Choice, parse_choice
from bot.telegram.uploads import beside_name
from bot.telegram.web_admin import actor_of
from ingest.history import Actor
from replikasi.errors import IngestBusyError, ReplikasiError
from replikasi.logs import exception_summary

log = logging.getLogger(__name__)


async def upload_choice(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    press = parse_choice(query.data)
    services = context.services
    language = texts.user_language(query.from_user)
    if press is None:
        await query.answer()
        return
    if not services.is_admin(query.from_user.id):
        await query.answer(texts.say_plain("admin_only", language), show_alert=True)
        return
    since = services.store.clock() - PENDING_UPLOAD_HOURS * 3600
    take = services.store.take_pending_upload
    if press.choice == "cancel":
        pending = await asyncio.to_thread(take, press.upload_id, query.from_user.id, since)
        if pending is None:
            await _expired(query, language)
            return
        await query.answer()
        text = upload_texts.say("cancelled", pending.language, name=pending.name)
        await _show(query, text)
        return
    if not services.ingest_lock.try_acquire():
        await query.answer(upload_texts.say_plain("choice_busy", language), show_alert=True)
        return
    try:
        pending = await asyncio.to_thread(take, press.upload_id, query.from_user.id, since)
    except BaseException:
        services.ingest_lock.release()
        raise
    if pending is None:
        services.ingest_lock.release()
        await _expired(query, language)
        return
    try:
        await query.answer()
        key = "choice_replace" if press.choice == "replace" else "choice_beside"
        shown = await _show(query, upload_texts.say(key, pending.language, name=pending.name))
    except BaseException:
        services.ingest_lock.release()
        raise
    services.run_in_background(
        context.application,
        _apply(services, context.bot, pending, press.choice, shown, actor_of(query.from_user)),
        update,
    )


async def _apply(
    services: BotServices,
    bot: Bot,
    pending: PendingUpload,
    choice: Choice,
    message: Message | None,
    actor: Actor,
) -> None:
    language, name = pending.language, pending.name
    parts = [texts.say("upload_interrupted", language, name=name)]
    try:
        if choice == "beside":
            name = await asyncio.to_thread(beside_name, services.settings, pending.name)
        async with ProgressMessage(message) as progress:
            parts = await save_upload(
                services,
                progress,
                name,
                pending.data,
                language,
                caption=pending.caption,
                beside=choice == "beside",
                ocr_pages=int(pending.plan.get("ocr_pages") or 0),
                actor=actor,
            )
    except IngestBusyError:
        parts = [texts.say("ingest_busy", language)]
    except Exception as exc:
        log.error("Upload %s failed: %s", name, exception_summary(exc))
        reason = str(exc) if isinstance(exc, ReplikasiError) else f"{type(exc).__name__}: {exc}"
        parts = [texts.say("upload_error", language, name=name, reason=reason)]
    finally:
        services.ingest_lock.release()
        await send_quietly(bot, pending.chat_id, split_message("\n\n".join(parts)))


async def _show(query: CallbackQuery, text: str) -> Message | None:
    """Put `text` in place of the question (its buttons go); the message, for progress."""
    try:
        edited = await query.edit_message_text(text, reply_markup=None)
    except TelegramError as exc:
        log.info("Could not update the upload question: %s", exception_summary(exc))
        return None
    if isinstance(edited, Message):
        return edited
    return query.message if isinstance(query.message, Message) else None


async def _expired(query: CallbackQuery, language: texts.Language) -> None:
    text = upload_texts.say_plain("choice_expired", language, hours=PENDING_UPLOAD_HOURS)
    await query.answer(text, show_alert=True)
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(None)
