"""Terminal presentation: progress bars and summary tables for the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from replikasi.index import IndexedDocument

console = Console()
err_console = Console(stderr=True)
# (done, total): how the ingest pipeline reports its embedding progress.
ProgressCallback = Callable[[int, int], None]


@contextmanager
def embedding_progress(label: str = "Embedding chunks") -> Iterator[ProgressCallback]:
    """A progress bar fed by the ingest pipeline's (done, total) callback."""
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
