"""Questions that cannot be searched, told apart so each gets its own message.

`question_problem` names the problem (a key of `bot.messages`): text that is not valid
Unicode (invalid UTF-8 bytes decode to lone surrogates in Python, which the embedder cannot
encode), a question of only emoji or symbols, an empty one. `question_error` gives the
message in the asker's language. The CLI calls it before the engine; the engine's own
`validate_question` can call it first too, so Telegram users get the same messages.
"""

from __future__ import annotations

import unicodedata

from bot.messages import Language, say
from replikasi.language import detect_language

ProblemKey = str


def has_invalid_text(text: str) -> bool:
    """Lone surrogates (undecodable bytes), NUL or other control characters."""
    return any(
        0xD800 <= ord(ch) <= 0xDFFF or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r")
        for ch in text
    )


def question_problem(question: str) -> ProblemKey | None:
    """None for a question worth searching, else the key of the message to answer with."""
    if has_invalid_text(question):
        return "invalid_text"
    text = " ".join(question.split())
    if not text:
        return "empty_question"
    if not any(ch.isalnum() for ch in text):
        return "symbols_only"
    return None


def question_error(question: str, language: Language | None = None) -> str | None:
    """The message for a question that cannot be searched, or None when it can be."""
    problem = question_problem(question)
    if problem is None:
        return None
    if language is None:
        readable = "".join(ch for ch in question if not 0xD800 <= ord(ch) <= 0xDFFF)
        words = " ".join(readable.split())
        language = detect_language(words) if any(ch.isalpha() for ch in words) else "id"
    return say(problem, language)
