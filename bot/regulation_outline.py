"""A regulation's outline, read off its structure: "ringkasan Perwal Fiktif 3/2026 dong",
"BAB apa saja yang ada di Perbup 14/2026?", "terdiri dari berapa pasal?", "isi BAB III
apa?".

Such a question shares few words with any one passage: searched, it meets the articles
that repeat the regulation's name (its closing, "Peraturan Wali Kota ini mulai berlaku …").
The index knows every chapter and article of a regulation it holds (the section path of
each passage, "BAB II TAHAPAN … › Bagian Kesatu … › Pasal 3"), so the outline is told from
that: the chapters in order with their articles, or one chapter's articles with the first
words of each, every line cited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from replikasi.records import MetaKey, RetrievedChunk

# "ringkasan", "isi pokok", "garis besar", "BAB apa saja", "berapa pasal", "summary", …
_ASKS_OUTLINE = re.compile(
    r"\b(?:ringkas\w*|rangkum\w*|rangkuman|garis\s+besar(?:nya)?|isi\s+pokok(?:nya)?|"
    r"pokok(?:-pokok)?\s+(?:isi|materi)|(?:struktur|sistematika|kerangka)(?:nya)?|daftar\s+isi|"
    r"bab\s+apa\s+(?:saja|aja|sj)|(?:berapa|brp|jumlah)\s+(?:pasal|bab)|"
    r"terdiri\s+(?:dari|atas)\s+(?:berapa|brp)|outline|summary|summari[sz]e|overview|"
    r"(?:which|what)\s+chapters|how\s+many\s+(?:articles|chapters)|table\s+of\s+contents)\b",
    re.I,
)
# "isi BAB III apa?", "BAB 2 ngatur apa?", "chapter IV"
_CHAPTER = re.compile(r"\b(?:bab|chapter)\s+(?P<n>[IVXL]+|\d{1,2})\b", re.I)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_SMALL_WORDS = frozenset({"dan", "atau", "di", "ke", "dari", "yang", "untuk", "bagi", "dalam"})
FIRST_WORDS = 140  # characters of an article quoted in a chapter's outline


def asks_outline(text: str) -> bool:
    return bool(_ASKS_OUTLINE.search(text))


def asked_chapter(text: str) -> int:
    """The chapter a question names ("BAB III" -> 3), 0 if none."""
    match = _CHAPTER.search(text)
    if not match:
        return 0
    written = match.group("n").upper()
    return int(written) if written.isdigit() else _roman(written)


def _roman(written: str) -> int:
    total = 0
    for i, letter in enumerate(written):
        value = _ROMAN.get(letter, 0)
        following = _ROMAN.get(written[i + 1], 0) if i + 1 < len(written) else 0
        total += -value if value < following else value
    return total


@dataclass(frozen=True)
class Chapter:
    heading: str  # "BAB II TAHAPAN REPLIKASI INOVASI"
    number: int
    articles: tuple[RetrievedChunk, ...]  # the first passage of each article, in order

    @property
    def name(self) -> str:
        """ "BAB II" """
        return " ".join(self.heading.split()[:2])

    @property
    def label(self) -> str:
        """ "BAB V Pembinaan, Penghargaan, dan Sanksi" """
        words = self.heading.split()[2:]
        rest = " ".join(w.lower() if w.lower() in _SMALL_WORDS else w.capitalize() for w in words)
        return f"{self.name} {rest}".strip()

    @property
    def span(self) -> str:
        first, last = self.articles[0].article, self.articles[-1].article
        return first if first == last else f"{first}–{last.removeprefix('Pasal ')}"


@dataclass(frozen=True)
class Outline:
    title: RetrievedChunk  # the passage that names the regulation (its heading, if read)
    chapters: tuple[Chapter, ...]  # none for a regulation without chapters, or a decree
    articles: int
    # the first passage of each article (or dictum) of one without chapters
    loose: tuple[RetrievedChunk, ...] = ()

    @property
    def document(self) -> str:
        return self.title.document_label


def regulation_outline(doc_id: str, chunks: Iterable[RetrievedChunk]) -> Outline | None:
    """The outline of the regulation `doc_id` from its passages, or None when it has no
    chapters and articles."""
    passages = sorted(
        (c for c in chunks if c.doc_id == doc_id),
        key=lambda c: int(str(c.metadata.get(MetaKey.POSITION, 0) or 0)),
    )
    title = next(
        (c for c in passages if c.reg_section == "title"),
        passages[0] if passages else None,
    )
    chapters: dict[str, list[RetrievedChunk]] = {}
    loose: list[RetrievedChunk] = []
    seen: set[str] = set()
    for chunk in passages:
        if not chunk.article or chunk.article in seen:
            continue
        seen.add(chunk.article)
        heading = chunk.section.split(" › ")[0]
        if _CHAPTER.match(heading):
            chapters.setdefault(heading, []).append(chunk)
        else:
            loose.append(chunk)  # "Pasal 3" of a short regulation, a decree's "Diktum KEDUA"
    if title is None or not seen:
        return None
    if chapters:
        found = tuple(
            Chapter(heading, asked_chapter(heading), tuple(articles))
            for heading, articles in chapters.items()
        )
        return Outline(title, found, len(seen))
    return Outline(title, (), len(seen), tuple(loose))


def first_words(text: str, limit: int = FIRST_WORDS) -> str:
    """An article's opening, cut at a word: "(1) Pelaksanaan replikasi dilakukan paling …" """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"
