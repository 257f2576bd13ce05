"""What the bot store keeps of replication plans (part of `BotStore`).

- plans: one row per plan and user. While the conversation runs, `step` says where it is
  and `draft` holds the answers so far (JSON); once composed, `step` is "ready" and `plan`
  holds the plan (JSON). `version` grows with every change, so a write based on an older
  read (a second replica, a double tap) is refused instead of overwriting.
- plan_steps: the steps a user has ticked off (one row each, so ticking is atomic).
- plan_evidence: the engine's answers gathered while the user was choosing, so the plan is
  ready as soon as the last choice is made, on whichever replica receives it.

Every read and write names the user: a plan id alone never reaches another user's plan.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.messages import Language

READY = "ready"  # the step of a composed plan
MAX_PLANS_PER_USER = 30
DRAFT_RETENTION_DAYS = 30  # drafts untouched this long are forgotten


@dataclass(frozen=True)
class StoredPlan:
    plan_id: str
    user_id: int
    chat_id: int
    language: Language
    step: str
    draft: dict[str, Any]
    plan: dict[str, Any] | None
    title: str
    created: float
    updated: float
    version: int
    done: frozenset[str] = frozenset()

    @property
    def ready(self) -> bool:
        return self.step == READY and self.plan is not None


class PlanStore(ABC):
    @abstractmethod
    def create_plan(
        self, user_id: int, chat_id: int, language: Language, step: str, draft: dict[str, Any]
    ) -> StoredPlan: ...

    @abstractmethod
    def plan(self, plan_id: str, user_id: int) -> StoredPlan | None:
        """The user's plan, or None (also for another user's plan id)."""

    @abstractmethod
    def plans(self, user_id: int, limit: int = MAX_PLANS_PER_USER) -> list[StoredPlan]:
        """The user's plans and drafts, most recently changed first."""

    @abstractmethod
    def active_draft(self, user_id: int, chat_id: int, since: float) -> StoredPlan | None:
        """The draft the user changed last in this chat, if changed at or after `since`."""

    @abstractmethod
    def update_plan(
        self,
        plan_id: str,
        user_id: int,
        version: int,
        *,
        step: str,
        draft: dict[str, Any],
        plan: dict[str, Any] | None = None,
        title: str | None = None,
    ) -> bool:
        """Save a change made on `version`; False when the plan changed meanwhile (or is
        gone). Saving a composed plan drops its gathered evidence."""

    @abstractmethod
    def delete_plan(self, plan_id: str, user_id: int) -> bool: ...

    @abstractmethod
    def set_step_done(self, plan_id: str, user_id: int, step: str, done: bool) -> None: ...

    @abstractmethod
    def save_evidence(self, plan_id: str, evidence: Mapping[str, dict[str, Any]]) -> None:
        """Keep answers gathered for a plan (ignored when the plan is gone)."""

    @abstractmethod
    def evidence(self, plan_id: str) -> dict[str, dict[str, Any]]: ...
