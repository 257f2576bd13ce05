"""Who is served and who may do what; which group messages are meant for the bot.

- `enforce_allow_lists` runs before every other handler (group -1).
- `requires(role)` guards a handler: others are told so, and nothing else runs. The command
  table applies it to every command from the role in its row; use it directly for handlers
  that are not commands (the upload of a document).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from telegram import Bot, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.telegram import texts
from bot.telegram.menus import Callback, Role
from bot.telegram.services import BotContext

# What someone without the role is told, unless the handler says otherwise.
REFUSALS = {Role.COORDINATOR: "stats_only", Role.ADMIN: "admin_only"}


def requires(role: Role, refusal: str | None = None) -> Callable[[Callback], Callback]:
    """Let only users with at least `role` through; tell the others (texts key `refusal`)."""

    def guard(handler: Callback) -> Callback:
        if role == Role.EVERYONE:
            return handler

        @functools.wraps(handler)
        async def guarded(update: Update, context: BotContext) -> None:
            user = update.effective_user
            if context.services.role_of(user.id if user else None) >= role:
                await handler(update, context)
                return
            language = texts.user_language(user)
            key = refusal or REFUSALS[role]
            if update.callback_query is not None:
                await update.callback_query.answer(texts.say_plain(key, language), show_alert=True)
            elif (message := update.effective_message) is not None:
                await message.reply_text(texts.say(key, language))

        return guarded

    return guard


async def enforce_allow_lists(update: Update, context: BotContext) -> None:
    """When allow-lists are set, others are told the bot is private (in groups only when
    they address the bot) and nothing else runs."""
    services = context.services
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


# -- reading updates -------------------------------------------------------------------------
def message_of(update: Update) -> Message:
    """The message of an update that a message handler matched."""
    message = update.effective_message
    if message is None:
        raise TypeError(f"update {update.update_id} has no message for a message handler")
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
