"""Texts for users by key and language, one table per area of the bot (texts.py,
plan_texts.py, upload_texts.py, web_texts.py), all read the same way."""

from __future__ import annotations

import html
from collections.abc import Mapping

from bot.messages import Language

Table = Mapping[str, Mapping[Language, str]]


class Phrasebook:
    def __init__(self, table: Table, *, escape_quotes: bool = False) -> None:
        self.table = table
        self.escape_quotes = escape_quotes

    def say(self, key: str, language: Language, **values: object) -> str:
        """The Telegram-HTML text for `key`, with every value HTML-escaped."""
        escaped = {
            name: html.escape(str(value), quote=self.escape_quotes)
            for name, value in values.items()
        }
        return self.table[key][language].format(**escaped)

    def say_plain(self, key: str, language: Language, **values: object) -> str:
        """For places that take plain text (callback answers, button labels), or values
        that are Telegram HTML built from escaped parts."""
        return self.table[key][language].format(**values)
