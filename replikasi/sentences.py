"""Split a passage into answer units: sentences, and short lists kept with their lead-in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from replikasi.regulation_marks import AYAT_OPENING

# Tokens after which a full stop does not end a sentence (titles, "No.", initials...).
_ABBREVIATIONS = {
    "no", "nomor", "plt", "kab", "prov", "kota", "dr", "drs", "ir", "h", "hj", "st", "jl",
    "prof", "dkk", "dll", "dsb", "tbk", "sdr", "bpk", "ibu", "mr", "mrs", "ms", "vs", "etc",
    "e.g", "i.e", "kec", "kel", "ttg", "sk", "pt", "cv", "rp", "hlm", "thn", "tgl",
}  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“(\[]?[A-Z0-9])")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
MAX_LIST_UNIT = 900
MIN_DETAIL_ITEM = 60  # shorter items ("- Adopsi") say nothing on their own


@dataclass(frozen=True)
class Unit:
    text: str
    order: int  # reading order inside its passage
    # A sentence of one item of a list that is also a unit as a whole: it lets a question
    # about one item be answered by that item alone. Not part of the reading order.
    detail: bool = False
    # For a detail: the list's lead-in ("Tahapan penilaian KIPP 2025:"), what the item is
    # about. Scoring reads its words as it reads a section heading's; it is not quoted.
    lead: str = ""


def split_units(text: str) -> list[Unit]:
    units: list[Unit] = []
    details: list[Unit] = []
    for block in _blocks(text):
        for lines in _ayat_groups([line.rstrip() for line in block.splitlines() if line.strip()]):
            _add_units(lines, units, details)
    return units + details


def _add_units(lines: list[str], units: list[Unit], details: list[Unit]) -> None:
    """The units of one ayat (or of a block that has none): a list kept with its lead-in,
    or sentences."""
    if any(_BULLET.match(line) for line in lines):
        pieces = _list_units(lines)
        if len(pieces) == 1:  # kept whole: its longer items are also units of their own
            lead = " ".join(line.strip() for line in lines if not _BULLET.match(line))
            details.extend(
                Unit(sentence, len(units), detail=True, lead=lead)
                for line in lines
                if _BULLET.match(line) and len(line) >= MIN_DETAIL_ITEM
                for sentence in split_sentences(_BULLET.sub("", line).strip())
                if _has_words(sentence)
            )
    else:
        pieces = split_sentences(" ".join(line.strip() for line in lines))
    units.extend(Unit(piece, len(units)) for piece in pieces if _has_words(piece))


def _ayat_groups(lines: list[str]) -> list[list[str]]:
    """The lines of a block, split where a line opens an ayat ("(2) …"): an ayat is a unit
    of its own even when the one before ends in a word that is also an abbreviation ("…
    dengan Keputusan Wali Kota. (2) Tim …") or with a numbered list ("(4) … melalui
    tahapan: 1. …; 2. …" stays the fourth ayat, not part of one unit with the three before)."""
    groups: list[list[str]] = []
    for line in lines:
        if groups and not AYAT_OPENING.match(line):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _blocks(text: str) -> list[str]:
    """Paragraph blocks, with a lead-in ending in ":" joined to the list that follows it."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        first = block.lstrip().splitlines()[0] if block.strip() else ""
        if blocks and blocks[-1].rstrip().endswith(":") and _BULLET.match(first):
            blocks[-1] = f"{blocks[-1]}\n{block}"
        else:
            blocks.append(block)
    return blocks


def _list_units(lines: list[str]) -> list[str]:
    """A short list stays whole with its lead-in (it is usually the answer); a long one is
    split into items that each carry the lead-in's words only through scoring context."""
    lead = [line.strip() for line in lines if not _BULLET.match(line)]
    items = [line.strip() for line in lines if _BULLET.match(line)]
    whole = "\n".join(line.strip() for line in lines)
    if len(whole) <= MAX_LIST_UNIT:
        return [whole]
    units = []
    for line in lead:
        units.extend(split_sentences(line))
    units.extend(items)
    return units


def split_sentences(paragraph: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        candidate = paragraph[start : match.start()].strip()
        last_word = candidate.rsplit(" ", 1)[-1].rstrip('.!?"”’)').lower()
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        if candidate:
            sentences.append(candidate)
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _has_words(text: str) -> bool:
    return sum(ch.isalpha() for ch in text) >= 3
