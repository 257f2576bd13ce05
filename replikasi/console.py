"""Terminal presentation: progress bars and summary tables for the CLI.

On a terminal progress is a bar; otherwise (a log file, systemd, a pipe) it is a plain line
every few seconds or every tenth of the way, so a long ingest shows it is alive.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ingest.pipeline import IngestReport, ProgressCallback
from replikasi.index import IndexedDocument

console = Console()
err_console = Console(stderr=True)


PLAIN_PROGRESS_SECONDS = 5.0
PLAIN_PROGRESS_STEP = 0.1


class PlainProgress:
    """(done, total) progress as text lines: "Embedding chunks: 120/3113 (3%)"."""

    def __init__(
        self,
        label: str,
        stream: IO[str],
        *,
        every_seconds: float = PLAIN_PROGRESS_SECONDS,
        every_share: float = PLAIN_PROGRESS_STEP,
    ) -> None:
        self.label = label
        self.stream = stream
        self.every_seconds = every_seconds
        self.every_share = every_share
        self._last_time = 0.0
        self._last_share = -1.0

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        now = time.monotonic()
        share = done / total
        due = (
            done >= total
            or self._last_share < 0
            or now - self._last_time >= self.every_seconds
            or share - self._last_share >= self.every_share
        )
        if not due or share == self._last_share:
            return
        self._last_time, self._last_share = now, share
        print(f"{self.label}: {done}/{total} ({share:.0%})", file=self.stream, flush=True)


@contextmanager
def embedding_progress(label: str = "Embedding chunks") -> Iterator[ProgressCallback]:
    """Progress fed by the ingest pipeline's (done, total) callback: a bar on a terminal,
    plain lines on stderr otherwise."""
    if not err_console.is_terminal:
        yield PlainProgress(label, err_console.file)
        return
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
    ) as progress:
        # Hidden until there is something to embed: a no-change run shows no empty bar.
        task = progress.add_task(label, total=None, visible=False)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, visible=total > 0)

        yield update


def ingest_summary(report: IngestReport) -> Table:
    table = Table(title="Ingest summary", show_lines=False)
    columns = ("added", "updated", "unchanged", "removed", "failed", "flagged", "chunks", "seconds")
    for column in columns:
        table.add_column(column, justify="right")
    table.add_row(
        str(len(report.added)),
        str(len(report.updated)),
        str(len(report.unchanged)),
        str(len(report.removed)),
        f"[red]{len(report.failed)}[/red]" if report.failed else "0",
        f"[yellow]{len(report.flagged)}[/yellow]" if report.flagged else "0",
        str(report.chunks),
        f"{report.seconds:.1f}",
    )
    return table


def print_ingest_report(report: IngestReport) -> None:
    console.print(ingest_summary(report))
    if report.failed:
        console.print(failures_table(report))
    if report.flagged:
        console.print(flagged_table(report))


def flagged_table(report: IngestReport) -> Table:
    table = Table(
        title="Documents that try to instruct the assistant (indexed; those sentences are "
        "never shown). Check them:",
        title_style="bold yellow",
    )
    table.add_column("document")
    table.add_column("sentence")
    for document, sentence in report.flagged:
        table.add_row(document, sentence)
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
    table.add_column("id", overflow="fold", max_width=32)
    table.add_column("title", ratio=1, min_width=20)
    table.add_column("type", no_wrap=True)
    table.add_column("chunks", justify="right", no_wrap=True)
    table.add_column("updated", no_wrap=True)
    for doc in documents:
        table.add_row(doc.doc_id, doc.title, doc.doc_type, str(doc.chunks), doc.updated)
    return table
