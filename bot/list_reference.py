"""A follow-up that points into the previous answer's list: "yang tahap kedua maksudnya
apa?", "yg pertama asalnya dari mana?", "poin 3 jelasin dong", "what about the second
one?". The item it points at is what the question is about; `bot.query` searches its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from replikasi.indonesian import tokenize

# Ordinal words of both languages ("terakhir" / "last": -1); `bot.query` reads the series
# members a question names ("angkatan kedua") with the same words.
ORDINAL_WORDS = {
    "pertama": 1, "kesatu": 1, "first": 1, "1st": 1,
    "kedua": 2, "second": 2, "2nd": 2,
    "ketiga": 3, "third": 3, "3rd": 3,
    "keempat": 4, "fourth": 4, "4th": 4,
    "kelima": 5, "fifth": 5, "5th": 5,
    "keenam": 6, "sixth": 6, "6th": 6,
    "ketujuh": 7, "seventh": 7, "7th": 7,
    "kedelapan": 8, "eighth": 8, "8th": 8,
    "kesembilan": 9, "ninth": 9, "9th": 9,
    "kesepuluh": 10, "tenth": 10, "10th": 10,
    "terakhir": -1, "last": -1,
}  # fmt: skip
# "yang kedua", "tahap ke-2", "poin 3", "nomor 2", "no. 2", "item 2", "#2", "the last one"
_POSITION = re.compile(
    rf"\b(?P<word>{'|'.join(ORDINAL_WORDS)})\b"
    r"|\bke-?\s?(?P<ke>\d{1,2})\b"
    r"|(?:\b(?:poin|point|butir|nomor|no\.?|number|item|langkah|step)\s*|#)(?P<n>\d{1,2})\b",
    re.I,
)
_ONE = re.compile(r"\s+ones?\b", re.I)  # "the second one"
_THE = re.compile(r"\bthe\s+$", re.I)
_NO_HEAD = frozenset(
    {"yang", "yg", "the", "ke", "and", "dan", "kalau", "kalo", "klo", "what", "about"}
)
# A question naming an article or a dictum points into a regulation, not into an answer.
_REGULATION_PART = re.compile(r"\b(?:pasal|psl|ayat|article|diktum|dictum|bab)\b", re.I)
# The words a question may hold besides the pointer and still be about the item alone.
MAX_OWN_TERMS = 4
# A list item: "1. Persiapan;", "- Amati – …", "• …", "a. …"
_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[a-z][.)]|[-•*–])\s+(?P<text>\S.*)$")
_CITATION = re.compile(r"\s*\[\d+\](?:\s*\[\d+\])*")
_TRAILING = re.compile(r"[\s;,.:]+(?:dan|atau|and|or)?\s*$", re.I)


# Asking about an item beyond what the list says of it: "maksudnya apa?", "jelasin dong",
# "what does it mean?", "gimana contohnya?" (not "kalau yang kedua?", which asks what was
# just asked of the first).
_BEYOND = re.compile(
    r"\b(?:maksud(?:nya)?|arti(?:nya)?|jelas\w*|jelasin|terang\w*|rinci\w*|detail\w*|"
    r"contoh(?:nya)?|gimana|bagaimana|gmn|explain\w*|means?|meaning|details?|examples?|"
    r"more about|how)\b",
    re.I,
)


def asks_beyond_the_list(question: str) -> bool:
    """ "poin 4 maksudnya apa?": what the item is, past the list that names it."""
    return bool(_BEYOND.search(question))


@dataclass(frozen=True)
class ListRef:
    position: int  # 1-based; -1 for the last
    head: str  # the word before the pointer ("tahap" of "tahap kedua"), may be empty
    span: tuple[int, int]  # where the pointer is written ("kedua", "the second one")
    # "tahap kedua" points into a list of stages only; "yang kedua" into any list
    head_required: bool = False


# An ordinal word points into a list after "yang" / "the" or a word naming the list's
# items ("tahap kedua"); elsewhere it says something else: "kapan pertama kali …?",
# "kedua pihak" (both parties), "kapan terakhir diadakan?", "last year".
_POINTS_AFTER = frozenset({"yang", "yg", "the"})
_TIME_AFTER = re.compile(
    r"\s+(?:kali|time|times|year|years|tahun|thn|hari|day|days|minggu|pekan|week|bulan|month)\b",
    re.I,
)
_NEXT_WORD = re.compile(r"\s+([A-Za-z]{3,})")
_QUESTION_WORDS_TEXT = """
    apa siapa kapan kpn mana dimana berapa brp gimana bagaimana kenapa mengapa when what who
    where which how why is are was were
    """
_QUESTION_WORDS = frozenset(_QUESTION_WORDS_TEXT.split())


def list_reference(question: str) -> ListRef | None:
    """Where a short question points in a list ("yang kedua", "tahap ke-3", "poin 2")."""
    if _REGULATION_PART.search(question) or len(tokenize(question)) > MAX_OWN_TERMS + 2:
        return None
    match = _POSITION.search(question)
    if not match:
        return None
    before = re.findall(r"[a-z]+", question[: match.start()].lower())[-2:]
    the = _THE.search(question[: match.start()])
    one = _ONE.match(question, match.end())
    span = (the.start() if the else match.start(), one.end() if one else match.end())
    if not match.group("word"):
        position = int(match.group("ke") or match.group("n"))
        heads = [w for w in before if w not in _NO_HEAD]
        return ListRef(position, heads[-1] if heads else "", span) if position else None
    position = ORDINAL_WORDS[match.group("word").lower()]
    if _TIME_AFTER.match(question, match.end()) or not before:
        return None
    if before[-1] in _POINTS_AFTER:  # "yang kedua", "rumus yang ketiga", "the second one"
        after = None if one else _NEXT_WORD.match(question, span[1])
        if before[-1] == "the" and after:  # "the first pilots": English names the list after
            return ListRef(position, after.group(1).lower(), span, head_required=True)
        head = before[0] if len(before) == 2 and before[0] not in _NO_HEAD else ""
        return ListRef(position, head, span)
    if before[-1] in _NO_HEAD or before[-1] in _QUESTION_WORDS:
        return None
    return ListRef(position, before[-1], span, head_required=True)  # "tahap kedua"


# A regulation's points run on in one line: "… melalui tahapan: a. identifikasi …; b.
# penyusunan …; dan d. evaluasi (Pasal 3) [1]."
_RUN_ON_ITEM = re.compile(
    r"(?:^|;\s*(?:dan/atau\s+|dan\s+|atau\s+)?)(?P<mark>[a-z]|\d{1,2})\.\s+(?P<text>[^;]+?)"
    r"(?=;\s*(?:dan/atau\s+|dan\s+|atau\s+)?(?:[a-z]|\d{1,2})\.\s|\s*\(Pasal|\s*\[\d|\.?\s*$)"
)


def _run_on_list(line: str) -> tuple[str, list[str]] | None:
    """A line's run-on points after its colon, with what comes before as the
    introduction."""
    intro, colon, rest = line.partition(":")
    if not colon:
        return None
    items = list(_RUN_ON_ITEM.finditer(rest.strip()))
    marks = [m.group("mark") for m in items]
    if len(items) < 2 or marks[0] not in ("a", "1"):
        return None
    return intro.strip(), [_TRAILING.sub("", m.group("text")).strip() for m in items]


def answer_lists(text: str) -> list[tuple[str, list[str]]]:
    """The lists an answer holds, each with the line that introduces it."""
    lists: list[tuple[str, list[str]]] = []
    intro = ""
    current: list[str] | None = None
    for line in text.splitlines():
        item = _ITEM.match(line)
        run_on = None if item else _run_on_list(line)
        if run_on is not None:
            lists.append(run_on)
            current = None
            intro = line.strip()
            continue
        if item:
            if current is None:
                current = []
                lists.append((intro, current))
            cleaned = _TRAILING.sub("", _CITATION.sub("", item.group("text"))).strip()
            if cleaned:
                current.append(cleaned)
        else:
            current = None
            if line.strip():
                intro = line.strip()
    return [(intro, items) for intro, items in lists if len(items) >= 2]


def pointed_item(question: str, previous_answer: str) -> str:
    """The item of the previous answer's list the question points at, or "" when it points
    at none. The list is the one whose introduction names the word before the pointer
    ("tahap kedua": "… melalui empat tahap:"), else the first long enough."""
    ref = list_reference(question)
    if ref is None:
        return ""
    head_terms = set(tokenize(ref.head)) if ref.head else set()
    lists = answer_lists(previous_answer)
    named = [entry for entry in lists if head_terms & set(tokenize(entry[0]))]
    ranked = named if ref.head_required else named + [e for e in lists if e not in named]
    for _intro, items in ranked:
        if ref.position == -1 or ref.position <= len(items):
            return items[-1] if ref.position == -1 else items[ref.position - 1]
    return ""


def write_in(question: str, item: str) -> str:
    """The question with its pointer replaced by the item ("yang tahap kedua maksudnya
    apa?" -> "yang tahap Rencana dan pengembangan maksudnya apa?")."""
    ref = list_reference(question)
    if not item or ref is None:
        return ""
    start, end = ref.span
    return f"{question[:start]}{item}{question[end:]}"


def resolve_item(question: str, previous_answer: str) -> str:
    """The question with the item of the previous answer's list it points at written in,
    or "" when it points at none."""
    return write_in(question, pointed_item(question, previous_answer))
