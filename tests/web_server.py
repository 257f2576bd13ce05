"""The `web_server` fixture: `scripts.local_web_server.WebServer` on loopback, stopped after
the test (listed in conftest's SLOW_FIXTURES: tests using it are marked slow)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scripts.local_web_server import Route, WebServer, page

__all__ = ["Route", "WebServer", "page", "web_server"]


@pytest.fixture
def web_server() -> Iterator[WebServer]:
    server = WebServer().start()
    try:
        yield server
    finally:
        server.stop()
