"""The engine-facing subcommands of `replikasi`: ask and chat (eval, calibrate and bench are
in `bot.eval_cli`)."""

from __future__ import annotations

import argparse
import json
import sys

from bot.engine import AnswerEngine, InvalidQuestionError
from bot.followup import MAX_TURNS
from bot.messages import say
from bot.question_validation import question_error
from replikasi.cli import report_error
from replikasi.console import console
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
        if not answer.small_talk:  # "makasih" is no topic a follow-up could lean on
            history.append(Turn.of(answer))
            del history[:-MAX_TURNS]


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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ask = sub.add_parser("ask", help="answer one question with its sources")
    ask.add_argument("question", nargs="+", help="the question (quote it)")
    ask.add_argument("--json", action="store_true", help="machine-readable output")
    ask.set_defaults(handler=cmd_ask)

    chat = sub.add_parser("chat", help="a conversation in the terminal")
    chat.set_defaults(handler=cmd_chat)

    from bot.eval_cli import register as register_measuring

    register_measuring(sub)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Run through the `replikasi` command.")
