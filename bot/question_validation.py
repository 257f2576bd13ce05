"""Questions that cannot be searched, told apart so each gets its own message.

`question_problem` names the problem (a key of `bot.messages`): text that is not valid
Unicode (invalid UTF-8 bytes decode to lone surrogates in Python, which the embedder cannot
encode), a question of only emoji or symbols, an empty one, code or a command ("' OR 1=1;
DROP TABLE …" was answered with an article on sanctions). `question_error` gives the
message in the asker's language. The CLI calls it before the engine; the engine's own
`validate_question` can call it first too, so Telegram users get the same messages.
"""

from __future__ import annotations

import re
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


# A database statement or a script, whatever its marks: "SELECT * FROM users; --", "UNION
# SELECT …", "<script>" (not "how do regions select innovations from the catalogue?").
_SQL = re.compile(
    r"\bselect\s+(?:\*|distinct\b|count\s*\()|\bunion\s+(?:all\s+)?select\b"
    r"|\bdrop\s+(?:table|database)\b|\binsert\s+into\b|\bdelete\s+from\b"
    r"|\btruncate\s+table\b|;\s*--|<\s*script\b",
    re.I,
)


def looks_like_code(text: str) -> bool:
    """A database statement or a script, or three or more marks of code and at least one
    character in twelve."""
    if _SQL.search(text):
        return True
    marks = sum(ch in _CODE_MARKS for ch in text)
    visible = sum(not ch.isspace() for ch in text)
    return marks >= 3 and marks * 12 >= visible


_SCRIPT = re.compile(r"<\s*(script|style)\b[^>]*>.*?<\s*/\s*\1\s*>", re.I | re.S)
_TAG = re.compile(r"<\s*/?\s*[A-Za-z][\w-]*(?:\s[^<>]*)?/?\s*>")
_LINK = re.compile(r"\[([^\[\]]+)\]\((?:https?://|www\.)[^()\s]+\)")
_EMPHASIS = re.compile(r"(\*\*|__|`)(?=\S)(.+?)(?<=\S)\1")


def without_markup(text: str) -> str:
    """The words of a question pasted with markup: HTML tags (a script or a style with its
    content) go, a Markdown link keeps its text, emphasis and code marks go. What the
    markup wraps is still part of the question; the markup is no word of it."""
    plain = _SCRIPT.sub(" ", text)
    plain = _TAG.sub(" ", plain)
    plain = _LINK.sub(r"\1", plain)
    plain = _EMPHASIS.sub(r"\2", plain)
    return " ".join(plain.split())


def question_problem(question: str) -> ProblemKey | None:
    """None for a question worth searching, else the key of the message to answer with."""
    if has_invalid_text(question):
        return "invalid_text"
    text = " ".join(question.split())
    text = without_markup(text) or text  # a tag wrapped round a question leaves the question
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
