"""`replikasi serve`: run the Telegram bot (polling, or a webhook when WEBHOOK_URL is set)."""

from __future__ import annotations

import argparse

from replikasi.settings import Settings


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.telegram.app import require_token, run_bot

    require_token(settings)  # before loading the embedding model: fail fast and clearly
    run_bot(settings)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser(
        "serve", help="run the Telegram bot (polling, or a webhook when WEBHOOK_URL is set)"
    )
    serve.set_defaults(handler=cmd_serve)
