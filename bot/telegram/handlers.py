"""Handlers for everyone: commands, questions, buttons. Each parses the update, calls the
engine or the store, and renders; the answering itself is `AnswerEngine.answer`."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Iterator
from typing import Any

from telegram import Bot, Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.engine import InvalidQuestionError, validate_question
from bot.telegram import texts
from bot.telegram.keyboards import (
    answer_keyboard,
    examples_keyboard,
    parse_callback,
    showing_in,
)
from bot.telegram.render import (
    escape,
    render_answer_html,
    render_documents,
    render_innovations,
    render_passage_html,
)
from bot.telegram.services import get_services
from replikasi.records import Turn

Context = ContextTypes.DEFAULT_TYPE
INNOVATION_RESULTS = 20


# -- gatekeeping ---------------------------------------------------------------------------
async def enforce_allow_lists(update: Update, context: Context) -> None:
    """Runs before every other handler: when allow-lists are set, others are told the bot
    is private (in groups only when they address the bot) and nothing else runs."""
    services = get_services(context)
    user, chat = update.effective_user, update.effective_chat
    if services.is_allowed(user.id if user else None, chat.id if chat else None):
        return
    language = texts.user_language(user)
    if update.callback_query is not None:
        await update.callback_query.answer(
            texts.say_plain("private_bot", language), show_alert=True
        )
    elif (message := update.effective_message) is not None and (
        message.chat.type == ChatType.PRIVATE
        or is_command_for_me(message, context.bot)
        or addressed_question(message, context.bot) is not None
    ):
        await message.reply_text(texts.say("private_bot", language))
    raise ApplicationHandlerStop


# -- commands ------------------------------------------------------------------------------
async def start(update: Update, context: Context) -> None:
    message, user = _message(update), update.effective_user
    language = texts.user_language(user)
    name = (user.first_name if user else "") or ("Bapak/Ibu" if language == "id" else "there")
    await message.reply_text(
        texts.say("welcome", language, name=name), reply_markup=examples_keyboard(language)
    )


async def help_command(update: Update, context: Context) -> None:
    message, user = _message(update), update.effective_user
    services = get_services(context)
    language = texts.user_language(user)
    blocks = [texts.say("help", language, mention=f"@{context.bot.username}")]
    user_id = user.id if user else None
    if services.is_admin(user_id):
        blocks.append(texts.say("help_admin", language))
    elif services.can_see_stats(user_id):
        blocks.append(texts.say("help_coordinator", language))
    await message.reply_text("\n\n".join(blocks))


async def reset(update: Update, context: Context) -> None:
    message = _message(update)
    get_services(context).store.reset(message.chat_id)
    await message.reply_text(texts.say("reset_done", texts.user_language(update.effective_user)))


async def sources(update: Update, context: Context) -> None:
    """/sumber: the documents in the knowledge base."""
    message = _message(update)
    services = get_services(context)
    documents = await asyncio.to_thread(services.engine.documents)
    for part in render_documents(documents, texts.user_language(update.effective_user)):
        await message.reply_text(part)


async def innovations(update: Update, context: Context) -> None:
    """/inovasi <kata kunci>: innovation profiles matching the keywords."""
    message = _message(update)
    query = command_argument(message)
    language = texts.user_language(update.effective_user, query)
    if not query:
        await message.reply_text(texts.say("inovasi_usage", language))
        return
    services = get_services(context)
    matches = await asyncio.to_thread(services.engine.search_profiles, query, INNOVATION_RESULTS)
    await message.reply_text(render_innovations(query, matches, language))


async def ask_command(update: Update, context: Context) -> None:
    """/tanya <pertanyaan>: the way to ask in groups (works in private chats too)."""
    message = _message(update)
    question = command_argument(message)
    if not question:
        language = texts.user_language(update.effective_user)
        await message.reply_text(texts.say("tanya_usage", language))
        return
    await answer_question(update, context, question, reply_to=message)


async def unknown_command(update: Update, context: Context) -> None:
    language = texts.user_language(update.effective_user)
    await _message(update).reply_text(texts.say("unknown_command", language))


# -- messages ------------------------------------------------------------------------------
async def private_text(update: Update, context: Context) -> None:
    message = _message(update)
    await answer_question(update, context, message.text or "", reply_to=message)


async def group_text(update: Update, context: Context) -> None:
    """In groups only messages that mention the bot or reply to it are questions."""
    message = _message(update)
    question = addressed_question(message, context.bot)
    if question is None:
        return
    if not question:
        language = texts.user_language(update.effective_user)
        await message.reply_text(texts.say("tanya_usage", language))
        return
    await answer_question(update, context, question, reply_to=message)


async def non_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice notes… in a private chat: say what the bot can read."""
    language = texts.user_language(update.effective_user)
    await _message(update).reply_text(texts.say("non_text", language))


# -- answering -----------------------------------------------------------------------------
async def answer_question(
    update: Update,
    context: Context,
    question: str,
    *,
    reply_to: Message | None,
    heading: str | None = None,
) -> None:
    """Ask the engine (with the chat's recent turns), store the exchange, send the answer."""
    services = get_services(context)
    chat = update.effective_chat
    assert chat is not None
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
    history = services.store.turns(chat.id)
    try:
        answer = await asyncio.to_thread(services.engine.answer, question, history)
    except InvalidQuestionError as exc:
        await _send(context.bot, chat.id, escape(str(exc)), reply_to=reply_to)
        return
    parts = render_answer_html(answer, heading=heading)
    store = services.store
    answer_id = store.save_answer(chat.id, answer, parts[-1])
    store.add_turn(
        chat.id,
        Turn.of(answer),
    )
    store.log_question(answer)
    keyboard = answer_keyboard(answer_id, [c.number for c in answer.citations], answer.language)
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


# -- buttons -------------------------------------------------------------------------------
async def button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    press = parse_callback(query.data)
    if press is None:
        await query.answer()
        return
    if press.action == "example":
        await query.answer()
        examples = texts.EXAMPLE_QUESTIONS[press.language]
        if 0 <= press.number < len(examples):
            question = examples[press.number]
            await answer_question(update, context, question, reply_to=None, heading=question)
        return

    services = get_services(context)
    stored = services.store.answer(press.answer_id)
    if stored is None:
        language = texts.user_language(query.from_user)
        await query.answer(texts.say_plain("answer_expired", language), show_alert=True)
        return
    language = stored.language
    numbers = [c.number for c in stored.citations]
    private = query.message is not None and query.message.chat.type == ChatType.PRIVATE
    # In groups the keyboard is shared by everyone, so it does not show one person's vote.
    vote = services.store.feedback(stored.answer_id).get(query.from_user.id) if private else None

    if press.action == "feedback":
        services.store.record_feedback(
            stored.answer_id, stored.chat_id, query.from_user.id, press.number
        )
        key = "feedback_up" if press.number > 0 else "feedback_down"
        await query.answer(texts.say_plain(key, language))
        if private:
            shown = query.message if isinstance(query.message, Message) else None
            showing = showing_in(shown.reply_markup if shown else None)
            markup = answer_keyboard(
                stored.answer_id, numbers, language, showing=showing, vote=press.number
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
            stored.answer_id, numbers, language, showing=press.number, vote=vote
        )
    else:  # back to the answer
        html = stored.reply_html
        markup = answer_keyboard(stored.answer_id, numbers, language, vote=vote)
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


# -- parsing helpers -----------------------------------------------------------------------
def _message(update: Update) -> Message:
    message = update.effective_message
    assert message is not None  # the handlers using this only match message updates
    return message


def command_argument(message: Message) -> str:
    """The text after `/command` (or `/command@bot`), whitespace normalized."""
    parts = (message.text or "").split(maxsplit=1)
    return " ".join(parts[1].split()) if len(parts) > 1 else ""


def is_command_for_me(message: Message, bot: Bot) -> bool:
    entity = next(iter(message.entities), None)
    if entity is None or entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
        return False
    command = message.parse_entity(entity)
    return "@" not in command or command.split("@", 1)[1].lower() == (bot.username or "").lower()


def addressed_question(message: Message, bot: Bot) -> str | None:
    """The question when a group message mentions the bot or replies to it, else None.
    The mention itself is removed ("@Bot apa itu KIPP?" → "apa itu KIPP?")."""
    text = message.text or ""
    me = f"@{bot.username}".lower()
    mentioned = any(
        value.lower() == me for value in message.parse_entities([MessageEntity.MENTION]).values()
    )
    replied = message.reply_to_message
    to_bot = (
        replied is not None and replied.from_user is not None and replied.from_user.id == bot.id
    )
    if not mentioned and not to_bot:
        return None
    if mentioned:
        text = re.sub(re.escape(me) + r"\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split()).strip(" ,:;-")
