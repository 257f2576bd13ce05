"""Doubles for the Telegram bot tests: a Bot API that records calls, a canned engine,
builders for the updates Telegram would send, and `run`, which plays updates through the
real application (handlers, error handler, rate limiter) over the fake Bot API."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
from telegram import Update
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.engine_front import EngineFront
from bot.telegram.app import build_application
from bot.telegram.menus import Command
from bot.telegram.services import BotServices
from bot.telegram.state import BotStore
from replikasi.index import IndexedDocument
from replikasi.records import Answer, Citation, RetrievedChunk, Turn
from replikasi.settings import Settings

BOT_ID = 424242
BOT_USERNAME = "ReplikasiTestBot"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Replikasi", "username": BOT_USERNAME}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)  # uploaded: part name -> content


class FakeTelegram(BaseRequest):
    """The Bot API as a recorder: every call is kept in `calls`, answered like Telegram,
    which includes refusing HTML it could not parse and empty or over-long texts (400).

    `fail(method, status, payload)` makes the next call of `method` fail with that HTTP
    status and body (e.g. a 429 flood-control answer), once per queued failure.
    `fail_network(method, error, delivered=...)` makes it raise `error` instead, as the HTTP
    layer does when the connection fails; `delivered=True` plays a reply that was lost after
    Telegram had acted on the request. `delivered` lists the calls Telegram acted on.
    """

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.delivered: list[Call] = []
        self.files: dict[str, bytes] = {}  # file_id -> bytes, served by getFile + download
        self._failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._network_failures: dict[str, list[tuple[TelegramError, bool]]] = {}
        self._message_ids = itertools.count(5000)
        self.echo_link_preview_as_text = False

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def fail(self, method: str, status: int, payload: dict[str, Any]) -> None:
        self._failures.setdefault(method, []).append((status, payload))

    def fail_network(self, method: str, error: TelegramError, *, delivered: bool = False) -> None:
        self._network_failures.setdefault(method, []).append((error, delivered))

    def of(self, method: str) -> list[dict[str, Any]]:
        return [call.params for call in self.calls if call.method == method]

    def calls_of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    @property
    def sent_texts(self) -> list[str]:
        return [str(params["text"]) for params in self.of("sendMessage")]

    @property
    def delivered_texts(self) -> list[str]:
        """Texts of the messages that reached the chat (each copy, in order)."""
        return [str(c.params["text"]) for c in self.delivered if c.method == "sendMessage"]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a download: the path is the file id
            return 200, self.files[url.rsplit("/", 1)[-1]]
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        files: dict[str, bytes] = {}
        if request_data is not None and request_data.contains_files:
            for part, (_, content, _) in request_data.multipart_data.items():
                files[part] = content if isinstance(content, bytes) else content.read()
        call = Call(name, params, files)
        self.calls.append(call)
        if self._network_failures.get(name):
            error, delivered = self._network_failures[name].pop(0)
            if delivered:
                self.delivered.append(call)
            raise error
        if self._failures.get(name):
            status, payload = self._failures[name].pop(0)
            return status, json.dumps(payload).encode()
        if problem := refused_text(name, params):
            body = {"ok": False, "error_code": 400, "description": f"Bad Request: {problem}"}
            return 400, json.dumps(body).encode()
        self.delivered.append(call)
        body = {"ok": True, "result": self._result(name, params)}
        return 200, json.dumps(body).encode()

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return {
                **BOT_USER,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if name in {
            "sendMessage",
            "editMessageText",
            "editMessageReplyMarkup",
            "sendPhoto",
            "sendDocument",
        }:
            chat_id = int(params["chat_id"])
            message_id = params.get("message_id") or next(self._message_ids)
            message = {
                "message_id": int(message_id),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": BOT_USER,
            }
            if name == "sendPhoto":
                size = {"file_id": "p1", "file_unique_id": "up1", "width": 900, "height": 700}
                message["photo"] = [size]
            elif name == "sendDocument":
                message["document"] = {"file_id": "d1", "file_unique_id": "ud1"}
            else:
                message["text"] = params.get("text", "…")
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            if self.echo_link_preview_as_text:
                # A Bot API server seen in the wild: PTB cannot read the message it returns.
                message["link_preview_options"] = "is_disabled"
            return message
        if name == "getFile":
            file_id = str(params["file_id"])
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(self.files[file_id]),
                "file_path": f"documents/{file_id}",
            }
        return True


def flood_control(retry_after: float = 0.05) -> dict[str, Any]:
    """Telegram's 429 answer. A real one says whole seconds; a fraction keeps tests quick
    (with 0 PTB would not even raise RetryAfter, but a plain NetworkError)."""
    return {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {retry_after}",
        "parameters": {"retry_after": retry_after},
    }


def connection_refused() -> NetworkError:
    """What PTB raises when the request could not even be sent."""
    cause = httpx.ConnectError("[Errno 111] Connection refused")
    error = NetworkError(f"httpx.ConnectError: {cause}")
    error.__cause__ = cause
    return error


def read_timeout() -> TimedOut:
    """What PTB raises when Telegram took the request but its answer did not come in time."""
    error = TimedOut()
    error.__cause__ = httpx.ReadTimeout("timed out")
    return error


# -- what Telegram refuses -------------------------------------------------------------------
_HTML_TAGS = frozenset(
    [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    ]
)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)([^<>]*)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
MAX_TEXT_UTF16 = 4096


def refused_text(method: str, params: dict[str, Any]) -> str | None:
    """Telegram's complaint about a message text, or None (only texts are checked)."""
    if method not in {"sendMessage", "editMessageText"}:
        return None
    text = str(params.get("text", ""))
    if not text.strip():
        return "message text is empty"
    visible = text
    if str(params.get("parse_mode", "")).upper() == "HTML":
        problem, visible = _parse_html(text)
        if problem:
            return f"can't parse entities: {problem}"
    if len(visible.encode("utf-16-le")) // 2 > MAX_TEXT_UTF16:
        return "message is too long"
    return None


def _parse_html(text: str) -> tuple[str | None, str]:
    """(problem, visible text) as Telegram's HTML parser sees `text`."""
    stack: list[str] = []
    visible: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "<":
            match = _TAG.match(text, i)
            if match is None:
                return f"unexpected '<' at offset {i}", ""
            closing, name = match.group(1), match.group(2).lower()
            if name not in _HTML_TAGS:
                return f'unsupported start tag "{name}" at offset {i}', ""
            if closing:
                if not stack or stack.pop() != name:
                    return f'unmatched end tag "{name}" at offset {i}', ""
            else:
                stack.append(name)
            i = match.end()
        elif text[i] == "&" and (entity := _ENTITY.match(text, i)) is not None:
            visible.append("_")
            i = entity.end()
        else:
            visible.append(text[i])
            i += 1
    if stack:
        return f'can\'t find end tag corresponding to start tag "{stack[-1]}"', ""
    return None, "".join(visible)


# -- updates -------------------------------------------------------------------------------
_update_ids = itertools.count(1)
_incoming_ids = itertools.count(100)


def user_dict(user_id: int, language_code: str = "id") -> dict[str, Any]:
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": f"User{user_id}",
        "language_code": language_code,
    }


def chat_dict(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
    return {"id": chat_id, "type": "supergroup", "title": "Tim Inovasi"}


def message_update(
    text: str | None = None,
    *,
    user_id: int = 1,
    chat_id: int | None = None,
    language_code: str = "id",
    reply_to: dict[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A `message` update; /commands and @mentions in `text` get their entities."""
    message: dict[str, Any] = {
        "message_id": next(_incoming_ids),
        "date": int(time.time()),
        "chat": chat_dict(user_id if chat_id is None else chat_id),
        "from": user_dict(user_id, language_code),
        **fields,
    }
    if text is not None:
        message["text"] = text
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        mention = f"@{BOT_USERNAME}"
        if mention in text:
            entities.append(
                {"type": "mention", "offset": text.index(mention), "length": len(mention)}
            )
        if entities:
            message["entities"] = entities
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    return {"update_id": next(_update_ids), "message": message}


def callback_update(
    data: str,
    *,
    user_id: int = 1,
    chat_id: int | None = None,
    message_id: int = 5000,
    reply_markup: dict[str, Any] | None = None,
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat_dict(user_id if chat_id is None else chat_id),
        "from": BOT_USER,
        "text": "…",
    }
    if reply_markup is not None:
        message["reply_markup"] = reply_markup
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": user_dict(user_id),
            "chat_instance": "ci",
            "message": message,
            "data": data,
        },
    }


# -- the engine ----------------------------------------------------------------------------
def citation(number: int, title: str = "Pedoman Replikasi", **fields: Any) -> Citation:
    values: dict[str, Any] = {
        "chunk_id": f"doc-{number}#0",
        "doc_id": f"doc-{number}",
        "title": title,
        "section": "Bentuk replikasi",
        "source_url": "https://menpan.go.id/pedoman",
        "snippet": "Replikasi memiliki tiga bentuk: adopsi, adaptasi, dan modifikasi.",
    }
    values.update(fields)
    return Citation(number=number, **values)


class FakeEngine:
    """Answers every question with `reply` (or raises `error`, once per queued `errors`
    entry first), recording what it was asked; the rest of the engine's front (documents,
    profiles, reload) from plain attributes. It conforms to `EngineFront`."""

    mode = "extractive"
    embedding: Any = None

    def __init__(self, reply: Answer | None = None, error: Exception | None = None) -> None:
        self.reply = reply
        self.error = error
        self.errors: list[Exception] = []
        self.asked: list[tuple[str, list[Turn]]] = []
        self.profiles: list[RetrievedChunk] = []
        self.indexed: list[IndexedDocument] = []
        self.profile_searches: list[tuple[str, int]] = []
        self.reloads = 0

    def warm(self) -> None:
        return None

    def reload(self) -> None:
        self.reloads += 1

    def documents(self) -> list[IndexedDocument]:
        return self.indexed

    def passage(self, chunk_id: str) -> RetrievedChunk | None:
        return next((c for c in self.profiles if c.chunk_id == chunk_id), None)

    def search_profiles(self, query: str, k: int = 20) -> list[RetrievedChunk]:
        self.profile_searches.append((query, k))
        return self.profiles

    def retrieve(self, query: str, k: int | None = None) -> list[RetrievedChunk]:
        return self.profiles[: k or 5]

    def clear_caches(self) -> None:
        return None

    def answer(self, question: str, history: Sequence[Turn] = (), **kwargs: Any) -> Answer:
        self.asked.append((question, list(history)))
        if self.errors:
            raise self.errors.pop(0)
        if self.error is not None:
            raise self.error
        if self.reply is not None:
            return replace(self.reply, question=question)
        return Answer(
            question=question,
            language="id",
            text="Replikasi memiliki tiga bentuk: adopsi, adaptasi, dan modifikasi. [1]",
            citations=[citation(1)],
            resolved_query=question,
        )


# -- the application -----------------------------------------------------------------------
class Harness:
    """A built application over FakeTelegram; `send` processes one update dict. `engine`
    is a FakeEngine unless a test passes a real AnswerEngine."""

    def __init__(
        self, settings: Settings, engine: Any = None, commands: Sequence[Command] | None = None
    ) -> None:
        self.telegram = FakeTelegram()
        self.engine: Any = engine or FakeEngine()
        self.store = BotStore.open(settings)
        extra = {} if commands is None else {"commands": commands}
        self.app = build_application(
            settings, engine=self.engine, store=self.store, request=self.telegram, **extra
        )

    @property
    def services(self) -> BotServices:
        return self.app.bot_data.services

    async def send(self, update: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def settle(self) -> None:
        """Wait for background work (ingests) started by the handlers."""
        while self.services.background:
            await asyncio.gather(*self.services.background)


Scenario = Callable[[Harness], Awaitable[None]]


def run(
    settings: Settings,
    scenario: Scenario,
    engine: Any = None,
    commands: Sequence[Command] | None = None,
) -> Harness:
    """Start the application, play `scenario`, wait for background work, stop it."""
    harness = Harness(settings, engine, commands)

    async def main() -> None:
        await harness.app.initialize()
        await harness.app.start()  # no updater: updates come from `send`
        try:
            await scenario(harness)
            await harness.settle()
        finally:
            await harness.app.stop()
            await harness.app.shutdown()

    asyncio.run(main())
    return harness


def _conforms(engine: FakeEngine) -> EngineFront:
    return engine  # mypy checks that the fake is an EngineFront
