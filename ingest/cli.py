"""`replikasi ingest`: build or update the knowledge index, with a progress bar and a
summary table (and the table of files that could not be read)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from ingest.pipeline import IngestReport, run_ingest
from replikasi.settings import Settings


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from replikasi.console import console, embedding_progress

    with embedding_progress() as on_progress:
        report = run_ingest(
            settings,
            [Path(p) for p in args.paths] or None,
            rebuild=args.rebuild,
            on_progress=on_progress,
        )
    console.print(ingest_summary(report))
    if report.failed:
        console.print(failures_table(report))
        return 1
    return 0


def ingest_summary(report: IngestReport) -> Table:
    table = Table(title="Ingest summary", show_lines=False)
    for column in ("added", "updated", "unchanged", "removed", "failed", "chunks", "seconds"):
        table.add_column(column, justify="right")
    table.add_row(
        str(len(report.added)),
        str(len(report.updated)),
        str(len(report.unchanged)),
        str(len(report.removed)),
        f"[red]{len(report.failed)}[/red]" if report.failed else "0",
        str(report.chunks),
        f"{report.seconds:.1f}",
    )
    return table


def failures_table(report: IngestReport) -> Table:
    table = Table(title="Files that could not be ingested", title_style="bold red")
    table.add_column("file")
    table.add_column("reason")
    for path, reason in report.failed:
        table.add_row(path, reason)
    return table


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ingest = sub.add_parser("ingest", help="build or update the knowledge index")
    ingest.add_argument("paths", nargs="*", help="files or folders (default: the knowledge folder)")
    ingest.add_argument("--rebuild", action="store_true", help="start the index over")
    ingest.set_defaults(handler=cmd_ingest)
