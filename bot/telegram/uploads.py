"""Admins' uploads: check, save into the knowledge folder, ingest just that file.

Nothing here knows Telegram: the handler downloads the bytes and renders the outcome. The
knowledge folder must only ever hold files that load, because a later /reindex reads all of
them: a file that fails to load, or whose ingest fails, is removed again (or the previous
version restored). A file already in the folder under another name is not saved twice.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ingest.loaders import SUPPORTED_EXTENSIONS
from ingest.pipeline import IngestReport, run_ingest
from replikasi.embeddings import EmbeddingModel
from replikasi.errors import IngestBusyError, ReplikasiError
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


def save_and_ingest(
    settings: Settings, name: str, data: bytes, embedding: EmbeddingModel | None = None
) -> UploadOutcome:
    """Save `data` as knowledge_dir/`name` and ingest that file (blocking: run in a thread).

    Raises IngestBusyError when another ingest is running (nothing is saved then).
    """
    folder = settings.knowledge_dir
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    previous = target.read_bytes() if target.is_file() else None
    if previous is None and (twin := same_content(folder, data)) is not None:
        # The same file sent again under another name: indexing it twice would only make
        # every answer cite it twice.
        return UploadOutcome(name, "duplicate", reason=twin.relative_to(folder).as_posix())
    if previous != data:
        _write_atomically(target, data)
    try:
        report = run_ingest(settings, [target], embedding=embedding)
    except IngestBusyError:
        _restore(target, previous)
        raise
    except ReplikasiError as exc:
        if previous != data:
            _restore(target, previous)
        return _failed(name, previous, data, str(exc))
    except (Exception, KeyboardInterrupt) as exc:
        # The file may be fine: the embedder crashed, the disk is full… (A KeyboardInterrupt
        # here comes from the worker thread, not from Ctrl-C, which reaches the main thread.)
        log.error("Ingesting the upload %s failed", name, exc_info=exc)
        if previous != data:
            _restore(target, previous)
        return UploadOutcome(name, "error", reason=f"{type(exc).__name__}: {exc}")
    except BaseException:
        if previous != data:
            _restore(target, previous)
        raise
    if report.failed:
        reason = "; ".join(why for _, why in report.failed)
        if previous != data:
            _restore(target, previous)
        return _failed(name, previous, data, reason, report)
    status: Status = "same" if previous == data else "updated" if previous else "added"
    return UploadOutcome(name, status, report)


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
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _restore(target: Path, previous: bytes | None) -> None:
    """Put the folder back as it was: the old version, or no file at all."""
    try:
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            _write_atomically(target, previous)
    except OSError:
        log.exception("Could not restore %s after a failed upload", target)
