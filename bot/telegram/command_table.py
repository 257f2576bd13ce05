"""The one table of the bot's commands. A row gives the handler, who may use it, its entry
in Telegram's command menu and its lines in /help; `add_command_handlers` registers each
row (guarded by `requires(row.role)`), `publish_menus` sends the menus per language and
role, and /help lists the rows. A new command is one row here and one handler function.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from telegram import BotCommandScopeChat, BotCommandScopeDefault
from telegram.ext import Application, CommandHandler, filters

from bot.messages import Language
from bot.telegram import admin, commands, knowledge_admin, planning, web_admin
from bot.telegram.access import requires
from bot.telegram.menus import Command, Role, menu_for
from bot.telegram.services import BotServices
from replikasi.logs import exception_summary

log = logging.getLogger(__name__)

COMMANDS: tuple[Command, ...] = (
    Command(
        "start",
        commands.start,
        menu={"id": "Mulai dan contoh pertanyaan", "en": "Start and example questions"},
    ),
    Command(
        "help",
        commands.help_command,
        aliases=("bantuan",),
        menu={"id": "Bantuan dan daftar perintah", "en": "Help and list of commands"},
        help={"id": ["/help — bantuan ini"], "en": ["/help — this help"]},
    ),
    Command(
        "sumber",
        commands.sources,
        menu={"id": "Daftar dokumen di basis pengetahuan", "en": "Documents in the knowledge base"},
        help={
            "id": ["/sumber — daftar dokumen di basis pengetahuan"],
            "en": ["/sumber — documents in the knowledge base"],
        },
    ),
    Command(
        "inovasi",
        commands.innovations,
        menu={
            "id": "Cari profil inovasi: /inovasi kata kunci",
            "en": "Search innovation profiles: /inovasi keyword",
        },
        help={
            "id": ["/inovasi <kata kunci> — cari profil inovasi"],
            "en": ["/inovasi <keyword> — search innovation profiles"],
        },
    ),
    Command(
        "rencana",
        planning.plan_command,
        menu={
            "id": "Rencana replikasi: susun, buka, lanjutkan",
            "en": "Replication plan: make, open, continue",
        },
        help={
            "id": [
                "/rencana — susun rencana replikasi (dikirim sebagai DOCX), atau buka, "
                "lanjutkan dan hapus rencana Anda"
            ],
            "en": [
                "/rencana — make a replication plan (sent as a DOCX), or open, continue and "
                "delete your plans"
            ],
        },
    ),
    Command(
        "tanya",
        commands.ask_command,
        menu={"id": "Bertanya di grup: /tanya pertanyaan", "en": "Ask in a group: /tanya question"},
        help={
            "id": ["/tanya <pertanyaan> — bertanya di grup"],
            "en": ["/tanya <question> — ask in a group"],
        },
    ),
    Command(
        "reset",
        commands.reset,
        menu={"id": "Mulai percakapan baru", "en": "Start a new conversation"},
        help={
            "id": ["/reset — mulai percakapan baru"],
            "en": ["/reset — start a new conversation"],
        },
    ),
    Command(
        "stats",
        admin.stats,
        role=Role.COORDINATOR,
        menu={"id": "Statistik penggunaan", "en": "Usage statistics"},
        help={
            "id": ["/stats — statistik penggunaan (grafik dan ringkasan)"],
            "en": ["/stats — usage statistics (chart and summary)"],
        },
    ),
    Command(
        "reindex",
        admin.reindex,
        role=Role.ADMIN,
        menu={"id": "Perbarui indeks pengetahuan", "en": "Update the knowledge index"},
        help={
            "id": [
                "/reindex — perbarui indeks dari folder pengetahuan",
                "/reindex rebuild — bangun ulang seluruh indeks (mis. setelah model embedding "
                "diganti)",
            ],
            "en": [
                "/reindex — update the index from the knowledge folder",
                "/reindex rebuild — rebuild the whole index (e.g. after changing the embedding "
                "model)",
            ],
        },
    ),
    Command(
        "tambah",
        web_admin.add_source,
        role=Role.ADMIN,
        menu={"id": "Tambah halaman web resmi", "en": "Add an official web page"},
        help={
            "id": ["/tambah <alamat> — tambah halaman web atau PDF/DOCX dari alamatnya"],
            "en": ["/tambah <address> — add a web page or a PDF/DOCX by its address"],
        },
    ),
    Command(
        "sumber_web",
        web_admin.list_sources,
        role=Role.ADMIN,
        menu={"id": "Daftar sumber web", "en": "Web sources"},
        help={
            "id": ["/sumber_web — daftar sumber web dan keadaannya"],
            "en": ["/sumber_web — web sources and their state"],
        },
    ),
    Command(
        "cek",
        web_admin.check_now,
        role=Role.ADMIN,
        menu={"id": "Periksa sumber web sekarang", "en": "Re-check web sources now"},
        help={
            "id": ["/cek — periksa semua sumber web sekarang"],
            "en": ["/cek — re-check every web source now"],
        },
    ),
    Command(
        "hapus",
        knowledge_admin.remove_command,
        role=Role.ADMIN,
        menu={"id": "Hapus dokumen", "en": "Remove a document"},
        help={
            "id": ["/hapus <id> — hapus dokumen atau sumber web (dengan konfirmasi)"],
            "en": ["/hapus <id> — remove a document or web source (asks to confirm)"],
        },
    ),
    Command(
        "riwayat",
        knowledge_admin.history_command,
        role=Role.ADMIN,
        menu={"id": "Riwayat perubahan", "en": "History of changes"},
        help={
            "id": ["/riwayat — perubahan terakhir: kapan, oleh siapa, dari mana"],
            "en": ["/riwayat — latest changes: when, by whom, from where"],
        },
    ),
)

_LANGUAGES: tuple[tuple[Language, str | None], ...] = (("id", None), ("en", "en"))


def add_command_handlers(
    application: Application[Any, Any, Any, Any, Any, Any], table: Sequence[Command]
) -> None:
    # Edited messages are not new commands: only fresh messages are handled.
    for command in table:
        callback = requires(command.role)(command.callback)
        application.add_handler(
            CommandHandler(command.names, callback, filters=filters.UpdateType.MESSAGE)
        )


async def publish_menus(
    application: Application[Any, Any, Any, Any, Any, Any], services: BotServices
) -> None:
    """Everyone's menu per language; admins and coordinators get theirs in their own chats.
    A failure is logged (a menu is a convenience, the commands work without it)."""
    settings = services.settings
    targets: list[tuple[Role, BotCommandScopeDefault | BotCommandScopeChat]] = [
        (Role.EVERYONE, BotCommandScopeDefault())
    ]
    for user_id in dict.fromkeys([*settings.admin_ids, *settings.coordinator_ids]):
        targets.append((services.role_of(user_id), BotCommandScopeChat(user_id)))
    for role, scope in targets:
        for language, code in _LANGUAGES:
            menu = menu_for(services.commands, role, language)
            try:
                await application.bot.set_my_commands(menu, scope=scope, language_code=code)
            except Exception as exc:  # e.g. an admin who never opened a chat with the bot
                log.info(
                    "Command menu for %s (%s) not set: %s",
                    scope.type,
                    language,
                    exception_summary(exc),
                )
