"""Questions that cannot be searched, told apart so each gets its own message.

`question_problem` names the problem (a key of `bot.messages`): text that is not valid
Unicode (invalid UTF-8 bytes decode to lone surrogates in Python, which the embedder cannot
encode), a question of only emoji or symbols, an empty one, code or a command ("' OR 1=1;
DROP TABLE …" was answered with an article on sanctions). `question_error` gives the
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


# Characters of code and shell commands that questions in words hardly use (not "*", used
# for emphasis, nor "<>", of the odd pasted tag, nor "()", of "ayat (2)").
_CODE_MARKS = frozenset("{}[];=$|\\`^~")


def looks_like_code(text: str) -> bool:
    """Three or more marks of code, and at least one character in twelve."""
    marks = sum(ch in _CODE_MARKS for ch in text)
    visible = sum(not ch.isspace() for ch in text)
    return marks >= 3 and marks * 12 >= visible


def question_problem(question: str) -> ProblemKey | None:
    """None for a question worth searching, else the key of the message to answer with."""
    if has_invalid_text(question):
        return "invalid_text"
    text = " ".join(question.split())
    if not text:
        return "empty_question"
    if not any(ch.isalnum() for ch in text):
        return "symbols_only"
    if looks_like_code(text):
        return "code_like"
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
