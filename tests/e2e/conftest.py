"""Fixtures for the end-to-end tests: the Telegram emulator and a background bot runner.

Without `node` the e2e tests are skipped. With `node` but without `npm ci` they are skipped
locally, but fail on CI (CI=true), so a broken CI setup cannot silently skip them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from telegram_emulator import (
    AnyApplication,
    BotRunner,
    EmulatorNotInstalledError,
    NodeNotFoundError,
    RunBot,
    TelegramEmulator,
    make_bot_token,
)

from tests.ci import skip_or_fail


@pytest.fixture(scope="session")
def emulator() -> Iterator[TelegramEmulator]:
    """One emulator for the whole session; tests isolate themselves with their own bot token."""
    try:
        TelegramEmulator.check_prerequisites()
    except NodeNotFoundError as error:
        pytest.skip(f"e2e tests skipped: {error}")
    except EmulatorNotInstalledError as error:
        skip_or_fail(f"e2e tests skipped: {error}")
    with TelegramEmulator() as emu:
        yield emu


@pytest.fixture
def bot_token() -> str:
    """A bot token no other test uses: the emulator keeps all its state per token."""
    return make_bot_token()


@pytest.fixture
def run_bot() -> Iterator[RunBot]:
    """`run_bot(app, fail_on_errors=True, **options)` starts polling the emulator (or, with
    `webhook=...`, serving a webhook) in the background and returns the BotRunner; every
    bot started is stopped at the end of the test, and the test errors at teardown if a
    handler raised (unless fail_on_errors=False)."""
    runners: list[BotRunner] = []

    def start(
        application: AnyApplication, *, fail_on_errors: bool = True, **options: Any
    ) -> BotRunner:
        runner = BotRunner(application, fail_on_errors=fail_on_errors, **options)
        runner.start()
        runners.append(runner)
        return runner

    yield start
    failures: list[BaseException] = []
    for runner in reversed(runners):
        try:
            runner.stop()
        except (AssertionError, TimeoutError) as error:
            failures.append(error)
    if failures:
        raise failures[0]
