"""`replikasi`: the console face of the assistant.

replikasi ingest [PATH ...] [--rebuild]   build or update the knowledge index
replikasi sources                         list what is indexed

With `--json`, a command prints its result as JSON on stdout, and an error as
`{"error": "..."}` on stdout with a non-zero exit, so a script always gets JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import ValidationError

from replikasi.errors import IndexMissingError, ReplikasiError
from replikasi.settings import Settings, get_settings

Handler = Callable[[argparse.Namespace, Settings], int]


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.pipeline import run_ingest
    from replikasi.console import console, embedding_progress, print_ingest_report

    with embedding_progress() as on_progress:
        report = run_ingest(
            settings,
            [Path(p) for p in args.paths] or None,
            rebuild=args.rebuild,
            on_progress=on_progress,
        )
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print_ingest_report(report)
        if not report.changed and not args.rebuild:
            console.print("No change: the index already matches the files.")
    return 1 if report.failed else 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """The main job: bring the index up to date, then serve Telegram or chat in the terminal."""
    from ingest.pipeline import run_ingest
    from replikasi.console import console, embedding_progress, print_ingest_report
    from replikasi.errors import EmbeddingMismatchError

    console.print(f"Checking the knowledge base in [bold]{settings.knowledge_dir}[/bold]…")
    with embedding_progress() as on_progress:
        try:
            report = run_ingest(settings, on_progress=on_progress)
        except EmbeddingMismatchError as exc:
            console.print(f"[yellow]{exc}[/yellow] Rebuilding it now.")
            report = run_ingest(settings, rebuild=True, on_progress=on_progress)
    if report.changed or report.failed or report.flagged:
        print_ingest_report(report)
    if settings.telegram_bot_token:
        from bot.telegram.app import run_bot

        console.print("Starting the Telegram bot (Ctrl-C to stop)…")
        run_bot(settings)
        return 0
    console.print("[dim]No TELEGRAM_BOT_TOKEN set: starting the terminal chat.[/dim]")
    from bot.cli_commands import cmd_chat

    return cmd_chat(args, settings)


def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    from replikasi.console import console, sources_table
    from replikasi.index import KnowledgeIndex

    documents = KnowledgeIndex.open(settings).documents()
    if args.json and not documents:
        return report_error(IndexMissingError().args[0], as_json=True, code=1)
    if args.json:
        print(json.dumps([vars(doc) for doc in documents], ensure_ascii=False))
        return 0
    if not documents:
        console.print("The index is empty; build it with [bold]replikasi ingest[/bold].")
        return 1
    console.print(sources_table(documents))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="replikasi", description="Asisten Replikasi Inovasi: knowledge base and bot."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = sub.add_parser("ingest", help="build or update the knowledge index")
    ingest.add_argument("paths", nargs="*", help="files or folders (default: the knowledge folder)")
    ingest.add_argument("--rebuild", action="store_true", help="start the index over")
    ingest.add_argument("--json", action="store_true", help="the report as JSON on stdout")
    ingest.set_defaults(handler=cmd_ingest)

    run = sub.add_parser(
        "run", help="update the index, then start the bot (or a terminal chat without a token)"
    )
    run.set_defaults(handler=cmd_run)

    sources = sub.add_parser("sources", help="list the indexed documents")
    sources.add_argument("--json", action="store_true", help="the list as JSON on stdout")
    sources.set_defaults(handler=cmd_sources)

    from bot.cli_commands import register

    register(sub)
    from bot.telegram.cli import register as register_telegram

    register_telegram(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    as_json = bool(getattr(args, "json", False))
    try:
        settings = get_settings()
    except ValidationError as exc:
        return report_error(settings_problem(exc), as_json=as_json)
    from replikasi.redaction import install_redaction

    level = logging.DEBUG if args.verbose else getattr(logging, settings.log_level.upper(), 20)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for log_handler in logging.getLogger().handlers:
        # Libraries that set their own loggers to DEBUG (bm25s) must not print past the level.
        if type(log_handler) is logging.StreamHandler:
            log_handler.setLevel(level)
    redactor = install_redaction(settings)
    handler: Handler = args.handler
    try:
        return handler(args, settings)
    except ReplikasiError as exc:
        return report_error(redactor.redact(str(exc)), as_json=as_json)
    except KeyboardInterrupt:
        print("Interrupted; the previous index is still in place.", file=sys.stderr)
        return 130
    except Exception as exc:
        # Nothing foresaw this: one line (secrets masked) instead of a traceback that could
        # quote a token or a password; the traceback goes to the log, masked too, with -v.
        logging.getLogger("replikasi").debug("Unexpected error", exc_info=exc)
        detail = next((line for line in str(exc).splitlines() if line.strip()), "")
        message = f"unexpected {type(exc).__name__}" + (f" ({detail.strip()})" if detail else "")
        return report_error(
            redactor.redact(message) + "; run again with -v for the details.",
            as_json=as_json,
            code=1,
        )


def report_error(message: str, *, as_json: bool = False, code: int = 2) -> int:
    """One sentence for a person on stderr, or `{"error": ...}` on stdout for a script."""
    if as_json:
        print(json.dumps({"error": message}, ensure_ascii=False))
    else:
        print(f"Error: {message}", file=sys.stderr)
    return code


def settings_problem(exc: ValidationError) -> str:
    """The first invalid setting, named as in .env, without echoing its value."""
    errors = exc.errors()
    location = errors[0]["loc"] if errors else ()
    name = "_".join(str(part) for part in location).upper() or "a setting"
    reason = (str(errors[0]["msg"]) if errors else "invalid value").rstrip(".")
    return f"The setting {name} is invalid ({reason}); fix it in .env or the environment."


if __name__ == "__main__":
    sys.exit(main())
