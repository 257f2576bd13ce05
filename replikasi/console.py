"""Terminal presentation: progress bars and summary tables for the CLI."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console
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
from ingest.pipeline import IngestReport, ProgressCallback
from replikasi.index import IndexedDocument

console = Console()
err_console = Console(stderr=True)


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
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
    ) as progress:
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
    notes += [f"text of {doc_id} read by OCR ({pages} pages)" for doc_id, pages in report.ocr]
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


def sources_table(documents: list[IndexedDocument]) -> Table:
    table = Table(title=f"Indexed documents ({len(documents)})")
    # Ids are what admins type and scripts match: shown whole, the title wraps instead.
    longest = max((len(doc.doc_id) for doc in documents), default=2)
    table.add_column("id", no_wrap=True, min_width=min(longest, 80))
    table.add_column("title", ratio=1, min_width=20)
    table.add_column("type", no_wrap=True)
    table.add_column("chunks", justify="right", no_wrap=True)
    table.add_column("updated", no_wrap=True)
    for doc in documents:
        table.add_row(doc.doc_id, doc.title, doc.doc_type, str(doc.chunks), doc.updated)
    return table
