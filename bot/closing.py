"""A regulation's closing (its signing formula) said in one sentence.

The closing is laid out for the page: "Ditetapkan di Sentosa Jaya / pada tanggal 22 April
2024 / BUPATI FIKSI, / ttd / ANDIKA PRATAMA WIRAHADI / Diundangkan di … / BERITA DAERAH …
NOMOR 7". Quoted as it stands it reads as one run-on line in a chat. Asked when a
regulation was enacted or who signed it, the answer says the same facts in one sentence:
"Ditetapkan di Sentosa Jaya pada tanggal 22 April 2024 oleh Bupati Fiksi, Andika Pratama
Wirahadi; diundangkan … ; dimuat dalam Berita Daerah Kabupaten Fiksi Tahun 2024 Nomor 7."
Nothing is added: a closing that cannot be read this way is quoted as it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.regulation_frames import title_sentence
from replikasi.sentences import Unit

if TYPE_CHECKING:
    from bot.compose import Composition

_ACT = re.compile(
    r"\b(?P<verb>ditetapkan|diundangkan)\s+di\s+(?P<place>[^\n,]{2,60}?)\s*,?\s+"
    r"pada\s+tanggal\s+(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4})"
    r"(?P<rest>.*?)(?=\b(?:ditetapkan|diundangkan)\s+di\b|\Z)",
    re.I | re.S,
)
_GAZETTE = re.compile(
    r"\b(?:tambahan\s+)?(?:berita|lembaran)\s+(?:daerah|negara)\b[^\n]{0,80}?\bnomor\s+\d+",
    re.I,
)
_SIGNED = re.compile(r"^(?:ttd\.?|t\.t\.d\.?|dto\.?|ditandatangani secara elektronik)$", re.I)
# Where the signer's name ends when the lines are lost (text from some PDFs).
_AFTER_NAME = re.compile(r"\s+(?:salinan|nip\b|pangkat|pembina|lampiran)\b.*", re.I | re.S)


@dataclass(frozen=True)
class Act:
    verb: str  # "Ditetapkan" or "Diundangkan"
    place: str
    date: str
    office: str = ""
    name: str = ""

    def sentence(self, first: bool) -> str:
        verb = self.verb.capitalize() if first else self.verb.lower()
        by = f" oleh {self.office}, {self.name}" if self.office and self.name else ""
        by = by or (f" oleh {self.office or self.name}" if self.office or self.name else "")
        return f"{verb} di {self.place} pada tanggal {self.date}{by}"


def read_closing(text: str) -> tuple[list[Act], str]:
    """The acts a closing records (enacted, promulgated) and its gazette line, if any."""
    gazette = _GAZETTE.search(text)
    acts = []
    for match in _ACT.finditer(text):
        rest = _GAZETTE.sub("\n", match.group("rest"))
        office, name = _signer(rest)
        acts.append(
            Act(
                match.group("verb").capitalize(),
                _title(" ".join(match.group("place").split())),
                " ".join(match.group("date").split()),
                office,
                name,
            )
        )
    return acts, _title(" ".join(gazette.group().split())) if gazette else ""


def readable_closing(text: str) -> str:
    """One sentence for a closing, or "" when `text` holds no "Ditetapkan/Diundangkan di …
    pada tanggal …"."""
    acts, gazette = read_closing(text)
    if not acts:
        return ""
    said = "; ".join(act.sentence(i == 0) for i, act in enumerate(acts))
    return f"{said}; dimuat dalam {gazette}." if gazette else f"{said}."


def readable_closings(composition: Composition) -> Composition:
    """`composition` with the units of each closing passage said as one sentence, where
    the passage reads as a closing; a passage holding only a gazette line ("TAMBAHAN
    BERITA DAERAH … NOMOR 7") goes when a read closing already names the gazette. A
    heading block ("PERATURAN BUPATI … NOMOR 14 TAHUN 2026 TENTANG …") is said as the
    title it was read as at ingest."""
    units = []
    done: set[str] = set()
    for unit in composition.units:
        chunk = unit.chunk
        section = chunk.reg_section
        if section not in ("closing", "title"):
            units.append(unit)
            continue
        if chunk.chunk_id in done:
            continue
        sentence = readable_closing(chunk.text) if section == "closing" else title_sentence(chunk)
        if sentence:
            done.add(chunk.chunk_id)
            units.append(replace(unit, unit=Unit(sentence, unit.unit.order)))
        elif not (done and _GAZETTE.fullmatch(chunk.text.strip())):
            units.append(unit)
    if not done:
        return composition
    best = composition.best
    if best is not None and best.chunk.chunk_id in done:
        best = next(u for u in units if u.chunk.chunk_id == best.chunk.chunk_id)
    return replace(composition, units=units, best=best)


def _signer(rest: str) -> tuple[str, str]:
    """The office ("BUPATI FIKSI,") and name after "pada tanggal …", lines or not."""
    lines = [" ".join(line.split()) for line in rest.splitlines()]
    lines = [line for line in lines if line and not _SIGNED.match(line)]
    if len(lines) >= 2 and lines[0].endswith(","):
        return _title(lines[0].rstrip(",")), _title(_AFTER_NAME.sub("", lines[1]))
    flat = " ".join(lines)
    office, comma, name = flat.partition(",")
    if not comma:
        return "", ""
    name = re.sub(r"^(?:ttd\.?|dto\.?)\s+", "", name.strip(), flags=re.I)
    name = _AFTER_NAME.sub("", name).strip()
    return _title(office.strip()), _title(name) if 1 <= len(name.split()) <= 8 else ""


def _title(text: str) -> str:
    """ "BUPATI FIKSI" -> "Bupati Fiksi"; mixed case, acronyms ("DPRD") and abbreviations
    with a dot ("S.H.") are left as written."""
    if not text.isupper():
        return text
    words = []
    for i, word in enumerate(text.split()):
        if i and word.lower() in _LOWER:
            words.append(word.lower())
        elif "." in word or not re.search(r"[AEIOU]", word):
            words.append(word)
        else:
            words.append(word.capitalize())
    return " ".join(words)


_LOWER = frozenset({"dan", "atau", "di", "ke", "dari", "untuk", "yang", "pada"})
