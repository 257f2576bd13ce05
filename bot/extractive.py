"""The offline answer: the sentences of the retrieved passages that best answer the question.

Each sentence is scored by the share of the question's informative terms (IDF-weighted) it
covers, with its section headings as weaker context, a prior from its passage's retrieval
rank, and a bonus when it holds what the question asks for (a number, a date, a name).
Sentences are kept in source order within a document and cited by passage number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.sentences import Unit, split_units
from bot.term_weights import TermWeights
from replikasi.indonesian import is_indonesian_word, tokenize
from replikasi.language import detect_language
from replikasi.records import RetrievedChunk
from replikasi.untrusted import untrusted_reason

ANSWER_BUDGET = 560  # characters of quoted text, so a Telegram answer reads at a glance
MAX_UNITS = 4
RELATIVE_FLOOR = 0.55  # a further sentence must score at least this share of the best one
HEADER_WEIGHT = 0.6
BARE_HEADER_WEIGHT = 0.25  # a sentence sharing no word with the question leans on headings less
RANK_PRIOR = 0.3  # divided by the passage's rank: retrieval already ordered the passages
TYPE_BONUS = 0.3
ADJACENT_BONUS = 0.25
# Years and regulation numbers in a question pin down which thing is meant.
_ANCHOR = re.compile(r"(?:19|20)\d\d|\d+/\d{4}")
ANCHOR_MISS_FACTOR = 0.6  # the sentence next to a chosen one usually continues its thought

_NUMBER_Q = re.compile(r"\b(berapa|jumlah|how many|how much|banyaknya)\b", re.I)
_DATE_Q = re.compile(r"\b(kapan|tanggal|tahun berapa|when|what date|which year)\b", re.I)
_WHO_Q = re.compile(r"\b(siapa|who|whom|which official|pejabat)\b", re.I)
_DEFINITION_Q = re.compile(
    r"\b(apa itu|apa sih|apakah itu|apa yang dimaksud|yang dimaksud dengan|apa arti|apa "
    r"pengertian|pengertian|definisi|what is|what are|what does|meaning of|define)\b"
    r"|\bitu\s+(?:\w+\s+)?apa\b",  # "JIPPNas itu apa?", "BARIS DITEBAS itu inovasi apa?"
    re.I,
)
_LIST_Q = re.compile(
    r"\b(apa saja|apa aja|siapa saja|siapa aja|mana saja|mana aja|apa-apa saja|daftar|sebutkan|"
    r"which|list)\b",
    re.I,
)
_MONTHS = (
    r"januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember|"
    r"jan|feb|mar|apr|jun|jul|agu|aug|sep|okt|oct|nov|des|dec"
)
_HAS_DATE = re.compile(
    rf"\b\d{{1,2}}\s+({_MONTHS})\b|\b\d{{1,2}}/\d{{1,2}}/(19|20)\d\d\b|\b(19|20)\d\d\b", re.I
)
_HAS_NUMBER = re.compile(r"\d")
_CAPITALISED_RUN = re.compile(r"\b(?:[A-Z]\.\s*)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")
_HAS_LIST = re.compile(r"(?:^|\n)\s*(?:[-*•]|\d+[.)])\s+.*\n\s*(?:[-*•]|\d+[.)])\s+")
_HAS_DEFINITION = re.compile(
    r"\b(adalah|merupakan|yaitu|yakni|ialah|disebut|didefinisikan|artinya)\b", re.I
)
# Words that only frame a definition question; they are not what the user looks for.
_FRAMING_WORDS = "maksud dimaksud arti artinya pengertian definisi mean meaning define"


@dataclass(frozen=True)
class ScoredUnit:
    chunk: RetrievedChunk
    unit: Unit
    coverage: float  # IDF-weighted share of the question's terms found (0..1)
    score: float
    kinds: frozenset[str] = frozenset()  # which asked-for kinds of content it holds


@dataclass(frozen=True)
class Extract:
    units: list[ScoredUnit]  # chosen, in answer order
    best_coverage: float
    best: ScoredUnit | None = None  # the highest-scoring sentence
    scored: tuple[ScoredUnit, ...] = ()  # every candidate, best first
    missing_slots: frozenset[str] = frozenset()  # asked-for facts no chosen sentence holds


def score_units(
    question: str, chunks: Sequence[RetrievedChunk], weights: TermWeights
) -> list[ScoredUnit]:
    terms = question_terms(question)
    weight = _term_weight(weights, english=detect_language(question) == "en")
    total = sum(weight(t) for t in terms)
    wants = _wanted(question)
    anchors = {t for t in terms if _ANCHOR.fullmatch(t)}
    scored = []
    for chunk in chunks:
        header_terms = _terms_of(f"{chunk.title} {chunk.section}")
        prior = RANK_PRIOR / max(chunk.rank, 1)
        for unit in _units_of(chunk.text):
            if untrusted_reason(unit.text, (chunk.source_url,)):
                continue  # aimed at the assistant, or a foreign link: never quoted
            unit_terms = _terms_of(unit.text)
            own = [t for t in terms if t in unit_terms]
            header_weight = HEADER_WEIGHT if own else BARE_HEADER_WEIGHT
            covered = sum(weight(t) for t in own)
            covered += sum(
                header_weight * weight(t)
                for t in terms
                if t not in unit_terms and t in header_terms
            )
            coverage = covered / total if total else 0.0
            if anchors and not anchors & (unit_terms | header_terms):
                # "KIPP 2025" asked, a sentence about KIPP 2018 found: same words, other thing.
                coverage *= ANCHOR_MISS_FACTOR
            kinds = frozenset(name for name, test in wants if test(unit.text))
            bonus = TYPE_BONUS * len(kinds) / max(len(wants), 1)
            scored.append(ScoredUnit(chunk, unit, coverage, coverage + prior + bonus, kinds))
    return scored


def compose_extract(
    question: str,
    chunks: Sequence[RetrievedChunk],
    weights: TermWeights,
    budget: int = ANSWER_BUDGET,
) -> Extract:
    """Pick the best sentence, then the ones that add what it lacks, within `budget`.

    A further sentence must score near the best and bring something new: a question term
    not yet covered, a kind of content asked for (a date, a number) not yet given, or
    directly continue a chosen sentence of the same passage (which it is then favoured for).
    """
    scored = sorted(score_units(question, chunks, weights), key=lambda s: -s.score)
    if not scored:
        return Extract([], 0.0)
    terms = set(question_terms(question))
    best = scored[0]
    chosen = [best]
    used = len(best.unit.text)
    covered = _terms_of(best.unit.text) & terms
    kinds = set(best.kinds)
    remaining = [
        c for c in scored[1:] if c.score >= RELATIVE_FLOOR * best.score or _continues(c, best)
    ]
    while remaining and len(chosen) < MAX_UNITS:
        pick = None
        pick_value = 0.0
        for candidate in remaining:
            if used + len(candidate.unit.text) > budget or _near_duplicate(candidate, chosen):
                continue
            adjacent = any(
                c.chunk.chunk_id == candidate.chunk.chunk_id
                and abs(c.unit.order - candidate.unit.order) == 1
                for c in chosen
            )
            new_terms = (_terms_of(candidate.unit.text) & terms) - covered
            new_kinds = candidate.kinds - kinds
            if not (new_terms or new_kinds or adjacent):
                continue  # adds nothing the answer does not already say
            value = candidate.score + (ADJACENT_BONUS if adjacent else 0.0)
            if value > pick_value:
                pick, pick_value = candidate, value
        if pick is None:
            break
        chosen.append(pick)
        remaining.remove(pick)
        used += len(pick.unit.text)
        covered |= _terms_of(pick.unit.text) & terms
        kinds |= pick.kinds
    asked = {name for name, _ in _wanted(question)} & SLOT_KINDS
    return Extract(
        _reading_order(chosen),
        max(s.coverage for s in scored),
        best,
        tuple(scored),
        frozenset(asked - kinds),
    )


def _reading_order(chosen: list[ScoredUnit]) -> list[ScoredUnit]:
    """Group by passage in retrieval rank, keeping the source order inside each passage."""
    chunk_rank: dict[str, int] = {}
    for item in chosen:
        chunk_rank.setdefault(item.chunk.doc_id, item.chunk.rank)
    return sorted(
        chosen,
        key=lambda s: (
            chunk_rank[s.chunk.doc_id],
            s.chunk.doc_id,
            s.chunk.metadata.get("position", 0),
            s.unit.order,
        ),
    )


UNKNOWN_ENGLISH_WEIGHT = 0.5


def _term_weight(weights: TermWeights, *, english: bool) -> Callable[[str], float]:
    """IDF, except that an English word the passages never contain (the glossary did not
    translate it) weighs little: the Indonesian passages may well answer it in other words,
    but a question made mostly of such words is not well supported."""
    if not english:
        return weights.idf
    return lambda t: weights.idf(t) if weights.df.get(t) else UNKNOWN_ENGLISH_WEIGHT


_ANAPHORIC_START = re.compile(
    r"^(?:\w+\s+)?(?:ini|itu|tersebut)\b"
    r"|^(?:ia|beliau|mereka|keduanya|selain itu|it|this|these|they)\b",
    re.I,
)


def _continues(candidate: ScoredUnit, chosen: ScoredUnit) -> bool:
    """The sentence right after `chosen` that refers back to it ("Inovasi ini ...") belongs
    with it even when it repeats none of the question's words."""
    return (
        candidate.chunk.chunk_id == chosen.chunk.chunk_id
        and candidate.unit.order == chosen.unit.order + 1
        and bool(_ANAPHORIC_START.match(candidate.unit.text))
    )


def _near_duplicate(candidate: ScoredUnit, chosen: list[ScoredUnit]) -> bool:
    words = set(candidate.unit.text.lower().split())
    for other in chosen:
        other_words = set(other.unit.text.lower().split())
        overlap = len(words & other_words) / max(min(len(words), len(other_words)), 1)
        if overlap > 0.8:
            return True
    return False


# Kinds of content a question can ask for. The first three are facts that must be present
# for the question to count as answered; the others only help pick the better sentence.
SLOT_KINDS = frozenset({"number", "date", "name"})


def _wanted(question: str) -> list[tuple[str, Callable[[str], object]]]:
    """What kind of content answers the question, one test per kind asked for."""
    wants: list[tuple[str, Callable[[str], object]]] = []
    if _NUMBER_Q.search(question):
        wants.append(("number", _HAS_NUMBER.search))
    if _DATE_Q.search(question):
        wants.append(("date", _HAS_DATE.search))
    if _WHO_Q.search(question):
        wants.append(("name", has_proper_name))
    if _DEFINITION_Q.search(question):
        wants.append(("definition", _HAS_DEFINITION.search))
    if _LIST_Q.search(question):
        wants.append(("list", _HAS_LIST.search))
    return wants


def has_proper_name(text: str) -> bool:
    """A run of capitalised words with at least one that is no Indonesian dictionary word:
    "Ajib Rakhmawanto", "Sentra Wyata Guna" — but not "Pedoman Menteri"."""
    return any(
        any(not is_indonesian_word(word.lower()) for word in re.findall(r"[A-Za-z]{3,}", run))
        for run in _CAPITALISED_RUN.findall(text)
    )


def question_terms(question: str) -> list[str]:
    terms = list(dict.fromkeys(tokenize(question)))
    if _DEFINITION_Q.search(question):
        framing = _terms_of(_FRAMING_WORDS)
        terms = [t for t in terms if t not in framing] or terms
    return terms


@lru_cache(maxsize=65536)
def _terms_of(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


@lru_cache(maxsize=16384)
def _units_of(text: str) -> tuple[Unit, ...]:
    return tuple(split_units(text))
