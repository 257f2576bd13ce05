"""The engine-facing subcommands of `replikasi`: ask, chat and eval."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.table import Table

from bot.answers import Answer
from bot.engine import AnswerEngine, InvalidQuestionError
from bot.evaluation import EvalReport, load_questions, run_eval
from bot.followup import MAX_TURNS, Turn
from bot.question_validation import question_error
from replikasi.console import console, err_console
from replikasi.settings import Settings


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    question = " ".join(args.question)
    problem = question_error(question)
    if problem is not None:  # before the engine: no index or model is loaded for it
        return _refuse(problem, as_json=args.json)
    engine = AnswerEngine(settings)
    try:
        answer = engine.answer(question)
    except InvalidQuestionError as exc:
        return _refuse(str(exc), as_json=args.json)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_answer(answer)
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    engine = AnswerEngine(settings)
    engine.retriever.generation()  # fail fast (missing index) before the first prompt
    console.print(
        "[bold]Asisten Replikasi Inovasi[/bold] — tanya apa saja tentang replikasi inovasi "
        "pelayanan publik. Ketik [bold]/reset[/bold] untuk mulai ulang, [bold]/keluar[/bold] "
        "atau Ctrl-D untuk keluar."
    )
    history: list[Turn] = []
    while True:
        try:
            question = console.input("[bold cyan]Anda ›[/bold cyan] ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return 0
        except UnicodeDecodeError:  # the terminal sent bytes that are not UTF-8
            console.print(f"[yellow]{question_error(chr(0xDCFF))}[/yellow]")
            continue
        if question in {"/keluar", "/exit", "/quit"}:
            return 0
        if question == "/reset":
            history.clear()
            console.print("[dim]Percakapan dimulai ulang.[/dim]")
            continue
        problem = question_error(question)
        if problem is not None:
            console.print(f"[yellow]{problem}[/yellow]")
            continue
        try:
            answer = engine.answer(question, history)
        except InvalidQuestionError as exc:
            console.print(f"[yellow]{exc}[/yellow]")
            continue
        print_answer(answer)
        history.append(
            Turn(question, answer.resolved_query or question, answer.citations, answer.abstained)
        )
        del history[:-MAX_TURNS]


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    questions = load_questions(Path(args.file))
    engine = AnswerEngine(settings)
    report = run_eval(engine, questions, k=args.k)
    summary = report.summary()
    out = err_console if args.json else console
    out.print(results_table(report))
    out.print(summary_table(summary))
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from bot.benchmark import DEFAULT_QUESTIONS, bench_engine

    questions = Path(args.questions) if args.questions else DEFAULT_QUESTIONS
    if not args.engine:
        from bot.telegram.benchmark import cmd_bench_telegram

        return cmd_bench_telegram(args, settings, questions)
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


def _refuse(message: str, *, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"error": message}, ensure_ascii=False))
    else:
        err_console.print(f"[red]{message}[/red]")
    return 2


def print_answer(answer: Answer) -> None:
    style = "yellow" if answer.abstained else "green"
    console.print(f"[{style}]{answer.text}[/{style}]", highlight=False)
    sources = answer.sources_text()
    if sources:
        console.print(f"\n[dim]{sources}[/dim]", highlight=False)
    console.print(
        f"[dim]{answer.mode} · {answer.timings_ms.get('total', 0):.0f} ms[/dim]", highlight=False
    )


def results_table(report: EvalReport) -> Table:
    table = Table(title="Per question")
    for column in ("id", "lang", "answerable", "rank", "abstained", "coverage", "chars", "ms"):
        table.add_column(column, justify="right" if column in {"rank", "chars", "ms"} else "left")
    for r in report.results:
        expected_ok = r.answer.abstained != r.question.answerable
        table.add_row(
            r.question.id,
            r.question.lang,
            "yes" if r.question.answerable else "no",
            "-" if r.rank is None else str(r.rank),
            ("[green]" if expected_ok else "[red]") + ("yes" if r.answer.abstained else "no"),
            "-" if r.coverage is None else f"{r.coverage:.2f}",
            str(len(r.answer.text)),
            f"{r.latency_ms:.0f}",
        )
    return table


def summary_table(summary: dict[str, object]) -> Table:
    table = Table(title="Summary")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in summary.items():
        table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
    return table


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ask = sub.add_parser("ask", help="answer one question with its sources")
    ask.add_argument("question", nargs="+", help="the question (quote it)")
    ask.add_argument("--json", action="store_true", help="machine-readable output")
    ask.set_defaults(handler=cmd_ask)

    chat = sub.add_parser("chat", help="a conversation in the terminal")
    chat.set_defaults(handler=cmd_chat)

    evaluate = sub.add_parser("eval", help="score the engine on a JSONL question file")
    evaluate.add_argument("file", help="questions in JSONL (see ../shared/eval/questions.jsonl)")
    evaluate.add_argument("--k", type=int, default=5, help="chunks retrieved per question")
    evaluate.add_argument("--json", action="store_true", help="summary as JSON on the last line")
    evaluate.set_defaults(handler=cmd_eval)

    bench = sub.add_parser("bench", help="load benchmark through Telegram, or --engine alone")
    bench.add_argument("--engine", action="store_true", help="bench the answer engine alone")
    bench.add_argument("--questions", help="JSONL question file (default: the public eval set)")
    bench.add_argument("--rounds", type=int, default=5, help="--engine: passes over the file")
    bench.add_argument("--users", type=int, default=50, help="simulated Telegram users")
    bench.add_argument(
        "--per-user", type=int, default=10, help="questions each simulated user asks"
    )
    bench.add_argument(
        "--rate",
        type=float,
        default=None,
        help="questions/s all users offer together (default 30, Telegram's limit; 0 = unpaced)",
    )
    bench.add_argument("--json", action="store_true", help="results as JSON on the last line")
    bench.set_defaults(handler=cmd_bench)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Run through the `replikasi` command.")
