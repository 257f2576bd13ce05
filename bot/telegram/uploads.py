"""Admins' uploads: check, inspect, save into the knowledge folder, ingest just that file.

Nothing here knows Telegram: the handler downloads the bytes and renders the outcome. The
knowledge folder must only ever hold files that load, because a later /reindex reads all of
them: a file that fails to load, or whose ingest fails, is removed again (or the previous
version restored). A file already in the folder under another name is not saved twice.

`inspect_upload` reads an upload aside first (`ingest.versions.preview_upload`; OCR of a scan
happens here, cached for the ingest after it) and says what it would replace: a file of the
same name with other content, or another version of the same regulation. Then the admin
chooses: replace (`save_and_ingest`; the files of replaced versions leave the folder too) or
keep both (`save_and_ingest(..., beside=True)` under `free_name`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from ingest.documents import LoadError
from ingest.loaders import SUPPORTED_EXTENSIONS
from ingest.loaders.captions import keep_beside, kept_beside, read_caption, write_caption
from ingest.ocr import PageCallback
from ingest.pipeline import IngestReport, ProgressCallback, load_options, run_ingest
from ingest.versions import IndexedLike, UploadPreview, free_name, preview_upload
from replikasi.embeddings import EmbeddingModel
from replikasi.errors import IngestBusyError, ReplikasiError
from replikasi.files import write_atomically
from replikasi.records import MetaKey
from replikasi.settings import Settings

log = logging.getLogger(__name__)

Status = Literal["added", "updated", "same", "duplicate", "failed", "failed_kept", "error"]
_UNSAFE = re.compile(r"[^\w.\- ()]+")
# File systems refuse names over 255 bytes; longer ones are shortened, extension kept.
MAX_NAME_BYTES = 200


@dataclass(frozen=True)
class UploadCheck:
    """Whether an upload may go ahead; `problem` is "unsupported" or "too_big"."""

    name: str
    extension: str
    problem: str | None = None


@dataclass(frozen=True)
class UploadOutcome:
    name: str
    status: Status
    report: IngestReport | None = None
    reason: str = ""  # why it failed; for "duplicate", the file already holding it
    # Files of older versions of the regulation that left the knowledge folder with it.
    removed_files: tuple[str, ...] = ()
    beside: bool = False  # kept beside another version under a name of its own


@dataclass(frozen=True)
class UploadInspection:
    """What an upload would do, found before anything is saved: either settled already
    (`outcome`: a duplicate, a file that cannot be read) or a preview of what it holds and
    what it would replace."""

    outcome: UploadOutcome | None = None
    preview: UploadPreview | None = None
    ocr_pages: int = 0  # pages of the upload read by OCR


def upload_formats() -> str:
    """The file types admins may send, from the loaders' registry: "MD, TXT, …, YML"."""
    return ", ".join(dict.fromkeys(ext.lstrip(".").upper() for ext in SUPPORTED_EXTENSIONS))


def safe_filename(name: str | None) -> str:
    """A plain file name for the knowledge folder: no folders, not hidden or an Office lock
    file (the ingest skips those in folders, so a later /reindex would drop it), and at most
    MAX_NAME_BYTES bytes in UTF-8."""
    base = Path((name or "").replace("\\", "/")).name
    base = _UNSAFE.sub("_", base).strip(" ._~$") if base else ""
    stem, dot, extension = base.rpartition(".")
    if not dot:
        return _shortened(base, MAX_NAME_BYTES)
    extension = _shortened(extension.lower(), MAX_NAME_BYTES // 2)
    room = MAX_NAME_BYTES - len(extension.encode()) - 1
    return f"{_shortened(stem.strip(' ._'), room).rstrip(' ._') or 'dokumen'}.{extension}"


def _shortened(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes, never inside a character."""
    return text.encode()[:limit].decode("utf-8", "ignore")


def check_upload(file_name: str | None, size: int | None, max_mb: int) -> UploadCheck:
    name = safe_filename(file_name)
    extension = Path(name).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS or not Path(name).stem:
        return UploadCheck(name or (file_name or "?"), extension, "unsupported")
    if size is not None and size > max_mb * 1024 * 1024:
        return UploadCheck(name, extension, "too_big")
    return UploadCheck(name, extension)


def inspect_upload(
    settings: Settings,
    name: str,
    data: bytes,
    indexed: Sequence[IndexedLike],
    *,
    caption: str = "",
    on_page: PageCallback | None = None,
) -> UploadInspection:
    """Read an upload aside and plan what saving it would replace (blocking: run in a
    thread). Nothing in the knowledge folder changes."""
    folder = settings.knowledge_dir
    target = folder / name
    previous = target.read_bytes() if target.is_file() else None
    if previous is None and (twin := _twin(folder, data)) is not None:
        return UploadInspection(UploadOutcome(name, "duplicate", reason=twin))
    options = replace(load_options(settings, on_page), title=caption)
    try:
        preview = preview_upload(folder, name, data, indexed, options)
    except LoadError as exc:
        return UploadInspection(_failed(name, previous, data, exc.reason))
    pages = sum(int(doc.metadata.get(MetaKey.OCR_PAGES, 0) or 0) for doc in preview.documents)
    return UploadInspection(preview=preview, ocr_pages=pages)


def save_and_ingest(
    settings: Settings,
    name: str,
    data: bytes,
    embedding: EmbeddingModel | None = None,
    *,
    caption: str = "",
    beside: bool = False,
    indexed: Sequence[IndexedLike] = (),
    on_progress: ProgressCallback | None = None,
) -> UploadOutcome:
    """Save `data` as knowledge_dir/`name` and ingest that file (blocking: run in a thread).

    `caption` becomes the document's title (kept beside the file for later re-indexes).
    `beside`: the admin keeps it beside another version of the same regulation, so it
    replaces nothing. Otherwise older versions it replaces in the index (`report.replaced`)
    leave the knowledge folder too, when their file is there (looked up in `indexed`, the
    documents indexed before). Raises IngestBusyError when another ingest is running
    (nothing is saved then).
    """
    folder = settings.knowledge_dir
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    previous = target.read_bytes() if target.is_file() else None
    if previous is None and (twin := _twin(folder, data)) is not None:
        # The same file sent again under another name: indexing it twice would only make
        # every answer cite it twice.
        return UploadOutcome(name, "duplicate", reason=twin)
    sidecars = (read_caption(target), kept_beside(target))
    if previous != data:
        _write_atomically(target, data)
    _write_sidecars(target, caption, beside)

    def undo() -> None:
        if previous != data:
            _restore(target, previous)
        _write_sidecars(target, *sidecars)

    try:
        report = run_ingest(settings, [target], embedding=embedding, on_progress=on_progress)
    except IngestBusyError:
        undo()
        raise
    except ReplikasiError as exc:
        undo()
        return _failed(name, previous, data, str(exc))
    except (Exception, KeyboardInterrupt) as exc:
        # The file may be fine: the embedder crashed, the disk is full… (A KeyboardInterrupt
        # here comes from the worker thread, not from Ctrl-C, which reaches the main thread.)
        log.error("Ingesting the upload %s failed", name, exc_info=exc)
        undo()
        return UploadOutcome(name, "error", reason=f"{type(exc).__name__}: {exc}")
    except BaseException:
        undo()
        raise
    if report.failed:
        reason = "; ".join(why for _, why in report.failed)
        undo()
        return _failed(name, previous, data, reason, report)
    status: Status = "same" if previous == data else "updated" if previous else "added"
    removed = _remove_replaced_files(folder, target, report, indexed)
    return UploadOutcome(name, status, report, removed_files=removed, beside=beside)


def beside_name(settings: Settings, name: str) -> str:
    """The name an upload kept beside another file gets: `name`, or "x (2).pdf" when taken."""
    return free_name(settings.knowledge_dir, name)


def _twin(folder: Path, data: bytes) -> str | None:
    twin = same_content(folder, data) if folder.is_dir() else None
    return None if twin is None else twin.relative_to(folder).as_posix()


def _write_sidecars(target: Path, caption: str, beside: bool) -> None:
    """A new upload under a name starts clean: its own caption and mark, or none."""
    try:
        write_caption(target, caption)
        keep_beside(target, beside)
    except OSError:
        log.exception("Could not write the caption or mark of %s", target)


def _remove_replaced_files(
    folder: Path, target: Path, report: IngestReport, indexed: Sequence[IndexedLike]
) -> tuple[str, ...]:
    """Delete the files of the versions `report` says were replaced, so a later /reindex
    cannot bring them back; only files in the knowledge folder holding nothing else."""
    replaced = {r.old_id for r in report.replaced}
    if not replaced:
        return ()
    sources: dict[str, set[str]] = {}
    for doc in indexed:
        source = str(getattr(doc, "source_path", "") or "")
        if source:
            sources.setdefault(source, set()).add(doc.doc_id)
    root = folder.resolve()
    removed: list[str] = []
    for source, ids in sorted(sources.items()):
        path = Path(source)
        if not ids & replaced or not ids <= replaced:
            continue
        try:
            resolved = path.resolve()
            if resolved == target.resolve() or not resolved.is_relative_to(root):
                continue
            if resolved.is_file():
                resolved.unlink()
                _write_sidecars(resolved, "", False)
                removed.append(resolved.relative_to(root).as_posix())
        except OSError:
            log.exception("Could not remove the replaced version %s", path)
    return tuple(removed)


def same_content(folder: Path, data: bytes) -> Path | None:
    """A file in the knowledge folder holding exactly `data` (sizes compared first)."""
    for path in sorted(folder.rglob("*")):
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return path
        except OSError:
            continue
    return None


def _failed(
    name: str,
    previous: bytes | None,
    data: bytes,
    reason: str,
    report: IngestReport | None = None,
) -> UploadOutcome:
    kept = previous is not None and previous != data
    return UploadOutcome(name, "failed_kept" if kept else "failed", report, reason)


def _write_atomically(target: Path, data: bytes) -> None:
    # A hidden temporary name: an ingest running meanwhile never sees a half-written file.
    write_atomically(target, data, prefix=".upload-")


def _restore(target: Path, previous: bytes | None) -> None:
    """Put the folder back as it was: the old version, or no file at all."""
    try:
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            _write_atomically(target, previous)
    except OSError:
        log.exception("Could not restore %s after a failed upload", target)
