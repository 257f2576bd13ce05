"""Sending the statistics: the chart (PNG) first, then the text summary. Used by /stats and
by the weekly digest to coordinators. A chart that cannot be drawn or sent leaves the text."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot

from bot.messages import Language
from bot.telegram import texts
from bot.telegram.render import render_stats
from bot.telegram.sending import send_quietly
from bot.telegram.state import UsageStats
from bot.telegram.topics import top_topics
from replikasi.logs import exception_summary

log = logging.getLogger(__name__)


async def send_stats(
    bot: Bot, chat_id: int, stats: UsageStats, language: Language, *, heading: str = ""
) -> bool:
    """The chart and the summary in `chat_id`; False when the summary could not be sent."""
    # matplotlib is imported on the first /stats, not when the bot starts.
    from bot.telegram.stats_chart import render_stats_chart

    topics = top_topics(stats.unanswered_questions)
    try:
        png = await asyncio.to_thread(render_stats_chart, stats, topics, language)
        await bot.send_photo(chat_id, png, caption=texts.say_plain("stats_chart", language))
    except Exception as exc:  # the numbers still go out as text
        log.warning("The /stats chart was not sent: %s", exception_summary(exc))
    parts = render_stats(stats, topics, language)
    if heading:
        parts[0] = f"{heading}\n\n{parts[0]}"
    return await send_quietly(bot, chat_id, parts)
