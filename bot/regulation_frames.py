"""Questions about a regulation's frame rather than its articles.

"Apa dasar hukum Perwal 3/2026?" is answered by its Mengingat, "mengapa peraturan ini
dibuat?" by its Menimbang, "kapan Perwal ini ditetapkan?" and "siapa yang menandatangani
SK ini?" by its closing (the signing formula). Such questions share few words with those
parts, so, like a question naming a Pasal, they are looked up by structure (the chunk
metadata `reg_section` and the preamble part's name), not left to search. For any other
question the frame is weighed but not quoted (`frames_elsewhere`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from replikasi.records import MetaKey, RetrievedChunk

if TYPE_CHECKING:
    from bot.query import Query

MENGINGAT, MENIMBANG, CLOSING, TITLE = "Mengingat", "Menimbang", "Penutup", "Judul"
IN_FORCE = "Mulai berlaku"  # the article saying when it takes effect, with the closing

_REGULATION = (
    r"(?:peraturan|perwal|perbup|pergub|perda|perkada|permen\w*|keputusan|kepwal|kepbup|"
    r"kepgub|kepmen\w*|sk|surat edaran|se|pedoman|regulation|decree|by-?law|circular|"
    r"guideline|ordinance)"
)
# A particular regulation: its short form, a kind with its issuer, or "this one" (a generic
# "peraturan" alone may be any: "apa dasar hukum inovasi?" is no question on a frame).
_NAMES_A_REGULATION = re.compile(
    r"\b(?:perwal|perbup|pergub|perda|perkada|permen\w*|kepwal|kepbup|kepgub|kepmen\w*|sk)\b"
    r"|\b(?:peraturan|keputusan|surat edaran|pedoman|regulation|decree|by-?law|circular|"
    r"guideline|ordinance)\s+(?:ini|tersebut|itu|wali ?kota|bupati|gubernur|daerah|menteri)\b"
    r"|\b(?:this|that|the(?: [\w'’]+){0,2})\s+(?:mayoral |regent'?s? |governor'?s? |ministerial )?"
    r"(?:regulation|decree|by-?law|circular|guideline|ordinance)\b",
    re.I,
)
_ENACTED = (
    r"(?:ditetapkan|diundangkan|ditandatangani|disahkan|diteken|signed|enacted|promulgated|"
    r"issued)"
)
_ASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        IN_FORCE,
        re.compile(
            # the regulation itself takes effect ("kapan Perwal 3/2026 mulai berlaku?"), not
            # something it rules on ("kapan hibah berlaku menurut perbup?")
            rf"\b(?:kapan|kpn|sejak\s+kapan|sampai\s+kapan|tanggal\s+berapa|tgl\s+brp)\s+"
            rf"(?:(?:{_REGULATION}|ini|itu|tersebut)\b[^?]{{0,50}}?\s+)?(?:mulai\s+)?berlaku\b"
            rf"|\b{_REGULATION}\b[^?]{{0,50}}?\bberlaku\s+(?:sejak|mulai|sampai)\s+"
            r"(?:kapan|tanggal\s+berapa|tgl\s+brp)\b"
            # asked with "when", as "kapan" above: "Can innovations running before this
            # regulation came into force …?" asks about something else
            r"|\bwhen\s+(?:does|did|do|will|is|was)\b[^?]{0,60}?\b(?:take|come)\s+(?:into\s+)?"
            r"(?:effect|force)\b"
            r"|\b(?:in\s+force|effective)\s+(?:from|since|until)\s+when\b"
            r"|\bwhen\s+(?:does|did|do|will|is|was)\b[^?]{0,60}?\b(?:in\s+force|effective)\b",
            re.I,
        ),
    ),
    (
        MENGINGAT,
        re.compile(
            r"\b((?:dasar|landasan|payung) hukum(?:nya)?|legal basis|legal grounds?|"
            r"mengingat|konsiderans mengingat)\b",
            re.I,
        ),
    ),
    (
        MENIMBANG,
        re.compile(
            r"\b(latar belakang(?:nya)?|pertimbangan(?:nya)?|menimbang|considerations?|"
            r"background)\b"
            r"|\b(mengapa|kenapa|knp|napa|why)\b.*\b(dibuat|diterbitkan|ditetapkan|"
            r"dikeluarkan|disusun|dibentuk|issued|made|enacted|adopted|needed)\b",
            re.I,
        ),
    ),
    (
        CLOSING,
        re.compile(
            rf"\b{_REGULATION}\b[^?.!]{{0,60}}?\b{_ENACTED}\b"
            # the regulation only in the conversation: "kapan ditetapkan?", "when was it signed?"
            rf"|^\W*(?:kapan|when|tanggal berapa|tgl brp)?\s*(?:was|is)?\s*(?:it|ini|itu)?\s*"
            rf"{_ENACTED}\b"
            r"|\b(menandatangani|meneken|tanda ?tangan|penandatangan|signed|signatory|"
            r"signs?)\b",
            re.I,
        ),
    ),
)


# Enacted as the moment something else is counted from: "… harus sudah dibentuk setelah
# peraturan tersebut diundangkan?", "once the Regent has issued the decree, …"
_FROM_ENACTMENT = re.compile(
    rf"\b(?:setelah|sesudah|semenjak|sejak(?!\s+kapan)|after|once|since(?!\s+when))\b"
    rf"[^?.!,]{{0,80}}?\b{_ENACTED}\b",
    re.I,
)
# An agreement signed, not the regulation: "… sign their cooperation agreement?",
# "siapa yang menandatangani perjanjian kerja sama?"
_SIGNS_AN_AGREEMENT = re.compile(
    r"\b(?:menandatangani|meneken|tanda ?tangan|penandatangan\w*|signed|signing|signs?)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:perjanjian|kesepakatan|nota|mou|pks|kontrak|pakta|komitmen|"
    r"agreements?|memorand\w*|contracts?|pacts?|commitments?)\b",
    re.I,
)


def _of_its_own_enactment(text: str) -> str:
    """`text` without what speaks of enacting or signing something other than asking
    when or by whom the regulation was enacted or signed."""
    return _SIGNS_AN_AGREEMENT.sub(" ", _FROM_ENACTMENT.sub(" ", text))


# Its title or what it is about: "Apa judul lengkap Perbup 14/2026?", "Perbup Lembah
# Hijau itu tentang apa?" (but not "Pasal 2 ngatur apa?", which asks about an article)
_ASKS_TITLE = re.compile(
    r"\b(?:judul(?:nya)?|title|(?:tentang|soal|perihal)\s+apa|(?:mengatur|ngatur|membahas|bahas|"
    r"berisi)\s+(?:tentang\s+|soal\s+)?(?:apa|hal\s+apa)|about|regulate|cover|govern|subject)\b",
    re.I,
)
_NAMES_A_PART = re.compile(
    r"\b(?:pasal|psl|ayat|bab|bagian|paragraf|diktum|article|dictum|chapter|lampiran)\b", re.I
)


def names_a_regulation(text: str, context: str = "", *, numbered: bool = False) -> bool:
    """Does a question name a particular regulation: itself, by its number when
    `numbered`, or in `context` (the topic a follow-up carries)?"""
    return numbered or bool(_NAMES_A_REGULATION.search(f"{text} {context}"))


def asked_frame(text: str, context: str = "", *, numbered: bool = False) -> str:
    """The frame part a question about a regulation asks for ("Mengingat", "Menimbang",
    "Penutup", "Judul"), or "" when it asks about no such part or names no particular
    regulation."""
    if not names_a_regulation(text, context, numbered=numbered):
        return ""
    for part, pattern in _ASKS:
        if pattern.search(_of_its_own_enactment(text) if part == CLOSING else text):
            return part
    if _ASKS_TITLE.search(text) and not _NAMES_A_PART.search(text):
        return TITLE
    return ""


# the regulation's own entry into force, not a transitional rule on what was agreed
# "sebelum Peraturan Bupati ini mulai berlaku"
_TAKES_EFFECT = re.compile(r"\b(?:ini|tersebut)\s+mulai\s+berlaku\s+(?:pada|sejak)\b", re.I)


def frame_matches(frame: str, chunk: RetrievedChunk) -> bool:
    """Is the passage (part of) the frame part asked for?"""
    if not frame:
        return False
    section = chunk.reg_section
    if frame == CLOSING:
        return section == "closing"
    if frame == TITLE:
        return section == "title"
    if frame == IN_FORCE:  # "Peraturan Bupati ini mulai berlaku pada tanggal diundangkan."
        return section == "closing" or bool(chunk.article and _TAKES_EFFECT.search(chunk.text))
    return section == "preamble" and chunk.section.split(" › ")[-1] == frame


# A regulation's frame: its heading block, its preamble and its closing (signing formula).
# They hold its name, its reasons and legal basis, and its dates and signer: the answer to
# a question on those; quoted for any other, they answer nothing.
_FRAME_ASKS: dict[str, Callable[[Query], bool]] = {
    "title": lambda q: (
        bool(q.kinds & {"definition", "number", "title", "subject"}) or "judul" in q.own_terms
    ),
    "preamble": lambda q: (
        "reason" in q.kinds or bool({"timbang", "ingat", "dasar", "tetap"} & set(q.own_terms))
    ),
    "closing": lambda q: bool(q.kinds & {"date", "day", "name", "person", "person_name"}),
}


def frames_elsewhere(query: Query, chunk: RetrievedChunk) -> bool:
    """Is the passage part of a regulation's frame that the question does not ask about?"""
    asks = _FRAME_ASKS.get(chunk.reg_section)
    return asks is not None and not asks(query)


def title_sentence(chunk: RetrievedChunk) -> str:
    """A regulation's heading block said as its title: "Peraturan Bupati Lembah Hijau Nomor
    14 Tahun 2026 tentang Tata Kelola Kolaborasi dan Replikasi Inovasi Pelayanan Publik."
    ("" when the passage is no heading read at ingest)."""
    if chunk.reg_section != "title":
        return ""
    subject = str(chunk.metadata.get(MetaKey.REG_SUBJECT) or "")
    title = chunk.title
    if subject and subject.lower() not in title.lower():
        title = f"{title} tentang {subject}"  # an admin's caption named it otherwise
    return f"{title.rstrip('.')}." if subject else ""
