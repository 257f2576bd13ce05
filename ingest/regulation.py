"""Recognise an Indonesian regulation from its heading block, whatever the file format.

The heading block of a regulation names its form, issuer, number, year and subject:

    PERATURAN WALI KOTA FIKTIF            Surat Edaran Bupati Contoh
    NOMOR 3 TAHUN 2026                    Nomor: 800/123/2025
    TENTANG                               tentang
    REPLIKASI INOVASI PELAYANAN PUBLIK    Percepatan Replikasi Inovasi Daerah
    DENGAN RAHMAT TUHAN YANG MAHA ESA     1. Latar Belakang

`recognise_regulation` reads it into a `Regulation` (kind, issuer, region, number, year,
subject, a proper title and a short citation label); `as_regulation` applies that to a loaded
`SourceDocument`. Every loader calls `as_regulation`, so a regulation is recognised the same
way in PDF, DOCX, TXT/Markdown and HTML. The rules follow the drafting conventions of
Indonesian legislation (UU 12/2011 and its annexes), not the wording of any one document.

Metadata keys written on regulation documents (and so on each of their chunks). The lead's
chunk-metadata owner module should adopt these names; until then they are defined here:

- `reg_kind`     "peraturan wali kota", "peraturan daerah", "surat edaran", "pedoman menteri", ...
- `reg_issuer`   "Wali Kota Fiktif", "Menteri Pendayagunaan Aparatur Negara dan ..."
- `reg_region`   "Kota Fiktif", "Kabupaten Contoh", "Provinsi Jawa Barat" (absent when national)
- `reg_number`   "3", "800/123/2025" (a string: numbers of letters are not integers)
- `reg_year`     2026 (int; absent when the heading gives none)
- `reg_subject`  "Replikasi Inovasi Pelayanan Publik di Lingkungan Pemerintah Kota Fiktif"
- `reg_label`    "Perwal Fiktif 3/2026", "SE Menteri PANRB 16/2023", "Perda Provinsi X 5/2023"
- `reg_key`      identity used to detect a new version of the same regulation (kind, issuer,
                 number, year); only on documents whose id comes from their file path
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ingest.documents import MetadataValue, SourceDocument
from ingest.regulation_names import (
    FORMS,
    ROLE,
    ROLES,
    citation_label,
    is_upper,
    title_case,
    title_words,
)
from replikasi.records import MetaKey

# Metadata keys of a regulation (their one owner is replikasi.records.MetaKey).
REG_KIND = MetaKey.REG_KIND
REG_ISSUER = MetaKey.REG_ISSUER
REG_REGION = MetaKey.REG_REGION
REG_NUMBER = MetaKey.REG_NUMBER
REG_YEAR = MetaKey.REG_YEAR
REG_SUBJECT = MetaKey.REG_SUBJECT
REG_LABEL = MetaKey.REG_LABEL
REG_KEY = MetaKey.REG_KEY
DOCUMENT_KEYS = (REG_KIND, REG_ISSUER, REG_REGION, REG_NUMBER, REG_YEAR, REG_SUBJECT, REG_LABEL)

# How far into a document its heading block may start (after a letterhead).
_HEAD_LINES = 40
_MAX_SUBJECT_WORDS = 45

# Written forms and the abbreviations admins and JDIH portals use in file titles.
_ALIASES = {
    "perda": "peraturan daerah",
    "pergub": "peraturan gubernur",
    "perbup": "peraturan bupati",
    "perwal": "peraturan wali kota",
    "perwali": "peraturan wali kota",
    "perwako": "peraturan wali kota",
    "permen": "peraturan menteri",
    "kepmen": "keputusan menteri",
    "perpres": "peraturan presiden",
    "se": "surat edaran",
}
_FORM_START = re.compile(
    r"^(?P<form>peraturan|pedoman|surat\s+edaran|keputusan|instruksi|undang\s*-\s*undang"
    r"|perda|pergub|perbup|perwal|perwali|perwako|permen|kepmen|perpres|se)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\b(?:nomor\b|no\.|no\b)\s*:?\s*(?P<number>[0-9A-Za-z][\w.\-/]*?)"
    r"(?:\s+tahun\s+(?P<year>(?:19|20)\d\d))?(?=\s|$)",
    re.IGNORECASE,
)
_TENTANG = re.compile(r"\btentang\b\s*:?\s*", re.IGNORECASE)
_REGION_WORD = re.compile(r"^(provinsi|kabupaten|kota)\b", re.IGNORECASE)
# Lines that end the subject of the heading block.
_SUBJECT_END = re.compile(
    r"^(dengan\s+rahmat|menimbang|mengingat|memperhatikan|memutuskan|menetapkan|yth\b"
    r"|kepada\b|dalam\s+rangka|sehubungan|bab\s+[ivxlc\d]+\b|pasal\s+\d|\(?\d+[.)]\s"
    r"|[a-z][.)]\s|[ivx]+\.\s|presiden\s+republik)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Regulation:
    """What a regulation's heading block says about it."""

    kind: str  # "peraturan wali kota"
    issuer: str  # "Wali Kota Fiktif"
    region: str  # "Kota Fiktif" ("" for national issuers)
    number: str  # "3" or "800/123/2025"
    year: int | None
    subject: str  # title-cased
    title: str  # "Peraturan Wali Kota Fiktif Nomor 3 Tahun 2026 tentang ..."
    label: str  # "Perwal Fiktif 3/2026"

    @property
    def key(self) -> str:
        """Same key = the same regulation (a new version of it replaces the old one)."""
        return "|".join((self.kind, _fold(self.issuer), _fold(self.number), str(self.year or "")))

    def metadata(self) -> dict[str, MetadataValue]:
        meta: dict[str, MetadataValue] = {
            REG_KIND: self.kind,
            REG_ISSUER: self.issuer,
            REG_REGION: self.region,
            REG_NUMBER: self.number,
            REG_SUBJECT: self.subject,
            REG_LABEL: self.label,
        }
        if self.year is not None:
            meta[REG_YEAR] = self.year
        return {key: value for key, value in meta.items() if value != ""}


def as_regulation(
    doc: SourceDocument,
    *,
    declared_title: str = "",
    declared_type: str = "",
    identity: bool = True,
) -> SourceDocument:
    """`doc` with the regulation's title, type and metadata when its text opens like one.

    A title or type declared by the admin (front matter, an upload caption) wins over the
    recognised one; declaring another type ("program") turns recognition off. `identity`
    False (an id fixed in front matter) leaves out `reg_key`: such a document is curated and
    never replaced by an upload of the same regulation.
    """
    if declared_type and declared_type != "regulation":
        return doc
    regulation = recognise_regulation(doc.text)
    if regulation is None:
        return doc
    metadata = {**regulation.metadata(), **doc.metadata}
    if identity and regulation.number:
        metadata[REG_KEY] = regulation.key
    return dataclasses.replace(
        doc,
        title=declared_title or regulation.title,
        doc_type="regulation",
        metadata=metadata,
    )


def recognise_regulation(text: str) -> Regulation | None:
    """The regulation whose heading block opens `text`, or None."""
    lines = [_plain(line) for line in text.splitlines()[: _HEAD_LINES * 3]]
    nonblank = [i for i, line in enumerate(lines) if line][:_HEAD_LINES]
    for position in nonblank:
        if _stops_head(lines[position]):
            return None
        match = _FORM_START.match(lines[position])
        if match is None:
            continue
        found = _parse_heading(lines, position)
        if found is not None:
            return found
    return None


def _parse_heading(lines: list[str], start: int) -> Regulation | None:
    # The form, issuer and number take at most a few lines: "PERATURAN WALI KOTA FIKTIF",
    # "NOMOR 3 TAHUN 2026", "TENTANG".
    joined, end = "", start
    starts: list[int] = []  # where each line begins in `joined`
    for end in range(start, min(start + 6, len(lines))):
        if not lines[end]:
            continue
        if end > start and _SUBJECT_END.match(lines[end]) and not _TENTANG.match(lines[end]):
            return None
        joined = f"{joined} {lines[end]}".strip()
        starts.append(len(joined) - len(lines[end]))
        if _TENTANG.search(joined) or (
            _NUMBER.search(joined) and end + 1 < len(lines) and _next_is_body(lines, end + 1)
        ):
            break
    if len(joined) > 400:
        return None
    number_match = _NUMBER.search(joined)
    tentang = _TENTANG.search(joined)
    if number_match is None and tentang is None:
        return None
    head_end = min(m.start() for m in (number_match, tentang) if m is not None)
    after_number = (
        joined[number_match.end() : tentang.start() if tentang else None] if number_match else ""
    )
    if after_number.strip(" .,;:"):
        return None  # prose that mentions a regulation, not its heading block
    if number_match and number_match.start() not in starts and len(starts) > 1:
        # "NOMOR" opens its own line or sits on the form's line ("Jalan Merdeka Nomor 1" in
        # a letterhead is an address).
        first_line_end = starts[1] - 1
        if number_match.start() > first_line_end:
            return None
    form_match = _FORM_START.match(joined)
    assert form_match is not None
    form = _expand(form_match.group("form"))
    issuer_words = joined[form_match.end() : head_end]
    if (
        _FORM_START.match(issuer_words.strip())
        or len(issuer_words.split()) > 16
        or re.search(r"[\d,;]", issuer_words)
    ):
        return None
    kind, issuer, region = _classify(form, issuer_words, lines)
    number, year = _number_and_year(number_match)
    subject_start = joined[tentang.end() :] if tentang else ""
    subject = _subject(subject_start, lines, end + 1) if tentang else ""
    if not subject and not number:
        return None
    return _build(kind, issuer, region, number, year, subject)


def _next_is_body(lines: list[str], index: int) -> bool:
    following = next((line for line in lines[index:] if line), "")
    return bool(_SUBJECT_END.match(following))


def _subject(first: str, lines: list[str], index: int) -> str:
    parts = [first.strip()] if first.strip() else []
    for position, line in enumerate(lines[index:], start=index):
        if not line:
            # A blank line ends a subject, unless an upper-case subject goes on after it (in
            # a DOCX every line of the heading is a paragraph of its own).
            following = next((ln for ln in lines[position:] if ln), "")
            if parts and not (
                is_upper(" ".join(parts)) == is_upper(following)
                and len(following.split()) <= 12
                and not following.endswith((".", ";", ":", ","))
            ):
                break
            continue
        if _SUBJECT_END.match(line) or line.endswith(","):
            break
        if parts and is_upper(" ".join(parts)) and not is_upper(line):
            break
        parts.append(line)
        if len(" ".join(parts).split()) > _MAX_SUBJECT_WORDS:
            break
    subject = " ".join(" ".join(parts).split()).rstrip(" .;:")
    return title_case(subject) if is_upper(subject) else subject


def _classify(form: str, issuer_words: str, lines: list[str]) -> tuple[str, str, str]:
    """(kind, issuer, region) from the form and the words between it and "NOMOR"."""
    words = " ".join(issuer_words.split()).strip(" ,:")
    head, _, rest = form.partition(" ")
    if head in ("peraturan", "keputusan", "pedoman") and rest:
        form, words = head, f"{rest} {words}".strip()  # an alias: "perwal" → "peraturan wali kota"
    if not words and form in ("surat edaran", "keputusan", "instruksi", "pedoman"):
        words = _issuer_elsewhere(lines)
    lowered = words.lower()
    if lowered.startswith("daerah"):
        place = words[len("daerah") :].strip()
        region = _region_name(place)
        return "peraturan daerah", f"Pemerintah {region}" if region else "", region
    if lowered.startswith("pemerintah") and form == "peraturan":
        return "peraturan pemerintah", "Pemerintah", ""
    role = ROLE.match(words)
    if role is None:
        return form, title_words(words), ""
    for pattern, role_name, region_word in ROLES:
        if re.fullmatch(pattern, role.group(1), re.IGNORECASE):
            place = title_words(words[role.end() :].strip())
            issuer = f"{role_name} {place}".strip()
            region = f"{region_word} {place}" if region_word and place else ""
            return f"{form} {role_name.lower()}", issuer, region
    return form, title_words(words), ""  # pragma: no cover - every role pattern is listed


def _issuer_elsewhere(lines: list[str]) -> str:
    """The issuer of a letter-form document: its letterhead or its signature line."""
    for index, line in enumerate(lines):
        if not (line and ROLE.match(line) and len(line.split()) <= 14):
            continue
        parts = [line]
        # A long title breaks over lines: "MENTERI PENDAYAGUNAAN APARATUR NEGARA" / "DAN
        # REFORMASI BIROKRASI" / "REPUBLIK INDONESIA".
        for following in lines[index + 1 : index + 4]:
            if parts[-1].endswith(",") or not following or not is_upper(following):
                break
            if _FORM_START.match(following) or _SUBJECT_END.match(following):
                break
            parts.append(following)
        return " ".join(parts).rstrip(",").strip()
    return ""


def _region_name(place: str) -> str:
    place = title_words(place)
    if _REGION_WORD.match(place):
        return place
    return f"Provinsi {place}" if place else ""


def _number_and_year(match: re.Match[str] | None) -> tuple[str, int | None]:
    if match is None:
        return "", None
    number = match.group("number").rstrip(".,;:")
    if match.group("year"):
        return number, int(match.group("year"))
    parts = number.split("/")
    if len(parts) == 2 and re.fullmatch(r"(19|20)\d\d", parts[1]):
        return parts[0], int(parts[1])  # "Nomor: 3/2026"
    trailing = re.search(r"/((?:19|20)\d\d)$", number)
    return number, int(trailing.group(1)) if trailing else None


def _build(
    kind: str, issuer: str, region: str, number: str, year: int | None, subject: str
) -> Regulation:
    form = next(f for f in FORMS if kind.startswith(f))
    form_title = title_words(form) if form != "undang-undang" else "Undang-Undang"
    if kind == "peraturan daerah":
        head = f"Peraturan Daerah {region}".strip()
    elif kind == "peraturan pemerintah":
        head = "Peraturan Pemerintah"
    else:
        head = f"{form_title} {issuer}".strip()
    title = head
    if number:
        title += f" Nomor {number}"
        if year and not number.endswith(str(year)):
            title += f" Tahun {year}"
    elif year:
        title += f" Tahun {year}"
    if subject:
        title += f" tentang {subject}"
    return Regulation(
        kind=kind,
        issuer=issuer,
        region=region,
        number=number,
        year=year,
        subject=subject,
        title=title,
        label=citation_label(kind, issuer, region, number, year),
    )


def _expand(form: str) -> str:
    form = " ".join(form.lower().split()).replace(" - ", "-").replace("- ", "-")
    return _ALIASES.get(form, form)


def _stops_head(line: str) -> bool:
    """The heading block is over: the considerations, the articles or prose have started."""
    if re.match(r"^(menimbang|mengingat|bab\s+[ivxlc]+\b|pasal\s+\d)", line, re.I):
        return True
    return len(line.split()) >= 20 and not is_upper(line)


def _plain(line: str) -> str:
    line = re.sub(r"^#{1,6}\s+", "", line.strip())
    line = line.replace("**", "").replace("__", "")
    return " ".join(line.split())


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9/]+", " ", text.lower()).strip()
