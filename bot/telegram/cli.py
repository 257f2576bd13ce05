"""`replikasi serve` (the Telegram bot) and `replikasi run` (bring the index up to date, then
the bot, or the terminal chat when no token is set)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from replikasi.settings import Settings

if TYPE_CHECKING:
    from bot.telegram.state import BotStore


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.telegram.app import require_token
    from bot.telegram.runner import run_bot

    require_token(settings)  # before loading the embedding model: fail fast and clearly
    run_bot(settings)
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """The main job: bring the index up to date, then serve Telegram or chat in the terminal."""
    from ingest.cli import ingest_progress, print_ingest_report
    from ingest.pipeline import run_ingest
    from replikasi.console import console
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
    if report.changed or report.failed or report.flagged:
        print_ingest_report(report)
    if settings.telegram_bot_token:
        from bot.telegram.runner import run_bot

        console.print("Starting the Telegram bot (Ctrl-C to stop)…")
        run_bot(settings)
        return 0
    console.print("[dim]No TELEGRAM_BOT_TOKEN set: starting the terminal chat.[/dim]")
    from bot.cli_commands import cmd_chat

    return cmd_chat(args, settings)


def open_ingest_records(settings: Settings) -> BotStore:
    """The bot store, for `replikasi ingest` (web-source registry and ingest history)."""
    from bot.telegram.state import open_store

    return open_store(settings)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # `replikasi ingest` (ingest/cli.py) writes the ingest history and registers web sources
    # in the bot store; ingest must not import bot, so the opener is plugged in here.
    ingest = sub.choices.get("ingest")
    if ingest is not None:
        ingest.set_defaults(open_records=open_ingest_records)
    run = sub.add_parser(
        "run", help="update the index, then start the bot (or a terminal chat without a token)"
    )
    run.set_defaults(handler=cmd_run)
    serve = sub.add_parser(
        "serve", help="run the Telegram bot (polling, or a webhook when WEBHOOK_URL is set)"
    )
    serve.set_defaults(handler=cmd_serve)
