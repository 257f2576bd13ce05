"""Messages that are no question: a greeting, thanks, an "ok", a goodbye, a test ping, or
asking the assistant who it is and what it can do.

Searched as questions they can only fail ("halo" got "the knowledge base does not cover
this question") or, worse, find something ("test" quoted the article on "uji coba"). A
message made only of such words gets a short reply in kind, with what the assistant can be
asked; a message that also asks something ("halo kak, apa itu JIPPNas?") is a question.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.followup import CHAT_PARTICLES

SmallTalk = Literal["greeting", "thanks", "acknowledgement", "farewell", "ping", "identity"]

# Words and phrases of each kind, lower case, Indonesian (with chat spellings) and English.
# Phrases are matched before single words.
_KINDS: dict[SmallTalk, str] = {
    "greeting": """
        halo hallo hello helo hai hay hi hey hei hy pagi siang sore malam selamat
        assalamualaikum assalamu'alaikum asalamualaikum salam permisi punten morning
        afternoon evening | apa kabar | good morning | good afternoon | good evening
        | how are you | selamat datang
        """,
    "thanks": """
        makasih makasi mksh mks makasii trims trimakasih terimakasih tengkyu thx thanks
        thank thankyou tq ty nuwun suwun | terima kasih | thank you | matur nuwun
        """,
    "acknowledgement": """
        ok oke okay okey okeh sip siap baik baiklah noted mantap mantab mantul keren good
        great nice cool wow wah paham mengerti ngerti understood alright
        """,
    "farewell": "bye dadah daah | sampai jumpa | see you | good bye | goodbye",
    "ping": "test tes testing ping p cek",
}
# Words that go with any of them: how people address the bot, particles ...
_ADDRESS_TEXT = "kakak mimin admin bapak ibu bro sis bot asisten yaa"
_PARTICLES = CHAT_PARTICLES | frozenset(_ADDRESS_TEXT.split())
# ... and what fills out thanks or a greeting ("terima kasih atas infonya", "hi there").
_FILLERS_TEXT = """
    semua semuanya lagi banyak sekali bgt banget udah sudah juga atas untuk buat infonya
    informasinya jawabannya bantuannya penjelasannya ini itu saya aku sangat so much very
    all everyone there you for the help your a lot again too
    """
_FILLERS = frozenset(_FILLERS_TEXT.split())
# Asking what the assistant is or can do, once greetings and the words above are set aside.
_IDENTITY = re.compile(
    r"^(?:siapa (?:kamu|anda|ini)|(?:kamu|anda|ini) siapa|(?:kamu|anda|ini) (?:itu )?apa"
    r"|(?:kamu |anda )?bisa (?:bantu |jawab )?apa(?: saja| aja)?"
    r"|apa yang bisa (?:kamu |anda |saya )?(?:bantu|lakukan|jawab|tanyakan)"
    r"|(?:ini )?bot apa|who are you|what are you|what can you do|what do you do"
    r"|how can you help(?: me)?|help(?: me)?|bantuan|tolong|menu|mulai|start|info)$"
)
_WORD = re.compile(r"[a-z']+")
_REPEATED = re.compile(r"(.)\1{2,}")  # "halooo" -> "halo", "makasiiih" -> "makasih"
_ORDER: tuple[SmallTalk, ...] = ("thanks", "farewell", "greeting", "acknowledgement", "ping")


def _vocabulary() -> tuple[dict[str, SmallTalk], dict[str, SmallTalk]]:
    words: dict[str, SmallTalk] = {}
    phrases: dict[str, SmallTalk] = {}
    for kind, text in _KINDS.items():
        entries = text.split("|")
        for word in entries[0].split():
            words[word] = kind
        for phrase in entries[1:]:
            phrases[" ".join(phrase.split())] = kind
    return words, phrases


_WORDS, _PHRASES = _vocabulary()


def small_talk(message: str) -> SmallTalk | None:
    """The kind of small talk `message` is, or None when it asks (or says) anything else."""
    text = " ".join(_WORD.findall(_REPEATED.sub(r"\1", message.lower())))
    if not text or len(text) > 80:
        return None
    found: set[SmallTalk] = set()
    for phrase, kind in _PHRASES.items():
        if re.search(rf"\b{re.escape(phrase)}\b", text):
            found.add(kind)
            text = re.sub(rf"\b{re.escape(phrase)}\b", " ", text)
    rest = []
    for word in text.split():
        kind = _WORDS.get(word)
        if kind is not None:
            found.add(kind)
        elif word not in _PARTICLES:
            rest.append(word)
    if rest and _IDENTITY.match(" ".join(rest)):
        return "identity"
    if any(word not in _FILLERS for word in rest):
        return None
    return next((kind for kind in _ORDER if kind in found), None)
