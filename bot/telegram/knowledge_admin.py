"""/hapus <id> (with a confirm button) and /riwayat (admins).

/hapus takes a document id (as /sumber and `replikasi sources` show it), a web source's
number (/sumber_web) or its address. After the admin presses 🗑️, the document leaves the
index, its file leaves the knowledge folder when it lives there (an upload, a web source),
and a web source leaves the registry. A file holding several documents (a catalogue) is not
deleted for one of them: the admin is told to edit it.

Callback data: `x:y:<key>` (remove), `x:n` (cancel); the key is a short hash of the
document id, looked up again when the button is pressed.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
from dataclasses import dataclass
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.messages import Language
from bot.telegram import texts, web_texts
from bot.telegram.access import command_argument, message_of
from bot.telegram.render import split_message
from bot.telegram.services import BotContext, BotServices
from bot.telegram.web_admin import actor_of, format_time, web_sources
from ingest.history import SCHEDULE, Actor, HistoryEntry, record_quietly
from ingest.removal import delete_source_file, remove_documents
from ingest.web.registry import WebSource
from replikasi.errors import IngestBusyError, ReplikasiError
from replikasi.index import IndexedDocument, KnowledgeIndex
from replikasi.logs import exception_summary

log = logging.getLogger(__name__)
HISTORY_SHOWN = 15
NAMES_SHOWN = 5


@dataclass(frozen=True)
class Target:
    """What /hapus would remove."""

    doc_id: str
    title: str
    document: IndexedDocument | None
    source: WebSource | None
    shared_with: int = 0  # other documents read from the same file

    @property
    def key(self) -> str:
        return hashlib.sha256(self.doc_id.encode("utf-8")).hexdigest()[:12]


def find_target(services: BotServices, key: str) -> Target | None:
    documents = KnowledgeIndex.open(services.settings).documents()
    source = services.store.web_source(key)
    doc_id = source.doc_id if source is not None else key
    document = next((d for d in documents if d.doc_id == doc_id), None)
    if document is None and source is None:
        document = next((d for d in documents if d.doc_id.lower() == key.lower()), None)
        if document is None:
            return None
    if source is None and document is not None:
        source = services.store.web_source(document.doc_id)
    shared = 0
    if document is not None and document.source_path:
        shared = sum(
            1 for d in documents if d.source_path == document.source_path and d is not document
        )
    title = (document.title if document else "") or (source.title if source else "") or doc_id
    return Target(document.doc_id if document else doc_id, title, document, source, shared)


def target_by_key(services: BotServices, key: str) -> Target | None:
    documents = KnowledgeIndex.open(services.settings).documents()
    ids = [d.doc_id for d in documents] + [s.doc_id for s in services.store.web_sources()]
    for doc_id in ids:
        if hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:12] == key:
            return find_target(services, doc_id)
    return None


# -- /hapus ----------------------------------------------------------------------------------
async def remove_command(update: Update, context: BotContext) -> None:
    message = message_of(update)
    services = context.services
    language = texts.user_language(update.effective_user)
    key = command_argument(message)
    if not key:
        await message.reply_text(web_texts.say("hapus_usage", language))
        return
    target = await asyncio.to_thread(find_target, services, key)
    if target is None:
        await message.reply_text(web_texts.say("hapus_unknown", language, name=key))
        return
    if target.shared_with and target.source is None and target.document is not None:
        await message.reply_text(
            web_texts.say(
                "hapus_shared_file",
                language,
                title=target.title,
                file=target.document.path,
                count=target.shared_with + 1,
            )
        )
        return
    extra = ""
    if target.source is not None:
        extra = web_texts.say(
            "hapus_confirm_web", language, id=target.source.source_id, url=target.source.url
        )
    elif target.document is not None and _in_knowledge_folder(services, target.document):
        extra = web_texts.say("hapus_confirm_file", language, file=target.document.path)
    text = web_texts.say_raw(
        "hapus_confirm",
        language,
        title=html.escape(target.title, quote=False),
        doc_id=html.escape(target.doc_id, quote=False),
        extra=extra,
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    web_texts.say_plain("button_delete", language),
                    callback_data=f"x:y:{target.key}",
                ),
                InlineKeyboardButton(
                    web_texts.say_plain("button_cancel", language), callback_data="x:n"
                ),
            ]
        ]
    )
    await message.reply_text(text, reply_markup=keyboard)


async def remove_button(update: Update, context: BotContext) -> None:
    """The 🗑️ / Cancel buttons under a /hapus question (admins only, see app.py)."""
    query = update.callback_query
    if query is None:
        return
    services = context.services
    language = texts.user_language(query.from_user)
    parts = (query.data or "").split(":")
    if parts[:2] == ["x", "n"] or len(parts) != 3:
        await query.answer()
        await query.edit_message_text(web_texts.say("hapus_cancelled", language))
        return
    target = await asyncio.to_thread(target_by_key, services, parts[2])
    if target is None:
        await query.answer()
        await query.edit_message_text(web_texts.say("hapus_gone", language))
        return
    if not services.ingest_lock.try_acquire():
        await query.answer(texts.say_plain("ingest_busy", language), show_alert=True)
        return
    try:
        await query.answer()
        await query.edit_message_text(web_texts.say("hapus_working", language, title=target.title))
    except BaseException:
        services.ingest_lock.release()
        raise
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    services.run_in_background(
        context.application,
        _remove(services, context, chat_id, language, target, actor_of(query.from_user)),
        update,
    )


async def _remove(
    services: BotServices,
    context: BotContext,
    chat_id: int,
    language: Language,
    target: Target,
    actor: Actor,
) -> None:
    text = texts.say("reindex_interrupted", language)
    try:
        await asyncio.to_thread(remove_target, services, target, actor)
        services.engine.reload()
        text = web_texts.say("hapus_done", language, title=target.title)
    except IngestBusyError:
        text = texts.say("ingest_busy", language)
    except ReplikasiError as exc:
        text = web_texts.say("hapus_failed", language, reason=str(exc))
    except Exception as exc:
        log.error("/hapus %s failed: %s", target.doc_id, exception_summary(exc))
        text = web_texts.say("hapus_failed", language, reason=f"{type(exc).__name__}: {exc}")
    finally:
        services.ingest_lock.release()
        try:
            await context.bot.send_message(chat_id, text)
        except Exception as exc:
            log.warning("Could not report the removal: %s", exception_summary(exc))


def remove_target(services: BotServices, target: Target, actor: Actor) -> None:
    """Blocking: call in a worker thread, holding the ingest lock."""
    if target.source is not None:
        with web_sources(services) as web:
            web.remove(target.source, actor)
        return
    assert target.document is not None
    report = remove_documents(services.settings, [target.doc_id])
    if _in_knowledge_folder(services, target.document):
        delete_source_file(services.settings, target.document.source_path)
    record_quietly(
        services.store,
        HistoryEntry(
            origin=target.document.path or target.doc_id,
            actor=actor,
            removed=tuple(report.removed) or (target.doc_id,),
            detail="/hapus",
        ),
    )


def _in_knowledge_folder(services: BotServices, document: IndexedDocument) -> bool:
    if not document.source_path:
        return False
    knowledge = services.settings.knowledge_dir.resolve()
    return Path(document.source_path).resolve().is_relative_to(knowledge)


# -- /riwayat --------------------------------------------------------------------------------
async def history_command(update: Update, context: BotContext) -> None:
    message = message_of(update)
    services = context.services
    language = texts.user_language(update.effective_user)
    entries = await asyncio.to_thread(services.store.history, HISTORY_SHOWN)
    if not entries:
        await message.reply_text(web_texts.say("riwayat_empty", language))
        return
    offset = services.settings.stats_utc_offset_hours
    lines = [web_texts.say("riwayat_header", language)]
    lines += [render_entry(entry, language, offset) for entry in entries]
    for part in split_message("\n\n".join(lines)):
        await message.reply_text(part)


def render_entry(entry: HistoryEntry, language: Language, offset_hours: float) -> str:
    actor = (
        web_texts.say_plain("actor_schedule", language)
        if entry.actor == SCHEDULE
        else entry.actor.describe()
    )
    head = f"• <b>{format_time(entry.at, offset_hours, language)}</b> · {_e(actor)} · "
    head += f"{_e(_clip(entry.origin, 80))}"
    changes = []
    for key, names in (
        ("riwayat_added", entry.added),
        ("riwayat_updated", entry.updated),
        ("riwayat_removed", entry.removed),
    ):
        if names:
            shown = ", ".join(names[:NAMES_SHOWN]) + (" …" if len(names) > NAMES_SHOWN else "")
            changes.append(f"{web_texts.say_plain(key, language)} ({len(names)}): {_e(shown)}")
    if not changes and not entry.detail:
        changes.append(web_texts.say_plain("riwayat_nochange", language))
    body = "\n  ".join(changes)
    detail = f"\n  <i>{_e(_clip(entry.detail, 200))}</i>" if entry.detail else ""
    return head + (f"\n  {body}" if body else "") + detail


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _e(text: str) -> str:
    return html.escape(text, quote=False)
