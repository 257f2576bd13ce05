"""The measuring subcommands of `replikasi`: eval, calibrate and bench --engine."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.table import Table

from bot.engine import AnswerEngine
from bot.evaluation import EvalReport, QuestionResult, load_questions, run_eval
from replikasi.cli import report_error
from replikasi.console import console, err_console
from replikasi.settings import Settings

# Metrics shown side by side per split, in this order.
SUMMARY_ROWS = (
    "n",
    "answerable",
    "unanswerable",
    "recall_at_1",
    "recall_at_5",
    "mrr",
    "answered_rate",
    "abstain_rate",
    "not_known_rate",
    "answer_coverage",
    "citation_validity",
    "article_named_rate",
    "answer_chars_p50",
    "latency_ms_p50",
    "latency_ms_p95",
)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    questions = load_questions(Path(args.file))
    if args.split != "all":
        questions = [q for q in questions if q.split == args.split]
    engine = AnswerEngine(settings)
    report = run_eval(engine, questions, k=args.k or settings.retrieval_k)
    out = err_console if args.json else console
    out.print(results_table(report))
    if args.explain:
        for line in explanations(report):
            out.print(line, highlight=False)
    summaries = {"all": report.summary()}
    for split in report.splits():
        summaries[split] = report.summary(split)
    out.print(summary_table(summaries, engine.mode))
    if args.json:
        result: dict[str, Any] = dict(summaries["all"])
        if len(summaries) > 1:
            result["splits"] = {k: v for k, v in summaries.items() if k != "all"}
        print(json.dumps(result, ensure_ascii=False))
    return 0


def cmd_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.answerability import CALIBRATION_FILE, load_calibration
    from bot.calibration import calibrate
    from bot.question_space import COMPONENT_FEATURES
    from replikasi.console import task_progress

    source = Path(args.file)
    questions = load_questions(source)

    def engine_of(data_dir: str | None) -> AnswerEngine:
        own = (
            settings
            if data_dir is None
            else settings.model_copy(update={"data_dir": Path(data_dir)})
        )
        engine = AnswerEngine(own)
        engine.warm()  # fail fast on a missing index
        return engine

    sets = [(engine_of(d), questions) for d in [None, *args.also_index]]
    sources = [source]
    for pair in args.with_set:
        file, _, data_dir = pair.partition("=")
        if not data_dir:
            return report_error(f"--with wants QUESTIONS=DATA_DIR, got {pair!r}")
        sources.append(Path(file))
        sets.append((engine_of(data_dir), load_questions(Path(file))))
    keep = load_calibration() if args.keep_scorer or args.keep_answer else None
    with task_progress("Calibrating on the tuning questions") as on_progress:
        calibration = calibrate(
            sets, sources, on_progress, keep_scorer=keep, keep_answer=args.keep_answer
        )
    out = Path(args.out) if args.out else CALIBRATION_FILE
    calibration.save(out)
    load_calibration.cache_clear()
    table = Table(title=f"Calibration written to {out}")
    table.add_column("model")
    table.add_column("features → weights (standardised)")
    table.add_column("threshold", justify="right")
    for name, model in (
        ("unit scorer", calibration.unit_scorer),
        ("answer", calibration.answer),
        ("relevant", calibration.relevant),
    ):
        pairs = list(zip(model.features, model.weights, strict=True))
        shape = [abs(w) for f, w in pairs if f in COMPONENT_FEATURES]
        weights = ", ".join(
            f"{f} {w:+.2f}"
            for f, w in sorted(pairs, key=lambda p: -abs(p[1]))
            if f not in COMPONENT_FEATURES
        )
        if shape:
            weights += f"; {len(shape)} question components, |w| ≤ {max(shape):.2f}"
        table.add_row(name, weights, f"{model.threshold:.3f}")
    console.print(table)
    console.print(json.dumps(calibration.info, ensure_ascii=False))
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    """The engine alone; the bot under Telegram load is scripts/bench_telegram.py (it needs
    the Telegram emulator of a repository checkout)."""
    from bot.benchmark import DEFAULT_QUESTIONS, bench_engine

    questions = Path(args.questions) if args.questions else DEFAULT_QUESTIONS
    engine = AnswerEngine(settings)
    result = bench_engine(engine, questions, rounds=args.rounds)
    table = Table(title=f"Engine benchmark ({engine.mode}, one process)")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in result.as_dict().items():
        table.add_row(key, str(value))
    (err_console if args.json else console).print(table)
    if args.json:
        print(json.dumps(result.as_dict()))
    return 0


def results_table(report: EvalReport) -> Table:
    table = Table(title="Per question")
    columns = ["id", "split", "kind", "expect", "outcome", "rank", "coverage", "chars", "ms"]
    for column in columns:
        table.add_column(column, justify="right" if column in {"rank", "chars", "ms"} else "left")
    for r in report.results:
        row = [
            r.question.id,
            r.question.split or "-",
            r.question.kind or r.question.lang,
            r.question.expected,
            ("[green]" if r.decision_ok else "[red]") + r.answer.outcome,
            "-" if r.rank is None else str(r.rank),
            "-" if r.coverage is None else f"{r.coverage:.2f}",
            str(len(r.answer.text)),
            f"{r.latency_ms:.0f}",
        ]
        table.add_row(*row)
    return table


def explanations(report: EvalReport) -> list[str]:
    """One line per question: the decision, its probabilities and the signals behind them."""
    return [explain(r) for r in report.results]


def explain(result: QuestionResult) -> str:
    evidence = result.answer.evidence
    signals = " ".join(
        f"{k}={v:.2f}" for k, v in evidence.items() if k not in {"p_answer", "p_relevant"}
    )
    mark = "ok " if result.decision_ok else "BAD"
    return (
        f"{mark} {result.question.id} {result.answer.outcome} "
        f"(expected {result.question.expected}) p_answer={evidence.get('p_answer', 0):.2f} "
        f"p_relevant={evidence.get('p_relevant', 0):.2f} | {signals} | {result.question.question}"
    )


def summary_table(summaries: dict[str, dict[str, Any]], mode: str) -> Table:
    table = Table(title=f"Summary ({mode})")
    table.add_column("metric")
    names = [name for name in ("tune", "holdout", "all") if name in summaries]
    names += [name for name in summaries if name not in names]
    for name in names:
        table.add_column(name, justify="right")
    for key in SUMMARY_ROWS:
        if not any(key in summaries[name] for name in names):
            continue
        cells = []
        for name in names:
            value = summaries[name].get(key, "-")
            cells.append(f"{value:.3f}" if isinstance(value, float) else str(value))
        table.add_row(key, *cells)
    return table


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    evaluate = sub.add_parser("eval", help="score the engine on a JSONL question file")
    evaluate.add_argument("file", help="questions in JSONL (see tests/data/bank/questions.jsonl)")
    evaluate.add_argument(
        "--k", type=int, default=None, help="chunks read per question (default RETRIEVAL_K)"
    )
    evaluate.add_argument(
        "--split",
        choices=("all", "tune", "holdout"),
        default="all",
        help="only the questions of one part of the bank",
    )
    evaluate.add_argument(
        "--explain", action="store_true", help="show each question's signals and decision"
    )
    evaluate.add_argument("--json", action="store_true", help="summary as JSON on the last line")
    evaluate.set_defaults(handler=cmd_eval)

    calibrate = sub.add_parser(
        "calibrate", help="fit the sentence scorer and answerability on the bank's tune part"
    )
    calibrate.add_argument("file", help="the question bank (tests/data/bank/questions.jsonl)")
    calibrate.add_argument("--out", help="where to write (default: bot/data/calibration.json)")
    calibrate.add_argument(
        "--also-index",
        action="append",
        default=[],
        metavar="DATA_DIR",
        help="fit on the questions as another index answers them too (e.g. one with a large "
        "innovation catalogue); repeatable",
    )
    calibrate.add_argument(
        "--with",
        dest="with_set",
        action="append",
        default=[],
        metavar="QUESTIONS=DATA_DIR",
        help="also fit on another question file's tune part, asked of the index in DATA_DIR "
        "(e.g. questions on a test regulation, on an index holding it); repeatable",
    )
    calibrate.add_argument(
        "--keep-scorer",
        action="store_true",
        help="keep the sentence scorer of the calibration in use; fit the decisions only",
    )
    calibrate.add_argument(
        "--keep-answer",
        action="store_true",
        help="keep the sentence scorer, question basis and answer decision of the calibration "
        "in use; fit the relevance decision only (after relabelling not known / abstain)",
    )
    calibrate.set_defaults(handler=cmd_calibrate)

    bench = sub.add_parser(
        "bench",
        help="latency of the answer engine (Telegram load: python -m scripts.bench_telegram)",
    )
    # Accepted for scripts written when `bench` meant the Telegram load: the engine is all
    # this command measures now.
    bench.add_argument("--engine", action="store_true", help=argparse.SUPPRESS)
    bench.add_argument("--questions", help="JSONL question file (default: the public eval set)")
    bench.add_argument("--rounds", type=int, default=5, help="passes over the file")
    bench.add_argument("--json", action="store_true", help="results as JSON on the last line")
    bench.set_defaults(handler=cmd_bench)
