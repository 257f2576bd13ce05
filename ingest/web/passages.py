"""What changed in a document's passages between two versions, by passage hash."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PassageDiff:
    changed: int = 0
    added: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def any(self) -> bool:
        return bool(self.changed or self.added or self.removed)

    @property
    def total(self) -> int:
        """Passages of the document now."""
        return self.unchanged + self.changed + self.added

    @classmethod
    def between(cls, before: Iterable[str], after: Iterable[str]) -> PassageDiff:
        """Passages compared by content hash: a passage that went and one that came count
        as one changed; the rest of those that came are added, of those that went removed."""
        old, new = Counter(before), Counter(after)
        same = sum((old & new).values())
        gone = sum((old - new).values())
        came = sum((new - old).values())
        changed = min(gone, came)
        return cls(changed, came - changed, gone - changed, same)

    def describe(self) -> str:
        parts = [f"{self.changed} passages changed"] if self.changed else []
        if self.added:
            parts.append(f"{self.added} added")
        if self.removed:
            parts.append(f"{self.removed} removed")
        return ", ".join(parts) or "no passage changed"
