"""Everyone's commands: /start, /help, /reset, /sumber, /inovasi, /tanya, and the reply to
a command the bot does not know. Rows of the command table (command_table.py) point here."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.telegram import texts
from bot.telegram.access import command_argument, message_of
from bot.telegram.answering import answer_question
from bot.telegram.keyboards import examples_keyboard
from bot.telegram.menus import Role, help_lines
from bot.telegram.render import render_documents, render_innovations
from bot.telegram.services import BotContext
from bot.telegram.uploads import upload_formats

INNOVATION_RESULTS = 20
# /help sections after everyone's commands: who sees them, heading.
_ROLE_SECTIONS = ((Role.COORDINATOR, "help_coordinator"), (Role.ADMIN, "help_admin"))


async def start(update: Update, context: BotContext) -> None:
    message, user = message_of(update), update.effective_user
    language = texts.user_language(user)
    name = (user.first_name if user else "") or ("Bapak/Ibu" if language == "id" else "there")
    await message.reply_text(
        texts.say("welcome", language, name=name), reply_markup=examples_keyboard(language)
    )


async def help_command(update: Update, context: BotContext) -> None:
    """How to ask, and the commands this user may use (from the command table)."""
    message, user = message_of(update), update.effective_user
    services = context.services
    language = texts.user_language(user)
    role = services.role_of(user.id if user else None)
    commands = services.commands
    everyone = help_lines(commands, Role.EVERYONE, language)
    blocks = [
        texts.say("help", language),
        "\n".join([f"<b>{texts.say('help_commands', language)}</b>", *everyone]),
        texts.say("help_groups", language, mention=f"@{context.bot.username}"),
    ]
    for section_role, heading in _ROLE_SECTIONS:
        if role >= section_role:
            lines = help_lines(commands, section_role, language)
            if section_role == Role.ADMIN:
                lines.append(texts.say("help_upload", language, formats=upload_formats()))
            blocks.append("\n".join([f"<b>{texts.say(heading, language)}</b>", *lines]))
    await message.reply_text("\n\n".join(blocks))


async def reset(update: Update, context: BotContext) -> None:
    message = message_of(update)
    context.services.store.reset(message.chat_id)
    await message.reply_text(texts.say("reset_done", texts.user_language(update.effective_user)))


async def sources(update: Update, context: BotContext) -> None:
    """/sumber: the documents in the knowledge base."""
    message = message_of(update)
    documents = await asyncio.to_thread(context.services.engine.documents)
    for part in render_documents(documents, texts.user_language(update.effective_user)):
        await message.reply_text(part)


async def innovations(update: Update, context: BotContext) -> None:
    """/inovasi <kata kunci>: innovation profiles matching the keywords."""
    message = message_of(update)
    query = command_argument(message)
    language = texts.user_language(update.effective_user, query)
    if not query:
        await message.reply_text(texts.say("inovasi_usage", language))
        return
    engine = context.services.engine
    matches = await asyncio.to_thread(engine.search_profiles, query, INNOVATION_RESULTS)
    await message.reply_text(render_innovations(query, matches, language))


async def ask_command(update: Update, context: BotContext) -> None:
    """/tanya <pertanyaan>: the way to ask in groups (works in private chats too)."""
    message = message_of(update)
    question = command_argument(message)
    if not question:
        language = texts.user_language(update.effective_user)
        await message.reply_text(texts.say("tanya_usage", language))
        return
    await answer_question(update, context, question, reply_to=message)


async def unknown_command(update: Update, context: BotContext) -> None:
    language = texts.user_language(update.effective_user)
    await message_of(update).reply_text(texts.say("unknown_command", language))
