"""`replikasi ingest`: build or update the knowledge index, with progress bars (OCR of scanned
pages, then embedding) and a summary table (and the table of files that could not be read)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ingest.ocr import PageCallback, PageProgress
from ingest.pipeline import IngestReport, ProgressCallback, run_ingest
from replikasi.settings import Settings


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from replikasi.console import console

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


@dataclass(frozen=True)
class IngestProgress:
    on_progress: ProgressCallback
    on_page: PageCallback


@contextmanager
def ingest_progress() -> Iterator[IngestProgress]:
    """Progress of an ingest: OCR of scanned pages ("OCR scan.pdf 3/12"), then embedding.

    Off a terminal (CI, a log file) every OCR'd page is also written as a line, since a
    progress bar would only show at the end.
    """
    from replikasi.console import err_console

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
    ) as progress:
        # Hidden until there is something to embed: a no-change run shows no empty bar.
        embed = progress.add_task("Embedding chunks", total=None, visible=False)
        pages: dict[str, TaskID] = {}

        def on_progress(done: int, total: int) -> None:
            progress.update(embed, completed=done, total=total, visible=total > 0)

        def on_page(page: PageProgress) -> None:
            if page.path not in pages:
                pages[page.path] = progress.add_task(f"OCR {page.path}", total=page.pages)
            progress.update(pages[page.path], completed=page.page, total=page.pages)
            if not err_console.is_terminal:
                print(f"OCR {page.path}: page {page.page}/{page.pages}", file=sys.stderr)

        yield IngestProgress(on_progress, on_page)


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
    notes = [f"replaced {r.old_id} ({r.old_title}) by {r.new_id}" for r in report.replaced]
    notes += [f"skipped {r.old_id}: older version of {r.new_id}" for r in report.superseded]
    notes += [
        f"text of {doc_id} read by OCR ({pages} page{'' if pages == 1 else 's'})"
        for doc_id, pages in report.ocr
    ]
    if notes:
        table.caption = "\n".join(notes)
        table.caption_justify = "left"
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
