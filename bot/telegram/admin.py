"""Admin tools: /reindex and document uploads; /stats for admins and hub coordinators.

An upload is read aside first (a scan's OCR progress is shown by editing the "working on it"
message); when it would replace something (a file of the same name, another version of the
same regulation), the admin is asked to choose (upload_buttons.py) instead of it being
saved.

Who may use them is decided by the command table (and `requires` on the upload handler).
Ingests are blocking CPU work, so they run in a worker thread inside a background task: the
admin gets an immediate "working on it", the bot keeps answering everyone (the admin's own
chat included), and the result arrives as a new message. Only one ingest runs at a time.
Whatever happens (done, failed with the reason, interrupted), a long operation ends with a
final message; failing to send that one is logged, never raised.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import Bot, Document, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.messages import Language
from bot.telegram import texts
from bot.telegram.access import command_argument, message_of, requires
from bot.telegram.menus import Role
from bot.telegram.progress import ProgressMessage
from bot.telegram.render import render_ingest_report, render_upload_outcome, split_message
from bot.telegram.sending import send_quietly
from bot.telegram.services import BotContext, BotServices
from bot.telegram.stats_report import send_stats
from bot.telegram.upload_views import (
    confirmation_keyboard,
    plan_record,
    progress_embed,
    progress_ocr,
    render_confirmation,
    render_upload_summary,
)
from bot.telegram.uploads import (
    check_upload,
    inspect_upload,
    save_and_ingest,
    upload_formats,
)
from bot.telegram.web_admin import actor_of
from ingest.history import Actor, entry_from_report, record_quietly
from ingest.loaders.captions import MAX_CAPTION_CHARS
from ingest.ocr import PageProgress
from ingest.pipeline import run_ingest
from replikasi.errors import EmbeddingMismatchError, IngestBusyError, ReplikasiError
from replikasi.index import IndexedDocument
from replikasi.logs import exception_summary

log = logging.getLogger(__name__)
MB = 1024 * 1024
# `/reindex rebuild` embeds everything again (e.g. after the embedding model changed).
REBUILD_WORDS = frozenset({"rebuild", "ulang", "--rebuild"})
# Embedding progress is shown for uploads of at least this many passages (a few seconds of
# work or more); OCR progress always (seconds per page).
EMBED_PROGRESS_PASSAGES = 100


async def reindex(update: Update, context: BotContext) -> None:
    message = message_of(update)
    services = context.services
    language = texts.user_language(update.effective_user)
    if not services.ingest_lock.try_acquire():
        await message.reply_text(texts.say("ingest_busy", language))
        return
    await _acknowledge(services, message, texts.say("reindex_started", language))
    rebuild = command_argument(message).lower() in REBUILD_WORDS
    actor = actor_of(update.effective_user)
    services.run_in_background(
        context.application,
        _reindex(services, context.bot, message.chat_id, language, rebuild=rebuild, actor=actor),
        update,
    )


async def _reindex(
    services: BotServices,
    bot: Bot,
    chat_id: int,
    language: Language,
    *,
    rebuild: bool = False,
    actor: Actor | None = None,
) -> None:
    text = texts.say("reindex_interrupted", language)  # unless something better is known
    try:
        report = await asyncio.to_thread(
            run_ingest,
            services.settings,
            None,
            rebuild=rebuild,
            embedding=services.engine.embedding,
        )
        if report.changed:
            services.engine.reload()
        origin = "/reindex rebuild" if rebuild else "/reindex"
        record_quietly(services.store, entry_from_report(report, origin, actor or Actor("?")))
        text = render_ingest_report(report, language)
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
        log.error("/reindex failed: %s", exception_summary(exc))
        text = texts.say("reindex_failed", language, reason=f"{type(exc).__name__}: {exc}")
    finally:
        services.ingest_lock.release()
        await send_quietly(bot, chat_id, split_message(text))


@requires(Role.ADMIN, refusal="document_not_admin")
async def upload(update: Update, context: BotContext) -> None:
    """A document in a private chat: admins add it to the knowledge base (its caption, when
    given, becomes its title)."""
    message = message_of(update)
    document = message.document
    if document is None:
        return
    services = context.services
    language = texts.user_language(update.effective_user)
    limit = services.settings.max_upload_mb
    # Checked before downloading anything: Telegram tells us the name and size up front.
    check = check_upload(document.file_name, document.file_size, limit)
    if check.problem == "unsupported":
        kind = check.extension.lstrip(".").upper() or (
            "tanpa ekstensi" if language == "id" else "extension-less"
        )
        await message.reply_text(
            texts.say(
                "upload_unsupported",
                language,
                name=check.name,
                kind=kind,
                supported=upload_formats(),
            )
        )
        return
    if check.problem == "too_big":
        size = f"{(document.file_size or 0) / MB:.1f}"
        await message.reply_text(
            texts.say("upload_too_big", language, name=check.name, size=size, limit=limit)
        )
        return
    if not services.ingest_lock.try_acquire():
        await message.reply_text(texts.say("ingest_busy", language))
        return
    ack = await _acknowledge(
        services, message, texts.say("upload_received", language, name=check.name)
    )
    sender = Sender(message.chat_id, update.effective_user.id if update.effective_user else 0)
    services.run_in_background(
        context.application,
        _ingest_upload(
            services,
            context.bot,
            document,
            check.name,
            sender,
            language,
            ack,
            message.caption,
            actor_of(update.effective_user),
        ),
        update,
    )


@dataclass(frozen=True)
class Sender:
    chat_id: int
    user_id: int


async def _ingest_upload(
    services: BotServices,
    bot: Bot,
    document: Document,
    name: str,
    sender: Sender,
    language: Language,
    ack: Message | None = None,
    caption: str | None = None,
    actor: Actor | None = None,
) -> None:
    """Download, read aside (OCR progress in the acknowledgement), then either ingest, or
    ask the admin first when the upload would replace something."""
    limit = services.settings.max_upload_mb
    caption = " ".join((caption or "").split())[:MAX_CAPTION_CHARS]
    parts = [texts.say("upload_interrupted", language, name=name)]
    markup: InlineKeyboardMarkup | None = None
    try:
        try:
            data = bytes(await (await document.get_file()).download_as_bytearray())
        except TelegramError as exc:
            log.warning("Downloading upload %s failed: %s", name, exc)
            parts = [texts.say("upload_download_failed", language, name=name, reason=str(exc))]
            return
        if len(data) > limit * MB:  # Telegram did not tell the size up front
            size = f"{len(data) / MB:.1f}"
            parts = [texts.say("upload_too_big", language, name=name, size=size, limit=limit)]
            return
        async with ProgressMessage(ack) as progress:

            def on_page(page: PageProgress) -> None:
                progress.update(progress_ocr(name, page, language))

            indexed = await asyncio.to_thread(services.engine.documents)
            inspection = await asyncio.to_thread(
                inspect_upload,
                services.settings,
                name,
                data,
                indexed,
                caption=caption,
                on_page=on_page,
            )
            if inspection.outcome is not None:
                parts = render_upload_outcome(inspection.outcome, language)
                return
            assert inspection.preview is not None
            if inspection.preview.plan.needs_confirmation:
                # The admin chooses; the bytes wait in the store (any replica may act on it).
                record = plan_record(inspection)
                upload_id = await asyncio.to_thread(
                    services.store.save_pending_upload,
                    sender.user_id,
                    sender.chat_id,
                    language,
                    name,
                    data,
                    record,
                    caption,
                )
                parts = [render_confirmation(name, record, language)]
                markup = confirmation_keyboard(upload_id, language)
                return
            parts = await save_upload(
                services, progress, name, data, language, caption=caption,
                ocr_pages=inspection.ocr_pages, indexed=indexed, actor=actor,
            )  # fmt: skip
    except IngestBusyError:
        parts = [texts.say("ingest_busy", language)]
    except Exception as exc:
        log.error("Upload %s failed: %s", name, exception_summary(exc))
        reason = str(exc) if isinstance(exc, ReplikasiError) else f"{type(exc).__name__}: {exc}"
        parts = [texts.say("upload_error", language, name=name, reason=reason)]
    finally:
        services.ingest_lock.release()
        messages = split_message("\n\n".join(parts))
        # The choice buttons go under the last part only.
        if await send_quietly(bot, sender.chat_id, messages[:-1]):
            await send_quietly(bot, sender.chat_id, messages[-1:], reply_markup=markup)


async def save_upload(
    services: BotServices,
    progress: ProgressMessage,
    name: str,
    data: bytes,
    language: Language,
    *,
    caption: str = "",
    beside: bool = False,
    ocr_pages: int = 0,
    indexed: list[IndexedDocument] | None = None,
    actor: Actor | None = None,
) -> list[str]:
    """Save and ingest (in a worker thread; the caller holds the ingest lock); the summary
    for the admin, and the change in the ingest history (by `actor`). `indexed`: the
    documents indexed now, when the caller has them."""

    def on_progress(done: int, total: int) -> None:
        if total >= EMBED_PROGRESS_PASSAGES:
            progress.update(progress_embed(name, done, total, language))

    if indexed is None:
        indexed = await asyncio.to_thread(services.engine.documents)
    outcome = await asyncio.to_thread(
        save_and_ingest,
        services.settings,
        name,
        data,
        services.engine.embedding,
        caption=caption,
        beside=beside,
        indexed=indexed,
        on_progress=on_progress,
    )
    documents: list[IndexedDocument] = []
    if outcome.report is not None:
        if outcome.report.changed:
            services.engine.reload()
            entry = entry_from_report(outcome.report, f"upload {name}", actor or Actor("?"))
            record_quietly(services.store, entry)
        documents = await asyncio.to_thread(services.engine.documents)
    return render_upload_summary(outcome, documents, language, ocr_pages)


async def stats(update: Update, context: BotContext) -> None:
    """/stats: the usage chart (PNG) and the text summary."""
    message = message_of(update)
    services = context.services
    usage = services.store.stats(utc_offset_hours=services.settings.stats_utc_offset_hours)
    language = texts.user_language(update.effective_user)
    await send_stats(context.bot, message.chat_id, usage, language)


async def _acknowledge(services: BotServices, message: Message, text: str) -> Message | None:
    """Say the long operation started (the message progress is shown in). If saying so
    fails, the operation still runs (its result is the message that matters); if the handler
    is cancelled, the lock is freed."""
    try:
        return await message.reply_text(text)
    except asyncio.CancelledError:
        services.ingest_lock.release()
        raise
    except Exception as exc:
        log.warning("Could not acknowledge the request (%s); going ahead", exception_summary(exc))
        return None
