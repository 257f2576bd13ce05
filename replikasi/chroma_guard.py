"""Chroma calls that fail as one sentence: a lost server is `IndexUnavailableError`.

The HTTP client raises httpx errors from deep inside chromadb (an 85-line traceback when the
server goes away mid-command), the embedded client raises OSError when the disk fails. Both
become one sentence naming where the index lives; the client keeps working, so the next call
succeeds once the server is back. A generation removed under a reader (NotFoundError) becomes
`IndexChangedError`, so the reader can load the new one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from chromadb.api.models.Collection import Collection
from chromadb.errors import NotFoundError

from replikasi.errors import IndexChangedError, IndexUnavailableError, ReplikasiError

# Failures of the way to the index (network, server gone, disk), not of the request itself.
TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (httpx.TransportError, OSError)


def unavailable_message(where: str, exc: BaseException) -> str:
    detail = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    reason = detail.rstrip(".") or type(exc).__name__
    return (
        f"The knowledge index is unavailable: {where} cannot be reached ({reason}); "
        "try again once it is back."
    )


@contextmanager
def guarded(where: str) -> Iterator[None]:
    """Translate Chroma's transport and not-found errors raised inside the block."""
    try:
        yield
    except ReplikasiError:
        raise
    except NotFoundError as exc:
        raise IndexChangedError() from exc
    except TRANSPORT_ERRORS as exc:
        raise IndexUnavailableError(unavailable_message(where, exc)) from exc


def _guard_callable(function: Callable[..., Any], where: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        with guarded(where):
            result = function(*args, **kwargs)
        return guard_collection(result, where) if isinstance(result, Collection) else result

    return call


class _GuardedAPI:
    """Stands in for the server API a Collection talks to; every method is guarded."""

    def __init__(self, api: Any, where: str) -> None:
        self._api = api
        self._where = where

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._api, name)
        return _guard_callable(value, self._where) if callable(value) else value


class GuardedClient:
    """A Chroma client whose calls, and those of the collections it returns, are guarded."""

    def __init__(self, client: Any, where: str) -> None:
        self._client = client
        self._where = where

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._client, name)
        return _guard_callable(value, self._where) if callable(value) else value


def guard_collection(collection: Collection, where: str) -> Collection:
    """The same collection, with every call it makes to Chroma guarded."""
    if isinstance(collection._client, _GuardedAPI):
        return collection
    return Collection(
        client=_GuardedAPI(collection._client, where),  # type: ignore[arg-type]
        model=collection._model,
        embedding_function=collection._embedding_function,
        data_loader=collection._data_loader,
    )
