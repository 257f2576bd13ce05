"""The engine-facing subcommands of `replikasi`: ask, chat and eval."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.table import Table

from bot.engine import AnswerEngine, InvalidQuestionError
from bot.evaluation import EvalReport, load_questions, run_eval
from bot.followup import MAX_TURNS
from bot.messages import say
from bot.question_validation import question_error
from replikasi.cli import report_error
from replikasi.console import console, err_console
from replikasi.records import Answer, Turn
from replikasi.settings import Settings


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    question = " ".join(args.question)
    problem = question_error(question)
    if problem is not None:  # before the engine: no index or model is loaded for it
        return report_error(problem, as_json=args.json)
    engine = AnswerEngine(settings)
    try:
        answer = engine.answer(question)
    except InvalidQuestionError as exc:
        return report_error(str(exc), as_json=args.json)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_answer(answer)
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    engine = AnswerEngine(settings)
    engine.warm()  # fail fast (missing index) before the first prompt
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
        history.append(Turn.of(answer))
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


def print_answer(answer: Answer) -> None:
    style = "yellow" if answer.abstained else "green"
    console.print(f"[{style}]{answer.text}[/{style}]", highlight=False)
    sources = sources_text(answer)
    if sources:
        console.print(f"\n[dim]{sources}[/dim]", highlight=False)
    console.print(
        f"[dim]{answer.mode} · {answer.timings_ms.get('total', 0):.0f} ms[/dim]", highlight=False
    )


def sources_text(answer: Answer) -> str:
    """The numbered sources of an answer, one per line, for plain-text output."""
    if not answer.citations:
        return ""
    lines = [f"{say('sources', answer.language)}:"]
    for citation in answer.citations:
        link = f" ({citation.source_url})" if citation.source_url else ""
        lines.append(f"[{citation.number}] {citation.label()}{link}")
    return "\n".join(lines)


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Run through the `replikasi` command.")
