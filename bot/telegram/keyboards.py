"""Inline keyboards and their callback data.

Callback data is limited to 64 bytes, so a button carries only a short answer id (see
`BotStore.save_answer`) and a number; everything else is looked up in the store, which also
keeps buttons working after a restart.

    s:<answer id>:<n>    show source n of the answer in place of the answer
    a:<answer id>        back to the answer
    f:<answer id>:+|-    👍 / 👎 feedback
    q:<lang>:<i>         ask example question i (from /start)
    r:<answer id>        make a replication plan for the innovation the answer cites
                         (handled with the other plan buttons, see plan_views.py)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import EXAMPLE_QUESTIONS, Language
from bot.telegram import plan_texts, texts

MAX_CALLBACK_BYTES = 64
SOURCES_PER_ROW = 5

Action = Literal["source", "answer", "feedback", "example"]


@dataclass(frozen=True)
class ButtonPress:
    action: Action
    answer_id: str = ""
    number: int = 0  # source number, example index, or the vote (+1 / -1)
    language: Language = "id"


def _data(*parts: object) -> str:
    data = ":".join(str(p) for p in parts)
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def answer_keyboard(
    answer_id: str,
    source_numbers: list[int],
    language: Language,
    *,
    showing: int | None = None,
    vote: int | None = None,
    plan: bool = False,
) -> InlineKeyboardMarkup:
    """📄 per source (the one on screen marked), ⬅️ back when a source is shown, 👍 / 👎,
    and 📝 (a replication plan) when the answer cites an innovation profile."""
    rows: list[list[InlineKeyboardButton]] = []
    sources = [
        InlineKeyboardButton(
            f"{'▸ ' if n == showing else ''}📄 {n}", callback_data=_data("s", answer_id, n)
        )
        for n in source_numbers
    ]
    rows += [sources[i : i + SOURCES_PER_ROW] for i in range(0, len(sources), SOURCES_PER_ROW)]
    last = []
    if showing is not None:
        last.append(
            InlineKeyboardButton(
                texts.say_plain("button_back", language), callback_data=_data("a", answer_id)
            )
        )
    last += [
        InlineKeyboardButton(
            "👍 ✓" if vote == 1 else "👍", callback_data=_data("f", answer_id, "+")
        ),
        InlineKeyboardButton(
            "👎 ✓" if vote == -1 else "👎", callback_data=_data("f", answer_id, "-")
        ),
    ]
    rows.append(last)
    if plan:
        label = plan_texts.say_plain("button_plan", language)
        rows.append([InlineKeyboardButton(label, callback_data=_data("r", answer_id))])
    return InlineKeyboardMarkup(rows)


def examples_keyboard(language: Language) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(question, callback_data=_data("q", language, i))]
            for i, question in enumerate(EXAMPLE_QUESTIONS[language])
        ]
    )


def parse_callback(data: str | None) -> ButtonPress | None:
    """The button pressed, or None for data this bot did not make (or an older format)."""
    parts = (data or "").split(":")
    try:
        match parts:
            case ["s", answer_id, number]:
                return ButtonPress("source", answer_id, int(number))
            case ["a", answer_id]:
                return ButtonPress("answer", answer_id)
            case ["f", answer_id, "+" | "-" as vote]:
                return ButtonPress("feedback", answer_id, 1 if vote == "+" else -1)
            case ["q", "id" | "en" as language, index]:
                return ButtonPress("example", number=int(index), language=language)
    except ValueError:
        return None
    return None


def showing_in(markup: InlineKeyboardMarkup | None) -> int | None:
    """Which source a message shows, read back from its keyboard (the marked 📄 button)."""
    for row in markup.inline_keyboard if markup is not None else ():
        for button in row:
            if button.text.startswith("▸ ") and isinstance(button.callback_data, str):
                press = parse_callback(button.callback_data)
                if press is not None and press.action == "source":
                    return press.number
    return None


def offers_plan(markup: InlineKeyboardMarkup | None) -> bool:
    """Whether a message's keyboard has the 📝 plan button (kept when it is redrawn)."""
    return any(
        isinstance(button.callback_data, str) and button.callback_data.startswith("r:")
        for row in (markup.inline_keyboard if markup is not None else ())
        for button in row
    )
