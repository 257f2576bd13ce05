"""Add web sources and keep them fresh: fetch, save into the knowledge folder, ingest.

A source is saved as `KNOWLEDGE_DIR/web/<host-and-path>-<hash>.<ext>` with its address in a
sidecar (`ingest.loaders.origins`), so a /reindex or `replikasi ingest --rebuild` of the
folder keeps it and answers link to the page. Checking a source:

- the server answers 304 Not Modified to the stored ETag / Last-Modified, or sends the same
  bytes: nothing is written or embedded;
- it sends something else: the file is replaced and ingested through the usual pipeline
  (new generation, switched in at the end); the passages are compared by hash before and
  after ("2 passages changed, 1 added");
- it cannot be fetched, or what it sends cannot be read: the previous file and its indexed
  version stay; after FAILURES_BEFORE_ALERT failures in a row the outcome says to tell the
  admins, once.

Every function here writes the index: call it holding the ingest lock (`IngestLock`,
claimed with `try_acquire`; `run_ingest` borrows it), so one check runs at a time across
processes and replicas.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from ingest.history import Actor, HistoryEntry, HistoryLog, entry_from_report, record_quietly
from ingest.loaders.base import path_doc_id, slugify
from ingest.loaders.captions import caption_path
from ingest.loaders.origins import origin_path, write_origin
from ingest.pipeline import IngestReport, ProgressCallback, run_ingest
from ingest.removal import passage_hashes, remove_documents
from ingest.web.addresses import WebSourceError, loggable_url, normalise_url
from ingest.web.fetch import EXTENSION_OF, Fetched, FetchError, WebFetcher
from ingest.web.passages import PassageDiff
from ingest.web.registry import FAILURES_BEFORE_ALERT, WebSource, WebSourceRegistry
from replikasi.embeddings import EmbeddingModel
from replikasi.errors import IngestBusyError
from replikasi.files import write_atomically
from replikasi.index import KnowledgeIndex
from replikasi.logs import exception_summary
from replikasi.settings import Settings

log = logging.getLogger(__name__)

WEB_FOLDER = "web"
MAX_SLUG_CHARS = 60
Status = Literal["added", "changed", "unchanged", "failed"]
Clock = Callable[[], float]


@dataclass(frozen=True)
class CheckOutcome:
    """What adding or checking one source did."""

    source: WebSource
    status: Status
    diff: PassageDiff = field(default_factory=PassageDiff)
    report: IngestReport | None = None
    error: str = ""
    alert: bool = False  # failures reached FAILURES_BEFORE_ALERT now: tell the admins once

    @property
    def index_changed(self) -> bool:
        return self.report is not None and self.report.changed


def source_file(url: str, kind: str) -> str:
    """`web/<host-and-path>-<hash>.<ext>`: readable, and one file per address."""
    parts = urlsplit(url)
    slug = slugify(f"{parts.hostname or ''} {parts.path}")[:MAX_SLUG_CHARS].strip("-") or "page"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:8]
    return f"{WEB_FOLDER}/{slug}-{digest}{EXTENSION_OF.get(kind, '.html')}"


class WebSources:
    """Adding, checking and removing web sources with one settings, registry and history."""

    def __init__(
        self,
        settings: Settings,
        registry: WebSourceRegistry,
        history: HistoryLog | None = None,
        *,
        fetcher: WebFetcher | None = None,
        embedding: EmbeddingModel | None = None,
        clock: Clock = time.time,
    ) -> None:
        self.settings = settings
        self.registry = registry
        self.history = history
        self.embedding = embedding
        self.clock = clock
        self._fetcher = fetcher

    @property
    def fetcher(self) -> WebFetcher:
        if self._fetcher is None:
            self._fetcher = WebFetcher.from_settings(self.settings)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    def __enter__(self) -> WebSources:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- adding ----------------------------------------------------------------------------
    def add(
        self,
        url: str,
        actor: Actor,
        *,
        interval_hours: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> CheckOutcome:
        """Fetch `url`, ingest it and register it. An address already registered is checked
        now instead. Raises WebSourceError (with the reason) when it cannot be added."""
        address = normalise_url(url)
        existing = self.registry.web_source(address)
        if existing is not None:
            return self.check(existing, actor, force=True, on_progress=on_progress)
        fetched = self.fetcher.fetch(address)
        _refuse_declared_id(fetched)
        source = WebSource(
            url=address,
            doc_id="",
            file=source_file(address, fetched.kind),
            kind=fetched.kind,
            added_by=actor.name,
            added_by_id=actor.user_id,
            added_at=self.clock(),
            interval_hours=interval_hours,
        )
        report, diff = self._ingest(source, fetched, previous=None, on_progress=on_progress)
        source = self._stored_after_change(source, fetched, report)
        record_quietly(self.history, entry_from_report(report, address, actor))
        return CheckOutcome(source, "added", diff, report)

    # -- checking --------------------------------------------------------------------------
    def check(
        self,
        source: WebSource,
        actor: Actor,
        *,
        force: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> CheckOutcome:
        """Fetch `source` conditionally; re-ingest it when it changed. Never raises for a
        source that cannot be fetched or read: that is a failed outcome, counted."""
        # A saved copy deleted by hand (or by a restore) is fetched again in full: a 304 or
        # the same hash must not leave the source registered but missing from the folder.
        saved = (self.settings.knowledge_dir / source.file).is_file()
        force = force or not saved
        try:
            fetched = self.fetcher.fetch(
                source.url,
                etag="" if force else source.etag,
                last_modified="" if force else source.last_modified,
            )
            if fetched.not_modified or (saved and fetched.content_hash == source.content_hash):
                checked = dataclasses.replace(
                    source,
                    last_checked=self.clock(),
                    failures=0,
                    last_error="",
                    alerted=False,
                    etag=fetched.etag or source.etag,
                    last_modified=fetched.last_modified or source.last_modified,
                )
                return CheckOutcome(self.registry.save_web_source(checked), "unchanged")
            _refuse_declared_id(fetched)
            previous = self._read_file(source.file)
            report, diff = self._ingest(source, fetched, previous, on_progress=on_progress)
        except IngestBusyError:
            raise
        except WebSourceError as exc:
            return self._failed(source, str(exc))
        stored = self._stored_after_change(source, fetched, report)
        if not report.changed:  # only the page around the text changed
            return CheckOutcome(stored, "unchanged", diff, report)
        detail = f"{stored.title or stored.doc_id}: {diff.describe()}"
        record_quietly(self.history, entry_from_report(report, source.url, actor, detail=detail))
        return CheckOutcome(stored, "changed", diff, report)

    def check_all(
        self,
        actor: Actor,
        *,
        only_due: bool = True,
        on_each: Callable[[int, int, CheckOutcome], None] | None = None,
    ) -> list[CheckOutcome]:
        """Check every source (or those due); `on_each(done, total, outcome)` after each."""
        now = self.clock()
        default = self.settings.web_sources_check_hours
        sources = [s for s in self.registry.web_sources() if not only_due or s.due(now, default)]
        outcomes = []
        for number, source in enumerate(sources, start=1):
            try:
                outcome = self.check(source, actor, force=False)
            except IngestBusyError:
                raise
            except Exception as exc:  # the embedder or the index, not the source: not counted
                log.error(
                    "Checking %s failed: %s", loggable_url(source.url), exception_summary(exc)
                )
                outcome = CheckOutcome(source, "failed", error=f"{type(exc).__name__}: {exc}")
            outcomes.append(outcome)
            if on_each is not None:
                on_each(number, len(sources), outcome)
        return outcomes

    # -- removing --------------------------------------------------------------------------
    def remove(self, source: WebSource, actor: Actor) -> IngestReport:
        """Take the source out of the index, the knowledge folder and the registry."""
        report = remove_documents(self.settings, [source.doc_id]) if source.doc_id else None
        self._delete_file(source.file)
        self.registry.remove_web_source(source.source_id)
        report = report or IngestReport()
        record_quietly(
            self.history,
            HistoryEntry(
                origin=source.url,
                actor=actor,
                removed=tuple(report.removed) or (source.doc_id,),
                detail="/hapus",
            ),
        )
        return report

    # -- the parts -------------------------------------------------------------------------
    def _ingest(
        self,
        source: WebSource,
        fetched: Fetched,
        previous: bytes | None,
        *,
        on_progress: ProgressCallback | None,
    ) -> tuple[IngestReport, PassageDiff]:
        """Save what was fetched and ingest it; on any failure the folder is as it was."""
        folder = self.settings.knowledge_dir
        new_file = source_file(source.url, fetched.kind)
        target = folder / new_file
        doc_id = path_doc_id(target, folder)
        before = passage_hashes(self.settings, doc_id) if source.doc_id else []
        if source.doc_id and source.doc_id != doc_id:  # the page became a PDF, or back
            before = passage_hashes(self.settings, source.doc_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(target, fetched.content)
        write_origin(target, source.url)
        try:
            report = run_ingest(
                self.settings, [target], embedding=self.embedding, on_progress=on_progress
            )
        except BaseException:
            self._put_back(new_file, source.file, previous)
            raise
        if report.failed:
            self._put_back(new_file, source.file, previous)
            raise FetchError(
                f"{loggable_url(source.url)} was fetched but could not be read: "
                f"{report.failed[0][1]}"
            )
        if source.doc_id and source.file != new_file:
            self._delete_file(source.file)
            removal = remove_documents(self.settings, [source.doc_id])
            report.removed.extend(removal.removed)
        return report, PassageDiff.between(before, passage_hashes(self.settings, doc_id))

    def _stored_after_change(
        self, source: WebSource, fetched: Fetched, report: IngestReport
    ) -> WebSource:
        folder = self.settings.knowledge_dir
        new_file = source_file(source.url, fetched.kind)
        doc_id = path_doc_id(folder / new_file, folder)
        now = self.clock()
        updated = dataclasses.replace(
            source,
            doc_id=doc_id,
            file=new_file,
            kind=fetched.kind,
            title=_indexed_title(self.settings, doc_id) or source.title,
            last_checked=now,
            last_changed=now if report.changed or not source.last_changed else source.last_changed,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            content_hash=fetched.content_hash,
            failures=0,
            last_error="",
            alerted=False,
        )
        return self.registry.save_web_source(updated)

    def _failed(self, source: WebSource, reason: str) -> CheckOutcome:
        failures = source.failures + 1
        alert = failures >= FAILURES_BEFORE_ALERT and not source.alerted
        log.warning(
            "Web source %s failed (%d in a row): %s", loggable_url(source.url), failures, reason
        )
        stored = self.registry.save_web_source(
            dataclasses.replace(
                source,
                last_checked=self.clock(),
                failures=failures,
                last_error=reason,
                alerted=source.alerted or alert,
            )
        )
        if alert:
            record_quietly(
                self.history,
                HistoryEntry(
                    origin=source.url,
                    actor=Actor("jadwal"),
                    detail=f"unreachable {failures} times in a row: {reason}",
                ),
            )
        return CheckOutcome(stored, "failed", error=reason, alert=alert)

    def _read_file(self, relative: str) -> bytes | None:
        try:
            return (self.settings.knowledge_dir / relative).read_bytes()
        except OSError:
            return None

    def _put_back(self, new_file: str, old_file: str, previous: bytes | None) -> None:
        folder = self.settings.knowledge_dir
        if new_file != old_file or previous is None:
            self._delete_file(new_file)
        else:
            _write_atomically(folder / new_file, previous)

    def _delete_file(self, relative: str) -> None:
        if not relative:
            return
        path = self.settings.knowledge_dir / relative
        for leftover in (path, origin_path(path), caption_path(path)):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def _indexed_title(settings: Settings, doc_id: str) -> str:
    collection = KnowledgeIndex.open(settings).active()
    if collection is None:
        return ""
    page = collection.get(where={"doc_id": doc_id}, limit=1, include=["metadatas"])
    metadatas = page.get("metadatas") or []
    return str(metadatas[0].get("title", "")) if metadatas and metadatas[0] else ""


def _refuse_declared_id(fetched: Fetched) -> None:
    """Plain text starting with front matter could name its own document id and so replace
    another document of the knowledge base: such text is not taken from the web."""
    if fetched.kind == "text" and fetched.content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"---"):
        raise FetchError(
            f"{loggable_url(fetched.url)} starts with a front-matter block (---), which only "
            "files of the knowledge folder may have; upload it as a file instead."
        )


def _write_atomically(target: Path, data: bytes) -> None:
    write_atomically(target, data, prefix=".web-")
