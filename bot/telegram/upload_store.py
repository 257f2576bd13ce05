"""What the bot store keeps of uploads waiting for an admin's choice (part of `BotStore`).

An upload that would replace something already indexed (a file of the same name with other
content, another version of the same regulation) waits for the admin to press Ganti, Simpan
berdampingan or Batal. Until then its bytes and what it would replace live in the store, not
on one machine's disk, so whichever replica receives the button press can finish the job;
Batal (or PENDING_UPLOAD_HOURS without an answer) forgets the file.

Every read names the user: an upload id alone never reaches another admin's upload, and
taking an upload is atomic, so a double tap or two replicas act on it once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from bot.messages import Language

PENDING_UPLOAD_HOURS = 24  # a choice not made by then is forgotten (the admin sends again)


@dataclass(frozen=True)
class PendingUpload:
    upload_id: str
    user_id: int
    chat_id: int
    language: Language
    name: str  # the file name in the knowledge folder
    caption: str  # the admin's caption: the document's title when given
    data: bytes
    plan: dict[str, Any]  # what it would replace (see upload_views.plan_record)
    created: float


class UploadStore(ABC):
    @abstractmethod
    def save_pending_upload(
        self,
        user_id: int,
        chat_id: int,
        language: Language,
        name: str,
        data: bytes,
        plan: dict[str, Any],
        caption: str = "",
    ) -> str:
        """Keep an upload until its admin chooses; returns its short id (callback data)."""

    @abstractmethod
    def pending_upload(self, upload_id: str, user_id: int, since: float) -> PendingUpload | None:
        """The user's upload if it still waits (saved at or after `since`)."""

    @abstractmethod
    def take_pending_upload(
        self, upload_id: str, user_id: int, since: float
    ) -> PendingUpload | None:
        """Remove and return the user's waiting upload; None when it is gone, expired or was
        taken already (by a double tap or another replica)."""
