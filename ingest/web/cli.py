"""`replikasi ingest --url URL`: add a web page or document by its address from the console.

The source is registered in the bot store (so the bot re-checks it on its clock) and the
change is written into the ingest history. Prints a table (title, type, passages), or JSON
with `--json`.
"""

from __future__ import annotations

import argparse
import json

from rich.table import Table

from ingest.cli import CLI_ACTOR, ingest_progress, open_records
from ingest.web.sources import CheckOutcome, WebSources
from replikasi.errors import ReplikasiError
from replikasi.ingest_lock import IngestLock
from replikasi.settings import Settings


def cmd_ingest_url(args: argparse.Namespace, settings: Settings) -> int:
    from replikasi.console import console

    if args.paths or args.rebuild:
        raise ReplikasiError("--url adds one address; give no paths and no --rebuild with it.")
    records = open_records(args, settings)
    if records is None:
        raise ReplikasiError(
            "Adding a web source needs the bot store (to re-check it later), which could not "
            "be opened; see the warning above."
        )
    lock = IngestLock.for_settings(settings)
    try:
        with lock, ingest_progress() as progress, WebSources(settings, records, records) as web:
            outcome = web.add(
                args.url,
                CLI_ACTOR,
                interval_hours=args.interval_hours,
                on_progress=progress.on_progress,
            )
    finally:
        records.close()
    if args.json:
        print(json.dumps(outcome_record(outcome), ensure_ascii=False))
    else:
        console.print(outcome_table(outcome))
        if outcome.status == "failed":
            console.print(f"[red]{outcome.error}[/red]")
        if outcome.report is not None and outcome.report.flagged:
            console.print(
                "[yellow]The page contains sentences that try to instruct the assistant; "
                "they are indexed as data and never shown.[/yellow]"
            )
    return 1 if outcome.status == "failed" else 0


def outcome_record(outcome: CheckOutcome) -> dict[str, object]:
    source = outcome.source
    return {
        "status": outcome.status,
        "id": source.source_id,
        "url": source.url,
        "document": source.doc_id,
        "title": source.title,
        "type": source.kind,
        "file": source.file,
        "passages": outcome.diff.total,
        "passages_changed": outcome.diff.changed,
        "passages_added": outcome.diff.added,
        "passages_removed": outcome.diff.removed,
        "interval_hours": source.interval_hours,
        "error": outcome.error or None,
        "report": outcome.report.as_dict() if outcome.report else None,
    }


def outcome_table(outcome: CheckOutcome) -> Table:
    source = outcome.source
    table = Table(title=f"Web source {source.source_id}: {outcome.status}")
    for column in ("title", "type", "passages", "document", "address"):
        table.add_column(column)
    table.add_row(
        source.title or "—",
        source.kind.upper(),
        str(outcome.diff.total),
        source.doc_id,
        source.url,
    )
    if outcome.diff.any and outcome.status == "changed":
        table.caption = outcome.diff.describe()
    return table
