"""`replikasi eval`: every question through the engine exactly as the bot asks it, scored.

Retrieval is scored on answerable questions by the rank of the first chunk from an expected
document; answers by the share of `must_mention` groups they contain (any alternative of a
group counts, after normalising case, accents, whitespace and thousand separators).
"""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.engine import AnswerEngine
from replikasi.errors import ReplikasiError
from replikasi.records import Answer

_CITED = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    lang: str
    answerable: bool
    sources: list[str]
    must_mention: list[list[str]]


@dataclass
class QuestionResult:
    question: EvalQuestion
    answer: Answer
    rank: int | None  # 1-based rank of the first chunk from an expected document
    coverage: float | None  # share of must_mention groups found (answerable only)
    cited: int
    valid_citations: int
    latency_ms: float


@dataclass
class EvalReport:
    results: list[QuestionResult] = field(default_factory=list)
    mode: str = "extractive"

    def summary(self) -> dict[str, Any]:
        answerable = [r for r in self.results if r.question.answerable]
        unanswerable = [r for r in self.results if not r.question.answerable]
        latencies = sorted(r.latency_ms for r in self.results)
        cited = sum(r.cited for r in self.results)
        return {
            "n": len(self.results),
            "recall_at_1": _mean(1.0 if r.rank == 1 else 0.0 for r in answerable),
            "recall_at_5": _mean(
                1.0 if r.rank is not None and r.rank <= 5 else 0.0 for r in answerable
            ),
            "mrr": _mean(1.0 / r.rank if r.rank else 0.0 for r in answerable),
            "answer_coverage": _mean(r.coverage or 0.0 for r in answerable),
            "answered_rate": _mean(0.0 if r.answer.abstained else 1.0 for r in answerable),
            "abstain_rate": _mean(1.0 if r.answer.abstained else 0.0 for r in unanswerable),
            "citation_validity": round(sum(r.valid_citations for r in self.results) / cited, 4)
            if cited
            else 1.0,
            "answer_chars_p50": statistics.median(len(r.answer.text) for r in self.results)
            if self.results
            else 0,
            "latency_ms_p50": round(percentile(latencies, 50), 1),
            "latency_ms_p95": round(percentile(latencies, 95), 1),
            "mode": self.mode,
        }


def load_questions(path: Path) -> list[EvalQuestion]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReplikasiError(f"Cannot read the eval file {path}: {exc}.") from exc
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            questions.append(
                EvalQuestion(
                    id=str(raw["id"]),
                    question=str(raw["question"]),
                    lang=str(raw.get("lang", "id")),
                    answerable=bool(raw.get("answerable", True)),
                    sources=[str(s) for s in raw.get("sources", [])],
                    must_mention=[
                        [str(alt) for alt in group] for group in raw.get("must_mention", [])
                    ],
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ReplikasiError(
                f"{path}, line {number}: not a valid eval question ({exc})."
            ) from exc
    if not questions:
        raise ReplikasiError(f"The eval file {path} holds no questions.")
    return questions


def run_eval(engine: AnswerEngine, questions: list[EvalQuestion], k: int = 5) -> EvalReport:
    engine.warm()  # load the index before timing, as a running bot has
    report = EvalReport(mode=engine.mode)
    for question in questions:
        answer = engine.answer(question.question, k=k)
        report.results.append(score(question, answer))
    return report


def score(question: EvalQuestion, answer: Answer) -> QuestionResult:
    rank = next(
        (i for i, chunk in enumerate(answer.chunks, start=1) if chunk.doc_id in question.sources),
        None,
    )
    coverage = None
    if question.answerable:
        text = normalize_for_match(answer.text)
        groups = question.must_mention
        found = sum(1 for group in groups if any(normalize_for_match(alt) in text for alt in group))
        coverage = found / len(groups) if groups else 1.0
    retrieved = {chunk.chunk_id for chunk in answer.chunks}
    by_number = {c.number: c for c in answer.citations}
    numbers = [int(n) for n in _CITED.findall(answer.text)]
    valid = sum(1 for n in numbers if n in by_number and by_number[n].chunk_id in retrieved)
    return QuestionResult(
        question, answer, rank, coverage, len(numbers), valid, answer.timings_ms.get("total", 0.0)
    )


def normalize_for_match(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"(?<=\d)[.,](?=\d{3}\b)", "", text)
    return " ".join(text.split())


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return round(sum(items) / len(items), 4) if items else 0.0


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    index = (len(sorted_values) - 1) * pct / 100
    low = int(index)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (index - low)
