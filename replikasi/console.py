"""Terminal presentation shared by the CLI's commands: the consoles and the sources table.

Tables and progress of a package's own command live with it (the ingest summary and its
progress bars in ingest/cli.py), so the core imports no package above it.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from replikasi.index import IndexedDocument

console = Console()
err_console = Console(stderr=True)


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
