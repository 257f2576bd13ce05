"""`replikasi ingest`: build or update the knowledge index, with progress (OCR of scanned
pages, then embedding: bars on a terminal, plain lines otherwise) and a summary table (and the
tables of files that could not be read and of documents that try to instruct the assistant).
With `--json` the report is printed as JSON on stdout instead."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ingest.history import Actor, HistoryLog, entry_from_report, record_quietly
from ingest.ocr import PageCallback, PageProgress
from ingest.pipeline import IngestReport, ProgressCallback, run_ingest
from ingest.web.registry import WebSourceRegistry
from replikasi.logs import exception_summary
from replikasi.settings import Settings

log = logging.getLogger(__name__)
CLI_ACTOR = Actor("replikasi ingest")


class IngestRecords(WebSourceRegistry, HistoryLog, Protocol):
    """The bot store, as far as the command line needs it."""

    def close(self) -> None: ...


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from replikasi.console import console

    if args.url:
        from ingest.web.cli import cmd_ingest_url

        return cmd_ingest_url(args, settings)
    with ingest_progress() as progress:
        report = run_ingest(
            settings,
            [Path(p) for p in args.paths] or None,
            rebuild=args.rebuild,
            on_progress=progress.on_progress,
            on_page=progress.on_page,
        )
    if report.changed:
        record_cli_ingest(args, settings, report)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print_ingest_report(report)
        if not report.changed and not args.rebuild:
            console.print("No change: the index already matches the files.")
    return 1 if report.failed else 0


def record_cli_ingest(args: argparse.Namespace, settings: Settings, report: IngestReport) -> None:
    """Write the change into the ingest history when the bot store can be opened."""
    records = open_records(args, settings)
    if records is None:
        return
    try:
        origin = "replikasi ingest " + " ".join(args.paths) if args.paths else "replikasi ingest"
        record_quietly(records, entry_from_report(report, origin.strip(), CLI_ACTOR))
    finally:
        records.close()


def open_records(args: argparse.Namespace, settings: Settings) -> IngestRecords | None:
    """The bot store as registry and history, when the command line has one to offer (the
    bot package plugs its opener into this parser, see `bot.telegram.cli`)."""
    opener = getattr(args, "open_records", None)
    if opener is None:
        return None
    try:
        records: IngestRecords = opener(settings)
    except Exception as exc:
        log.warning("The ingest history is not written: %s", exception_summary(exc))
        return None
    return records


@dataclass(frozen=True)
class IngestProgress:
    on_progress: ProgressCallback
    on_page: PageCallback


@contextmanager
def ingest_progress() -> Iterator[IngestProgress]:
    """Progress of an ingest: OCR of scanned pages ("OCR scan.pdf 3/12"), then embedding.

    Off a terminal (CI, a log file, systemd) a bar would only show at the end: every OCR'd
    page, and the embedding every tenth of the way or every few seconds, is a plain line.
    """
    from replikasi.console import PlainProgress, err_console

    if not err_console.is_terminal:

        def on_page_line(page: PageProgress) -> None:
            line = f"OCR {page.path}: page {page.page}/{page.pages}"
            print(line, file=err_console.file, flush=True)

        yield IngestProgress(PlainProgress("Embedding chunks", err_console.file), on_page_line)
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
        embed = progress.add_task("Embedding chunks", total=None, visible=False)
        pages: dict[str, TaskID] = {}

        def on_progress(done: int, total: int) -> None:
            progress.update(embed, completed=done, total=total, visible=total > 0)

        def on_page(page: PageProgress) -> None:
            if page.path not in pages:
                pages[page.path] = progress.add_task(f"OCR {page.path}", total=page.pages)
            progress.update(pages[page.path], completed=page.page, total=page.pages)

        yield IngestProgress(on_progress, on_page)


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


def print_ingest_report(report: IngestReport) -> None:
    from replikasi.console import console

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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ingest = sub.add_parser("ingest", help="build or update the knowledge index")
    ingest.add_argument("paths", nargs="*", help="files or folders (default: the knowledge folder)")
    ingest.add_argument("--rebuild", action="store_true", help="start the index over")
    ingest.add_argument("--json", action="store_true", help="the report as JSON on stdout")
    ingest.add_argument(
        "--url",
        help="add a web page or a PDF/DOCX/text link by its address (saved under "
        "KNOWLEDGE_DIR/web/, registered for re-checks)",
    )
    ingest.add_argument(
        "--interval-hours",
        type=float,
        default=None,
        help="with --url: hours between re-checks (default WEB_SOURCES_CHECK_HOURS; 0 = never)",
    )
    ingest.set_defaults(handler=cmd_ingest)
