"""The one place configuration comes from: environment variables and an optional `.env`.

Every field is documented in `.env.example`. Nothing reads settings at import time; call
`get_settings()` (cached) or build `Settings(...)` explicitly in tests.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

IdList = Annotated[list[int], NoDecode]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Storage
    data_dir: Path = Path("data")
    knowledge_dir: Path = Path("knowledge")

    # Embeddings
    embedding_backend: Literal["local", "openai"] = "local"
    openai_embedding_model: str = "text-embedding-3-small"
    embedding_batch_size: int = Field(default=32, ge=1, le=2048)
    # A document that would make more passages than this is refused (split it, or raise this).
    max_chunks_per_document: int = Field(default=2000, ge=1)

    # OpenAI-compatible LLM (and embeddings when embedding_backend=openai)
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_timeout_seconds: float = Field(default=20.0, gt=0)
    llm_temperature: float = Field(default=0.0, ge=0, le=2)

    # Scanned PDFs: pages without a text layer are read by Tesseract (`make ocr` installs it)
    ocr_enabled: bool = True
    ocr_languages: str = "ind"
    ocr_dpi: int = Field(default=300, ge=100, le=600)
    ocr_page_timeout_seconds: float = Field(default=180.0, gt=0)

    # Retrieval and answering
    retrieval_k: int = Field(default=5, ge=1, le=50)

    # Chroma: empty host = embedded on disk under data_dir
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_auth_token: SecretStr | None = None

    # Bot state (conversations, feedback, question log, ingest lock): empty = SQLite under
    # data_dir; a postgresql:// URL = shared by several bot replicas.
    database_url: SecretStr | None = None

    # Telegram
    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    # Empty = derived from telegram_base_url ("…/bot" → "…/file/bot"), right for Telegram and
    # for a self-hosted Bot API server alike.
    telegram_base_file_url: str | None = None
    admin_ids: IdList = Field(default_factory=list)
    coordinator_ids: IdList = Field(default_factory=list)
    allowed_user_ids: IdList = Field(default_factory=list)
    allowed_chat_ids: IdList = Field(default_factory=list)
    conversation_idle_minutes: int = Field(default=30, ge=1)
    max_upload_mb: int = Field(default=20, ge=1)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    # Telegram unreachable at start (no route, DNS, outage): retry with backoff for this
    # long, then exit with one clear sentence; 0 = keep trying.
    telegram_unreachable_give_up_seconds: float = Field(default=0, ge=0)

    # Retention of personal data in the bot store (run every prune_interval_minutes).
    feedback_user_retention_days: int = Field(default=90, ge=1)
    question_log_retention_days: int = Field(default=180, ge=1)
    prune_interval_minutes: int = Field(default=60, ge=1)

    # /stats and the weekly digest for coordinators
    stats_utc_offset_hours: float = Field(default=7, ge=-12, le=14)
    weekly_digest: bool = False
    weekly_digest_weekday: int = Field(default=0, ge=0, le=6)  # 0 = Monday
    weekly_digest_hour: int = Field(default=8, ge=0, le=23)

    # Official web pages and documents added by address (/tambah, `replikasi ingest --url`)
    # and re-checked on a clock. Private, loopback, link-local and reserved addresses are
    # refused unless allowed (an intranet server) per host or altogether.
    web_sources_check_hours: float = Field(default=24, ge=0)
    web_sources_allow_private: bool = False
    web_sources_trusted_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    web_source_max_mb: int = Field(default=20, ge=1)
    web_source_timeout_seconds: float = Field(default=30, gt=0)

    log_level: str = "WARNING"

    @field_validator(
        "admin_ids", "coordinator_ids", "allowed_user_ids", "allowed_chat_ids", mode="before"
    )
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("web_sources_trusted_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            parts = value.replace(";", ",").split(",")
            return [part.strip().lower().rstrip(".") for part in parts if part.strip()]
        return value

    @field_validator(
        "openai_base_url",
        "chroma_host",
        "webhook_url",
        "telegram_base_file_url",
        "database_url",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def llm_enabled(self) -> bool:
        """LLM answers are used when a key or an endpoint is configured."""
        return self.openai_api_key is not None or self.openai_base_url is not None

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def telegram_file_url(self) -> str:
        """Where the bot downloads files from (uploaded documents)."""
        if self.telegram_base_file_url:
            return self.telegram_base_file_url
        base = self.telegram_base_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
