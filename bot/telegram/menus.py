"""What a command is (`Command`: one row of the table in command_table.py) and what the
table turns into: the command menus Telegram shows (setMyCommands) and the /help text.

Roles are ordered: an admin may do what a coordinator may, a coordinator what everyone may.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from telegram import BotCommand, Update

from bot.messages import Language

Texts = Mapping[Language, str]
Callback = Callable[[Update, Any], Coroutine[Any, Any, None]]


class Role(IntEnum):
    EVERYONE = 0
    COORDINATOR = 1  # innovation-hub coordinators (COORDINATOR_IDS)
    ADMIN = 2  # ADMIN_IDS


@dataclass(frozen=True)
class Command:
    """One command: its handler, who may use it, its menu entry and its /help lines."""

    name: str
    callback: Callback
    role: Role = Role.EVERYONE
    menu: Texts | None = None  # the short menu description; None = not in the menu
    # Lines of /help, plain text (escaped when rendered); empty = not listed.
    help: Mapping[Language, Sequence[str]] | None = None
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def menu_for(commands: Sequence[Command], role: Role, language: Language) -> list[BotCommand]:
    """The menu a user with `role` sees: every command they may use that has an entry."""
    return [
        BotCommand(c.name, c.menu[language])
        for c in commands
        if c.menu is not None and c.role <= role
    ]


def help_lines(commands: Sequence[Command], role: Role, language: Language) -> list[str]:
    """The /help lines (HTML) of the commands for exactly `role`."""
    lines: list[str] = []
    for command in commands:
        if command.role == role and command.help is not None:
            lines += [html.escape(line, quote=False) for line in command.help[language]]
    return lines
