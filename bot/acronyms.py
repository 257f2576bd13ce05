"""Questions asking what a short name stands for ("JIPPNas kepanjangannya apa?", "What does
SINOVIK stand for?") and the sentences that spell one out.

Such a question is answered only by a sentence that expands the name it asks about: "Jaringan
Inovasi Pelayanan Publik Nasional (JIPPNas)", "ATM (amati, tiru, modifikasi)", "Badan Riset
dan Inovasi Daerah yang selanjutnya disingkat BRIDA". A sentence that merely mentions the
name ("Gempur Jatim meraih penghargaan …") does not say what it stands for, however well it
matches otherwise: then the knowledge base does not know.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ASKS_EXPANSION = re.compile(
    r"\b(kepanjangan(?:nya)?|kependekan|singkatan(?:nya)?|akronim|stands? for|short for|"
    r"abbreviation|acronym)\b",
    re.I,
)
_WORD = r"[\w'’-]+"
# "Jaringan Inovasi Pelayanan Publik Nasional (JIPPNas)": a phrase, then the name in brackets
_LONG_THEN_SHORT = re.compile(
    rf"(?:{_WORD}\s+){{1,12}}{_WORD}\s*\(\s*(?P<short>[^()\s]{{2,24}})\s*\)"
)
# "ATM (amati, tiru, modifikasi)", "SINOVIK (Sistem Informasi Inovasi Pelayanan Publik)"
_SHORT_THEN_LONG = re.compile(rf"(?P<short>{_WORD})\s*\((?P<long>[^()]*\s[^()]*)\)")
# "… yang selanjutnya disingkat BRIDA", "X merupakan singkatan dari …", "X stands for …"
_SPELLED = re.compile(
    rf"(?:disingkat|dikenal dengan singkatan)\s+(?P<after>{_WORD})"
    rf"|(?P<before>{_WORD})\s+(?:(?:merupakan|adalah|ialah)\s+)?(?:singkatan|kependekan|"
    rf"akronim)\s+(?:dari\s+)?{_WORD}|(?P<en>{_WORD})\s+(?:stands|is short)\s+for\b",
    re.I,
)


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _acronym_like(name: str) -> bool:
    """ "JIPPNas", "SIKS-NG", "ATM": two capitals at least (not "Gresik", not "Top")."""
    return sum(c.isupper() for c in name) >= 2


def _spells(short: str, phrase: str) -> bool:
    """Do words of `phrase`, in order, start with the first two letters of `short`
    ("SINOVIK" -> "Sistem Informasi …", "ATM" -> "amati, tiru, …")?"""
    letters = [c.lower() for c in short if c.isalpha()][:2]
    initials = [w[0].lower() for w in re.findall(r"[^\W\d_]+", phrase)]
    for i, initial in enumerate(initials):
        if initial == letters[0] and letters[1:] and letters[1] in initials[i + 1 :]:
            return True
    return False


def expanded_names(text: str) -> frozenset[str]:
    """The short names `text` spells out, normalised (lower case, letters and digits)."""
    names = {
        m.group("short")
        for m in _LONG_THEN_SHORT.finditer(text)
        if _acronym_like(m.group("short")) and _spells(m.group("short"), m.group(0))
    }
    names |= {
        m.group("short")
        for m in _SHORT_THEN_LONG.finditer(text)
        if _acronym_like(m.group("short")) and _spells(m.group("short"), m.group("long"))
    }
    for match in _SPELLED.finditer(text):
        names.add(match.group("after") or match.group("before") or match.group("en") or "")
    return frozenset(k for k in map(_key, names) if len(k) >= 2)


def expands_asked_name(question: str, texts: Iterable[str]) -> bool:
    """Does any of `texts` spell out a name the question uses?"""
    words = {_key(w) for w in re.findall(_WORD, question)}
    return any(expanded_names(text) & words for text in texts)
