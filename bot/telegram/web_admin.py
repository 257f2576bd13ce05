"""Web sources from Telegram (admins): /tambah <url>, /sumber_web, /cek, and the scheduled
re-check on PTB's job queue.

Fetching and ingesting run in a worker thread under the ingest lock (the one every ingest
takes, across processes and replicas): the admin gets "working on it" at once and the result
as a new message. The scheduled check skips its round quietly when the lock is held (another
replica is checking, or an admin is uploading); the next tick tries again. A change is
announced to every admin in one message per source ("JIPPNas: 2 bagian berubah, 1
ditambah"); a source unreachable FAILURES_BEFORE_ALERT times in a row is announced once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
from collections.abc import Sequence

from telegram import Bot, Update, User

from bot.messages import Language
from bot.telegram import texts, web_texts
from bot.telegram.access import command_argument, message_of
from bot.telegram.render import split_message
from bot.telegram.sending import send_quietly
from bot.telegram.services import BotContext, BotServices
from ingest.history import SCHEDULE, Actor
from ingest.web.addresses import WebSourceError, loggable_url
from ingest.web.registry import WebSource
from ingest.web.sources import CheckOutcome, PassageDiff, WebSources
from replikasi.errors import IngestBusyError, ReplikasiError
from replikasi.logs import exception_summary

log = logging.getLogger(__name__)
# /cek reports progress every this many sources when there are more than this many.
PROGRESS_EVERY = 10
# The scheduled check wakes up this often (seconds) and fetches the sources that are due.
CHECK_TICK_SECONDS = 3600.0


def actor_of(user: User | None) -> Actor:
    if user is None:
        return Actor("?")
    return Actor(user.full_name or (user.username or ""), user.id)


def web_sources(services: BotServices) -> WebSources:
    return WebSources(
        services.settings,
        services.store,
        services.store,
        embedding=services.engine.embedding,
        clock=services.clock,
    )


# -- /tambah ---------------------------------------------------------------------------------
async def add_source(update: Update, context: BotContext) -> None:
    message = message_of(update)
    services = context.services
    language = texts.user_language(update.effective_user)
    words = command_argument(message).split()
    hours: float | None = None
    if len(words) == 2:
        try:
            hours = float(words[1].replace(",", "."))
        except ValueError:
            hours = -1
    if not words or len(words) > 2 or (hours is not None and not 0 <= hours <= 24 * 365):
        default = f"{services.settings.web_sources_check_hours:g}"
        await message.reply_text(web_texts.say("tambah_usage", language, hours=default))
        return
    if not services.ingest_lock.try_acquire():
        await message.reply_text(texts.say("ingest_busy", language))
        return
    try:
        await message.reply_text(web_texts.say("tambah_started", language, url=words[0]))
    except BaseException:
        services.ingest_lock.release()
        raise
    services.run_in_background(
        context.application,
        _add(services, context.bot, message.chat_id, language, words[0], hours, update),
        update,
    )


async def _add(
    services: BotServices,
    bot: Bot,
    chat_id: int,
    language: Language,
    url: str,
    hours: float | None,
    update: Update,
) -> None:
    parts = [texts.say("reindex_interrupted", language)]
    try:
        with web_sources(services) as web:
            known = web.registry.web_source(url.strip())
            outcome = await asyncio.to_thread(
                web.add, url, actor_of(update.effective_user), interval_hours=hours
            )
        if outcome.index_changed:
            services.engine.reload()
        default = services.settings.web_sources_check_hours
        parts = [render_added(outcome, language, known is not None, default)]
        if outcome.report is not None and outcome.report.flagged:
            parts.append(web_texts.say("tambah_flagged", language))
    except IngestBusyError:
        parts = [texts.say("ingest_busy", language)]
    except ReplikasiError as exc:
        parts = [web_texts.say("tambah_failed", language, reason=str(exc))]
    except Exception as exc:
        log.error("/tambah %s failed: %s", loggable_url(url), exception_summary(exc))
        reason = f"{type(exc).__name__}: {exc}"
        parts = [web_texts.say("tambah_failed", language, reason=reason)]
    finally:
        services.ingest_lock.release()
        await send_quietly(bot, chat_id, parts)


def render_added(
    outcome: CheckOutcome, language: Language, known: bool, default_hours: float
) -> str:
    source = outcome.source
    title = source.title or source.doc_id
    if known or outcome.status != "added":
        return web_texts.say_raw(
            "tambah_known",
            language,
            id=str(source.source_id),
            title=_escape(title),
            result=render_result(outcome, language),
        )
    return web_texts.say(
        "tambah_done",
        language,
        id=source.source_id,
        title=title,
        kind=source.kind.upper(),
        passages=outcome.diff.total,
        every=render_every(source, language, default_hours),
        url=source.url,
    )


def render_result(outcome: CheckOutcome, language: Language) -> str:
    if outcome.status == "failed":
        return web_texts.say("result_failed", language, reason=outcome.error)
    if outcome.status == "changed":
        return web_texts.say("result_changed", language, diff=render_diff(outcome.diff, language))
    return web_texts.say("result_unchanged", language)


def render_every(source: WebSource, language: Language, default_hours: float) -> str:
    hours = source.interval(default_hours)
    if hours <= 0:
        return web_texts.say_plain("every_never", language)
    return web_texts.say_plain("every_hours", language, hours=f"{hours:g}")


def render_diff(diff: PassageDiff, language: Language) -> str:
    parts = []
    if diff.changed:
        parts.append(web_texts.say_plain("diff_changed", language, n=diff.changed))
    if diff.added:
        parts.append(web_texts.say_plain("diff_added", language, n=diff.added))
    if diff.removed:
        parts.append(web_texts.say_plain("diff_removed", language, n=diff.removed))
    return ", ".join(parts) or web_texts.say_plain("diff_none", language)


# -- /sumber_web -----------------------------------------------------------------------------
async def list_sources(update: Update, context: BotContext) -> None:
    message = message_of(update)
    services = context.services
    language = texts.user_language(update.effective_user)
    sources = await asyncio.to_thread(services.store.web_sources)
    if not sources:
        await message.reply_text(web_texts.say("sources_web_empty", language))
        return
    offset = services.settings.stats_utc_offset_hours
    lines = [web_texts.say("sources_web_header", language, count=len(sources))]
    for source in sources:
        default = services.settings.web_sources_check_hours
        lines.append(render_source_line(source, language, offset, default))
    for part in split_message("\n\n".join(lines)):
        await message.reply_text(part)


def render_source_line(
    source: WebSource, language: Language, offset_hours: float, default_hours: float
) -> str:
    icon = {"ok": "✅", "new": "🆕", "failing": "⚠️", "unreachable": "❌"}[source.state]
    error = ""
    if source.failures:
        error = web_texts.say(
            "sources_web_error", language, failures=source.failures, reason=source.last_error
        )
    return web_texts.say_raw(
        "sources_web_line",
        language,
        icon=icon,
        id=str(source.source_id),
        title=_escape(source.title or source.doc_id),
        kind=source.kind.upper(),
        url=_escape(source.url),
        checked=format_time(source.last_checked, offset_hours, language),
        changed=format_time(source.last_changed, offset_hours, language),
        every=_escape(render_every(source, language, default_hours)),
        error=error,
    )


def format_time(moment: float | None, offset_hours: float, language: Language) -> str:
    if moment is None:
        return web_texts.say_plain("never", language)
    zone = dt.timezone(dt.timedelta(hours=offset_hours))
    return dt.datetime.fromtimestamp(moment, zone).strftime("%d/%m/%Y %H:%M")


# -- /cek and the scheduled check -----------------------------------------------------------
async def check_now(update: Update, context: BotContext) -> None:
    message = message_of(update)
    services = context.services
    language = texts.user_language(update.effective_user)
    count = len(await asyncio.to_thread(services.store.web_sources))
    if not count:
        await message.reply_text(web_texts.say("cek_none", language))
        return
    if not services.ingest_lock.try_acquire():
        await message.reply_text(texts.say("ingest_busy", language))
        return
    try:
        await message.reply_text(web_texts.say("cek_started", language, count=count))
    except BaseException:
        services.ingest_lock.release()
        raise
    services.run_in_background(
        context.application,
        _check(services, context.bot, message.chat_id, language, actor_of(update.effective_user)),
        update,
    )


async def _check(
    services: BotServices, bot: Bot, chat_id: int, language: Language, actor: Actor
) -> None:
    loop = asyncio.get_running_loop()
    parts = [texts.say("reindex_interrupted", language)]

    def on_each(done: int, total: int, outcome: CheckOutcome) -> None:
        if total > PROGRESS_EVERY and done % PROGRESS_EVERY == 0 and done < total:
            text = web_texts.say("cek_progress", language, done=done, total=total)
            asyncio.run_coroutine_threadsafe(send_quietly(bot, chat_id, [text]), loop)

    try:
        with web_sources(services) as web:
            outcomes = await asyncio.to_thread(
                web.check_all, actor, only_due=False, on_each=on_each
            )
        await _after_round(services, bot, outcomes, skip_chat=chat_id)
        parts = [render_round(outcomes, language)]
    except IngestBusyError:
        parts = [texts.say("ingest_busy", language)]
    except Exception as exc:
        log.error("/cek failed: %s", exception_summary(exc))
        parts = [texts.say("reindex_failed", language, reason=f"{type(exc).__name__}: {exc}")]
    finally:
        services.ingest_lock.release()
        await send_quietly(bot, chat_id, parts)


def render_round(outcomes: Sequence[CheckOutcome], language: Language) -> str:
    counts = {status: 0 for status in ("unchanged", "changed", "failed")}
    for outcome in outcomes:
        counts["changed" if outcome.status in ("changed", "added") else outcome.status] += 1
    lines = [web_texts.say("cek_done", language, **counts)]
    for outcome in outcomes:
        source = outcome.source
        if outcome.status == "changed":
            lines.append(render_change(outcome, language))
        elif outcome.status == "failed":
            lines.append(
                web_texts.say(
                    "cek_failed_line",
                    language,
                    id=source.source_id,
                    title=source.title or source.doc_id,
                    reason=outcome.error,
                )
            )
    return "\n\n".join(lines)


def render_change(outcome: CheckOutcome, language: Language) -> str:
    source = outcome.source
    return web_texts.say(
        "changed_notice",
        language,
        title=source.title or source.doc_id,
        diff=render_diff(outcome.diff, language),
        url=source.url,
    )


async def _after_round(
    services: BotServices,
    bot: Bot,
    outcomes: Sequence[CheckOutcome],
    *,
    skip_chat: int | None = None,
) -> None:
    """Reload the engine once if anything changed; tell the admins (in Indonesian, as the
    digest does) about each change and each source that just became unreachable. The admin
    who asked with /cek reads it in the round's summary instead."""
    if any(outcome.index_changed for outcome in outcomes):
        services.engine.reload()
    notices = []
    for outcome in outcomes:
        if outcome.status == "changed":
            notices.append(render_change(outcome, "id"))
        elif outcome.alert:
            source = outcome.source
            notices.append(
                web_texts.say(
                    "unreachable_notice",
                    "id",
                    title=source.title or source.doc_id,
                    failures=source.failures,
                    url=source.url,
                    reason=outcome.error,
                )
            )
    if not notices:
        return
    for admin in services.settings.admin_ids:
        if admin != skip_chat:
            await send_quietly(bot, admin, notices)


async def scheduled_check(context: BotContext) -> None:
    """The job: check the sources that are due, unless another check or ingest runs."""
    services = context.services
    if not services.ingest_lock.try_acquire():
        log.info("Web sources not checked this round: another ingest or check is running")
        return
    try:
        with web_sources(services) as web:
            outcomes = await asyncio.to_thread(web.check_all, SCHEDULE, only_due=True)
        await _after_round(services, context.bot, outcomes)
    except IngestBusyError:
        log.info("Web sources not checked this round: another ingest is running")
    except WebSourceError as exc:
        log.warning("Checking web sources failed: %s", exc)
    except Exception as exc:  # the next tick tries again
        log.error("Checking web sources failed: %s", exception_summary(exc))
    finally:
        services.ingest_lock.release()


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
