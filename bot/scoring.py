"""Sentence scoring: every answer unit of the candidate passages, with the evidence that it
answers the question, as named features; a `SentenceScorer` turns those into one score.

Features are of two families that fail differently: lexical (the share of the question's
informative terms a unit and its headings hold, IDF-weighted) and semantic (cosine between the
question and the unit in e5 embedding space, so a sentence that answers in other words still
wins). The kind of content asked for (a number, a date, a name…), anchors (years, regulation
numbers, articles) and the passage's retrieval rank add evidence. The default scorer is a
linear model fitted on the tuning part of the question bank (`replikasi calibrate`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Protocol

import numpy as np

from bot.linear import LinearModel
from bot.query import (
    AMOUNT_KINDS,
    ASKS_LENGTH_OF_TIME,
    FIGURE_KINDS,
    Query,
    anchors_of,
    ordinals_of,
    without_figures,
)
from bot.term_weights import TermWeights
from replikasi.indonesian import ENGLISH_TERMS, fold_accents, is_indonesian_word, tokenize
from replikasi.links import has_web_address
from replikasi.records import RetrievedChunk
from replikasi.sentences import Unit, split_sentences, split_units
from replikasi.untrusted import untrusted_reason

HEADER_WEIGHT = 0.6
BARE_HEADER_WEIGHT = 0.25  # a unit sharing no word with the question leans on headings less

UNIT_FEATURES = (
    "lex",
    "lex_rel",
    "lex_local",
    "ctx_lex",
    "sem",
    "sem_rel",
    "dense",
    "prior",
    "kinds",
    "slot_miss",
    "slot_bound",
    "defines",
    "anchor_miss",
    "article",
    "not_known",
    "repeated",
    "prev_cited",
    "recent",
)


@dataclass(frozen=True)
class ScoredUnit:
    """An answer unit in its passage, with the evidence that it answers the question."""

    chunk: RetrievedChunk
    unit: Unit
    features: dict[str, float] = field(default_factory=dict)
    kinds: frozenset[str] = frozenset()
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.unit.text

    @property
    def coverage(self) -> float:
        return self.features.get("lex", 0.0)

    @property
    def terms(self) -> frozenset[str]:
        return said_terms(self.unit.text)

    @property
    def is_not_known(self) -> bool:
        return self.features.get("not_known", 0.0) > 0


class SentenceScorer(Protocol):
    """Scores candidate units (higher = better answer); returns them best first."""

    def score(self, query: Query, units: Sequence[ScoredUnit]) -> list[ScoredUnit]: ...


@dataclass(frozen=True)
class LinearSentenceScorer:
    model: LinearModel

    def score(self, query: Query, units: Sequence[ScoredUnit]) -> list[ScoredUnit]:
        scored = [replace(u, score=self.model.score(u.features)) for u in units]
        return sorted(scored, key=lambda u: -u.score)


@dataclass(frozen=True)
class Evidence:
    """What unit features are computed from, for one index generation and question."""

    weights: TermWeights
    query_vector: np.ndarray | None
    unit_vectors: dict[str, np.ndarray]
    # per document, its short names and the terms of what they stand for ("tkrid" -> …)
    short_names: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)


def candidate_units(
    query: Query, chunks: Sequence[RetrievedChunk], evidence: Evidence
) -> list[ScoredUnit]:
    """Every usable unit of `chunks`, with its features (unscored)."""
    weight = term_weighter(query, evidence.weights)
    total = sum(weight(t) for t in query.terms)
    anchors = query.anchors.terms
    previous_text = query.previous.answer_text if query.previous else ""
    previous_cited = {c.chunk_id for c in query.previous.citations} if query.previous else set()
    pairs = [
        (chunk, unit)
        for chunk in chunks
        for unit in units_of(chunk.text)
        if usable_unit(unit.text, chunk)
    ]
    if query.beyond_list:
        # "poin 4 maksudnya apa?" asks past the list just given, when another passage says
        # more of its item ("yg pertama asalnya dari mana?" asks what the item holds)
        item = terms_of(query.pointed_item)
        beyond = [p for p in pairs if p[1].text not in previous_text]
        if any(len(item & said_terms(u.text)) * 2 >= len(item) for _, u in beyond):
            pairs = beyond
    local = local_weights(query, [said_terms(unit.text) for _, unit in pairs])
    local_total = sum(local.values())
    given = query.figures
    duration = asks_duration(query)
    units: list[ScoredUnit] = []
    for chunk, unit in pairs:
        title_terms = terms_of(chunk.title)
        header_terms = title_terms | terms_of(chunk.section) | terms_of(unit.lead)
        passage_terms = header_terms | terms_of(chunk.text)
        unit_terms = said_terms(unit.text)
        for short, long in evidence.short_names.get(chunk.doc_id, {}).items():
            if short in unit_terms:
                unit_terms |= long  # "TKRID" says "Tim Koordinasi Replikasi Inovasi Daerah"
            if short in passage_terms:
                passage_terms |= long
        if query.post_terms and names_the_office(query, unit.text):
            unit_terms |= query.post_terms  # "memimpin" met by "… sebagai ketua"
        own = [t for t in query.terms if t in unit_terms]
        header_weight = HEADER_WEIGHT if own else BARE_HEADER_WEIGHT
        # Words naming the document ("Perwal Kota Fiktif") are met by every sentence of it
        # that answers something: a sentence repeating the name gains nothing over another.
        covered = sum(weight(t) for t in own) + sum(
            (1.0 if own and t in title_terms else header_weight) * weight(t)
            for t in query.terms
            if t not in unit_terms and t in header_terms
        )
        # a figure the question states answers none of its "how many" / "which day"
        figured = without_figures(unit.text, given)
        kinds = kinds_in(unit.text, query.kinds - FIGURE_KINDS) | kinds_in(
            figured, query.kinds & FIGURE_KINDS
        )
        if "number" in kinds and duration and not _DURATION.search(figured):
            kinds -= {"number"}  # "berapa lama masa tugas …?" is not answered by "7 orang"
        if "name" in kinds and not names_beyond_the_question(query, unit.text):
            kinds -= {"name"}  # "Siapa sasaran SWP?" is not answered by "SWP berkembang dari …"
        if "position" in kinds and not position_bound(query, unit.text):
            kinds -= {"position"}  # the post of someone else than the person asked about
        if "title" in kinds and not title_bound(query, unit.text):
            kinds -= {"title"}  # the title of another regulation than the one asked about
        if chunk.article and not _PERSON_MARK.search(unit.text):
            # an article names posts and the terms it defines ("Simpul Jejaring"), capitalised
            # by drafting convention; a person only with a title ("Dr. …")
            kinds -= {"person", "person_name"}
        if query.posts and not chunk.article and not names_a_holder(query, unit.text):
            # "siapa menteri PANRB?" is not answered by the name of whoever opened an event
            kinds -= {"person", "person_name"}
        if query.asked_class and not names_of_class(query.asked_class, unit.text, query):
            kinds -= {"names"}  # "kabupaten mana saja …?" is not answered by "PSAA Alyatama"
        if (
            "names" in query.kinds - kinds
            and not query.asked_class
            and names_in_capitals(unit.text, query)
        ):
            kinds |= {"names"}  # "- SIKS-NG; - PINTER MELATIH ANAK KOBRA"
        roles_answer = {"name", "person"} if query.asked_class else {"name", "person", "names"}
        for kind in roles_answer & query.kinds - kinds:
            # "Bapperida", "Perangkat Daerah"; no role names which regencies ("Kabupaten/Kota")
            # asked who holds an office, the role holding another does not answer
            if names_a_role(unit.text, chunk, query) and (
                not query.posts or names_the_office(query, unit.text)
            ):
                kinds |= {kind}
        if "place" in query.kinds - kinds and names_a_region(unit.text, query):
            kinds |= {"place"}
        if "name" in query.kinds - kinds and len(query.own_terms) > 1 and names_an_agent(unit.text):
            # "siapa yang ngelola JIPPNas?": "… dikelola bersama oleh KemenPANRB" (but not
            # "siapa pengelolanya?", which names nothing run: any sentence names some body)
            kinds |= {"name"}
        if "name" in query.kinds - kinds and names_a_companion(query, unit.text):
            kinds |= {"name"}  # "dengan siapa …?": "… bersama kalangan akademisi"
        if "name" in query.kinds - kinds and query.follow_up and names_a_body(unit.text):
            kinds |= {"name"}  # "siapa yang ngelola?" of SINOVIK: "… dikelola KemenPANRB"
        vector = evidence.unit_vectors.get(unit.text)
        if vector is not None and evidence.query_vector is not None:
            sem = float(vector @ evidence.query_vector)
        else:
            sem = chunk.dense or 0.0
        units.append(
            ScoredUnit(
                chunk,
                unit,
                {
                    "lex": covered / total if total else 0.0,
                    "lex_local": sum(local.get(t, 0.0) for t in own) / local_total
                    if local_total
                    else 0.0,
                    "ctx_lex": sum(weight(t) for t in query.terms if t in passage_terms) / total
                    if total
                    else 0.0,
                    "sem": sem,
                    "dense": chunk.dense or 0.0,
                    "prior": 1.0 / max(chunk.rank, 1),
                    "kinds": len(kinds) / len(query.kinds) if query.kinds else 0.0,
                    "slot_miss": float(bool(query.slots) and not query.slots & kinds),
                    "slot_bound": float(slot_bound(query, figured)),
                    "defines": float("definition" in query.kinds and defines(unit.text, query)),
                    "anchor_miss": float(
                        (bool(anchors) and not anchors & (unit_terms | header_terms))
                        or speaks_of_another(query, f"{unit.lead} {unit.text}")
                    ),
                    "article": float(article_matches(query, chunk)),
                    "not_known": float(is_not_known_statement(unit.text, chunk)),
                    # said before, and not holding what this question asks for (a date,
                    # names …): repeating the sentence that holds them is the answer
                    "repeated": float(
                        bool(previous_text)
                        and unit.text in previous_text
                        and not (query.slots and query.slots <= kinds)
                    ),
                    "prev_cited": float(chunk.chunk_id in previous_cited),
                    "recent": float(
                        (query.present or ("number" in query.kinds and not query.anchors.years))
                        and bool(_PRESENT.search(f"{chunk.section} {unit.text}"))
                    ),
                },
                kinds,
            )
        )
    if units:
        best_lex = max(u.features["lex"] for u in units)
        best_sem = max(u.features["sem"] for u in units)
        for u in units:
            u.features["lex_rel"] = u.features["lex"] - best_lex
            u.features["sem_rel"] = u.features["sem"] - best_sem
    return units


def local_weights(query: Query, unit_terms: Sequence[frozenset[str]]) -> dict[str, float]:
    """How well each question term tells the candidate units apart: a term every candidate
    holds (the topic, found by retrieval) weighs nothing; a term few hold (what is asked
    about the topic) weighs most. Terms no candidate holds are left out."""
    n = len(unit_terms)
    weights: dict[str, float] = {}
    for term, importance in query.terms.items():
        df = sum(1 for terms in unit_terms if term in terms)
        if df:
            weights[term] = importance * math.log(1 + n / df) - importance * math.log(2)
    return {t: w for t, w in weights.items() if w > 0}


UNKNOWN_TERM_WEIGHT = 0.5


def term_weighter(query: Query, weights: TermWeights) -> Callable[[str], float]:
    """IDF times the term's weight in the question. A term no passage contains weighs
    little: nothing can cover it, and it is counted apart (see `unknown_share`)."""

    def weight(term: str) -> float:
        base = weights.idf(term) if weights.df.get(term) else UNKNOWN_TERM_WEIGHT
        return base * query.terms.get(term, 1.0)

    return weight


def unknown_share(query: Query, weights: TermWeights) -> float:
    """The IDF-weighted share of the question's own terms that no passage contains."""
    own = [t for t in query.own_terms if t not in query.bridged]
    if not own:
        return 0.0
    max_idf = weights.idf("\x00never-seen\x00")
    unknown = sum(max_idf for t in own if not weights.df.get(t))
    total = sum(weights.idf(t) if weights.df.get(t) else max_idf for t in own)
    return unknown / total if total else 0.0


def article_matches(query: Query, chunk: RetrievedChunk) -> bool:
    if not query.anchors.article:
        return False
    article = str(chunk.metadata.get("article_number") or "").lower()
    if not article:
        match = re.search(r"\bPasal\s+(\d+[A-Za-z]?)\b", chunk.section)
        article = match.group(1).lower() if match else ""
    elif chunk.article.startswith("Diktum"):
        article = f"diktum {article}"  # a decree's dictum is no Pasal of the same number
    return article == query.anchors.article


# -- kinds of content -------------------------------------------------------------------------
_MONTHS = (
    r"januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember|"
    r"january|february|march|may|june|july|august|october|december|"
    r"jan|feb|mar|apr|jun|jul|agu|aug|sep|okt|oct|nov|des|dec"
)
# a calendar day: "30 September 2024", "1-3 Oktober", "30/9/2024"
_DAY = rf"\b\d{{1,2}}\s*(?:[-–]\s*\d{{1,2}}\s*)?({_MONTHS})\b|\b\d{{1,2}}/\d{{1,2}}/(19|20)\d\d\b"
_HAS_DAY = re.compile(rf"{_DAY}|\btanggal\s+\d{{1,2}}\b", re.I)
# an amount of money: "Rp25.000.000,00", "Rp 1,5 miliar", "10 juta rupiah", "IDR 5 million"
_HAS_MONEY = re.compile(
    r"\b(?:rp|idr)\.?\s?\d|\b\d[\d.,]*\s*(?:\([^)]*\)\s*)?(?:ribu|juta|miliar|triliun|"
    r"thousand|million|billion)?\s*(?:rupiah|dollars?|usd)\b",
    re.I,
)
# A regulation's number is no date: "Nomor 16 Tahun 2023", "PermenPANRB 91/2021".
_REGULATION_NUMBER = re.compile(
    r"\b(?:nomor|no\.?)\s*\d+[a-z]?\s+tahun\s+(?:19|20)\d\d\b|(?<![\d/])\d{1,3}/(?:19|20)\d\d\b",
    re.I,
)
_HAS_DATE = re.compile(
    rf"{_DAY}|\b(19|20)\d\d\b"
    # periods and deadlines: "paling lambat 14 (empat belas) hari kerja", "setiap triwulan"
    r"|\b\d+\s*(?:\([^)]*\)\s*)?(?:hari|minggu|pekan|bulan|tahun|days?|weeks?|months?|years?)\b"
    r"|\b(paling lambat|selambat-lambatnya|setiap (?:tahun|bulan|triwulan|semester)|triwulan|"
    r"semester|within)\b"
    # a date the regulation fixes by an event: "mulai berlaku pada tanggal diundangkan"
    r"|\bpada tanggal (?:di)?(?:undangkan|tetapkan|tandatangani)\b",
    re.I,
)
_HAS_NUMBER = re.compile(
    r"\d|\b(satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|"
    r"belas|puluh|ratus|ribu)\b",
    re.I,
)
_ACRONYM = re.compile(r"\b(?:[A-Z]{3,}|[A-Z][a-z]*[A-Z]{2,}[A-Za-z]*)\b")
_CAPITALISED_RUN = re.compile(
    r"\b(?:[A-Z]\.\s*)?[A-Z][a-zà-öø-ÿ]+(?:\s+[A-Z][a-zà-öø-ÿ]+)+\b"  # "Café More"
)
_HAS_PLACE = re.compile(
    r"\b(?:di|ke|dari|in|at)\s+(?:Kota|Kabupaten|Provinsi|Sentra|Balai|[A-Z][a-z]+)"
    r"|https?://|\b[\w-]+\.(?:go\.id|ac\.id|or\.id|id|com|org)\b"
    r"|\b(portal|situs|laman|website|aplikasi|JDIH|kantor|sekretariat)\b",
    re.I,
)
# Indonesia's 38 provinces as they are written without "Provinsi" ("Jawa Tengah, Jawa Timur
# dan DIY")
PROVINCES = (
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi",
    "Sumatera Selatan", "Kepulauan Bangka Belitung", "Bangka Belitung", "Bengkulu", "Lampung",
    "DKI Jakarta", "Jakarta", "Jawa Barat", "Banten", "Jawa Tengah", "Daerah Istimewa Yogyakarta",
    "DI Yogyakarta", "DIY", "Jawa Timur", "Bali", "Nusa Tenggara Barat", "NTB",
    "Nusa Tenggara Timur", "NTT", "Kalimantan Barat", "Kalimantan Tengah", "Kalimantan Selatan",
    "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara", "Gorontalo", "Sulawesi Tengah",
    "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara", "Maluku", "Maluku Utara", "Papua",
    "Papua Barat", "Papua Barat Daya", "Papua Selatan", "Papua Tengah", "Papua Pegunungan",
    "Jatim", "Jateng", "Jabar", "Sulsel", "Sumut", "Sumbar", "Sumsel", "Kaltim", "Kalsel",
)  # fmt: skip


_REGION_NAME = re.compile(
    r"\b(?:Kota|Kabupaten|Kab\.|Provinsi|Pemkot|Pemkab|Pemprov|Desa)\s+([A-Z][a-z]+)"
    rf"|\b({'|'.join(PROVINCES)})\b"
)


# A company by its legal form or as a bank: "PT Sinar Jaya", "CV Maju", "Bank Jateng".
_COMPANY_NAME = re.compile(
    r"\b(?:PT|CV|UD|Perum|Persero)\.?\s+([A-Z][\w-]*)|\b(Bank\s+[A-Z][\w-]*)|\b([A-Z][\w-]*)\s+"
    r"(?:Tbk|Inc|Ltd|Corp|Corporation|Group)\b"
)


def names_of_class(kind: str, text: str, query: Query) -> bool:
    """Does `text` name a member of the class asked for ("region", "company"), other than
    one the question names?"""
    if kind == "region":
        return names_a_region(text, query)
    return any(
        not terms_of(next(g for g in groups if g)) <= set(query.terms)
        for groups in _COMPANY_NAME.findall(text)
    )


def names_a_region(text: str, query: Query) -> bool:
    """A region by name wherever it stands ("inovasi Pemerintah Kota Surakarta"), other
    than one the question names: "daerah mana yang meniru DataGO Magelang?" is not
    answered by "Pemkot Magelang"."""
    return any(
        not terms_of(prefixed or bare) <= set(query.terms)
        for prefixed, bare in _REGION_NAME.findall(text)
    )


# A sentence sending the reader to a source: "rujuk teks resmi … di JDIH KemenPANRB",
# "dapat diunduh melalui laman …", "tersedia di portal …", "cek situs …".
_POINTS_TO = re.compile(
    r"\b(?:rujuk|merujuk|lihat|cek|periksa|kunjungi|akses|unduh|diunduh|diakses|dibaca|"
    r"tersedia|dimuat|diumumkan|refer|see|check|visit|available)\w*\b(?:\s+\S+){0,8}?\s+"
    r"(?:di|melalui|pada|ke|on|at|via)\s+(?:\S+\s+){0,2}?(?:JDIH|portal|situs|laman|website|"
    r"aplikasi|https?://|[\w-]+\.(?:go|ac|or)\.id\b)",
    re.I,
)
_HAS_DEFINITION = re.compile(
    r"\b(adalah|merupakan|yaitu|yakni|ialah|disebut|didefinisikan|artinya|berarti|singkatan|"
    r"kepanjangan|kependekan|is|are|means)\b|\b[A-Z][A-Za-z]{2,}\s*\(|\(\s*[A-Z][A-Za-z]{2,}\s*\)"
    r"|\s=\s",
    re.I,
)
_HAS_LIST = re.compile(
    r"(?:^|\n)\s*(?:[-*•]|\d+[.)])\s+.*\n\s*(?:[-*•]|\d+[.)])\s+|,.+,.+\b(dan|serta|and)\b"
    # a regulation's points, on their own lines or run on: "memuat: a. …; b. …; dan c. …"
    r"|(?:^|[\n:;])\s*(?:a|1)[.)]\s+[^\n]*?[\n;]\s*(?:dan\s+|atau\s+)?(?:b|2)[.)]\s"
)
_HAS_SEQUENCE = re.compile(
    r"→|->|\b(tahap|tahapan|langkah|kemudian|lalu|dilanjutkan|selanjutnya|dimulai|diawali|"
    r"pertama|kedua|setelah|sebelum|melalui|model)\b",
    re.I,
)
_HAS_REASON = re.compile(
    r"\b(karena|sebab|alasan(?:nya)?|agar|supaya|sehingga|oleh karena itu|bertujuan|tujuan(?:nya)?|"
    r"dalam rangka|because|so that|in order)\b",
    re.I,
)
_HAS_CONTACT = re.compile(
    r"https?://|\b[\w.-]+@[\w.-]+\.\w+|\b(?:telepon|telp|email|surel|narahubung|kontak|hubungi|"
    r"unit|asisten deputi|dinas|sekretariat|portal|situs|laman)\b",
    re.I,
)


_PRESENT = re.compile(
    r"\b(saat ini|sekarang|kini|terbaru|terkini|hingga kini|data terbaru|currently|latest)\b",
    re.I,
)
_WORD = re.compile(r"[\w/.,-]+")
_NUMERIC = re.compile(r"^\d[\d.,/]*$")
# A count written out: "memiliki tiga bentuk" ("satu" is left out: "salah satu bentuk" counts
# nothing)
_NUMBER_WORDS = (
    r"dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|"
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
)
_NUMBER_WORD = re.compile(rf"^(?:{_NUMBER_WORDS})$", re.I)
_CURRENCY = re.compile(r"^(?:rp|idr|usd|us\$|\$)\.?", re.I)  # "Rp62 juta", "Rp40.000.000,00"
_ENUMERATOR = re.compile(r"(?m)^\s*\d{1,2}[.)]\s")  # "1. Kementerian Agama" counts nothing
_DAY_OF_MONTH = re.compile(rf"\b\d{{1,2}}\s*(?:[-–]\s*\d{{1,2}}\s*)?(?:{_MONTHS})\b", re.I)
_YEAR_ONLY = re.compile(r"^(?:19|20)\d\d$")  # a year says when, not how many
SLOT_WINDOW = 4
_PERCENTAGE = re.compile(r"\d[\d.,]*\s*(?:%|persen\b|per\s?cent\b)", re.I)
# A share or a change is answered by a percentage; a count ("berapa jumlah …") is not.
_ASKS_RATE = re.compile(
    r"\b(?:persen\w*|porsi\w*|proporsi\w*|rasio\w*|percent\w*|proportion|share|ratio|rate"
    r"|naik\w*|kenaikan\w*|meningkat\w*|peningkatan\w*|turun\w*|penurunan\w*|tumbuh\w*"
    r"|pertumbuhan\w*|increase\w*|rise|rose|risen|grow\w*|drop\w*|fell|fall\w*|decline\w*)\b",
    re.I,
)


def speaks_of_another(query: Query, text: str) -> bool:
    """Does `text` speak of another member of the series the question asks about ("Angkatan
    pertama …" for "angkatan kedua"), or of a past time when it asks about now ("Kepala
    Sentra saat itu …" for "kepala sentra yg skrg")? A rule for every member names none,
    and answers."""
    if query.present and _THEN.search(text):
        return True
    asked = query.anchors.ordinals
    if not asked:
        return False
    named = ordinals_of(text)
    return bool(named) and not named & asked


_THEN = re.compile(
    r"\b(?:(?:pada )?saat itu|waktu itu|ketika itu|kala itu|at the time|at that time)\b", re.I
)


_REGULATION_FIGURE = re.compile(r"\b\d{1,4}/(?:19|20)\d\d\b")
_ASKS_NUMBERING = re.compile(
    r"\b(?:nomor|nomer|no|nmr|pasal|ayat)\.?\s*(?:berapa|brp|brapa)\b|\bbernomor\s+berapa\b"
    r"|\b(?:what|which)\s+(?:\w+\s+)?(?:number|article)\b",
    re.I,
)


def _numbering(text: str) -> str:
    """`text` without the numbers that name rather than count: of a regulation ("Nomor 4
    Tahun 2025", "4/2025"), an article or an ayat."""
    return _REGULATION_FIGURE.sub(" ", _NOT_A_QUANTITY.sub(" ", text))


def slot_bound(query: Query, text: str) -> bool:
    """For a "how many" question: is a number written next to one of the question's own
    words ("623 peserta", "jumlah hub … 54")? A number elsewhere in the sentence answers
    something else."""
    if not query.kinds & AMOUNT_KINDS:
        return False
    # What is counted, not whose: "berapa anak yang dilayani Pesona Surga?" is not answered
    # by "Pesona Surga … masuk Top 99". The name is passed over in between: "omzet Café
    # More Wyata Guna sekitar Rp62 juta".
    if not _ASKS_RATE.search(query.text):
        # "berapa jumlah pelaku usaha …?" is not answered by "omzet … naik hingga 600%"
        text = _PERCENTAGE.sub(" ", text)
    names = query.names if set(query.own_terms) - query.names else frozenset()
    own = set(query.own_terms) - names
    # Function words are passed over too ("omzet Café More Wyata Guna sekitar Rp62 juta"):
    # the window counts words that say something.
    if asks_duration(query) and not _DURATION.search(text):
        return False  # "berapa lama …?" is not answered by "dua model", only by a time
    if not _ASKS_NUMBERING.search(query.text):
        text = _numbering(text)  # unless the question asks for one: "Berita Negara nomor brp?"
    words = [
        w
        for w in _WORD.findall(_DAY_OF_MONTH.sub(" ", _ENUMERATOR.sub(" ", text)))
        if _is_figure(w) or ((terms := terms_of(w)) and not (names and terms <= names))
    ]
    numbers = [
        i
        for i, w in enumerate(words)
        if _NUMERIC.match(_CURRENCY.sub("", w.strip(".,"))) and not _YEAR_ONLY.match(w.strip(".,"))
    ]
    # The noun counted, when the question names one: "brp inovasi … dlm setahun?" is not
    # answered by "setiap 1 (satu) tahun"
    own = set(query.counted) or own
    near = [i for i, w in enumerate(words) if not _is_figure(w) and own & terms_of(w)]
    if any(abs(i - j) <= SLOT_WINDOW for i in numbers for j in near):
        return True
    # A count written out binds only the word it counts: "memiliki tiga bentuk" answers
    # "berapa bentuk?", but "delapan inovasi … direplikasi" does not answer how many regions
    # replicated one.
    return any(_NUMBER_WORD.match(w.strip(".,")) and i + 1 in near for i, w in enumerate(words))


# How long: "berapa lama …?", "how long …?", "jangka waktunya berapa?"
_ASKS_DURATION = re.compile(
    rf"{ASKS_LENGTH_OF_TIME.pattern}|\b(?:berapa|brp)\s+(?:hari|minggu|pekan|bulan|jam)\b", re.I
)


def asks_duration(query: Query) -> bool:
    """Does the question ask how long ("berapa lama …?", "brp bulan …?", "how long …?")?"""
    return bool(_ASKS_DURATION.search(query.text))


_TIME_UNIT = r"(?:hari|minggu|pekan|bulan|tahun|jam|menit|days?|weeks?|months?|years?|hours?)"
# A length of time: "14 (empat belas) hari kerja", "6 bulan", "tiga tahun", "setahun"
_DURATION = re.compile(
    rf"\b(?:\d[\d.,]*\s*(?:\([^)]*\)\s*)?|(?:{_NUMBER_WORDS})\s+"
    rf"(?:(?:puluh|belas|ratus)\s+)?){_TIME_UNIT}\b|\bse(?:hari|minggu|pekan|bulan|tahun)\b",
    re.I,
)


def _is_figure(word: str) -> bool:
    word = word.strip(".,")
    return bool(_NUMERIC.match(_CURRENCY.sub("", word)) or _NUMBER_WORD.match(word))


TITLE_WINDOW = 100  # characters between a regulation's number and its "tentang …"


# between a regulation's number and what it is "tentang": "SE 16/2023 adalah surat edaran
# Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi (KemenPANRB) tentang …"
SUBJECT_WINDOW = 200
_SAYS_WHAT_ABOUT = re.compile(r"\btentang\s+\w|\b(?:berjudul|bertajuk)\b", re.I)


def gives_title(query: Query, text: str) -> bool:
    """Asked the title of a numbered regulation or what it is about ("SE 16/2023 itu
    tentang apa?", "judul lengkap Pedoman 6/2024?"), does the sentence say it of that
    regulation ("… (SE 16/2023) adalah surat edaran … tentang penyelenggaraan …")?"""
    numbers = query.anchors.reg_numbers
    if not numbers or not query.kinds & {"title", "subject"}:
        return False
    return _said_of(numbers, text, _SAYS_WHAT_ABOUT, SUBJECT_WINDOW)


def _said_of(numbers: frozenset[str], text: str, pattern: re.Pattern[str], window: int) -> bool:
    """Is what `pattern` finds in `text` said of one of the regulations `numbers` names
    (written within `window` characters before it)?"""
    return any(
        numbers & anchors_of(text[max(0, match.start() - window) : match.end()]).reg_numbers
        for match in pattern.finditer(text)
    )


def title_bound(query: Query, text: str) -> bool:
    """For "what is the full title of SE 16/2023?": is a title written out for the
    regulation asked about ("SE … No. 16/2023 tentang Penyelenggaraan …")? The title of
    another ("PermenPANRB 30/2014 tentang …") answers something else."""
    numbers = query.anchors.reg_numbers
    if not numbers:
        return bool(_HAS_TITLE.search(text))
    return _said_of(numbers, text, _HAS_TITLE, TITLE_WINDOW)


_DEFINING = re.compile(
    r"\b(adalah|merupakan|yaitu|yakni|ialah|singkatan dari|kepanjangan dari|berarti|"
    r"artinya|didefinisikan sebagai|is|are|means)\b",
    re.I,
)
_ACRONYM_IN_PARENTHESES = re.compile(r"\(([A-Za-z][A-Za-z-]{1,})\)")


def defines(text: str, query: Query) -> bool:
    """Does the unit define what the question asks about: "X adalah …" with X a question
    word before the verb, or "Nama Lengkap (ACRONYM)" with the acronym asked?"""
    own = set(query.own_terms)
    match = _DEFINING.search(text)
    if match and match.start() <= 160 and own & terms_of(text[: match.start()]):
        return True
    return any(own & terms_of(acronym) for acronym in _ACRONYM_IN_PARENTHESES.findall(text))


def names_a_body(text: str) -> bool:
    """A body's acronym ("dikelola BRIDA", "oleh KemenPANRB"). It answers "who runs X?" once
    X is settled, but is in nearly every sentence: alone it is no evidence that a question
    with no subject ("siapa pengelolanya?") is answered."""
    return any(not is_indonesian_word(word.lower()) for word in _ACRONYM.findall(text))


_AGENT = re.compile(
    r"\b(?:oleh|by)\s+(?:[a-z]+\s+){0,2}?[A-Z][\w-]+"
    # Indonesian passive with its agent straight after: "dikelola KemenPANRB", "diselenggarakan
    # Kementerian …" (a body's acronym or head word, not "dimulai Januari")
    r"|\bdi[a-z]{3,}\s+(?:bersama\s+)?(?:[A-Za-z]*[A-Z][a-z]*[A-Z]\w*"
    r"|(?:Kementerian|Kemen\w+|Badan|Lembaga|Dinas|Pemerintah|Menteri|Deputi|Sekretariat|Direktorat"
    r"|Balai|Sentra|Pemkot|Pemkab|Pemprov)\b)"
)


def names_an_agent(text: str) -> bool:
    """Who did it, after "oleh" / "by": "dikelola bersama oleh KemenPANRB", "dibuka oleh
    Deputi …" (a body or a post answers "siapa yang mengelola / membuka …?")."""
    return bool(_AGENT.search(text))


# "dengan siapa …?", "dari siapa?", "untuk siapa?", "with whom …?": the people something was
# done with, came from or is for. A group answers, though it names no one: "FGD bersama
# kalangan akademisi", "kiriman dari pekerja migran", "pelatihan bagi penyandang disabilitas".
_PEOPLE = (
    r"(?:(?:kalangan|para|pihak|sejumlah|kelompok|the)\s+)?"
    r"(?:[A-Z][\w/-]+|akademisi|perguruan\s+tinggi|universitas|masyarakat|mitra|pemerintah|"
    r"kementerian|lembaga|instansi|pakar|ahli|praktisi|komunitas|organisasi|swasta|"
    r"pelaku\s+usaha|penyandang|pekerja|anak|keluarga|warga|petani|nelayan|perempuan|"
    r"lansia|siswa|pelajar|mahasiswa|pegawai|aparatur|umkm|difabel|penerima|pengguna|"
    r"academics?|universities|experts?|partners?|ministr(?:y|ies)|agencies|people|persons|"
    r"workers|children|families|residents|citizens)\b"
)
# relation -> (how the question asks it, the words an answer says it with)
_COMPANION_WORDS = {
    "with": (
        r"\b(?:dengan|bersama|sama|bareng)\s+siapa\b|\bwith\s+whom\b|\bwho\b.*\bwith\s*\?",
        r"bersama|dengan|with|together\s+with",
    ),
    "from": (r"\bdari\s+siapa\b", r"dari|from"),
    "for": (r"\b(?:untuk|bagi|buat)\s+siapa\b|\bfor\s+whom\b", r"untuk|bagi|kepada|for"),
}
_ASKS_COMPANION = {
    relation: re.compile(asked, re.I) for relation, (asked, _) in _COMPANION_WORDS.items()
}
_COMPANION = {
    relation: re.compile(rf"\b(?:{said})\s+{_PEOPLE}")
    for relation, (_, said) in _COMPANION_WORDS.items()
}


def names_a_companion(query: Query, text: str) -> bool:
    """Asked whom something was done with, came from or is for ("dengan siapa …?", "dari
    siapa?"): does the unit say it, after the same word ("bersama kalangan akademisi")?"""
    return any(
        asked.search(query.text) and _COMPANION[relation].search(text)
        for relation, asked in _ASKS_COMPANION.items()
    )


_LIST_ITEM = re.compile(r"(?m)^\s*(?:[-*•]|\d{1,2}[.)])\s+(.+)$")
_BODY_ACRONYM = re.compile(r"^(?:[A-Z][a-z]+\s+){2,7}\(([A-Z][A-Za-z]*[A-Z])\)")


def names_several(text: str) -> bool:
    """Two or more different proper names ("Kementerian Kesehatan, Kota Magelang, …")."""
    names = {
        run
        for run in _CAPITALISED_RUN.findall(text)
        if any(not is_indonesian_word(w.lower()) for w in re.findall(r"[A-Za-z]{3,}", run))
        or re.match(r"(?:Kementerian|Kota|Kabupaten|Provinsi|Sentra|Balai|Universitas)\b", run)
    }
    # the bodies of a list by their full names and acronyms: "- Badan Usaha Milik Negara
    # (BUMN) …" (not "- … sumber daya manusia (SDM)", which names no one)
    names |= {
        acronym for item in _LIST_ITEM.findall(text) for acronym in _BODY_ACRONYM.findall(item)
    }
    names |= {m.group(0) for m in _COMPANY_NAME.finditer(text)}  # "PT Sinar Jaya", "Bank Jateng"
    return len(names) >= 2


# a list item that is a name in capitals: "- SIKS-NG;", "- PINTER MELATIH ANAK KOBRA."
_CAPITALS_ITEM = re.compile(
    r"(?m)^\s*(?:[-*•]|\d+[.)])\s*([A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*(?:\s+[A-Z][A-Z0-9]+"
    r"(?:-[A-Z0-9]+)*)*)\s*[;,.]?\s*(?:\[\d+\])?\s*$"
)


def names_in_capitals(text: str, query: Query) -> bool:
    """A list of two or more names written in capitals that the question does not name
    ("which innovations …?": "- SIKS-NG; - PINTER MELATIH ANAK KOBRA"), not acronyms in a
    sentence ("SDM", "HKI")."""
    asked = set(query.terms)
    names = {run for run in _CAPITALS_ITEM.findall(text) if not terms_of(run) <= asked}
    return len(names) >= 2


def _proper_name_runs(text: str, *, of_people: bool = False) -> Iterator[list[str]]:
    """The runs of capitalised words with one that is no Indonesian word, as lower-case
    words: "Ajib Rakhmawanto", "Sentra Wyata Guna" — but not "Pedoman Menteri".
    `of_people`: not a run that goes on from an acronym ("PSAA Alyatama Jambi", "BBRSBG
    Kartini Temanggung"), which names a body."""
    for match in _CAPITALISED_RUN.finditer(text):
        if of_people and _ACRONYM_BEFORE.search(text, 0, match.start()):
            continue
        words = [w.lower() for w in re.findall(r"[A-Za-z]{3,}", fold_accents(match.group()))]
        if any(not is_indonesian_word(word) for word in words):
            yield words


_ACRONYM_BEFORE = re.compile(r"\b[A-Z]{3,}\)?\s$")  # "PSAA Alyatama", "(BBRSBG) Kartini"


def names_beyond_the_question(query: Query, text: str) -> bool:
    """Does `text` name someone or something besides what the question names? Its own
    subject ("Sheltered Workshop Peduli") answers no "who" or "which"."""
    asked = set(query.terms)
    if names_several(text):
        return True
    return any(not terms_of(" ".join(run)) <= asked for run in _proper_name_runs(text))


def has_proper_name(text: str) -> bool:
    """A run of capitalised words with one that is no Indonesian word: "Ajib Rakhmawanto",
    "Sentra Wyata Guna" — but not "Pedoman Menteri" or "Kepala Bapperida"."""
    return any(True for _ in _proper_name_runs(text))


# Words that open the name of a body, a place or a programme, not of a person ("Sentra
# Wyata Guna", "Siloam Center", "Rumah Kinasih").
_BODY_HEADS_TEXT = """
    kementerian kementrian sentra balai badan dinas direktorat deputi kota kabupaten provinsi
    desa kelurahan kecamatan universitas institut sekolah rumah panti yayasan lembaga
    pemerintah pusat unit kantor gedung hotel jalan center centre foundation university
    institute ministry agency office city regency province district village
    cafe kafe kedai warung toko restoran koperasi workshop galeri studio pasar klinik
    jawa sumatera kalimantan sulawesi papua bali nusa maluku barat timur utara selatan tengah
    aceh riau jambi bengkulu lampung bangka belitung jakarta banten yogyakarta gorontalo
    """
_BODY_HEADS = frozenset(_BODY_HEADS_TEXT.split())
# "Dr. …", "Ir. …", "Bapak …", or a degree after a name (", S.Sos.", ", M.Si.")
_PERSON_MARK = re.compile(
    r"\b(?:Bapak|Ibu|Pak|Bu|Dr|Drs|Dra|Ir|Prof|Hj?)\.?\s+[A-Z][a-z]+(?!\s+Kota)\b"
    r"|,\s*(?:S|M|Dr)\.\s?[A-Z][A-Za-z.]*"
)


def has_person_name(text: str) -> bool:
    """A person's name: a proper name none of whose words opens a body's or a place's name
    ("Rachmat Koesnadi", "R. Siti Zuhro"), or a name with a title or degree ("Dr. …",
    ", M.Si."). English words glossing a term ("perluasan (Scale Up)", "(Best Practice)",
    "Innovative Government Award") name no one."""
    return bool(_PERSON_MARK.search(text)) or any(
        _BODY_HEADS.isdisjoint(words)
        and not _names_a_post(words)
        and ENGLISH_TERMS.keys().isdisjoint(words)
        for words in _proper_name_runs(text, of_people=True)
    )


HOLDER_WINDOW = 8  # words between an office and the name of whoever holds it
_LETTER = re.compile(r"[a-z]")
# An office as the sources write it, as a verb too ("tim panel … yang diketuai R. Siti
# Zuhro", "dipimpin oleh"), but not inside another word ("Kementerian" is no "menteri").
_OFFICE_FORMS = {
    "kepala": re.compile(r"(?:di|meng)?k?epala(?:i|nya)?"),
    "ketua": re.compile(r"(?:di|meng)?k?etua(?:i|nya)?"),
    # whoever leads a body chairs or heads it: "Sekretaris Daerah sebagai ketua"
    "pimpin": re.compile(
        r"(?:di)?pimpin(?:an|nya)?|(?:me|pe)mimpin(?:nya)?|(?:di|meng)?k?(?:etua|epala)(?:i|nya)?"
    ),
    "wali": re.compile(r"wali(?:kota)?(?:nya)?"),
    **{
        post: re.compile(rf"{post}(?:nya)?")
        for post in ("menteri", "gubernur", "bupati", "direktur", "deputi", "camat", "lurah")
    },
}


def _office_forms(query: Query) -> list[re.Pattern[str]]:
    """How the sources write the offices whose holder the question asks for."""
    return [_OFFICE_FORMS[post] for post in query.posts if post in _OFFICE_FORMS]


def names_the_office(query: Query, text: str) -> bool:
    """Does `text` name one of the offices the question asks the holder of ("… sebagai
    ketua" for "siapa yang memimpin dewan …?")?"""
    forms = _office_forms(query)
    words = ("".join(_LETTER.findall(word.lower())) for word in text.split())
    return any(form.fullmatch(word) for word in words for form in forms)


def names_a_holder(query: Query, text: str) -> bool:
    """For "who is the <office>?": is a person named within a few words of the office
    ("Plt. Deputi Bidang Pelayanan Publik KemenPANRB, Abdul Hakim", "Asisten Deputi Ajib
    Rakhmawanto")? A name elsewhere in the sentence holds another post or none."""
    words = text.split()
    forms = _office_forms(query)
    for i, word in enumerate(words):
        letters = "".join(_LETTER.findall(word.lower()))
        if any(form.fullmatch(letters) for form in forms):
            window = " ".join(words[max(0, i - HOLDER_WINDOW) : i + HOLDER_WINDOW + 1])
            if has_person_name(window):
                return True
    return False


# Words that name a post: "Kepala Bainrida", "Sekretaris Bappeda" name who holds it by the
# body it heads, not by the person's name.
_POSTS_TEXT = """
    kepala ketua wakil sekretaris direktur menteri gubernur bupati wali walikota camat lurah
    asisten pengarah anggota koordinator bendahara kadis kaban head chair secretary director
    """
_POSTS = frozenset(_POSTS_TEXT.split())


def _names_a_post(words: list[str]) -> bool:
    """A post and one more word: "Kepala Bainrida" names the post by the body it heads. A
    person holding a post is named in a run of its own ("… saat itu adalah Iyan
    Kusumadiana")."""
    return words[0] in _POSTS and len(words) <= 2


# Capitalised words of a regulation that refer to its own parts or to other acts, not to
# anyone who acts.
_REFERENCE_TEXT = """
    pasal ayat huruf angka peraturan undang bab bagian paragraf keputusan lampiran penjelasan
    nomor tahun republik indonesia negara lembaran berita tambahan
    """
_REFERENCE_WORDS = frozenset(_REFERENCE_TEXT.split())
_FIRST_WORD = re.compile(r"(?m)^\s*(?:\(\d+\)|[a-z0-9]{1,2}[.)])?\s*\S+")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
# "Peraturan Daerah ini", "Undang-Undang Nomor 23": the name of an act, not of who acts
_ACT_NAME = re.compile(
    r"\b(?:Peraturan|Keputusan|Undang-Undang|Surat Edaran|Instruksi)(?:\s+[A-Z][\w-]*)*"
)
_BODY_SECTIONS = frozenset({"article", "body", "elucidation"})
_ASKS_NAMES = re.compile(r"\b(nama(?:-nama|nya)?|names?)\b", re.I)


def names_a_role(text: str, chunk: RetrievedChunk, query: Query) -> bool:
    """In a regulation's articles, who acts is named by a defined term, capitalised by
    drafting convention ("Perangkat Daerah", "Bupati", "Tim Inovasi"), not by a proper
    name: such a term answers "siapa", but not a question asking for names ("siapa saja
    nama anggotanya?")."""
    if chunk.reg_section not in _BODY_SECTIONS:
        return False
    if _ASKS_NAMES.search(query.text):
        return False
    rest = _FIRST_WORD.sub(" ", _ACT_NAME.sub(" ", text))  # a line's first word is capitalised
    return any(w.lower() not in _REFERENCE_WORDS for w in _CAPITALISED.findall(rest))


# An ayat's "(2)", a point's "1.", and references to other articles ("Pasal 12", "ayat (1)",
# "angka 3") are no answer to "how many".
_NOT_A_QUANTITY = re.compile(
    r"(?m)^\s*(?:\(\d{1,2}[a-z]?\)|\d{1,2}[.)])\s"
    r"|\b(?:pasal|ayat|angka|huruf|nomor|tahun)\s*\(?\d+[a-z]?\)?",
    re.I,
)


def has_quantity(text: str) -> bool:
    """Does `text` give a quantity? A date ("31 Januari", "Mei 2026") counts nothing."""
    return bool(_HAS_NUMBER.search(_A_DATE.sub(" ", _NOT_A_QUANTITY.sub(" ", text))))


_A_DATE = re.compile(
    rf"\b(?:\d{{1,2}}\s*(?:[-–]\s*\d{{1,2}}\s*)?)?(?:{_MONTHS})\b(?:\s+(?:19|20)\d\d\b)?", re.I
)


# A ban or a limit to what is allowed ("dilarang", "tidak dapat digunakan untuk", "hanya
# dapat", "kecuali"), and a rule's force ("mulai berlaku", "berlaku sampai dengan", "dicabut").
_HAS_PROHIBITION = re.compile(
    r"\bdilarang\b|\blarangan\b|\btidak\s+(?:dapat|boleh|diperbolehkan|dibenarkan|diizinkan)\b"
    r"|\bhanya\s+(?:dapat|boleh)\b|\bkecuali\b|\btanpa\s+mengubah\b",
    re.I,
)
_HAS_VALIDITY = re.compile(r"\bberlaku\b|\bdicabut\b|\bkedaluwarsa\b", re.I)
# An e-mail address or a telephone number.
_HAS_CONTACT_DETAIL = re.compile(
    r"[\w.-]+@[\w-]+(?:\.[\w-]+)+|\b(?:\+62|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,5}\b"
    r"|\b(?:telepon|telp|tel|hp|wa|whatsapp|phone)\.?\s*:?\s*\(?\+?\d",
    re.I,
)
# A title written out: "… tentang Penyelenggaraan Praktik Terbaik …", "TENTANG PEMBINAAN
# INOVASI", "berjudul …", or a quoted name of three words or more.
_HAS_TITLE = re.compile(
    r"(?i:\btentang)\s+[A-Z]|\b(?:berjudul|bertajuk|judul(?:nya)?\s+(?:lengkap|resmi)?)"
    r"|[\"“][^\"”]*?\w+\s+\w+\s+\w+[^\"”]*[\"”]"
)

# A post, as written before a holder's name or for who acts: "Asisten Deputi …", "Plt.
# Deputi Bidang Pelayanan Publik", "Kepala Sentra …", "Wali Kota …" (capitalised: "kepala
# daerah" in running text names no one's post)
_HAS_POSITION = re.compile(
    r"\b(?:(?:Wakil|Plt\.?|Plh\.?|Pj\.?)\s+)?(?:Menteri|Deputi|Asisten\s+Deputi|Asdep|"
    r"Sekretaris|Kepala|Direktur|Dirjen|Gubernur|Bupati|Wali\s+Kota|Walikota|Camat|Lurah|"
    r"Ketua|Staf\s+Ahli|Kabid|Koordinator|Inspektur|Pengarah|Presiden|Rektor|Dekan|Kasubdit|"
    r"Kasubag|Kabag)\b"
)

# How near a post is written to the person who holds it ("Asisten Deputi … Ajib
# Rakhmawanto", "Rachmat Koesnadi, Kepala Sentra …"), in words.
POSITION_WINDOW = 8
_LINE_OR_POINT = re.compile(r"[\n;]")


def position_bound(query: Query, text: str) -> bool:
    """Asked whose post ("Apa jabatan Rachmat Koesnadi?"), is a post written next to the
    name the question gives? A post of someone else in the same list does not answer."""
    if not query.names:
        return True
    # one item of a list or a point of an article, one sentence in it
    for line in (s for item in _LINE_OR_POINT.split(text) for s in split_sentences(item)):
        words = _WORD.findall(line)
        posts = {len(_WORD.findall(line[: m.start()])) for m in _HAS_POSITION.finditer(line)}
        named = [i for i, w in enumerate(words) if terms_of(w) & query.names]
        if any(abs(i - j) <= POSITION_WINDOW for i in posts for j in named):
            return True
    return False


# What a document is about: "SE 16/2023 tentang Penyelenggaraan …", "… mengatur pembinaan"
_HAS_SUBJECT = re.compile(r"\btentang\s+\w|\b(?:mengatur|membahas|berisi|memuat)\b", re.I)

_KIND_TESTS: dict[str, Callable[[str], object]] = {
    "number": has_quantity,
    "date": lambda text: bool(_HAS_DATE.search(_REGULATION_NUMBER.sub(" ", text))),
    "day": _HAS_DAY.search,
    "money": _HAS_MONEY.search,
    "share": _PERCENTAGE.search,
    "names": lambda text: names_several(text),
    # a name, or the bodies a list names ("siapa saja penyelenggara inovasi?")
    "name": lambda text: has_proper_name(text) or names_several(text),
    "person": has_person_name,
    "person_name": has_person_name,  # asked by name: no post stands in for it
    "place": _HAS_PLACE.search,
    "definition": _HAS_DEFINITION.search,
    "list": _HAS_LIST.search,
    "procedure": lambda text: _HAS_SEQUENCE.search(text) or _HAS_LIST.search(text),
    "reason": _HAS_REASON.search,
    "contact": _HAS_CONTACT.search,
    "address": has_web_address,
    "pointer": _POINTS_TO.search,
    "prohibition": _HAS_PROHIBITION.search,
    "validity": _HAS_VALIDITY.search,
    "title": _HAS_TITLE.search,
    "contact_detail": _HAS_CONTACT_DETAIL.search,
    "position": _HAS_POSITION.search,
    "subject": _HAS_SUBJECT.search,
}


TESTABLE_KINDS = frozenset(_KIND_TESTS)


def kinds_in(text: str, asked: frozenset[str]) -> frozenset[str]:
    """Which of the asked-for kinds of content `text` holds."""
    return frozenset(kind for kind in asked if kind in _KIND_TESTS and _KIND_TESTS[kind](text))


# -- "this is not known" ----------------------------------------------------------------------
_NOT_KNOWN = re.compile(
    r"\b(belum (?:diketahui|tercantum|tersedia|termuat|ditemukan|dikonfirmasi|kami lihat|"
    r"dapat dipastikan|dijelaskan|disebut)|tidak (?:diketahui|tercantum|tersedia|termuat|"
    r"disebut|dijelaskan)|tidak ada (?:informasi|data|keterangan)|not known|unknown)\b",
    re.I,
)
_PARENTHESES = re.compile(r"\([^()]*\)")
_BULLET_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+", re.M)


def is_not_known_statement(text: str, chunk: RetrievedChunk) -> bool:
    """Does this unit say that something is not known? A hedge in parentheses ("tahun
    pastinya tidak tegas") or inside one item of a list does not make the unit a
    not-known statement; a list does when its lead-in says its items are not known."""
    bullet = _BULLET_LINE.search(text)
    claim = text[: bullet.start()] if bullet else text
    return bool(_NOT_KNOWN.search(_PARENTHESES.sub(" ", claim)))


def usable_unit(text: str, chunk: RetrievedChunk) -> bool:
    """May this unit be quoted to a user? Not when it is aimed at the assistant or sends the
    reader to a foreign link: document text is data, never instructions."""
    return untrusted_reason(text, (chunk.source_url,)) is None


# -- caches ---------------------------------------------------------------------------------
@lru_cache(maxsize=65536)
def terms_of(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


@lru_cache(maxsize=65536)
def said_terms(text: str) -> frozenset[str]:
    """The terms of what a unit says: not the numbers that only number it or point
    elsewhere ("(1)", "1.", "ayat (2)", "Pasal 12"). "1 pendamping bs pegang brp desa?" is
    not met by an article's "(1)", nor "3 bulan" by "Pasal 3"."""
    return frozenset(tokenize(_NUMBERING.sub(lambda m: f" {m.group(1) or ''} ", text)))


# An ayat's "(2)", a point's "1.", a reference to another article or ayat
_NUMBERING = re.compile(
    r"(?m)^\s*\d{1,2}[.)]\s|\(\d{1,2}[a-z]?\)|\b(pasal|ayat|angka)\s*\(?\d+[a-z]?\)?", re.I
)


@lru_cache(maxsize=16384)
def units_of(text: str) -> tuple[Unit, ...]:
    return tuple(split_units(text))
