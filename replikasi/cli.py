"""`replikasi`: the console face of the assistant.

    replikasi sources [--json]   list what is indexed  (this module: needs only the core)
    replikasi ingest …           ingest/cli.py
    replikasi ask|chat|eval|bench …                     bot/cli_commands.py
    replikasi run|serve          bot/telegram/cli.py
    replikasi rencana …          bot/plan_cli.py

The core defines the command line; each package adds its own subcommands with a
`register(sub)` function in the module named in COMMAND_MODULES. Those are imported when
the parser is built, never when this module is, so the core does not depend on the shells.

With `--json`, a command prints its result as JSON on stdout, and an error as
`{"error": "..."}` on stdout with a non-zero exit, so a script always gets JSON.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pydantic import ValidationError

from replikasi.errors import IndexMissingError, ReplikasiError
from replikasi.logs import configure_logging
from replikasi.records import MetaKey
from replikasi.redaction import SecretRedactor
from replikasi.settings import Settings, get_settings

if TYPE_CHECKING:
    from replikasi.index import IndexedDocument

Handler = Callable[[argparse.Namespace, Settings], int]
Subcommands = argparse._SubParsersAction  # type: ignore[type-arg]

# Packages that add subcommands, in the order `replikasi --help` lists them.
COMMAND_MODULES = ("ingest.cli", "bot.telegram.cli", "bot.cli_commands", "bot.plan_cli")


def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    from replikasi.console import console, sources_table
    from replikasi.index import KnowledgeIndex

    documents = KnowledgeIndex.open(settings).documents()
    if args.json and not documents:
        return report_error(IndexMissingError().args[0], as_json=True, code=1)
    if args.json:
        print(json.dumps([source_record(doc) for doc in documents], ensure_ascii=False, indent=2))
        return 0
    if not documents:
        console.print("The index is empty; build it with [bold]replikasi ingest[/bold].")
        return 1
    console.print(sources_table(documents))
    return 0


def source_record(doc: IndexedDocument) -> dict[str, object]:
    """One indexed document for `replikasi sources --json`."""
    meta = doc.metadata
    return {
        "id": doc.doc_id,
        "title": doc.title,
        "type": doc.doc_type,
        "label": meta.get(MetaKey.REG_LABEL) or None,
        "number": meta.get(MetaKey.REG_NUMBER) or None,
        "year": meta.get(MetaKey.REG_YEAR) or None,
        "chunks": doc.chunks,
        "updated": doc.updated or None,
        "path": doc.path,
        "ocr": bool(meta.get(MetaKey.OCR_PAGES)),
    }


def register(sub: Subcommands) -> None:
    sources = sub.add_parser("sources", help="list the indexed documents")
    sources.add_argument("--json", action="store_true", help="print a JSON list for scripts")
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
    as_json = bool(getattr(args, "json", False))
    try:
        settings = get_settings()
    except ValidationError as exc:
        return report_error(settings_problem(exc), as_json=as_json)
    configure_logging(settings, verbose=args.verbose)
    redactor = SecretRedactor.from_settings(settings)  # for the messages printed below
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
