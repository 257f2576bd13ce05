"""Errors a person can act on. Each message is one clear sentence shown as is by the CLI/bot."""

from __future__ import annotations


class ReplikasiError(Exception):
    """Base class: the message is meant for the person running the command."""


class IndexMissingError(ReplikasiError):
    def __init__(self) -> None:
        super().__init__(
            "The knowledge index is empty or missing; build it with `replikasi ingest`."
        )


class EmbeddingMismatchError(ReplikasiError):
    def __init__(self, indexed: str, configured: str) -> None:
        super().__init__(
            f"The index was built with embedding model '{indexed}' but '{configured}' is "
            "configured; rebuild it with `replikasi ingest --rebuild`."
        )
        self.indexed = indexed
        self.configured = configured


class IndexUnavailableError(ReplikasiError):
    """The vector store cannot be reached (server down, disk unreadable)."""


class IngestBusyError(ReplikasiError):
    """Another ingest holds the lock; `holder` says since when and who, when known."""

    def __init__(self, holder: str | None = None) -> None:
        detail = f" ({holder})" if holder else ""
        super().__init__(f"Another ingest is running{detail}; try again when it has finished.")
        self.holder = holder


class IndexChangedError(IndexUnavailableError):
    """The index generation being read was replaced (and removed) by an ingest meanwhile."""

    def __init__(self) -> None:
        super().__init__("The knowledge index was just replaced by an ingest; ask again.")
