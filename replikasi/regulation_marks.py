"""How a regulation's text marks its parts, written once for every reader of stored text:
an ayat "(2) …", an elucidation's "Ayat (2)", "Huruf a" and "Angka 3". Answer units
(`replikasi.sentences`), composition and article labels (`bot.compose`, `bot.strategies`),
elucidations (`bot.elucidation`) and the engine's ayat lookup read them from here.

Ingest parses raw extracted text with its own, more lenient forms (any number, no space
needed after "(1)"): PDF and OCR text is messier than the passages it stores.
"""

from __future__ import annotations

import re

AYAT_NUMBER = r"\d{1,2}[a-z]?"  # "2", "2a"
# "(2) …" opening a line or an answer unit
AYAT_OPENING = re.compile(rf"^\s*\(({AYAT_NUMBER})\)\s")
# every line of a passage that opens an ayat
AYAT_LINES = re.compile(rf"(?m)^\(({AYAT_NUMBER})\)\s")
# an elucidation's "Ayat (2)" before what it explains
EXPLAINED_AYAT = re.compile(rf"^Ayat\s+\(({AYAT_NUMBER})\)\s*", re.I)
# an elucidation's "Huruf a" / "Angka 3" before what it explains
POINT_LABEL = re.compile(r"^(?:Huruf\s+[a-z]|Angka\s+\d{1,3})\s*", re.I)
# "Ayat (2) Huruf a Yang dimaksud …": what an elucidation's unit explains, before it says it
EXPLANATION_OPENING = re.compile(
    rf"^(?:Ayat\s+\(({AYAT_NUMBER})\)\s+)?(?:Huruf\s+([a-z])\s+)?", re.I
)


def opening_ayat(text: str) -> str | None:
    """The ayat `text` opens ("2" for "(2) …"), if any."""
    match = AYAT_OPENING.match(text)
    return match.group(1) if match else None


def opens_ayat(text: str, ayat: str) -> bool:
    """Does `text` open ayat `ayat` ("(3) …", or "Ayat (3) …" in an elucidation)?"""
    return re.match(rf"^\s*(?:ayat\s+)?\({re.escape(ayat)}\)\s", text, re.I) is not None
