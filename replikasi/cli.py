"""`replikasi`: the console face of the assistant.

    replikasi sources      list what is indexed        (this module: needs only the core)
    replikasi ingest …     ingest/cli.py
    replikasi ask|chat|eval|bench …                     bot/cli_commands.py
    replikasi run|serve    bot/telegram/cli.py
    replikasi rencana …    bot/plan_cli.py

The core defines the command line; each package adds its own subcommands with a
`register(sub)` function in the module named in COMMAND_MODULES. Those are imported when
the parser is built, never when this module is, so the core does not depend on the shells.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from replikasi.errors import ReplikasiError
from replikasi.logs import configure_logging
from replikasi.settings import Settings, get_settings

Handler = Callable[[argparse.Namespace, Settings], int]
Subcommands = argparse._SubParsersAction  # type: ignore[type-arg]

# Packages that add subcommands, in the order `replikasi --help` lists them.
COMMAND_MODULES = ("ingest.cli", "bot.telegram.cli", "bot.cli_commands", "bot.plan_cli")


def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    from replikasi.console import console, sources_table
    from replikasi.index import KnowledgeIndex

    documents = KnowledgeIndex.open(settings).documents()
    if not documents:
        console.print("The index is empty; build it with [bold]replikasi ingest[/bold].")
        return 1
    console.print(sources_table(documents))
    return 0


def register(sub: Subcommands) -> None:
    sources = sub.add_parser("sources", help="list the indexed documents")
    sources.set_defaults(handler=cmd_sources)


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="replikasi", description="Asisten Replikasi Inovasi: knowledge base and bot."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    register(sub)
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    configure_logging(settings, verbose=args.verbose)
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
