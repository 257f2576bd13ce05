"""Smoke tests of the e2e harness itself: a tiny PTB v22 bot talks to the emulator.

If these fail, the harness (launcher.js / telegram_emulator.py) is broken, not the real bot.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update
from telegram.constants import ChatAction
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram_emulator import AnyApplication, EmulatorUser, RunBot, TelegramEmulator

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def fast() -> Iterator[None]:
    """Set up first, torn down last: bounds a test with its bot start and stop. A bot whose
    stop waited for its 10 s long poll (or a busy-polling emulator) would trip this."""
    began = time.monotonic()
    yield
    assert time.monotonic() - began < 5, "an e2e harness test took 5 s or more"


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Press me", callback_data="pressed")]])
    await update.effective_message.reply_text("Welcome!", reply_markup=keyboard)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
    await message.reply_text(f"echo: {message.text}")


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Done")
    edited = await query.edit_message_text(f"You pressed {query.data}")
    assert not isinstance(edited, bool) and edited.text == f"You pressed {query.data}"


async def document_size(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.document is not None
    data = await (await message.document.get_file()).download_as_bytearray()
    await message.reply_text(f"{message.document.file_name}: {len(data)} bytes")


async def send_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    sent = await message.reply_document(
        b"PK\x03\x04 not really a zip",
        filename="rencana.docx",
        caption="<b>Rencana</b>",
        parse_mode="HTML",
    )
    assert sent.document is not None
    await message.reply_document(sent.document.file_id, caption="again")  # by file_id


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    mentions = message.parse_entities([MessageEntity.MENTION]).values()
    mentioned = f"@{context.bot.username}" in mentions
    replied = message.reply_to_message is not None and (
        message.reply_to_message.from_user is not None
        and message.reply_to_message.from_user.id == context.bot.id
    )
    if mentioned or replied:
        await message.reply_text("at your service")  # quotes the message in groups


def build_app(emulator: TelegramEmulator, token: str) -> AnyApplication:
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(emulator.base_url)
        .base_file_url(emulator.base_file_url)
        .rate_limiter(AIORateLimiter())
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("doc", send_file))
    app.add_handler(CallbackQueryHandler(pressed))
    app.add_handler(MessageHandler(filters.Document.ALL, document_size))
    app.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.TEXT, group_text))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


@pytest.fixture
def user(emulator: TelegramEmulator, bot_token: str, run_bot: RunBot) -> EmulatorUser:
    """A private-chat user talking to a running echo bot."""
    run_bot(build_app(emulator, bot_token))
    return EmulatorUser(emulator, bot_token, user_id=501)


def test_start_button_and_edit(user: EmulatorUser, emulator: TelegramEmulator) -> None:
    user.send_command("start")
    [welcome] = user.wait_for_replies(1, timeout=5)
    assert welcome["text"] == "Welcome!"
    [[button]] = welcome["reply_markup"]["inline_keyboard"]
    assert button == {"text": "Press me", "callback_data": "pressed"}

    user.press_button(welcome, "pressed")
    [edited] = user.wait_for_replies(1, timeout=5)
    assert edited["message_id"] == welcome["message_id"]
    assert edited["text"] == "You pressed pressed"
    assert "edit_date" in edited
    assert "reply_markup" not in edited  # an edit without reply_markup drops the keyboard
    [answer] = emulator.bot_calls(user.token, "answerCallbackQuery")
    assert answer["params"]["text"] == "Done"


def test_echo_with_typing(user: EmulatorUser) -> None:
    sent = user.send_text("hello bot")
    [reply] = user.wait_for_replies(1, timeout=5)
    assert reply["text"] == "echo: hello bot"
    assert reply["from"]["is_bot"] is True
    assert reply["chat"]["id"] == user.chat_id
    assert "reply_to_message" not in reply  # PTB does not quote in private chats
    assert sent["message_id"] != reply["message_id"]
    assert user.chat_actions() == ["typing"]
    user.expect_no_replies(within=0.2)


def test_document_upload(user: EmulatorUser) -> None:
    payload = bytes(range(256)) * 10
    message = user.send_document("report.pdf", payload, "application/pdf")
    assert message["document"]["file_size"] == len(payload)
    [reply] = user.wait_for_replies(1, timeout=5)
    assert reply["text"] == f"report.pdf: {len(payload)} bytes"


def test_bot_sends_a_document_the_user_can_download(user: EmulatorUser) -> None:
    user.send_command("doc")
    first, again = user.wait_for_replies(2, timeout=5)
    assert first["document"]["file_name"] == "rencana.docx"
    assert first["caption"] == "<b>Rencana</b>" and first["parse_mode"] == "HTML"
    assert user.download(first) == b"PK\x03\x04 not really a zip"
    assert again["document"]["file_id"] == first["document"]["file_id"]
    assert user.download(again) == user.download(first)


def test_group_mentions_and_replies(
    emulator: TelegramEmulator, bot_token: str, run_bot: RunBot
) -> None:
    run_bot(build_app(emulator, bot_token))
    member = EmulatorUser(emulator, bot_token, user_id=601, chat_type="group", chat_id=-4242)
    member.send_text("just chatting, no bot here")
    mention = member.send_text(f"{member.bot_mention} can you help?")
    assert mention["entities"] == [{"type": "mention", "offset": 0, "length": 12}]
    # Updates are handled in order, so the first reply proves the plain message got none.
    [reply] = member.wait_for_replies(1, timeout=5)
    assert reply["text"] == "at your service"
    assert reply["chat"] == {"id": -4242, "type": "group", "title": "E2E group"}
    assert reply["reply_to_message"]["message_id"] == mention["message_id"]

    answer = member.send_text("thanks!", reply_to=reply)
    [second] = member.wait_for_replies(1, timeout=5)
    assert second["reply_to_message"]["message_id"] == answer["message_id"]
    member.expect_no_replies(within=0.2)


def test_emulator_rejects_what_telegram_rejects(
    emulator: TelegramEmulator, bot_token: str, run_bot: RunBot
) -> None:
    """Over-long text and bad HTML fail like on Telegram, so the real bot's bugs show here."""
    seen: list[str] = []

    async def broken(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        for text, mode in (("x" * 4097, None), ("a < b", "HTML"), ("<b>bold", "HTML")):
            try:
                await update.effective_message.reply_text(text, parse_mode=mode)
            except Exception as error:  # telegram.error.BadRequest
                seen.append(str(error))
        await update.effective_message.reply_text(f"<b>{len(seen)}</b> rejected", "HTML")

    app = ApplicationBuilder().token(bot_token).base_url(emulator.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, broken))
    run_bot(app)
    user = EmulatorUser(emulator, bot_token)
    user.send_text("go")
    [reply] = user.wait_for_replies(1, timeout=5)
    assert reply["text"] == "<b>3</b> rejected" and reply["parse_mode"] == "HTML"
    assert len(seen) == 3, seen
    assert "too long" in seen[0]
    assert all("can't parse entities" in error.lower() for error in seen[1:])
    assert len(emulator.bot_calls(bot_token, "sendMessage")) == 4
