"""The two values that flow through ingestion: a loaded document and one of its chunks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

DOC_TYPES = (
    "regulation",
    "program",
    "platform",
    "guideline",
    "innovation",
    "overview",
    "article",
    "document",
)

MetadataValue = str | int | float | bool


@dataclass(frozen=True)
class SourceDocument:
    """A document as loaded from one file (or one row of a catalogue).

    `text` is plain text in which section headings are Markdown headings (`#`, `##`, ...),
    whatever the original format was, so one chunker handles all of them.
    """

    doc_id: str
    title: str
    text: str
    path: str
    doc_type: str = "document"
    source_urls: tuple[str, ...] = ()
    updated: str = ""
    language: str = "id"
    format: str = "markdown"
    metadata: dict[str, MetadataValue] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for part in (
            self.doc_id,
            self.title,
            self.doc_type,
            "|".join(self.source_urls),
            self.updated,
            repr(sorted(self.metadata.items())),
            self.text,
        ):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        return digest.hexdigest()


@dataclass(frozen=True)
class Chunk:
    """A passage that is embedded and retrieved on its own."""

    chunk_id: str
    doc_id: str
    title: str
    section_path: tuple[str, ...]
    text: str
    position: int
    doc_type: str = "document"
    source_url: str = ""
    metadata: dict[str, MetadataValue] = field(default_factory=dict)

    @property
    def section(self) -> str:
        return " › ".join(self.section_path)


class LoadError(Exception):
    """A file that cannot be turned into documents; the message says why, for a person."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
