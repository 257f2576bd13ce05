"""Whether the tests run on CI (CI=true), where skipping for a missing prerequisite is a
failure: CI must not pass by silently testing nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip the test with `reason`; on CI, fail it instead."""
    if on_ci():
        pytest.fail(f"{reason} (CI=true, so this test may not be skipped)", pytrace=False)
    pytest.skip(reason)


def require_shared(path: Path) -> Path:
    """`path` under ../shared (the eval set, the seed articles), or skip-or-fail."""
    if not path.exists():
        skip_or_fail(f"{path} is not beside the repository")
    return path
