"""Follow-up questions: recognise "kalau yang di Jambi?" or "sumbernya apa?" as leaning on
the conversation so far. `bot.query` carries the previous topic over (offline); with an LLM
the question is rewritten into a standalone one (see `bot.llm`)."""

from __future__ import annotations

import re

from replikasi.indonesian import tokenize

MAX_TURNS = 6

_SOURCES_REQUEST = re.compile(
    r"\b(sumber(nya)?|referensi(nya)?|rujukan(nya)?|sources?|references?|where did you get)\b",
    re.I,
)
_FOLLOW_UP_OPENERS = re.compile(
    r"^\s*(kalau|kalo|klo|bagaimana dengan|gimana dengan|gmn dengan|terus|lalu|trus|yg|"
    r"selain itu|yang|dan|juga|what about|how about|and|also|then)\b",
    re.I,
)
_ANAPHORA = re.compile(
    r"\b(tersebut|tadi|mereka|it|its|that one|which one|those|they|them|there)\b", re.I
)
# A person mentioned before ("dia dari lembaga mana?", "Which institution is she from, and …"):
# leans on the conversation however long the question is.
_PERSON = re.compile(r"\b(dia|beliau|she|he|her|his|him)\b", re.I)
# "itu" refers back ("programnya itu kapan?") except in "apa itu X" / "X itu apa", which ask
# for a definition of X.
_BARE_ITU = re.compile(r"\bitu\b", re.I)
_DEFINITION_ITU = re.compile(r"\bapa\s+itu\b|\bitu\s+(?:\w+\s+)?apa\b", re.I)
_QUESTION_WORD = re.compile(
    r"(apa|siapa|kapan|berapa|bagaimana|gimana|mengapa|kenapa|mana|apakah|what|who|when|"
    r"where|which|why|how)",
    re.I,
)
_POSSESSIVE = re.compile(r"\w{3,}nya\b|\w-nya\b", re.I)  # "pesertanya", "Top 45-nya"
# "ayat 2 nya?", "huruf b?": a part of an article, with no article named
_ARTICLE_PART = re.compile(r"\b(?:ayat|huruf|paragraph|subsection)\b", re.I)
_ARTICLE_WORD = re.compile(r"\b(?:pasal|psl|article|diktum|dictum)\b", re.I)
_VERB_FORM = re.compile(r"^(?:di|me|ber|ter)[a-z]{3,}$")


# "lebih detail dong", "ada lagi?", "tell me more": more of what the last answer was about.
_MORE = re.compile(
    r"(?:ada |apa )?lagi|(?:ada )?(?:yang|yg) lain(?:nya)?|lainnya|selengkapnya|detailnya|"
    r"rinciannya|lebih (?:detail|lengkap|jelas|rinci|lanjut)(?:nya)?|"
    r"(?:penjelasan|info|informasi) lebih (?:lanjut|detail|lengkap)|"
    r"(?:jelasin|jelaskan|ceritakan|ceritain) (?:lagi|lebih (?:lanjut|detail|rinci|lengkap))|"
    r"terus|lanjut(?:kan|in)?|tell me more|more|more details?|go on|continue|anything else|"
    r"what else"
)
# How chat addresses the assistant and rounds off a sentence: "… dong kak", "ya min".
_CHAT_PARTICLES_TEXT = "dong ya yah kak ka min sih deh nih gan bu pak mas mbak"
CHAT_PARTICLES = frozenset(_CHAT_PARTICLES_TEXT.split())
_MORE_FILLERS = CHAT_PARTICLES | {"please", "pls", "tolong", "coba"}


def asks_for_more(question: str) -> bool:
    """The whole message asks for more of the last answer's topic ("lebih detail dong",
    "ada lagi?", "tell me more"), not for anything it names."""
    words = [w for w in re.findall(r"[a-z]+", question.lower()) if w not in _MORE_FILLERS]
    return bool(words) and _MORE.fullmatch(" ".join(words)) is not None


def is_sources_request(question: str) -> bool:
    """ "sumbernya apa?", "what are the sources?": asks about the previous answer itself."""
    words = question.split()
    return len(words) <= 6 and bool(_SOURCES_REQUEST.search(question))


def looks_like_follow_up(question: str) -> bool:
    """Does the question lean on the previous one ("kalau yang di Jambi?", "kapan
    pembelajarannya?")? A complete question ("Apa itu SINOVIK?") does not."""
    if _PERSON.search(question):
        return True
    terms = tokenize(question)
    if len(terms) > 5:
        return False
    refers_back = _BARE_ITU.search(question) and not _DEFINITION_ITU.search(question)
    return bool(
        _FOLLOW_UP_OPENERS.search(question)
        or _ANAPHORA.search(question)
        or _POSSESSIVE.search(question)
        or refers_back
        or _only_predicate(question)
        or (_ARTICLE_PART.search(question) and not _ARTICLE_WORD.search(question))
    )


def _only_predicate(question: str) -> bool:
    """A question of one or two affixed verbs and question words only ("kapan
    ditetapkan?", "siapa yang menandatangani?", "kapan berlaku?") has no subject: it is
    about whatever the conversation was about."""
    words = [w for w in re.findall(r"[a-z]+", question.lower()) if tokenize(w)]
    return 0 < len(words) <= 2 and all(_VERB_FORM.match(w) and tokenize(w) != [w] for w in words)


def topic_words(text: str) -> str:
    """The words of a previous question that carry its topic: its question words ("apa itu",
    "siapa", "kapan") would otherwise change what kind of answer the follow-up asks for."""
    kept = [
        word.strip("?!.,;:")
        for word in text.split()
        if tokenize(word) and not _QUESTION_WORD.fullmatch(word.strip("?!.,;:"))
    ]
    return " ".join(dict.fromkeys(w for w in kept if w))
