"""The inline buttons: 📄 a source in place of the answer, ⬅️ back, 👍 / 👎, and the example
questions under /start. Callback data holds only a short answer id (see keyboards.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.messages import EXAMPLE_QUESTIONS
from bot.telegram import texts
from bot.telegram.answering import answer_question
from bot.telegram.keyboards import answer_keyboard, offers_plan, parse_callback, showing_in
from bot.telegram.render import render_passage_html
from bot.telegram.services import BotContext


async def button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    press = parse_callback(query.data)
    if press is None:
        await query.answer()
        return
    if press.action == "example":
        await query.answer()
        examples = EXAMPLE_QUESTIONS[press.language]
        if 0 <= press.number < len(examples):
            question = examples[press.number]
            await answer_question(update, context, question, reply_to=None, heading=question)
        return

    store = context.services.store
    stored = store.answer(press.answer_id)
    if stored is None:
        language = texts.user_language(query.from_user)
        await query.answer(texts.say_plain("answer_expired", language), show_alert=True)
        return
    language = stored.language
    numbers = [c.number for c in stored.citations]
    private = query.message is not None and query.message.chat.type == ChatType.PRIVATE
    # In groups the keyboard is shared by everyone, so it does not show one person's vote.
    vote = store.feedback(stored.answer_id).get(query.from_user.id) if private else None
    shown = query.message if isinstance(query.message, Message) else None
    plan = offers_plan(shown.reply_markup if shown else None)

    if press.action == "feedback":
        store.record_feedback(stored.answer_id, stored.chat_id, query.from_user.id, press.number)
        key = "feedback_up" if press.number > 0 else "feedback_down"
        await query.answer(texts.say_plain(key, language))
        if private:
            showing = showing_in(shown.reply_markup if shown else None)
            markup = answer_keyboard(
                stored.answer_id, numbers, language, showing=showing, vote=press.number, plan=plan
            )
            with _unless_unchanged():
                await query.edit_message_reply_markup(markup)
        return

    await query.answer()
    if press.action == "source":
        citation = stored.citation(press.number)
        if citation is None:
            return
        html = render_passage_html(citation, language, stored.text)
        markup = answer_keyboard(
            stored.answer_id, numbers, language, showing=press.number, vote=vote, plan=plan
        )
    else:  # back to the answer
        html = stored.reply_html
        markup = answer_keyboard(stored.answer_id, numbers, language, vote=vote, plan=plan)
    with _unless_unchanged():
        await query.edit_message_text(html, reply_markup=markup)


@contextlib.contextmanager
def _unless_unchanged() -> Iterator[None]:
    """Pressing the button of what is already shown makes Telegram answer "message is not
    modified"; that is not an error for the user."""
    try:
        yield
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
