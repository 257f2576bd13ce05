"""Names of regulations: title case for upper-case headings, and short citation labels.

"PERATURAN WALI KOTA FIKTIF" → "Peraturan Wali Kota Fiktif"; a Perwal of Kota Fiktif numbered
3/2026 → "Perwal Fiktif 3/2026", a circular of the Minister of PANRB → "SE Menteri PANRB
16/2023". Used by `ingest.regulation`.
"""

from __future__ import annotations

import re

FORMS = ("peraturan", "pedoman", "surat edaran", "keputusan", "instruksi", "undang-undang")
# Roles that issue regulations, with the region word each one governs.
ROLES: tuple[tuple[str, str, str], ...] = (
    # (pattern, role as written in titles, region prefix)
    (r"wali\s*kota", "Wali Kota", "Kota"),
    (r"bupati", "Bupati", "Kabupaten"),
    (r"gubernur", "Gubernur", "Provinsi"),
    (r"menteri", "Menteri", ""),
    (r"presiden", "Presiden", ""),
    (r"kepala", "Kepala", ""),
)
ROLE = re.compile(r"^(" + "|".join(p for p, _, _ in ROLES) + r")\b", re.IGNORECASE)

# Words that stay lower case inside a title ("Replikasi Inovasi di Lingkungan ...").
# fmt: off
_SMALL_WORDS = frozenset({
    "di", "ke", "dari", "dan", "atau", "yang", "untuk", "pada", "dalam", "tentang", "serta",
    "oleh", "dengan", "bagi", "atas", "terhadap", "kepada", "sebagai", "antara", "melalui",
    "per", "dan/atau", "beserta", "sampai", "hingga", "secara",
})
# Administrative acronyms that stay upper case when an upper-case heading is title-cased.
_ACRONYMS = frozenset({
    "ASN", "APBD", "APBN", "ANRI", "BUMD", "BUMN", "DPRD", "OPD", "PNS", "RI", "SPBE", "TIK",
    "UMKM", "UPT", "UPTD", "PANRB", "RB", "KIPP", "JIPP", "SINOVIK", "SIPP", "LAN", "BPS",
    "BPJS", "NIK", "KTP", "COVID",
})
# fmt: on
_ROMAN = re.compile(r"^[IVXLC]+$")


def citation_label(kind: str, issuer: str, region: str, number: str, year: int | None) -> str:
    place = _place(issuer)
    short = {
        "peraturan wali kota": f"Perwal {place}",
        "peraturan bupati": f"Perbup {place}",
        "peraturan gubernur": f"Pergub {place}",
        "peraturan daerah": f"Perda {region}",
        "peraturan menteri": f"Permen {_ministry(issuer)}",
        "pedoman menteri": f"Pedoman Menteri {_ministry(issuer)}",
        "keputusan menteri": f"Kepmen {_ministry(issuer)}",
        "keputusan wali kota": f"Kepwal {place}",
        "keputusan bupati": f"Kepbup {place}",
        "keputusan gubernur": f"Kepgub {place}",
        "peraturan pemerintah": "PP",
        "peraturan presiden": "Perpres",
        "undang-undang": "UU",
    }.get(kind)
    if short is None:
        form = next(f for f in FORMS if kind.startswith(f))
        abbreviation = "SE" if form == "surat edaran" else title_words(form)
        who = _ministry_issuer(issuer)
        short = f"{abbreviation} {who}".strip()
    if number and year and not number.endswith(str(year)):
        return f"{short.strip()} {number}/{year}"
    if number:
        return f"{short.strip()} {number}"
    return f"{short.strip()} {year}" if year else short.strip()


def _place(issuer: str) -> str:
    role = ROLE.match(issuer)
    return issuer[role.end() :].strip() if role else issuer


def _ministry_issuer(issuer: str) -> str:
    return f"Menteri {_ministry(issuer)}" if issuer.lower().startswith("menteri") else issuer


def _ministry(issuer: str) -> str:
    """ "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi ..." → "PANRB"."""
    name = re.sub(r"^menteri\s+", "", issuer, flags=re.IGNORECASE)
    name = re.sub(r"\s+republik\s+indonesia$", "", name, flags=re.IGNORECASE)
    words = [w for w in re.split(r"[\s,]+", name) if w and w.lower() not in _SMALL_WORDS]
    if len(words) >= 3:
        return "".join(w[0].upper() for w in words)
    return name


def title_case(text: str) -> str:
    """Title case for an upper-case heading, Indonesian small words kept lower case."""
    out: list[str] = []
    for index, token in enumerate(text.split()):
        out.append(_title_token(token, first=index == 0))
    return " ".join(out)


def _title_token(token: str, *, first: bool) -> str:
    core = token.strip("()[],.;:\"'")
    if not core:
        return token
    if core.upper() in _ACRONYMS or _ROMAN.match(core) or any(ch.isdigit() for ch in core):
        return token
    if token.startswith("(") and core.isupper() and len(core) <= 8:
        return token  # "(SINOVIK)"
    if not first and token.lower() in _SMALL_WORDS:
        return token.lower()
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), token.lower())


def title_words(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"\bwalikota\b", "wali kota", text, flags=re.IGNORECASE)
    return title_case(text) if is_upper(text) or text.islower() else text


def is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)
