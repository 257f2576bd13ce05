"""Versions of a regulation and uploads that would replace something already indexed.

Two rules, one for the ingest and one for the upload path:

- `resolve_versions` (the ingest): documents that are the same regulation (same kind, issuer,
  number and year: `reg_key`) but come from different files are versions of it. The newest
  file wins; older versions leave the index and the report says "replaced". Documents whose
  id is fixed in front matter carry no `reg_key` and are never replaced this way.
- `plan_upload` / `preview_upload` (the upload path, before anything is saved): what an
  upload would replace, a file of the same name with other content, or another file holding
  the same regulation, so the bot can ask the admin to confirm (or keep both under
  `UploadPlan.free_name`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from ingest.documents import SourceDocument
from ingest.loaders import LoadOptions, load_file
from ingest.ocr import PageCallback
from ingest.regulation import REG_KEY, REG_LABEL

Reason = Literal["same_name", "same_regulation"]


class IndexedLike(Protocol):
    """What is needed of an indexed document (`replikasi.index.IndexedDocument`)."""

    @property
    def doc_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def metadata(self) -> dict[str, object]: ...


@dataclass(frozen=True)
class Replacement:
    """`old_id` left the index because `new_id` is a newer version of the same document."""

    old_id: str
    old_title: str
    new_id: str
    reason: Reason = "same_regulation"


@dataclass(frozen=True)
class Conflict:
    """An indexed document that an upload would replace."""

    doc_id: str
    title: str
    path: str  # relative to the knowledge folder: the file to delete once replaced
    reason: Reason
    label: str = ""  # "Perwal Fiktif 3/2026" when it is a regulation


@dataclass(frozen=True)
class UploadPlan:
    name: str
    conflicts: tuple[Conflict, ...]
    free_name: str  # a name in the knowledge folder that keeps the old file beside the new

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.conflicts)


@dataclass(frozen=True)
class UploadPreview:
    documents: list[SourceDocument]
    plan: UploadPlan


def resolve_versions(
    incoming: Mapping[str, SourceDocument],
    indexed: Mapping[str, IndexedLike],
    modified: Mapping[str, float],
) -> tuple[dict[str, SourceDocument], list[Replacement], list[Replacement]]:
    """(documents to ingest, indexed ones replaced, incoming older versions skipped).

    `modified` gives each incoming document's file modification time: the newest wins.
    """
    groups: dict[str, list[str]] = {}
    for doc_id, doc in incoming.items():
        key = doc.metadata.get(REG_KEY)
        if isinstance(key, str) and key:
            groups.setdefault(key, []).append(doc_id)
    kept = dict(incoming)
    replaced: list[Replacement] = []
    skipped: list[Replacement] = []
    for key, members in groups.items():
        winner = max(members, key=lambda doc_id: (modified.get(doc_id, 0.0), doc_id))
        for doc_id in members:
            if doc_id != winner:
                skipped.append(Replacement(doc_id, incoming[doc_id].title, winner))
                del kept[doc_id]
        for doc_id, old in indexed.items():
            if doc_id in incoming or old.metadata.get(REG_KEY) != key:
                continue
            replaced.append(Replacement(doc_id, old.title, winner))
    return kept, replaced, skipped


def plan_upload(
    folder: Path,
    name: str,
    documents: Sequence[SourceDocument],
    indexed: Sequence[IndexedLike],
    data: bytes | None = None,
) -> UploadPlan:
    """What saving `documents` (loaded from an upload named `name`) would replace."""
    conflicts: list[Conflict] = []
    target = folder / name
    new_ids = {doc.doc_id for doc in documents}
    by_id = {doc.doc_id: doc for doc in indexed}
    if target.is_file() and (data is None or target.read_bytes() != data):
        for doc_id in sorted(new_ids & by_id.keys()) or [""]:
            old = by_id.get(doc_id)
            conflicts.append(
                Conflict(
                    doc_id=doc_id,
                    title=old.title if old else name,
                    path=old.path if old else name,
                    reason="same_name",
                    label=str(old.metadata.get(REG_LABEL, "")) if old else "",
                )
            )
    keys = {doc.metadata.get(REG_KEY) for doc in documents} - {None, ""}
    for old in indexed:
        if old.doc_id in new_ids or old.metadata.get(REG_KEY) not in keys:
            continue
        conflicts.append(
            Conflict(
                doc_id=old.doc_id,
                title=old.title,
                path=old.path,
                reason="same_regulation",
                label=str(old.metadata.get(REG_LABEL, "")),
            )
        )
    return UploadPlan(name=name, conflicts=tuple(conflicts), free_name=free_name(folder, name))


def preview_upload(
    folder: Path,
    name: str,
    data: bytes,
    indexed: Sequence[IndexedLike],
    options: LoadOptions | None = None,
) -> UploadPreview:
    """Load an upload aside (as it would be in `folder`) and plan what it would replace.

    Raises `LoadError` for a file that cannot be loaded. OCR text is cached (when
    `options.ocr.cache_dir` is set), so ingesting the file afterwards does not read it twice.
    """
    with tempfile.TemporaryDirectory(prefix="upload-preview-") as aside:
        path = Path(aside) / name
        path.write_bytes(data)
        documents = load_file(path, Path(aside), options)
    return UploadPreview(documents, plan_upload(folder, name, documents, indexed, data))


def free_name(folder: Path, name: str) -> str:
    """`name`, or "perwal (2).pdf", "perwal (3).pdf", ... when that is taken."""
    if not (folder / name).exists():
        return name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 2
    while (folder / f"{stem} ({number}){suffix}").exists():
        number += 1
    return f"{stem} ({number}){suffix}"


__all__ = [
    "Conflict",
    "PageCallback",
    "Replacement",
    "UploadPlan",
    "UploadPreview",
    "free_name",
    "plan_upload",
    "preview_upload",
    "resolve_versions",
]
