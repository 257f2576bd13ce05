"""`replikasi`: the console face of the assistant.

replikasi ingest [PATH ...] [--rebuild]   build or update the knowledge index
replikasi sources [--json]                list what is indexed
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from replikasi.errors import ReplikasiError
from replikasi.settings import Settings, get_settings

if TYPE_CHECKING:
    from replikasi.index import IndexedDocument

Handler = Callable[[argparse.Namespace, Settings], int]


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.pipeline import run_ingest
    from replikasi.console import console, failures_table, ingest_progress, ingest_summary

    with ingest_progress() as progress:
        report = run_ingest(
            settings,
            [Path(p) for p in args.paths] or None,
            rebuild=args.rebuild,
            on_progress=progress.on_progress,
            on_page=progress.on_page,
        )
    console.print(ingest_summary(report))
    if report.failed:
        console.print(failures_table(report))
        return 1
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """The main job: bring the index up to date, then serve Telegram or chat in the terminal."""
    from ingest.pipeline import run_ingest
    from replikasi.console import console, failures_table, ingest_progress, ingest_summary
    from replikasi.errors import EmbeddingMismatchError

    console.print(f"Checking the knowledge base in [bold]{settings.knowledge_dir}[/bold]…")
    with ingest_progress() as progress:
        try:
            report = run_ingest(
                settings, on_progress=progress.on_progress, on_page=progress.on_page
            )
        except EmbeddingMismatchError as exc:
            console.print(f"[yellow]{exc}[/yellow] Rebuilding it now.")
            report = run_ingest(
                settings,
                rebuild=True,
                on_progress=progress.on_progress,
                on_page=progress.on_page,
            )
    if report.changed or report.failed:
        console.print(ingest_summary(report))
    if report.failed:
        console.print(failures_table(report))
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
    if args.json:
        print(json.dumps([source_record(doc) for doc in documents], ensure_ascii=False, indent=2))
        return 0 if documents else 1
    if not documents:
        console.print("The index is empty; build it with [bold]replikasi ingest[/bold].")
        return 1
    console.print(sources_table(documents))
    return 0


def source_record(doc: IndexedDocument) -> dict[str, object]:
    """One indexed document for `replikasi sources --json`."""
    from ingest.ocr import OCR_PAGES
    from ingest.regulation import REG_LABEL, REG_NUMBER, REG_YEAR

    meta = doc.metadata
    return {
        "id": doc.doc_id,
        "title": doc.title,
        "type": doc.doc_type,
        "label": meta.get(REG_LABEL) or None,
        "number": meta.get(REG_NUMBER) or None,
        "year": meta.get(REG_YEAR) or None,
        "chunks": doc.chunks,
        "updated": doc.updated or None,
        "path": doc.path,
        "ocr": bool(meta.get(OCR_PAGES)),
    }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="replikasi", description="Asisten Replikasi Inovasi: knowledge base and bot."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = sub.add_parser("ingest", help="build or update the knowledge index")
    ingest.add_argument("paths", nargs="*", help="files or folders (default: the knowledge folder)")
    ingest.add_argument("--rebuild", action="store_true", help="start the index over")
    ingest.set_defaults(handler=cmd_ingest)

    run = sub.add_parser(
        "run", help="update the index, then start the bot (or a terminal chat without a token)"
    )
    run.set_defaults(handler=cmd_run)

    sources = sub.add_parser("sources", help="list the indexed documents")
    sources.add_argument("--json", action="store_true", help="print a JSON list for scripts")
    sources.set_defaults(handler=cmd_sources)

    from bot.cli_commands import register

    register(sub)
    from bot.telegram.cli import register as register_telegram

    register_telegram(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else getattr(logging, settings.log_level.upper(), 20),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    handler: Handler = args.handler
    try:
        return handler(args, settings)
    except ReplikasiError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted; the previous index is still in place.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
