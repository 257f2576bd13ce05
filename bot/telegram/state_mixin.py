"""What the SQL store's per-area query mixins (state_plans, state_uploads,
state_web_sources) use from `SQLBotStore`, declared once for the type checker."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.telegram.state_sql import Connection, Cursor, Params


class SQLQueriesMixin:
    if TYPE_CHECKING:  # supplied by SQLBotStore

        def clock(self) -> float: ...
        def _tx(self) -> AbstractContextManager[Connection]: ...
        def _run(self, conn: Connection, query: str, params: Params = ()) -> Cursor: ...
        def _json(self, value: Any) -> Any: ...
        def _unjson(self, value: Any) -> Any: ...
