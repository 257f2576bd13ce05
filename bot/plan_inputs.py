"""What a user types into a plan (an innovation or a problem, their agency, their region) is
checked like a question: not empty, not too long, in Latin script. Control characters and
runs of whitespace are dropped; markup stays literal text (every renderer escapes it)."""

from __future__ import annotations

import unicodedata

from bot.engine import InvalidQuestionError, mostly_other_script
from replikasi.language import Language

MAX_QUERY_CHARS = 300  # an innovation's name or the problem it should solve
MAX_NAME_CHARS = 150  # an agency or a region

_TEXT: dict[str, dict[Language, str]] = {
    "empty": {
        "id": "Teksnya kosong. Silakan tulis dengan huruf atau angka.",
        "en": "The text is empty. Please write it with letters or digits.",
    },
    "too_long": {
        "id": "Teksnya terlalu panjang ({length} karakter); ringkas menjadi paling banyak "
        "{limit} karakter.",
        "en": "The text is too long ({length} characters); please shorten it to at most "
        "{limit} characters.",
    },
    "other_script": {
        "id": "Maaf, saya hanya dapat memproses teks dalam bahasa Indonesia atau bahasa Inggris "
        "(huruf Latin). Silakan tulis ulang.",
        "en": "Sorry, I can only handle text in Indonesian or English (Latin letters). Please "
        "write it again.",
    },
}


class InvalidPlanInputError(InvalidQuestionError):
    """A plan input that cannot be used; the message is for the user."""


def clean_input(text: str, language: Language, limit: int = MAX_NAME_CHARS) -> str:
    """The input on one line, or InvalidPlanInputError saying what to fix."""
    printable = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    cleaned = " ".join(printable.split())
    if not any(ch.isalnum() for ch in cleaned):
        raise InvalidPlanInputError(_TEXT["empty"][language])
    if len(cleaned) > limit:
        raise InvalidPlanInputError(
            _TEXT["too_long"][language].format(length=len(cleaned), limit=limit)
        )
    if mostly_other_script(cleaned):
        raise InvalidPlanInputError(_TEXT["other_script"][language])
    return cleaned
