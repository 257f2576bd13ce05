"""Tell Indonesian questions from English ones, so the answer comes back in the user's language.

Questions are short and full of names the bot cannot classify (SINOVIK, JIPPNas, "Sheltered
Workshop Peduli"), so a character n-gram model would be noisy. Function words are not: almost
every question has a few ("apa", "yang", "itu" / "what", "the", "does"). We count them and
fall back to Indonesian, the language of most users, whenever the evidence is not clearly
English. English words used inside Indonesian grammar ("apa itu scale up?") stay Indonesian
because content words are never counted.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["id", "en"]

# Function words and chat markers only: content words ("program", "data", "online") are shared
# by both languages in this domain and would only add noise.
_INDONESIAN_TEXT = """
    ada adakah adalah agar aja akan aku anda apa apaan apakah apa2 atau atas bagaimana bagi
    bahwa bakal banget bgt belum berapa beri bisa boleh brp buat bukan cara caranya dalam dan
    dari dengan deh dgn di dia dong dr engga enggak ga gak gimana gitu gmn gue harus ini itu
    jadi jika juga kah kak kalau kalo kami kamu kan kapan karena kasih ke kenapa kepada ketika
    kita kok kpd lagi mana masih mau mengapa mohon nggak nih oleh pada para perlu pernah punya
    saja sama sampai sebutkan secara sedang selamat seperti siapa sih silakan sudah supaya
    tapi tentang terima tersebut tidak tolong udah untuk utk yaitu yang yg
    """
_INDONESIAN = frozenset(_INDONESIAN_TEXT.split())
_ENGLISH_TEXT = """
    a about am an and any are as at be been being but by can could did do does doing for from
    had has have hello how i if in into is it its many me much my of on or our please should
    tell thank thanks that the their there these they this those to was we were what when where
    which who whom whose why will with would you your
    """
_ENGLISH = frozenset(_ENGLISH_TEXT.split())
# Indonesian morphology visible on content words; English words almost never end this way.
_INDONESIAN_SUFFIXES = ("nya", "kan")

_WORD_RE = re.compile(r"[a-z0-9]+")


def detect_language(text: str) -> Language:
    """Return "en" when English function words outnumber Indonesian ones, else "id".

    Ties and texts without any function word (a bare name, "SINOVIK?") count as Indonesian.
    """
    indonesian = english = 0
    for word in _WORD_RE.findall(text.lower()):
        if word in _INDONESIAN:
            indonesian += 1
        elif word in _ENGLISH:
            english += 1
        elif len(word) > 5 and word.endswith(_INDONESIAN_SUFFIXES):
            indonesian += 1
    return "en" if english > indonesian else "id"
