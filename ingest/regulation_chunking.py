"""Sections of an Indonesian regulation, in the order of its drafting conventions.

Judul (the heading block) › Menimbang › Mengingat › Menetapkan (the preamble) › BAB › Bagian ›
Paragraf › Pasal (the body; ayat stay inside their Pasal) › Penutup (the signing formula,
"ttd", names, "BERITA DAERAH …") › Penjelasan › Umum / Pasal N (each elucidation linked to
its Pasal) › Lampiran. A decree (Keputusan) decides in dictums instead ("KESATU : …"): each
dictum is a section of its own, "Diktum KESATU", read as the decree's articles. The signing
formula is its own section, so it never ends up inside the last article. Input is text from
`normalise_regulation_text` (one paragraph per line).

Chunk metadata keys written here (scalar values, as Chroma requires); the lead's
chunk-metadata owner module should adopt these names:

- `article`         "Pasal 9" (chunks of an article), "Diktum KEDUA" (of a decree's dictum)
- `article_number`  9 (int; "Pasal 9A" → 9; "Diktum KEDUA" → 2)
- `ayat`            "1,2,3": the ayat numbers that start inside the chunk ("2" for the later
                    part of a long ayat split in two)
- `part`            "BAB IV PELAPORAN": the BAB the chunk belongs to
- `explains`        "Pasal 5" (chunks of the Penjelasan about that article)
- `reg_section`     title | preamble | article | body | closing | elucidation | attachment
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.documents import MetadataValue
from ingest.regulation_text import (
    AYAT,
    CLOSING_START,
    PASAL,
    is_upper,
    line_role,
    split_diktum,
)
from replikasi.dictums import DIKTUM_NUMBERS
from replikasi.records import MetaKey

# Metadata keys of regulation passages (their one owner is replikasi.records.MetaKey).
ARTICLE = MetaKey.ARTICLE
ARTICLE_NUMBER = MetaKey.ARTICLE_NUMBER
AYAT_NUMBERS = MetaKey.AYAT
PART = MetaKey.PART
EXPLAINS = MetaKey.EXPLAINS
REG_SECTION = MetaKey.REG_SECTION
CHUNK_KEYS = (ARTICLE, ARTICLE_NUMBER, AYAT_NUMBERS, PART, EXPLAINS, REG_SECTION)

TITLE, CLOSING, ELUCIDATION, ATTACHMENT = "Judul", "Penutup", "Penjelasan", "Lampiran"
_LEVELS = {"bab": 1, "bagian": 2, "paragraf": 3, "pasal": 4}
_OPENING_NAMES = {
    "menimbang": "Menimbang",
    "mengingat": "Mengingat",
    "memperhatikan": "Memperhatikan",
    "memutuskan": "Menetapkan",
    "menetapkan": "Menetapkan",
}
_NOT_EXPLAINED = re.compile(
    r"^(cukup\s+jelas\.?|ayat\s*\(\d+[a-z]?\)|huruf\s+[a-z]|angka\s+\d+)$", re.IGNORECASE
)
_ATTACHMENT_HEAD = re.compile(
    r"^(PERATURAN|KEPUTUSAN|SURAT\s+EDARAN|INSTRUKSI|PEDOMAN|NOMOR|TENTANG|TANGGAL)\b"
)
_SUBHEADING = re.compile(r"^(Ayat\s*\(\d+[a-z]?\)|Huruf\s+[a-z]|Angka\s+\d+)$", re.IGNORECASE)


@dataclass
class RegulationSection:
    path: tuple[str, ...]
    kind: str  # the value of `reg_section`
    lines: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n".join(self.lines).strip()

    def metadata(self) -> dict[str, MetadataValue]:
        meta: dict[str, MetadataValue] = {REG_SECTION: self.kind}
        last = self.path[-1] if self.path else ""
        pasal = PASAL.match(last)
        if pasal and self.kind == "article":
            meta[ARTICLE] = last
            meta[ARTICLE_NUMBER] = int(re.match(r"\d+", pasal.group(1)).group(0))  # type: ignore[union-attr]
        diktum = re.fullmatch(r"Diktum (.+)", last)
        if diktum and self.kind == "article":
            meta[ARTICLE] = last
            meta[ARTICLE_NUMBER] = DIKTUM_NUMBERS[diktum.group(1)]
        if pasal and self.kind == "elucidation":
            meta[EXPLAINS] = last
        bab = next((name for name in self.path if line_role(name) == "bab"), "")
        if bab and self.kind in ("article", "body"):
            meta[PART] = bab
        return meta


def regulation_sections(
    text: str, *, numbered_headings: bool | None = None
) -> list[RegulationSection]:
    """The sections of a normalised regulation text, in reading order."""
    lines = [line for line in text.splitlines() if line.strip()]
    has_pasal = any(line_role(line) == "pasal" for line in lines)
    numbered = (not has_pasal) if numbered_headings is None else numbered_headings
    sections = [RegulationSection(path=(TITLE,), kind="title")]
    stack: list[tuple[int, str]] = []
    zone = "head"
    attachment_head = False
    for line in lines:
        role = line_role(line)
        current = sections[-1]
        if zone == "head" and _ends_head(line, role):
            zone = "body"
            if role not in ("opening", "bab", "pasal") and not _is_numbered_heading(line):
                sections.append(RegulationSection(path=(), kind="body"))
                current = sections[-1]
        if role == "opening" and zone in ("head", "body") and not stack:
            name = _OPENING_NAMES[line.split()[0].rstrip(":").lower()]
            if current.path != (name,):
                sections.append(RegulationSection(path=(name,), kind="preamble"))
            sections[-1].lines.append(line)
            zone = "body"
            continue
        if role == "standalone" and line.upper().startswith("MEMUTUSKAN"):
            sections.append(RegulationSection(path=("Menetapkan",), kind="preamble", lines=[line]))
            zone = "body"
            continue
        if role == "penjelasan":
            zone = "elucidation"
            sections.append(RegulationSection(path=(ELUCIDATION,), kind="elucidation"))
            continue  # the heading repeats the title
        if role == "lampiran" and is_upper(line.split()[0]):
            zone = "attachment"
            sections.append(RegulationSection(path=(ATTACHMENT,), kind="attachment", lines=[line]))
            attachment_head = True
            continue
        if zone == "attachment" and attachment_head:
            # "PERATURAN …", "NOMOR …", "TENTANG …" under "LAMPIRAN" repeat the title: they
            # are no content (quoted, they would answer any question about the regulation)
            attachment_head = bool(_ATTACHMENT_HEAD.match(line))
            if attachment_head:
                continue
        if zone == "elucidation":
            _elucidation_line(sections, line, role)
            continue
        if zone != "head" and (CLOSING_START.match(line) or _signature_starts(line, current)):
            if zone != "closing":
                sections.append(RegulationSection(path=(CLOSING,), kind="closing"))
                _move_signer(current, sections[-1], line)
            zone = "closing"
            sections[-1].lines.append(line)
            continue
        if role == "diktum" and zone in ("head", "body") and not stack:
            # a decree's dictum: its own "article", the label in its path, not in its text
            zone = "body"
            label, rest = split_diktum(line)
            sections.append(
                RegulationSection(path=(f"Diktum {label}",), kind="article", lines=[rest])
            )
            continue
        if role in _LEVELS and zone != "attachment":
            zone = "body"
            level = _LEVELS[role]
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, line))
            kind = "article" if role == "pasal" else "body"
            sections.append(RegulationSection(path=tuple(n for _, n in stack), kind=kind))
            continue
        if zone == "body" and numbered and _is_numbered_heading(line):
            sections.append(RegulationSection(path=(line,), kind="body"))
            continue
        sections[-1].lines.append(line)
    return [s for s in sections if s.body and not _only_not_explained(s)]


def _ends_head(line: str, role: str) -> bool:
    if role in ("opening", "bab", "pasal", "ayat", "point", "closing"):
        return True
    return role == "text" and not is_upper(line) and len(line.split()) >= 12 and line[-1] in ".:"


def _elucidation_line(sections: list[RegulationSection], line: str, role: str) -> None:
    if role == "pasal":
        sections.append(RegulationSection(path=(ELUCIDATION, line), kind="elucidation"))
    elif role == "standalone" and re.match(r"^[IVX][IVXl1]*\.\s", line):
        name = line.split(".", 1)[1].strip()
        if name.upper() == "UMUM":
            sections.append(RegulationSection(path=(ELUCIDATION, "Umum"), kind="elucidation"))
        else:
            sections.append(RegulationSection(path=(ELUCIDATION,), kind="elucidation"))
    elif CLOSING_START.match(line):
        sections.append(RegulationSection(path=(CLOSING,), kind="closing", lines=[line]))
    else:
        sections[-1].lines.append(line)


def _signature_starts(line: str, current: RegulationSection) -> bool:
    """ "ttd" with no "Ditetapkan di" before it (letters, circulars)."""
    return current.kind != "closing" and line.lower().rstrip(".") == "ttd"


def _move_signer(previous: RegulationSection, closing: RegulationSection, line: str) -> None:
    """The signer's title ("BUPATI CONTOH,") printed just above "ttd" belongs to the closing."""
    if line.lower().rstrip(".") != "ttd":
        return
    while previous.lines and previous.lines[-1].endswith(","):
        closing.lines.insert(0, previous.lines.pop())


def _is_numbered_heading(line: str) -> bool:
    """ "1. Latar Belakang", "B. MAKSUD DAN TUJUAN": the parts of a circular or a guideline."""
    match = re.match(r"^(?:\d{1,2}|[A-Z])\.\s+(\S.*)$", line)
    if not match:
        return False
    title = match.group(1)
    return (
        len(title.split()) <= 8 and title[0].isupper() and not title.endswith((".", ";", ":", ","))
    )


def _only_not_explained(section: RegulationSection) -> bool:
    """A Penjelasan entry that says only "Cukup jelas." carries nothing worth retrieving."""
    if section.kind != "elucidation":
        return False
    return all(_NOT_EXPLAINED.match(line.strip()) for line in section.lines if line.strip())


def ayat_numbers(text: str) -> list[str]:
    """The ayat that start inside `text`: "(1) …" at the start of a line."""
    numbers = []
    for line in text.splitlines():
        match = AYAT.match(line.strip())
        if match:
            numbers.append(match.group(1))
    return numbers


def is_subheading(line: str) -> bool:
    return bool(_SUBHEADING.match(line.strip()))
