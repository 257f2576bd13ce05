"""Admin tools: /reindex, document uploads, /stats (also for hub coordinators).

Ingests are blocking CPU work, so they run in a worker thread inside a background task: the
admin gets an immediate "working on it", the bot keeps answering everyone (the admin's own
chat included), and the result arrives as a new message. Only one ingest runs at a time.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, Document, Update
from telegram.error import TelegramError

from bot.messages import Language
from bot.telegram import texts
from bot.telegram.handlers import Context, command_argument
from bot.telegram.render import (
    render_ingest_report,
    render_stats,
    render_upload_outcome,
    split_message,
)
from bot.telegram.services import BotServices, get_services
from bot.telegram.uploads import check_upload, save_and_ingest
from ingest.loaders import SUPPORTED_EXTENSIONS
from ingest.pipeline import run_ingest
from replikasi.errors import EmbeddingMismatchError, IngestBusyError, ReplikasiError

log = logging.getLogger(__name__)
MB = 1024 * 1024
# `/reindex rebuild` embeds everything again (e.g. after the embedding model changed).
REBUILD_WORDS = frozenset({"rebuild", "ulang", "--rebuild"})


async def reindex(update: Update, context: Context) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None
    services = get_services(context)
    language = texts.user_language(user)
    if not services.is_admin(user.id if user else None):
        await message.reply_text(texts.say("admin_only", language))
        return
    if not await _claim_ingest(services):
        await message.reply_text(texts.say("ingest_busy", language))
        return
    try:
        await message.reply_text(texts.say("reindex_started", language))
    except BaseException:
        services.ingest_lock.release()
        raise
    rebuild = command_argument(message).lower() in REBUILD_WORDS
    services.run_in_background(
        context.application,
        _reindex(services, context.bot, message.chat_id, language, rebuild=rebuild),
        update,
    )


async def _reindex(
    services: BotServices, bot: Bot, chat_id: int, language: Language, *, rebuild: bool = False
) -> None:
    try:
        report = await asyncio.to_thread(
            run_ingest,
            services.settings,
            None,
            rebuild=rebuild,
            embedding=services.engine.embedding,
        )
    except IngestBusyError:
        text = texts.say("ingest_busy", language)
    except EmbeddingMismatchError as exc:
        text = texts.say("reindex_failed", language, reason=str(exc))
        text += "\n" + texts.say("reindex_rebuild_hint", language)
    except ReplikasiError as exc:
        text = texts.say("reindex_failed", language, reason=str(exc))
    except (Exception, KeyboardInterrupt) as exc:
        # The embedder crashed, the disk filled up…: the ingest discarded its half-built
        # index, so the admin hears that the previous one still answers. (A KeyboardInterrupt
        # here was raised in the worker thread, not by Ctrl-C, which reaches the main thread.)
        log.error("/reindex failed", exc_info=exc)
        text = texts.say("reindex_failed", language, reason=f"{type(exc).__name__}: {exc}")
    else:
        if report.changed:
            services.engine.reload()
        text = render_ingest_report(report, language)
    finally:
        services.ingest_lock.release()
    for part in split_message(text):
        await bot.send_message(chat_id, part)


async def upload(update: Update, context: Context) -> None:
    """A document in a private chat: admins add it to the knowledge base."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.document is not None
    services = get_services(context)
    language = texts.user_language(user)
    if not services.is_admin(user.id if user else None):
        await message.reply_text(texts.say("document_not_admin", language))
        return
    document = message.document
    limit = services.settings.max_upload_mb
    # Checked before downloading anything: Telegram tells us the name and size up front.
    check = check_upload(document.file_name, document.file_size, limit)
    if check.problem == "unsupported":
        supported = ", ".join(
            dict.fromkeys(ext.lstrip(".").upper() for ext in SUPPORTED_EXTENSIONS)
        )
        kind = check.extension.lstrip(".").upper() or (
            "tanpa ekstensi" if language == "id" else "extension-less"
        )
        await message.reply_text(
            texts.say(
                "upload_unsupported", language, name=check.name, kind=kind, supported=supported
            )
        )
        return
    if check.problem == "too_big":
        size = f"{(document.file_size or 0) / MB:.1f}"
        await message.reply_text(
            texts.say("upload_too_big", language, name=check.name, size=size, limit=limit)
        )
        return
    if not await _claim_ingest(services):
        await message.reply_text(texts.say("ingest_busy", language))
        return
    try:
        await message.reply_text(texts.say("upload_received", language, name=check.name))
    except BaseException:
        services.ingest_lock.release()
        raise
    services.run_in_background(
        context.application,
        _ingest_upload(services, context.bot, document, check.name, message.chat_id, language),
        update,
    )


async def _ingest_upload(
    services: BotServices,
    bot: Bot,
    document: Document,
    name: str,
    chat_id: int,
    language: Language,
) -> None:
    limit = services.settings.max_upload_mb
    try:
        try:
            data = bytes(await (await document.get_file()).download_as_bytearray())
        except TelegramError as exc:
            log.warning("Downloading upload %s failed: %s", name, exc)
            await bot.send_message(
                chat_id, texts.say("upload_download_failed", language, name=name, reason=str(exc))
            )
            return
        if len(data) > limit * MB:  # Telegram did not tell the size up front
            size = f"{len(data) / MB:.1f}"
            await bot.send_message(
                chat_id, texts.say("upload_too_big", language, name=name, size=size, limit=limit)
            )
            return
        try:
            outcome = await asyncio.to_thread(
                save_and_ingest,
                services.settings,
                name,
                data,
                services.engine.embedding,
            )
        except IngestBusyError:
            await bot.send_message(chat_id, texts.say("ingest_busy", language))
            return
    finally:
        services.ingest_lock.release()
    if outcome.report is not None and outcome.report.changed:
        services.engine.reload()
    for part in render_upload_outcome(outcome, language):
        await bot.send_message(chat_id, part)


async def stats(update: Update, context: Context) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None
    services = get_services(context)
    language = texts.user_language(user)
    if not services.can_see_stats(user.id if user else None):
        await message.reply_text(texts.say("stats_only", language))
        return
    for part in render_stats(services.store.stats(), language):
        await message.reply_text(part)


async def _claim_ingest(services: BotServices) -> bool:
    """Take the ingest lock if it is free, here and (with PostgreSQL) in every replica.
    Nothing ever waits on it. Called on the event loop like every store call (a short round
    trip): handed to a thread, a cancelled claim could leave the lock taken."""
    return services.ingest_lock.try_acquire()
