"""One text layout for a regulation, whatever file it came from.

A PDF wraps every paragraph at the page width and breaks pages in the middle of headings; a
DOCX has one paragraph per block, blank-line separated; a TXT is whatever the admin pasted.
`normalise_regulation_text` turns all of them into one paragraph per line, with headings
rejoined ("BAB IV" + "PELAPORAN" → "BAB IV PELAPORAN", also across a page break), so the
chunker sees the same structure and the chunks come out the same for every format.

The line patterns here (`line_role`) are shared with the regulation chunker.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

from replikasi.dictums import DIKTUM_NUMBERS

Role = Literal[
    "bab", "bagian", "paragraf", "pasal", "diktum", "penjelasan", "lampiran", "standalone",
    "opening", "ayat", "point", "closing", "text",
]  # fmt: skip

# OCR reads the numeral I as "l", "1" or "|" now and then: "BAB Il" is "BAB II".
BAB = re.compile(r"^BAB\s*([IVXLC|][IVXLCl1|]*|\d+)(?![\w])\.?", re.IGNORECASE)
BAGIAN = re.compile(r"^Bagian\s+(Ke[a-z]+|\d+)\b", re.IGNORECASE)
PARAGRAF = re.compile(r"^Paragraf\s+\d+\b", re.IGNORECASE)
# ... and "Pasal" as "Pasai" or "Pasa1".
PASAL = re.compile(r"^Pasa[lIi1|]\s*(\d+[A-Z]?)\s*\.?$", re.IGNORECASE)
AYAT = re.compile(r"^\((\d+[a-z]?)\)\s*")
# A decree (Keputusan) decides in dictums, not articles: "KESATU : Menetapkan …", "KEDUA : …"
# (OCR may read the colon as ";" or put a stray mark before it: "KELIMA”:").
DIKTUM = re.compile(
    r"^(" + "|".join(sorted(DIKTUM_NUMBERS, key=len, reverse=True)).replace(" ", r"\s+") + r")"
    r"\s*[\"'”’`.,]{0,2}\s*(?:[:;]\s*|$)"
)
POINT = re.compile(r"^(?:[a-z]|\d{1,2})[.)]\s+")
PENJELASAN = re.compile(r"^PENJELASAN\b")
LAMPIRAN = re.compile(r"^LAMPIRAN\b")
# Parts of the preamble, each its own section.
# Capitalised: a PDF line wrapped inside a point ("menetapkan Keputusan …") is no heading.
OPENING = re.compile(
    r"^(Menimbang|Mengingat|Memperhatikan|Menetapkan|Memutuskan"
    r"|MENIMBANG|MENGINGAT|MEMPERHATIKAN|MENETAPKAN|MEMUTUSKAN)\b"
)
# The signing formula and what follows it; never part of an article.
CLOSING = re.compile(
    r"^((Ditetapkan|Diundangkan|Disahkan|Dikeluarkan)\s+di\b|pada\s+tanggal\b|Salinan\s+sesuai"
    r"|[Tt]td\.?$|TTD\.?$|NIP\.?\s*\d)"
    r"|^(TAMBAHAN\s+)?(BERITA|LEMBARAN)\s+DAERAH\b",
)
# Where the signing part starts (a "pada tanggal" alone may be prose wrapped in a PDF).
CLOSING_START = re.compile(
    r"^((Ditetapkan|Diundangkan|Disahkan|Dikeluarkan)\s+di\b|Salinan\s+sesuai"
    r"|(TAMBAHAN\s+)?(BERITA|LEMBARAN)\s+DAERAH\b)"
)
# Lines that are a paragraph of their own, never joined to a neighbour.
STANDALONE = re.compile(
    r"^(DENGAN\s+RAHMAT\s+TUHAN\s+YANG\s+MAHA\s+ESA|MEMUTUSKAN\s*:?|ttd\.?|Cukup\s+jelas\.?"
    r"|Ayat\s*\(\d+[a-z]?\)|Huruf\s+[a-z]|Angka\s+\d+|(?-i:[IVX][IVXl1]*)\.\s+[A-Za-z][A-Za-z ]+)$",
    re.IGNORECASE,
)
# "Menimbang : a. bahwa ..." (a tab-laid preamble, or a table row) → two lines.
_OPENING_WITH_POINT = re.compile(
    r"^(Menimbang|Mengingat|Memperhatikan)\s*:\s*((?:[a-z]|\d{1,2})[.)]\s+.+)$", re.I
)
_MARKDOWN = re.compile(r"^(#{1,6}\s+|[-*]\s+(?=\S))")
# "Pasal 5 Cukup jelas." / "Ayat (1) Cukup jelas." on one line in a Penjelasan → two lines.
_HEADING_WITH_TEXT = re.compile(
    r"^(Pasal\s+\d+[A-Z]?|Ayat\s*\(\d+[a-z]?\)|Huruf\s+[a-z]|Angka\s+\d+)\s+"
    r"((?:Cukup\s+jelas|Ayat\s*\(\d+|Huruf\s+[a-z]\b|Angka\s+\d+|Yang\s+dimaksud)\b.*)$"
)
_PAGE_NUMBER = re.compile(r"^(-\s*\d{1,4}\s*-|(halaman|hal\.?)\s*\d+(\s*(dari|/)\s*\d+)?)$", re.I)
_REPEATS = 4
# A paragraph that ends like this is complete; the next line starts a new one.
_CLOSED = re.compile(r"([.;:]|\b(dan|atau|dan/atau))$")
# A line ending like this goes on in the next one: no heading or title ends so.
_REFERS_ON = re.compile(
    r"\b(dalam|pada|dimaksud|sebagaimana|sesuai|berdasarkan|menurut|oleh|terhadap|kepada|"
    r"dari|atas|dengan|di|ke)$",
    re.IGNORECASE,
)


def line_role(line: str) -> Role:
    """What a (stripped, non-empty) line of a regulation is."""
    if BAB.match(line) and len(line.split()) <= 14:
        return "bab"
    if PASAL.match(line):
        return "pasal"
    if DIKTUM.match(line):
        return "diktum"
    if BAGIAN.match(line) and len(line.split()) <= 14:
        return "bagian"
    if PARAGRAF.match(line) and len(line.split()) <= 14:
        return "paragraf"
    if PENJELASAN.match(line):
        return "penjelasan"
    if LAMPIRAN.match(line):
        return "lampiran"
    if STANDALONE.match(line):
        return "standalone"
    if CLOSING.match(line):
        return "closing"
    if OPENING.match(line):
        return "opening"
    if AYAT.match(line):
        return "ayat"
    if POINT.match(line):
        return "point"
    return "text"


def normalise_regulation_text(text: str) -> str:
    """One paragraph per line, headings with their titles, page furniture gone."""
    lines = _lines(text)
    full = _full_width(lines)
    paragraphs: list[str] = []
    roles: list[Role] = []
    gap, previous_full = False, False
    for raw in lines:
        if not raw:
            gap = True
            continue
        role = line_role(raw)
        if paragraphs and _joins(paragraphs[-1], roles[-1], raw, role, gap, previous_full):
            joiner = "" if paragraphs[-1].endswith("-") and raw[:1].isalpha() else " "
            if roles[-1] == "diktum" and _bare_diktum(paragraphs[-1]):
                paragraphs[-1], raw = split_diktum(paragraphs[-1])[0] + ":", raw.lstrip(": ")
            paragraphs[-1] = f"{paragraphs[-1]}{joiner}{raw}"
        else:
            paragraphs.append(_heading_label(raw, role))
            roles.append(role)
        gap, previous_full = False, len(raw) >= full
    return "\n".join(paragraphs)


def _full_width(lines: list[str]) -> int:
    """Length from which a line was probably wrapped at the page width (PDF, OCR)."""
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return 0
    return int(0.6 * lengths[int(0.9 * (len(lengths) - 1))])


def _lines(text: str) -> list[str]:
    lines = _split_lines(text)
    # A running header copied along with the text (no page breaks left to find it by)
    # repeats verbatim; no sentence of a regulation does, four times over.
    counts = Counter(line for line in lines if line)
    return _repair_points([line for line in lines if not _repeated_furniture(line, counts[line])])


# A lettered point as OCR may read it: "C." for "c.", and the ";" that ends it as ":".
_LETTER_POINT = re.compile(r"^([A-Za-z])\.\s+")
_POINT_END = re.compile(r":(\s+(?:dan/atau|dan|atau))?$")


def _repair_points(lines: list[str]) -> list[str]:
    """Lettered points read back as drafted: "a. uang pembinaan:" / "b. … : dan/atau" /
    "C. …" is "a. uang pembinaan;" / "b. …; dan/atau" / "c. …". A point ending in a colon
    introduces numbered sub-points, never the next letter, so a colon there is a misread
    semicolon; a capital letter that continues the sequence is a misread small one."""
    out = list(lines)
    expected = ""  # the letter that would continue the last lettered point
    previous = -1  # the last non-empty line
    for i, line in enumerate(out):
        if not line:
            continue
        point = _LETTER_POINT.match(line)
        found = point.group(1) if point else ""
        if found and found.lower() == expected:
            out[i] = expected + line[1:]
            out[previous] = _POINT_END.sub(lambda m: ";" + (m.group(1) or ""), out[previous])
        if found.islower() or (found and found.lower() == expected):
            expected = chr(ord(found.lower()) + 1)
        elif found or line_role(line) not in ("text", "point"):
            expected = ""  # a heading, an ayat or a capital out of sequence ends the list
        previous = i
    return out


def _repeated_furniture(line: str, count: int) -> bool:
    return (
        count >= _REPEATS
        and len(line.split()) >= 3
        and not line.endswith((".", ";", ":", ","))
        and line_role(line) == "text"
    )


def _split_lines(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        if _PAGE_NUMBER.match(line.strip()):
            continue
        line = " ".join(_MARKDOWN.sub("", line.strip()).replace("**", "").split())
        split = _OPENING_WITH_POINT.match(line)
        while (heading := _HEADING_WITH_TEXT.match(line)) is not None:
            out.append(heading.group(1))
            line = heading.group(2)
        if split:
            out.extend((f"{split.group(1)}:", split.group(2)))
        else:
            out.append(line)
    return out


def _joins(
    previous: str, previous_role: Role, line: str, role: Role, gap: bool, previous_full: bool
) -> bool:
    if previous_role in ("bab", "penjelasan"):
        # "BAB IV" + "PELAPORAN", "PENJELASAN" + "ATAS" + "PERATURAN ...": titles are upper
        # case (or, right after "BAB IV", a short line in any case) and may sit after a blank
        # line or a page break.
        if role != "text" or len(previous.split()) >= 30:
            return False
        untitled = previous_role == "bab" and len(previous.split()) == 2
        return is_upper(line) or (untitled and len(line.split()) <= 12 and not _CLOSED.search(line))
    if previous_role == "diktum" and _bare_diktum(previous):
        return role == "text"  # "KESATU :" laid out in a table, its text in the next cell
    if previous_role in ("bagian", "paragraf"):
        # "Bagian Kedua" + "Identifikasi dan Pemilihan Inovasi" (one title line).
        return (
            role == "text"
            and len(previous.split()) == 2
            and len(line.split()) <= 12
            and not _CLOSED.search(line)
        )
    if previous_role in ("pasal", "standalone", "lampiran", "closing") or gap:
        return False
    if role == "pasal" and _REFERS_ON.search(previous):
        # "… penghargaan sebagaimana dimaksud dalam" / "Pasal 24.": a reference the page
        # width wrapped onto a line of its own, not the next article's heading
        return True
    # Otherwise only a line wrapped at the page width (PDF, OCR) continues the paragraph
    # above it: a short line ("1. Latar Belakang", a name) ends where it ends.
    if not previous_full or _CLOSED.search(previous):
        return False
    if role in ("ayat", "point") and previous.endswith(","):
        return False  # OCR often reads the ";" that ends a point as ","
    if role in ("ayat", "point", "closing"):
        # "... sebagaimana dimaksud pada ayat" / "(1) huruf a", or "... mulai berlaku" /
        # "pada tanggal diundangkan.": the wrapped rest of a sentence, not a new ayat.
        return previous_role != "opening"
    if role != "text":
        return False
    # "Menetapkan: PERATURAN WALI KOTA TENTANG ..." wraps like any paragraph; elsewhere a
    # change between upper and mixed case separates a heading or a name from the text.
    return previous_role == "opening" or is_upper(previous) == is_upper(line)


def split_diktum(line: str) -> tuple[str, str]:
    """ "KEDUA : Perangkat Daerah …" → ("KEDUA", "Perangkat Daerah …"), spaces normalised."""
    match = DIKTUM.match(line)
    assert match is not None
    return " ".join(match.group(1).split()), line[match.end() :].strip()


def _bare_diktum(paragraph: str) -> bool:
    """A dictum's label with its text still to come ("KESATU", "KESATU :")."""
    return DIKTUM.fullmatch(paragraph.rstrip(": ")) is not None


def _heading_label(line: str, role: Role) -> str:
    if role == "diktum":
        label, rest = split_diktum(line)
        return f"{label}: {rest}" if rest else label
    if role == "pasal":
        match = PASAL.match(line)
        assert match is not None
        return f"Pasal {match.group(1).upper()}"
    if role == "bab":
        match = BAB.match(line)
        assert match is not None
        numeral = re.sub(r"[l1|]", "I", match.group(1)).upper()
        return f"BAB {numeral}{line[match.end() :]}"
    return line


def is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)
