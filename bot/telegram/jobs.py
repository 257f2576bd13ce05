"""Work the bot does on a clock (PTB's job queue): housekeeping of the store every
PRUNE_INTERVAL_MINUTES (idle conversations, old answers, personal data past its retention),
and, when WEEKLY_DIGEST is on, the statistics sent to COORDINATOR_IDS once a week, and the
re-check of web sources (`web_admin.scheduled_check`, every hour for the sources due by
WEB_SOURCES_CHECK_HOURS; one replica at a time through the ingest lock).

With several replicas every one runs the jobs: pruning twice is harmless, and the store
lets only the first replica claim each week's digest.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from telegram.ext import Application, JobQueue

from bot.telegram import texts
from bot.telegram.services import BotContext
from bot.telegram.stats_report import send_stats
from bot.telegram.web_admin import CHECK_TICK_SECONDS, scheduled_check
from replikasi.logs import exception_summary
from replikasi.settings import Settings

log = logging.getLogger(__name__)


def schedule_jobs(
    application: Application[Any, Any, Any, Any, Any, Any], settings: Settings
) -> None:
    queue: JobQueue[Any] | None = application.job_queue
    if queue is None:
        raise RuntimeError("the job queue is missing: install python-telegram-bot[job-queue]")
    interval = settings.prune_interval_minutes * 60
    queue.run_repeating(prune_store, interval=interval, first=interval, name="prune")
    if settings.web_sources_check_hours > 0:
        tick = min(CHECK_TICK_SECONDS, settings.web_sources_check_hours * 3600)
        queue.run_repeating(scheduled_check, interval=tick, first=tick, name="web-sources")
    if settings.weekly_digest:
        zone = dt.timezone(dt.timedelta(hours=settings.stats_utc_offset_hours))
        queue.run_daily(
            weekly_digest,
            time=dt.time(settings.weekly_digest_hour, tzinfo=zone),
            # PTB counts days from Sunday (0); the setting from Monday (0), like Python.
            days=((settings.weekly_digest_weekday + 1) % 7,),
            name="weekly-digest",
        )


async def prune_store(context: BotContext) -> None:
    try:
        await asyncio.to_thread(context.services.store.prune)
    except Exception as exc:  # the next run tries again
        log.warning("Pruning the bot store failed: %s", exception_summary(exc))


async def weekly_digest(context: BotContext) -> None:
    services = context.services
    settings = services.settings
    zone = dt.timezone(dt.timedelta(hours=settings.stats_utc_offset_hours))
    year, week, _ = dt.datetime.now(zone).isocalendar()
    if not services.store.claim_digest(f"{year}-W{week:02d}"):
        return  # another replica has sent it
    stats = services.store.stats(days=30, utc_offset_hours=settings.stats_utc_offset_hours)
    heading = texts.say("digest_heading", "id")
    sent = 0
    for coordinator in settings.coordinator_ids:
        sent += await send_stats(context.bot, coordinator, stats, "id", heading=heading)
    log.info("Weekly digest sent to %d of %d coordinators", sent, len(settings.coordinator_ids))
