"""Terminal presentation shared by the CLI's commands: the consoles, plain progress lines
and the sources table.

Tables and progress of a package's own command live with it (the ingest summary and its
progress bars in ingest/cli.py), so the core imports no package above it. Off a terminal
(a log file, systemd, a pipe) a bar would only show at the end; `PlainProgress` writes a
line every few seconds or every tenth of the way instead, so long work shows it is alive.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

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
def task_progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A (done, total) callback for long work: a bar on a terminal, plain lines elsewhere."""
    if not err_console.is_terminal:
        yield PlainProgress(label, err_console.file)
        return
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
    ) as progress:
        task = progress.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


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
