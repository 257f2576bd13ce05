"""When to say "the knowledge base does not cover this" instead of stitching sentences together.

Two signals, calibrated on the public eval set's answerable and unanswerable questions:
how much of the question's informative vocabulary the best sentence covers (lexical), and how
close the best passage is in embedding space (dense). A question whose best evidence is a
statement that something is *not known* gets that statement as its answer, marked abstained.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.extractive import Extract, ScoredUnit
from replikasi.records import RetrievedChunk

MIN_COVERAGE = 0.65
MIN_DENSE = 0.80
STRONG_COVERAGE = 0.75
MISSING_SLOT_FACTOR = 0.7

_NOT_KNOWN = re.compile(
    r"\b(belum (diketahui|tercantum|tersedia|termuat|ditemukan)|tidak (diketahui|tercantum|"
    r"tersedia|termuat)|tidak ada (informasi|data|keterangan)|not known|unknown)\b",
    re.I,
)


@dataclass(frozen=True)
class Evidence:
    answerable: bool
    not_known: list[ScoredUnit]
    coverage: float
    dense: float


def assess(extract: Extract, chunks: Sequence[RetrievedChunk]) -> Evidence:
    dense = max((c.dense for c in chunks if c.dense is not None), default=0.0)
    coverage = extract.best_coverage
    if extract.missing_slots:
        # Asked "who/when/how many" and no chosen sentence holds a name/date/number.
        coverage *= MISSING_SLOT_FACTOR
    not_known: list[ScoredUnit] = []
    if extract.best is not None and is_not_known_statement(extract.best):
        not_known = [u for u in extract.units if is_not_known_statement(u)]
    answerable = coverage >= STRONG_COVERAGE or (coverage >= MIN_COVERAGE and dense >= MIN_DENSE)
    return Evidence(answerable, not_known, coverage, dense)


def is_not_known_statement(unit: ScoredUnit) -> bool:
    return (
        bool(_NOT_KNOWN.search(unit.unit.text)) or "belum diketahui" in unit.chunk.section.lower()
    )
