"""`replikasi eval`: every question through the engine exactly as the bot asks it, scored.

Question files are JSONL in the format of `shared/eval/questions.jsonl`; the project's
question bank (`tests/data/bank/questions.jsonl`) adds `split` (tune / holdout, decided by
fact), `kind`, `expect` (answer / not_known / abstain) and `history` (earlier questions of a
conversation, asked first). Retrieval is scored on answerable questions by the rank of the
first passage from an expected document; answers by the share of `must_mention` groups they
contain (any alternative of a group counts, after normalising case, accents, whitespace and
thousand separators); decisions by outcome: answered for answerable questions, "not known"
or abstained for the others.
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
from replikasi.records import Answer, Turn

_CITED = re.compile(r"\[(\d+)\]")
EXPECTS = ("answer", "not_known", "abstain")


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    lang: str
    answerable: bool
    sources: list[str]
    must_mention: list[list[str]]
    split: str = ""  # "tune" / "holdout" in the question bank, "" elsewhere
    kind: str = ""
    expect: str = ""  # answer / not_known / abstain ("" = from `answerable`)
    history: list[str] = field(default_factory=list)
    article: str = ""  # the article an answer should name ("Pasal 9")
    facts: list[str] = field(default_factory=list)

    @property
    def expected(self) -> str:
        return self.expect or ("answer" if self.answerable else "abstain")


@dataclass
class QuestionResult:
    question: EvalQuestion
    answer: Answer
    rank: int | None  # 1-based rank of the first chunk from an expected document
    coverage: float | None  # share of must_mention groups found (answerable only)
    cited: int
    valid_citations: int
    latency_ms: float
    article_named: bool | None = None  # None when the question names no expected article

    @property
    def decision_ok(self) -> bool:
        """Answered when it should be; "not known" or abstained when it should not."""
        return (self.answer.outcome == "answered") == self.question.answerable


@dataclass
class EvalReport:
    results: list[QuestionResult] = field(default_factory=list)
    mode: str = "extractive"

    def splits(self) -> list[str]:
        return sorted({r.question.split for r in self.results if r.question.split})

    def summary(self, split: str | None = None) -> dict[str, Any]:
        results = [r for r in self.results if split is None or r.question.split == split]
        answerable = [r for r in results if r.question.answerable]
        unanswerable = [r for r in results if not r.question.answerable]
        latencies = sorted(r.latency_ms for r in results)
        cited = sum(r.cited for r in results)
        articles = [r.article_named for r in results if r.article_named is not None]
        summary: dict[str, Any] = {
            "n": len(results),
            "answerable": len(answerable),
            "unanswerable": len(unanswerable),
            "recall_at_1": _mean(1.0 if r.rank == 1 else 0.0 for r in answerable),
            "recall_at_5": _mean(
                1.0 if r.rank is not None and r.rank <= 5 else 0.0 for r in answerable
            ),
            "mrr": _mean(1.0 / r.rank if r.rank else 0.0 for r in answerable),
            "answer_coverage": _mean(r.coverage or 0.0 for r in answerable),
            "answered_rate": _mean(
                1.0 if r.answer.outcome == "answered" else 0.0 for r in answerable
            ),
            "abstain_rate": _mean(
                0.0 if r.answer.outcome == "answered" else 1.0 for r in unanswerable
            ),
            "not_known_rate": _mean(
                1.0 if r.answer.outcome == "not_known" else 0.0
                for r in unanswerable
                if r.question.expected == "not_known"
            ),
            "citation_validity": round(sum(r.valid_citations for r in results) / cited, 4)
            if cited
            else 1.0,
            "answer_chars_p50": statistics.median(len(r.answer.text) for r in answerable)
            if answerable
            else 0,
            "latency_ms_p50": round(percentile(latencies, 50), 1),
            "latency_ms_p95": round(percentile(latencies, 95), 1),
            "mode": self.mode,
        }
        if articles:
            summary["article_named_rate"] = _mean(1.0 if a else 0.0 for a in articles)
        if split is not None:
            summary["split"] = split
        return summary


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
            questions.append(_question(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ReplikasiError(
                f"{path}, line {number}: not a valid eval question ({exc})."
            ) from exc
    if not questions:
        raise ReplikasiError(f"The eval file {path} holds no questions.")
    return questions


def _question(raw: dict[str, Any]) -> EvalQuestion:
    expect = str(raw.get("expect", ""))
    if expect and expect not in EXPECTS:
        raise ValueError(f"expect must be one of {', '.join(EXPECTS)}")
    history = raw.get("history") or []
    if not isinstance(history, list):
        raise TypeError("history must be a list of earlier questions")
    return EvalQuestion(
        id=str(raw["id"]),
        question=str(raw["question"]),
        lang=str(raw.get("lang", "id")),
        answerable=bool(raw.get("answerable", True)),
        sources=[str(s) for s in raw.get("sources", [])],
        must_mention=[[str(alt) for alt in group] for group in raw.get("must_mention", [])],
        split=str(raw.get("split", "")),
        kind=str(raw.get("kind", "")),
        expect=expect,
        history=[str(h) for h in history],
        article=str(raw.get("article", "")),
        facts=[str(f) for f in raw.get("facts", [])],
    )


def ask(engine: AnswerEngine, question: EvalQuestion, k: int = 5) -> Answer:
    """The answer the bot would give: earlier questions of the conversation asked first."""
    history: list[Turn] = []
    for earlier in question.history:
        history.append(Turn.of(engine.answer(earlier, history, k=k)))
    return engine.answer(question.question, history, k=k)


def run_eval(engine: AnswerEngine, questions: list[EvalQuestion], k: int = 5) -> EvalReport:
    engine.warm()  # load the index before timing, as a running bot has
    report = EvalReport(mode=engine.mode)
    for question in questions:
        report.results.append(score(question, ask(engine, question, k)))
    return report


def score(question: EvalQuestion, answer: Answer) -> QuestionResult:
    rank = next(
        (i for i, chunk in enumerate(answer.chunks, start=1) if chunk.doc_id in question.sources),
        None,
    )
    coverage = None
    if question.answerable:
        coverage = mention_coverage(answer.text, question.must_mention)
    retrieved = {chunk.chunk_id for chunk in answer.chunks}
    by_number = {c.number: c for c in answer.citations}
    numbers = [int(n) for n in _CITED.findall(answer.text)]
    valid = sum(1 for n in numbers if n in by_number and by_number[n].chunk_id in retrieved)
    article_named = None
    if question.article and question.answerable:
        article_named = names_article(answer.text, question.article)
    return QuestionResult(
        question,
        answer,
        rank,
        coverage,
        len(numbers),
        valid,
        answer.timings_ms.get("total", 0.0),
        article_named,
    )


def mention_coverage(text: str, groups: list[list[str]]) -> float:
    normalised = normalize_for_match(text)
    found = sum(1 for group in groups if any(normalize_for_match(a) in normalised for a in group))
    return found / len(groups) if groups else 1.0


def names_article(text: str, article: str) -> bool:
    """Whether `text` names `article` ("Pasal 9", a decree's "Diktum KEDUA"): "Pasal 9",
    "Pasal 9 ayat (2)", "pasal 9"; not "Pasal 19" or "Pasal 9A"."""
    pattern = r"\b" + r"\s+".join(map(re.escape, article.split())) + r"\b(?!\d)"
    return re.search(pattern, text, re.I) is not None


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
