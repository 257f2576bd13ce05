"""Questions: a private message, a group message addressed to the bot, /tanya, an example
button. Each is answered by the engine with the chat's recent turns; the exchange is stored
(for follow-ups, the buttons and /stats) and the answer sent with its buttons."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from telegram import Bot, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError

from bot.engine import InvalidQuestionError, validate_question
from bot.telegram import texts
from bot.telegram.access import addressed_question, message_of
from bot.telegram.keyboards import answer_keyboard, examples_keyboard
from bot.telegram.render import escape, render_answer_html
from bot.telegram.services import BotContext
from replikasi.records import Answer, Turn


async def private_text(update: Update, context: BotContext) -> None:
    message = message_of(update)
    await answer_question(update, context, message.text or "", reply_to=message)


async def group_text(update: Update, context: BotContext) -> None:
    """In groups only messages that mention the bot or reply to it are questions."""
    message = message_of(update)
    question = addressed_question(message, context.bot)
    if question is None:
        return
    if not question:
        language = texts.user_language(update.effective_user)
        await message.reply_text(texts.say("tanya_usage", language))
        return
    await answer_question(update, context, question, reply_to=message)


async def non_text(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice notes… in a private chat: say what the bot can read."""
    language = texts.user_language(update.effective_user)
    await message_of(update).reply_text(texts.say("non_text", language))


async def answer_question(
    update: Update,
    context: BotContext,
    question: str,
    *,
    reply_to: Message | None,
    heading: str | None = None,
) -> None:
    """Ask the engine (with the chat's recent turns), store the exchange, send the answer."""
    services = context.services
    chat = update.effective_chat
    if chat is None:
        return  # nowhere to answer (never the case for messages and buttons)
    try:
        # Checked here first so that an emoji or a question in another script is answered
        # in the user's Telegram language (the engine can only guess from the words).
        language = texts.user_language(update.effective_user, question)
        validate_question(" ".join(question.split()), language)
    except InvalidQuestionError as exc:
        await _send(context.bot, chat.id, escape(str(exc)), reply_to=reply_to)
        return
    with contextlib.suppress(TelegramError):  # "typing…" is nice to have, never essential
        await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    store = services.store
    history = store.turns(chat.id)
    try:
        answer = await asyncio.to_thread(services.engine.answer, question, history)
    except InvalidQuestionError as exc:
        await _send(context.bot, chat.id, escape(str(exc)), reply_to=reply_to)
        return
    if answer.small_talk:  # not a question: no sources, no log, no turn of the conversation
        await _send(
            context.bot,
            chat.id,
            escape(answer.text),
            reply_to=reply_to,
            reply_markup=examples_keyboard(answer.language),
        )
        return
    parts = render_answer_html(answer, heading=heading)
    answer_id = store.save_answer(chat.id, answer, parts[-1])
    store.add_turn(chat.id, Turn.of(answer))
    store.log_question(answer)
    keyboard = answer_keyboard(
        answer_id,
        [c.number for c in answer.citations],
        answer.language,
        plan=chat.type == ChatType.PRIVATE and cites_innovation(answer),
    )
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        await _send(
            context.bot,
            chat.id,
            part,
            reply_to=reply_to if i == 0 else None,
            reply_markup=keyboard if last else None,
        )


async def _send(
    bot: Bot, chat_id: int, html: str, *, reply_to: Message | None, reply_markup: Any = None
) -> Message:
    if reply_to is not None:
        return await reply_to.reply_text(html, reply_markup=reply_markup)
    return await bot.send_message(chat_id, html, reply_markup=reply_markup)


def cites_innovation(answer: Answer) -> bool:
    """Whether the answer cites an innovation profile (a plan can then start from it)."""
    cited = {c.chunk_id for c in answer.citations}
    return answer.outcome == "answered" and any(
        chunk.doc_type == "innovation" for chunk in answer.chunks if chunk.chunk_id in cited
    )
