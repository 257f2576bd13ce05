"""/stats as a picture: a PNG with the questions per day by outcome (answered, not known,
abstained), the 👍 / 👎 count and the top topics of unanswered questions.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no global backend state),
so it is safe in a worker thread and needs no display.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.messages import Language
from bot.telegram.state import UsageStats

COLORS = {"answered": "#2e7d32", "not_known": "#f9a825", "abstained": "#c62828"}
LABELS: dict[Language, dict[str, str]] = {
    "id": {
        "title": "Statistik penggunaan, {days} hari terakhir",
        "days": "Pertanyaan per hari",
        "answered": "Terjawab",
        "not_known": "Tidak diketahui",
        "abstained": "Tidak terjawab",
        "votes": "Penilaian",
        "up": "Membantu",
        "down": "Tidak membantu",
        "topics": "Topik pertanyaan yang belum terjawab",
        "no_topics": "Belum ada",
    },
    "en": {
        "title": "Usage statistics, last {days} days",
        "days": "Questions per day",
        "answered": "Answered",
        "not_known": "Not known",
        "abstained": "Not answered",
        "votes": "Ratings",
        "up": "Helpful",
        "down": "Not helpful",
        "topics": "Topics of unanswered questions",
        "no_topics": "None yet",
    },
}


def render_stats_chart(
    stats: UsageStats, topics: list[tuple[str, int]], language: Language
) -> bytes:
    """The PNG bytes of the chart."""
    label = LABELS[language]
    figure = Figure(figsize=(9, 7), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    grid = figure.add_gridspec(2, 2, height_ratios=(3, 2), width_ratios=(1, 2))
    figure.suptitle(label["title"].format(days=len(stats.daily)), fontsize=14)

    days = figure.add_subplot(grid[0, :])
    positions = range(len(stats.daily))
    bottom = [0] * len(stats.daily)
    for outcome in ("answered", "not_known", "abstained"):
        values = [getattr(day, outcome) for day in stats.daily]
        days.bar(positions, values, bottom=bottom, color=COLORS[outcome], label=label[outcome])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    days.set_title(label["days"], loc="left")
    step = max(1, len(stats.daily) // 10)
    days.set_xticks(list(positions)[::step])
    days.set_xticklabels([day.day.strftime("%d/%m") for day in stats.daily][::step])
    days.yaxis.set_major_locator(MaxNLocator(integer=True))
    days.legend(loc="upper left")
    days.spines[["top", "right"]].set_visible(False)

    votes = figure.add_subplot(grid[1, 0])
    bars = votes.bar(
        [label["up"], label["down"]],
        [stats.feedback_up, stats.feedback_down],
        color=[COLORS["answered"], COLORS["abstained"]],
    )
    votes.bar_label(bars)
    votes.set_title(label["votes"], loc="left")
    votes.yaxis.set_major_locator(MaxNLocator(integer=True))
    votes.spines[["top", "right"]].set_visible(False)

    common = figure.add_subplot(grid[1, 1])
    common.set_title(label["topics"], loc="left")
    if topics:
        words = [word for word, _ in reversed(topics)]
        counts = [count for _, count in reversed(topics)]
        common.barh(words, counts, color=COLORS["abstained"])
        common.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        common.text(0.5, 0.5, label["no_topics"], ha="center", va="center")
        common.set_xticks([])
        common.set_yticks([])
    common.spines[["top", "right"]].set_visible(False)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
