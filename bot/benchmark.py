"""`replikasi bench`: the answer engine alone, in one process, no Telegram.

Every question of the file is answered `rounds` times after one warm-up pass (the index and
models loaded, as in a running bot); latency is per answer, throughput is answers per second
of wall time on one process.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bot.engine import AnswerEngine
from bot.evaluation import load_questions, percentile

DEFAULT_QUESTIONS = (
    Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "questions.jsonl"
)


@dataclass(frozen=True)
class EngineBenchResult:
    questions: int
    answers: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def per_second(self) -> float:
        return self.answers / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "questions": self.questions,
            "answers": self.answers,
            "seconds": round(self.seconds, 2),
            "answers_per_second": round(self.per_second, 1),
            "latency_ms_p50": round(self.p50_ms, 1),
            "latency_ms_p95": round(self.p95_ms, 1),
            "latency_ms_p99": round(self.p99_ms, 1),
            "latency_ms_max": round(self.max_ms, 1),
        }


def bench_engine(engine: AnswerEngine, questions_file: Path, rounds: int = 5) -> EngineBenchResult:
    questions = [q.question for q in load_questions(questions_file)]
    for question in questions:  # warm-up: index, BM25, model and caches loaded
        engine.answer(question)
    # Query embeddings are cached; bench the uncached path a fresh question takes.
    engine.clear_caches()
    latencies: list[float] = []
    started = time.perf_counter()
    for _ in range(rounds):
        engine.clear_caches()
        for question in questions:
            t0 = time.perf_counter()
            engine.answer(question)
            latencies.append((time.perf_counter() - t0) * 1000)
    seconds = time.perf_counter() - started
    latencies.sort()
    return EngineBenchResult(
        questions=len(questions),
        answers=len(latencies),
        seconds=seconds,
        p50_ms=statistics.median(latencies),
        p95_ms=percentile(latencies, 95),
        p99_ms=percentile(latencies, 99),
        max_ms=latencies[-1],
    )
