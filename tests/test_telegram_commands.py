"""The command table: one row and one handler function make a command, with its role check,
its menu entries and its /help line; /help shows each person what they may use."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from telegram import Update

from bot.telegram.access import message_of
from bot.telegram.app import post_init
from bot.telegram.command_table import COMMANDS
from bot.telegram.menus import Command, Role
from bot.telegram.services import BotContext
from bot.telegram.uploads import upload_formats
from ingest.loaders import SUPPORTED_EXTENSIONS
from replikasi.settings import Settings
from tests.telegram_fakes import Harness, message_update, run

ADMIN = 900
COORDINATOR = 901
USER = 1


@pytest.fixture
def bot_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr("123456:TEST"),
            "admin_ids": [ADMIN],
            "coordinator_ids": [COORDINATOR],
        }
    )


# The whole of a new admin command: this function and the row below.
async def purge_cache(update: Update, context: BotContext) -> None:
    context.services.engine.clear_caches()
    await message_of(update).reply_text("Cache dikosongkan.")


PURGE = Command(
    "purgecache",
    purge_cache,
    role=Role.ADMIN,
    menu={"id": "Kosongkan cache", "en": "Empty the cache"},
    help={"id": ["/purgecache — kosongkan cache"], "en": ["/purgecache — empty the cache"]},
)


def _menus(h: Harness) -> dict[tuple[object, object], list[str]]:
    return {
        (m["scope"].get("chat_id"), m.get("language_code")): [c["command"] for c in m["commands"]]
        for m in h.telegram.of("setMyCommands")
    }


def test_a_new_restricted_command_is_one_row_and_one_function(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await post_init(h.app)
        await h.send(message_update("/purgecache", user_id=ADMIN))
        await h.send(message_update("/purgecache", user_id=USER))
        await h.send(message_update("/purgecache", user_id=COORDINATOR))
        await h.send(message_update("/help", user_id=ADMIN))
        await h.send(message_update("/help", user_id=USER))

    h = run(bot_settings, scenario, commands=(*COMMANDS, PURGE))
    done, refused, refused_too, admin_help, user_help = h.telegram.sent_texts
    assert done == "Cache dikosongkan."
    assert refused == refused_too == "Maaf, perintah ini hanya dapat digunakan oleh admin."
    assert "/purgecache — kosongkan cache" in admin_help
    assert "purgecache" not in user_help
    menus = _menus(h)
    assert menus[(ADMIN, None)][-1] == "purgecache" and menus[(ADMIN, "en")][-1] == "purgecache"
    assert "purgecache" not in menus[(None, None)] + menus[(COORDINATOR, None)]


@pytest.mark.parametrize(
    ("user", "shown", "hidden"),
    [
        (USER, ["/sumber", "/inovasi &lt;kata kunci&gt;", "/tanya", "/reset"], ["/stats"]),
        (COORDINATOR, ["Untuk koordinator hub", "/stats"], ["/reindex", "Khusus admin"]),
        (ADMIN, ["/stats", "Khusus admin", "/reindex rebuild", "Kirim berkas"], []),
    ],
)
def test_help_lists_what_each_role_may_use(
    bot_settings: Settings, user: int, shown: list[str], hidden: list[str]
) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update("/bantuan", user_id=user))

    [text] = run(bot_settings, scenario).telegram.sent_texts
    assert "Cara bertanya" in text and "@ReplikasiTestBot" in text
    assert all(part in text for part in shown), text
    assert not any(part in text for part in hidden), text


def test_upload_formats_come_from_the_loaders() -> None:
    formats = upload_formats().split(", ")
    assert formats == [ext.lstrip(".").upper() for ext in SUPPORTED_EXTENSIONS]
    assert {"PDF", "DOCX", "MD", "CSV"} <= set(formats)


def test_every_command_has_a_menu_entry_in_both_languages_within_telegrams_limits() -> None:
    for command in COMMANDS:
        assert command.name.islower() and 1 <= len(command.name) <= 32
        assert command.menu is not None
        assert all(3 <= len(command.menu[language]) <= 256 for language in ("id", "en"))
