"""The user's choices for a plan, read against the knowledge base: which innovation profiles
match their words, which province their region is in, and whether their context differs
from the originator's (another province, or a regional government replicating a central
agency's innovation and vice versa)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.engine_front import EngineFront
from bot.plan_model import Innovation
from bot.profile_filters import PROVINCES, province_in, province_names
from replikasi.language import Language
from replikasi.records import MetaKey, RetrievedChunk

MAX_CHOICES = 5
PROFILE_CANDIDATES = 40  # passages searched for the choices (several per profile)
_TITLE_PARTS = re.compile(r"\s+[–—]\s+|\s+-\s+")
_SHORT_NAME_END = re.compile(r"\s*[(:]|\s+[–—-]\s+")

# Words that place an agency in regional government or at the centre; regional is checked
# first ("Badan Penanggulangan Bencana Daerah" is regional).
_REGIONAL = re.compile(
    r"\b(kabupaten|kab\.?|kota|provinsi|prov\.?|pemkab|pemkot|pemprov|pemda|daerah|dinas|"
    r"rsud|puskesmas|kecamatan|kelurahan|desa|regency|city|province|regional)\b",
    re.I,
)
_CENTRAL = re.compile(
    r"\b(kementerian|kemen\w*|badan|lembaga|sentra|balai|polri|polres\w*|polda|kejaksaan|"
    r"mahkamah|bpom|kppbc|kanwil|ministry|national|agency)\b",
    re.I,
)
LEVELS: dict[str, dict[Language, str]] = {
    "regional": {"id": "pemerintah daerah", "en": "regional government"},
    "central": {"id": "instansi pusat", "en": "central agency"},
}


# -- innovations -----------------------------------------------------------------------------
def find_innovations(engine: EngineFront, query: str, limit: int = MAX_CHOICES) -> list[Innovation]:
    """Up to `limit` innovation profiles for a name or a problem in the user's words, best
    first: catalogue rows, innovation documents, or one innovation inside a collection."""
    choices: dict[str, Innovation] = {}
    for chunk in engine.search_profiles(query, PROFILE_CANDIDATES):
        innovation = innovation_of(chunk)
        choices.setdefault(innovation.key, innovation)
        if len(choices) >= limit:
            break
    return list(choices.values())


def innovation_of(chunk: RetrievedChunk) -> Innovation:
    """The innovation a profile passage belongs to. A catalogue row names itself; a
    document is one innovation when its passages speak of the name in its title, and a
    collection of innovations otherwise (the passage's section is then the innovation)."""
    meta = chunk.metadata
    name = str(meta.get(MetaKey.NAME) or "").strip()
    title = chunk.title.strip()
    key, section = chunk.doc_id, ""
    if not name:
        short = short_name(title)
        if chunk.section and not _mentions(f"{chunk.section}\n{chunk.text}", short):
            name, section = chunk.section, chunk.section
            key = f"{chunk.doc_id}#{section}"
        else:
            name = short or chunk.doc_id
    region = str(meta.get(MetaKey.REGION) or "") or province_in(section or title) or ""
    return Innovation(
        key=key,
        doc_id=chunk.doc_id,
        chunk_id=chunk.chunk_id,
        name=name,
        title=title,
        section=section,
        agency=str(meta.get(MetaKey.AGENCY) or "") or _agency_in_title(title, section),
        region=region,
        year=_text(meta.get(MetaKey.YEAR)),
        category=_text(meta.get(MetaKey.CATEGORY)),
        award=_text(meta.get(MetaKey.AWARD)),
        contact_url=_text(meta.get(MetaKey.CONTACT_URL)),
        source_url=chunk.source_url,
    )


def short_name(title: str) -> str:
    """ "BARIS DITEBAS (Barista …) – Sentra Wyata Guna Bandung" → "BARIS DITEBAS"."""
    return _SHORT_NAME_END.split(title, maxsplit=1)[0].strip() or title.strip()


def _agency_in_title(title: str, section: str) -> str:
    """ "<name> (<long name>) – <agency>": the part after the dash names who runs it."""
    if section:
        return ""
    parts = _TITLE_PARTS.split(title, maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


def _mentions(text: str, name: str) -> bool:
    return bool(name) and name.casefold() in text.casefold()


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


# -- regions -------------------------------------------------------------------------------
def match_province(engine: EngineFront, region: str) -> str:
    """The province of a region as the user wrote it: named outright ("Kab. Sleman, DIY"),
    or a regency or city the knowledge base's profiles place in a province. "" if none."""
    named = province_in(region)
    if named:
        return named
    wanted = _place(region)
    if len(wanted) < 3:
        return ""
    for chunk in engine.search_profiles(region, PROFILE_CANDIDATES):
        meta = chunk.metadata
        places = " | ".join(
            _place(str(meta.get(key) or "")) for key in (MetaKey.AGENCY, "kabupaten_kota")
        )
        province = str(meta.get(MetaKey.REGION) or "")
        if province in PROVINCES and re.search(rf"\b{re.escape(wanted)}\b", places):
            return province
    return ""


def _place(text: str) -> str:
    """A place name in one spelling: "Kab. Sleman" and "Pemkab Sleman" → "kabupaten sleman"."""
    text = " ".join(text.casefold().replace(",", " ").split())
    text = re.sub(r"\b(pemerintah|pem\.)\s+", "", text)
    text = re.sub(r"\b(kab\.?|pemkab)\s*", "kabupaten ", text)
    text = re.sub(r"\b(pemkot)\s*", "kota ", text)
    return " ".join(text.split())


def mentions_province(text: str, province: str) -> bool:
    return any(
        re.search(rf"\b{re.escape(name)}\b", text, re.I) for name in province_names(province)
    )


# -- how the user's context compares with the originator's -----------------------------------
def agency_level(agency: str) -> str:
    """ "regional", "central", or "" when the name does not tell."""
    if _REGIONAL.search(agency):
        return "regional"
    if _CENTRAL.search(agency):
        return "central"
    return ""


def context_difference(
    innovation: Innovation, agency: str, province: str, language: Language
) -> tuple[str, str] | None:
    """(theirs, yours) when the user replicates in another province or at another level of
    government than the originator, else None."""
    theirs = province_in(innovation.region) if innovation.region else None
    if province and theirs and theirs != province:
        return theirs, province
    levels = [agency_level(innovation.agency or innovation.title), agency_level(agency)]
    if all(levels) and levels[0] != levels[1]:
        return LEVELS[levels[0]][language], LEVELS[levels[1]][language]
    return None


def choices_summary(innovation: Innovation, fields: Sequence[str] = ()) -> str:
    """Agency · region · year · award, for a button or a line of a list."""
    keys = fields or ("agency", "region", "year", "award")
    return " · ".join(str(getattr(innovation, key)) for key in keys if getattr(innovation, key))
