"""/stats as a picture, its topics, and the jobs on the bot's clock: the weekly digest to
coordinators (opt-in, once per week across replicas) and the periodic housekeeping."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from pydantic import SecretStr

from bot.telegram.jobs import prune_store, weekly_digest
from bot.telegram.services import BotContext
from bot.telegram.state import DayStats, PeriodStats, UsageStats
from bot.telegram.stats_chart import COLORS, render_stats_chart
from bot.telegram.topics import top_topics
from replikasi.records import Answer, Turn
from replikasi.settings import Settings
from tests.telegram_fakes import Harness, run

COORDINATORS = [901, 902]


def _stats(*, answered: int = 5, abstained: int = 2) -> UsageStats:
    today = dt.date(2026, 3, 2)
    days = [DayStats(today - dt.timedelta(days=29 - i)) for i in range(30)]
    days[-1] = DayStats(today, answered=answered, not_known=1, abstained=abstained)
    return UsageStats(
        periods=[PeriodStats(7, answered, 1, abstained), PeriodStats(30, answered, 1, abstained)],
        feedback_up=4,
        feedback_down=1,
        daily=days,
    )


def _pixels(png: bytes, color: str) -> int:
    rgb = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    colors = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 20) or []
    return sum(count for count, pixel in colors if pixel == rgb)


def test_chart_is_a_png_with_the_outcomes_votes_and_topics() -> None:
    png = render_stats_chart(_stats(), [("sinovik", 3), ("jambi", 2)], "id")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(png)).size == (900, 700)
    for outcome in ("answered", "not_known", "abstained"):
        assert _pixels(png, COLORS[outcome]) > 50, outcome


def test_chart_of_a_quiet_month_still_draws() -> None:
    png = render_stats_chart(_stats(answered=0, abstained=0), [], "en")
    assert Image.open(io.BytesIO(png)).size == (900, 700)


def test_topics_are_the_content_words_most_unanswered_questions_share() -> None:
    questions = [
        "Bagaimana cara replikasi inovasi di Jambi?",
        "Apa itu inovasi Jambi 2030?",
        "What is the SINOVIK deadline?",
        "sinovik deadline kapan?",
        "resep rendang",
    ]
    assert top_topics(questions, limit=3) == [("inovasi", 2), ("jambi", 2), ("sinovik", 2)]


@pytest.fixture
def digest_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr("123456:TEST"),
            "coordinator_ids": COORDINATORS,
            "weekly_digest": True,
        }
    )


def _answer(question: str, outcome: str) -> Answer:
    return Answer(question=question, language="id", text="…", outcome=outcome)  # type: ignore[arg-type]


def test_weekly_digest_goes_to_every_coordinator_once(digest_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        h.store.log_question(_answer("Apa itu KIPP?", "answered"))
        h.store.log_question(_answer("Kapan SINOVIK 2030 dibuka?", "not_known"))
        [job] = h.app.job_queue.get_jobs_by_name("weekly-digest")  # type: ignore[union-attr]
        await weekly_digest(BotContext.from_job(job, h.app))
        await weekly_digest(BotContext.from_job(job, h.app))  # same week: already sent

    h = run(digest_settings, scenario)
    assert [c.params["chat_id"] for c in h.telegram.calls_of("sendPhoto")] == COORDINATORS
    summaries = h.telegram.of("sendMessage")
    assert [s["chat_id"] for s in summaries] == COORDINATORS
    assert all("Ringkasan mingguan" in s["text"] and "sinovik (1)" in s["text"] for s in summaries)


def test_digest_is_opt_in_and_housekeeping_always_runs(settings: Settings) -> None:
    bot_settings = settings.model_copy(
        update={"telegram_bot_token": SecretStr("123456:TEST"), "conversation_idle_minutes": 1}
    )

    async def scenario(h: Harness) -> None:
        queue = h.app.job_queue
        assert queue is not None and queue.get_jobs_by_name("weekly-digest") == ()
        [prune] = queue.get_jobs_by_name("prune")
        h.store.add_turn(5, Turn("Apa itu KIPP?", "Apa itu KIPP?"))
        h.store.clock = lambda: 4_000_000_000.0  # much later
        await prune_store(BotContext.from_job(prune, h.app))

    h = run(bot_settings, scenario)
    assert h.store.turns(5) == []
