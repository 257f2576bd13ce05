"""Metadata filters read from a question about innovation profiles.

"inovasi kesehatan di Jawa Tengah tahun 2023" becomes region ⊇ "Jawa Tengah", year = 2023 and a
category containing "kesehatan", so a catalogue of thousands of profiles is filtered by its
fields instead of relying on text similarity alone.
"""

from __future__ import annotations

import re
from typing import Any

PROVINCES = (
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi",
    "Sumatera Selatan", "Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta",
    "Jawa Barat", "Banten", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Bali",
    "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat", "Kalimantan Tengah",
    "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara",
    "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara",
    "Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Tengah",
    "Papua Pegunungan", "Papua Selatan",
)  # fmt: skip

# Everyday short names -> the province name the catalogue uses.
_ALIASES = {
    "jateng": "Jawa Tengah", "jatim": "Jawa Timur", "jabar": "Jawa Barat",
    "diy": "DI Yogyakarta", "yogyakarta": "DI Yogyakarta", "jogja": "DI Yogyakarta",
    "jakarta": "DKI Jakarta", "sumut": "Sumatera Utara", "sumbar": "Sumatera Barat",
    "sumsel": "Sumatera Selatan", "babel": "Kepulauan Bangka Belitung",
    "kepri": "Kepulauan Riau", "ntb": "Nusa Tenggara Barat", "ntt": "Nusa Tenggara Timur",
    "kalbar": "Kalimantan Barat", "kalteng": "Kalimantan Tengah",
    "kalsel": "Kalimantan Selatan", "kaltim": "Kalimantan Timur", "kaltara": "Kalimantan Utara",
    "sulut": "Sulawesi Utara", "sulteng": "Sulawesi Tengah", "sulbar": "Sulawesi Barat",
    "sulsel": "Sulawesi Selatan", "sultra": "Sulawesi Tenggara", "malut": "Maluku Utara",
}  # fmt: skip

# Words in a question -> a word that appears in the KIPP 2025 category name.
_CATEGORY_WORDS = {
    "kesehatan": "kesehatan", "sehat": "kesehatan", "health": "kesehatan",
    "gender": "gender", "perempuan": "gender", "disabilitas": "gender",
    "pangan": "pangan", "energi": "pangan", "air bersih": "pangan", "food": "pangan",
    "tenaga kerja": "kerja", "lapangan kerja": "kerja", "ketenagakerjaan": "kerja",
    "gizi": "gizi", "makan bergizi": "gizi",
    "umkm": "umkm", "ekonomi": "umkm",
    "kemiskinan": "kemiskinan", "miskin": "kemiskinan", "poverty": "kemiskinan",
    "digital": "digital", "digitalisasi": "digital",
    "lingkungan": "lingkungan", "iklim": "lingkungan", "environment": "lingkungan",
}  # fmt: skip

_PROFILE_WORDS = re.compile(r"\b(inovasi|profil|innovations?|program)\b", re.I)
_YEAR = re.compile(r"\b(?:tahun|thn|th\.?|year|in)?\s*((?:19|20)\d\d)\b", re.I)


def profile_filters(question: str) -> dict[str, Any]:
    """Filters for catalogue metadata, or {} when the question is not about profiles.

    A year alone is not enough ("KIPP 2025" is about the competition, not a profile); it only
    narrows a question that also names a region or a category.
    """
    if not _PROFILE_WORDS.search(question):
        return {}
    text = question.lower()
    filters: dict[str, Any] = {}
    region = _region(text)
    if region:
        filters["region"] = {"$contains": region}
    for word, category in _CATEGORY_WORDS.items():
        if re.search(rf"\b{re.escape(word)}\b", text):
            filters["category"] = {"$contains": category}
            break
    if not filters:
        return {}
    year = _YEAR.search(question)
    if year:
        filters["year"] = int(year.group(1))
    return filters


def filter_words(question: str) -> str:
    """The words of `question` that make it a profile search: "inovasi", the region (as
    written), the category word and the year. What else it asks is what documents may
    answer instead ("sulbar jadi hub inovasi pake SK apa?": hub, SK)."""
    text = question.lower()
    words = [m.group(0) for m in _PROFILE_WORDS.finditer(text)]
    for name in (*PROVINCES, *_ALIASES):
        if re.search(rf"\b{re.escape(name.lower())}\b", text):
            words.append(name.lower())
    words += [w for w in _CATEGORY_WORDS if re.search(rf"\b{re.escape(w)}\b", text)]
    words += [m.group(0) for m in _YEAR.finditer(question)]
    return " ".join(words)


def province_in(text: str) -> str | None:
    """The province named in `text` (by name or everyday short name), or None."""
    return _region(text.lower())


def province_names(province: str) -> tuple[str, ...]:
    """How a text may name `province`: its name and its everyday short names."""
    return (province, *(alias for alias, name in _ALIASES.items() if name == province))


def _region(text: str) -> str | None:
    # Longest names first, so "Papua Barat Daya" wins over "Papua".
    for name in sorted(PROVINCES, key=len, reverse=True):
        if re.search(rf"\b{re.escape(name.lower())}\b", text):
            return name
    for alias, name in _ALIASES.items():
        if re.search(rf"\b{alias}\b", text):
            return name
    return None
