"""The bot's memory: what it must remember between messages, restarts and replicas.

- conversations: each chat's recent turns, so follow-up questions work; forgotten after
  `conversation_idle_minutes` without a message (`prune`, run periodically by the bot).
- answers: a short id per answer with its citations, so the 📄 / 👍 buttons under an answer
  keep working after a restart (callback data holds only the id).
- feedback: 👍 / 👎 per answer. The voter's user id is kept while it is needed (one vote per
  person per answer, which a person may change), then dropped after
  FEEDBACK_USER_RETENTION_DAYS; the vote itself still counts.
- questions: the question log for /stats: question, time, outcome (answered, not known,
  abstained), cited documents, language, mode. No user or chat id: the log is about the
  knowledge base, not about people; the question text is blanked after
  QUESTION_LOG_RETENTION_DAYS (the counts stay).
- digests: which weekly digests were sent, so replicas send each one once.
- the ingest lock: only one ingest at a time (/reindex, an upload, `replikasi ingest`, another
  replica). The lock itself is the core's (`replikasi.ingest_lock`); the store hands it out.
- plans: replication plans and their drafts, per user (see plan_store.py).
- web sources added by address and the ingest history (see state_web_sources.py).
- pending uploads: an admin's upload that would replace an indexed document, with its bytes,
  until the admin chooses to replace, keep both or cancel (see upload_store.py).

`BotStore` is the interface the handlers use; `open_store(settings)` picks the backend:
SQLite under the data directory by default (`state_sqlite`), PostgreSQL when DATABASE_URL is
set (`state_postgres`), so that several bot replicas share one memory. Both keep a
schema-version table and migrate on start. All SQL lives in `state_sql` (what they share)
and those two modules.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.messages import Language
from bot.telegram.plan_store import PlanStore
from bot.telegram.state_web_sources import WebSourceStore
from bot.telegram.upload_store import UploadStore
from replikasi.errors import ReplikasiError
from replikasi.ingest_lock import IngestLock
from replikasi.records import Answer, Citation, Turn
from replikasi.settings import Settings

DAY = 86_400.0
# Buttons under answers older than this stop working (the user is asked to ask again).
ANSWER_RETENTION_DAYS = 90

Clock = Callable[[], float]


class StoreSchemaError(ReplikasiError):
    """The database was migrated by a newer version of the bot than this one."""

    def __init__(self, where: str, found: int, known: int) -> None:
        super().__init__(
            f"{where} has schema version {found}, newer than this code ({known}); update the bot."
        )


@dataclass(frozen=True)
class StoredAnswer:
    """What the buttons under an answer need: its text, citations and the message shown."""

    answer_id: str
    chat_id: int
    language: Language
    text: str
    reply_html: str
    citations: list[Citation]

    def citation(self, number: int) -> Citation | None:
        return next((c for c in self.citations if c.number == number), None)


@dataclass(frozen=True)
class Retention:
    """How long personal data is kept (days): who voted, and what was asked."""

    feedback_user_days: int = 90
    question_text_days: int = 180


class Outcomes:
    """Questions by outcome: answered, "not known" (the knowledge base says the fact is not
    known) and abstained (nothing relevant found)."""

    answered: int
    not_known: int
    abstained: int

    @property
    def questions(self) -> int:
        return self.answered + self.not_known + self.abstained

    @property
    def unanswered(self) -> int:
        return self.not_known + self.abstained

    @property
    def unanswered_share(self) -> float:
        return self.unanswered / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class PeriodStats(Outcomes):
    days: int
    answered: int
    not_known: int
    abstained: int


@dataclass(frozen=True)
class DayStats(Outcomes):
    day: dt.date
    answered: int = 0
    not_known: int = 0
    abstained: int = 0


@dataclass(frozen=True)
class UsageStats:
    periods: list[PeriodStats]
    feedback_up: int
    feedback_down: int
    recent_unanswered: list[tuple[float, str]] = field(default_factory=list)
    daily: list[DayStats] = field(default_factory=list)  # the last 30 days, oldest first
    # The unanswered questions of the period (newest first), for their topics.
    unanswered_questions: list[str] = field(default_factory=list)


class BotStore(PlanStore, WebSourceStore, UploadStore, ABC):
    """Conversations, answers, feedback, the question log, plans, web sources and the
    ingest history, pending uploads and the ingest lock of the bot.

    Every method is one short transaction, safe to call from the event loop and from worker
    threads, and from several processes sharing the same database.
    """

    backend: str

    def __init__(
        self,
        *,
        idle_minutes: int = 30,
        clock: Clock = time.time,
        retention: Retention | None = None,
    ) -> None:
        self.idle_seconds = idle_minutes * 60.0
        self.clock = clock
        self.retention = retention or Retention()

    @classmethod
    def open(cls, settings: Settings) -> BotStore:
        """The store `settings` ask for (see `open_store`)."""
        return open_store(settings)

    # -- lifecycle -----------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    @property
    @abstractmethod
    def closed(self) -> bool: ...

    @abstractmethod
    def schema_version(self) -> int: ...

    @property
    @abstractmethod
    def ingest_lock(self) -> IngestLock: ...

    # -- conversations -------------------------------------------------------------------
    @abstractmethod
    def turns(self, chat_id: int) -> list[Turn]:
        """The chat's recent turns, or none when the conversation has gone idle."""

    @abstractmethod
    def add_turn(self, chat_id: int, turn: Turn) -> None:
        """Append a turn, keeping the last MAX_TURNS; concurrent appends are never lost."""

    @abstractmethod
    def reset(self, chat_id: int) -> None: ...

    # -- answers and feedback ------------------------------------------------------------
    @abstractmethod
    def save_answer(self, chat_id: int, answer: Answer, reply_html: str) -> str:
        """Keep what the answer's buttons need; returns its short id (for callback data)."""

    @abstractmethod
    def answer(self, answer_id: str) -> StoredAnswer | None: ...

    @abstractmethod
    def record_feedback(self, answer_id: str, chat_id: int, user_id: int, value: int) -> None:
        """One vote per person per answer; voting again replaces the earlier vote."""

    @abstractmethod
    def feedback(self, answer_id: str) -> dict[int, int]:
        """user id → vote, for one answer."""

    # -- question log and statistics -----------------------------------------------------
    @abstractmethod
    def log_question(self, answer: Answer) -> None: ...

    @abstractmethod
    def stats(
        self, *, unanswered: int = 10, days: int = 30, utc_offset_hours: float = 0
    ) -> UsageStats:
        """The last 7 and `days` days; days are calendar days at `utc_offset_hours`."""

    # -- housekeeping --------------------------------------------------------------------
    @abstractmethod
    def prune(self) -> None:
        """Forget idle conversations and answers too old for their buttons to matter, and
        personal data older than `retention` says (voters' ids, question texts)."""

    @abstractmethod
    def claim_digest(self, period: str) -> bool:
        """True for the first caller only (of every process sharing the store): who sends
        the digest of `period`."""

    @property
    def idle_cutoff(self) -> float:
        """Conversations last active before this moment are over."""
        return self.clock() - self.idle_seconds


def open_store(settings: Settings) -> BotStore:
    """PostgreSQL when DATABASE_URL is set (state shared by every replica), else SQLite in
    the data directory (one process)."""
    options: dict[str, Any] = {
        "idle_minutes": settings.conversation_idle_minutes,
        # The one lock `replikasi ingest` and every replica take (DATA_DIR, DATABASE_URL).
        "ingest_lock": IngestLock.for_settings(settings),
        "retention": Retention(
            feedback_user_days=settings.feedback_user_retention_days,
            question_text_days=settings.question_log_retention_days,
        ),
    }
    if settings.database_url is not None:
        # Imported here: psycopg is only needed by deployments that use PostgreSQL.
        from bot.telegram.state_postgres import PostgresBotStore

        return PostgresBotStore(settings.database_url.get_secret_value(), **options)
    from bot.telegram.state_sqlite import DB_NAME, SQLiteBotStore

    return SQLiteBotStore(settings.data_dir / DB_NAME, **options)


# -- shared by both backends ---------------------------------------------------------------
def new_answer_id() -> str:
    return secrets.token_urlsafe(6)  # 8 characters, ~48 bits


def check_vote(value: int) -> None:
    if value not in (-1, 1):
        raise ValueError("feedback is +1 or -1")


def stored_answer(
    answer_id: str,
    chat_id: int,
    language: str,
    text: str,
    reply_html: str,
    citations: list[dict[str, Any]],
) -> StoredAnswer:
    return StoredAnswer(
        answer_id=answer_id,
        chat_id=int(chat_id),
        language="en" if language == "en" else "id",
        text=text,
        reply_html=reply_html,
        citations=[Citation.from_dict(item) for item in citations if isinstance(item, dict)],
    )
