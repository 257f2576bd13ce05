"""Python side of the Telegram emulator used by the end-to-end tests.

`TelegramEmulator` runs `tests/e2e/emulator/launcher.js` (the npm package `telegram-test-api`
plus the fixes PTB v22 needs) on a free localhost port. The real bot is pointed at it with
``ApplicationBuilder().token(t).base_url(emu.base_url).base_file_url(emu.base_file_url)``.
`EmulatorUser` plays one Telegram user in one chat, and `BotRunner` runs a PTB `Application`
in a background thread, so the tests themselves stay plain synchronous functions.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import os
import queue
import re
import secrets
import shutil
import socket
import subprocess
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, Self

import httpx
from telegram.ext import Application, ContextTypes

from bot.telegram.webhook import require_webhook_secret, start_webhook_server
from replikasi.settings import Settings

JsonDict = dict[str, Any]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
ChatType = Literal["private", "group", "supergroup"]
RunBot = Callable[..., "BotRunner"]  # the conftest's run_bot fixture

REPO_ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = Path(__file__).resolve().parent / "emulator" / "launcher.js"
EMULATOR_PACKAGE = REPO_ROOT / "node_modules" / "telegram-test-api" / "package.json"
DEFAULT_GROUP_ID = -100200300

_token_ids = itertools.count(7_000_000_001)
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}\b")
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{5,32})?")


class EmulatorUnavailableError(RuntimeError):
    """The emulator cannot run on this machine."""


class NodeNotFoundError(EmulatorUnavailableError):
    """`node` is not on PATH."""


class EmulatorNotInstalledError(EmulatorUnavailableError):
    """node_modules/telegram-test-api is missing (`npm ci` was not run)."""


def make_bot_token() -> str:
    """A fresh, well-formed bot token; the emulator keeps all state per token, so a new token
    gives a test its own bot, update queue and chats on a shared emulator."""
    return f"{next(_token_ids)}:E2E{secrets.token_hex(12)}"


def _utf16_len(text: str) -> int:
    # Telegram measures entity offsets and lengths in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2


def text_entities(text: str) -> list[JsonDict]:
    """The `bot_command` and `mention` entities Telegram would attach to `text`."""
    found = [(m, "bot_command") for m in _COMMAND.finditer(text)]
    found += [(m, "mention") for m in _MENTION.finditer(text)]
    found.sort(key=lambda item: item[0].start())
    return [
        {
            "type": kind,
            "offset": _utf16_len(text[: m.start()]),
            "length": _utf16_len(m.group(0)),
        }
        for m, kind in found
    ]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TelegramEmulator:
    """The emulator process. Use as a context manager or call start()/stop()."""

    def __init__(self, *, bot_username: str = "TestNameBot", startup_timeout: float = 15.0) -> None:
        self.bot_username = bot_username
        self.startup_timeout = startup_timeout
        self.port = 0
        self._process: subprocess.Popen[str] | None = None
        self._stderr: deque[str] = deque(maxlen=50)
        self._client: httpx.Client | None = None

    @staticmethod
    def check_prerequisites() -> str:
        """Return the path of `node`, or raise why the emulator cannot start."""
        node = shutil.which("node")
        if node is None:
            raise NodeNotFoundError(
                "node is not installed (needed for the Telegram emulator of the e2e tests)"
            )
        if not EMULATOR_PACKAGE.is_file():
            raise EmulatorNotInstalledError(
                f"{EMULATOR_PACKAGE.parent} is missing: run `npm ci` in {REPO_ROOT} "
                "to install the Telegram emulator (telegram-test-api) for the e2e tests"
            )
        return node

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        """The launcher's process id while it runs (the load benchmark reads its CPU time)."""
        return self._process.pid if self._process is not None else None

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder.base_url (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For ApplicationBuilder.base_file_url (PTB appends the token)."""
        return f"{self.url}/file/bot"

    def start(self) -> None:
        if self._process is not None:
            raise RuntimeError("the Telegram emulator is already running")
        node = self.check_prerequisites()
        last_error: EmulatorUnavailableError | None = None
        for _ in range(3):  # another process may grab the free port before node binds it
            try:
                self._spawn(node, _free_port())
                self._client = httpx.Client(base_url=self.url, timeout=30.0)
                return
            except EmulatorUnavailableError as error:
                last_error = error
        assert last_error is not None
        raise last_error

    def _spawn(self, node: str, port: int) -> None:
        cmd = [node, str(LAUNCHER), "--port", str(port), "--bot-username", self.bot_username]
        # --exit-with-stdin: the launcher dies with us even if pytest is killed hard.
        process = subprocess.Popen(
            [*cmd, "--exit-with-stdin"],
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NODE_ENV": "test"},
        )
        lines: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None and process.stderr is not None
        threading.Thread(target=_pump, args=(process.stdout, lines.put), daemon=True).start()
        threading.Thread(
            target=_pump, args=(process.stderr, self._stderr.append), daemon=True
        ).start()
        try:
            line = lines.get(timeout=self.startup_timeout)
        except queue.Empty:
            line = ""
        if line.strip() != f"READY {port}":
            process.kill()
            process.wait()
            time.sleep(0.1)  # let the stderr pump catch up for the message below
            raise EmulatorUnavailableError(
                f"Telegram emulator did not start on port {port} within "
                f"{self.startup_timeout}s (stdout: {line!r}); stderr:\n" + "\n".join(self._stderr)
            )
        self.port = port
        self._process = process

    def stop(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def post(self, path: str, payload: JsonDict, *, timeout: float = 30.0) -> Any:
        """POST JSON to an emulator route and return its `result`."""
        if self._client is None:
            raise RuntimeError("the Telegram emulator is not running")
        response = self._client.post(path, json=payload, timeout=timeout + 5)
        try:
            body = response.json()
        except ValueError:
            body = {"ok": False, "text": response.text[:500]}
        if response.status_code != 200 or not body.get("ok"):
            raise RuntimeError(f"emulator {path} failed ({response.status_code}): {body}")
        return body["result"]

    def download(self, token: str, file_id: str) -> bytes:
        """The bytes of a file in the emulator (one the bot sent, or a user's upload), fetched
        as a client would: getFile, then its file URL."""
        if self._client is None:
            raise RuntimeError("the Telegram emulator is not running")
        info = self.post(f"/bot{token}/getFile", {"file_id": file_id})
        response = self._client.get(f"/file/bot{token}/{info['file_path']}")
        response.raise_for_status()
        return response.content

    def bot_calls(self, token: str, method: str | None = None) -> list[JsonDict]:
        """Bot API calls the bot made, oldest first: [{"method", "params"}] (params as sent:
        strings, JSON-encoded objects)."""
        calls: list[JsonDict] = self.post("/e2e/calls", {"token": token, "method": method})
        return calls


def _pump(stream: IO[str], sink: Callable[[str], object]) -> None:
    # Drains a pipe of the launcher so it never blocks on a full pipe buffer.
    for line in stream:
        sink(line.rstrip("\n"))


class EmulatorUser:
    """One simulated Telegram user writing to the bot in one chat (private or group)."""

    def __init__(
        self,
        emulator: TelegramEmulator,
        token: str,
        *,
        user_id: int = 1001,
        chat_id: int | None = None,
        chat_type: ChatType = "private",
        first_name: str = "Tester",
        username: str = "tester_user",
        chat_title: str = "E2E group",
    ) -> None:
        self.emulator = emulator
        self.token = token
        self.user: JsonDict = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "username": username,
        }
        if chat_type == "private":
            chat_id = user_id if chat_id is None else chat_id
            self.chat: JsonDict = {
                "id": chat_id,
                "type": "private",
                "first_name": first_name,
                "username": username,
            }
        else:
            chat_id = DEFAULT_GROUP_ID if chat_id is None else chat_id
            self.chat = {"id": chat_id, "type": chat_type, "title": chat_title}
        self.chat_id: int = chat_id
        self._seen = 0  # seq of the last bot message/edit returned by wait_for_replies
        # As if the user had started the bot before: the bot may now write to this chat.
        emulator.post("/e2e/registerChat", {"chat": self.chat})

    @property
    def bot_mention(self) -> str:
        return f"@{self.emulator.bot_username}"

    def _message(self, **fields: Any) -> JsonDict:
        return {
            "botToken": self.token,
            "from": self.user,
            "chat": self.chat,
            "date": int(time.time()),
            **fields,
        }

    def _deliver(self, route: str, payload: JsonDict) -> JsonDict:
        update: JsonDict = self.emulator.post(route, payload)
        return update

    def send_text(self, text: str, *, reply_to: JsonDict | None = None) -> JsonDict:
        """Send a text message (entities for /commands and @mentions are added); `reply_to`
        is a message dict, e.g. one returned by wait_for_replies. Returns the message as the
        bot receives it (with its message_id)."""
        fields: JsonDict = {"text": text}
        if entities := text_entities(text):
            fields["entities"] = entities
        if reply_to is not None:
            fields["reply_to_message"] = reply_to
        # The emulator's /sendCommand insists on a bot_command entity.
        is_command = bool(entities) and entities[0]["type"] == "bot_command"
        route = "/sendCommand" if is_command and entities[0]["offset"] == 0 else "/sendMessage"
        message: JsonDict = self._deliver(route, self._message(**fields))["message"]
        return message

    def send_command(self, command: str, args: str = "", *, mention: bool = False) -> JsonDict:
        """Send `/command args`; `mention=True` sends `/command@botname` as in groups."""
        text = "/" + command.lstrip("/") + (self.bot_mention if mention else "")
        return self.send_text(f"{text} {args}" if args else text)

    def press_button(self, message: JsonDict, callback_data: str) -> JsonDict:
        """Press the inline button carrying `callback_data` under a bot `message`."""
        keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        available = [b.get("callback_data") for row in keyboard for b in row]
        if callback_data not in available:
            raise ValueError(f"no button with callback_data {callback_data!r}: {available}")
        payload = {
            "botToken": self.token,
            "from": self.user,
            "message": message,
            "data": callback_data,
            "date": int(time.time()),
        }
        query: JsonDict = self._deliver("/sendCallback", payload)["callback_query"]
        return query

    def send_document(
        self,
        name: str,
        data: bytes,
        mime: str = "application/octet-stream",
        *,
        caption: str | None = None,
    ) -> JsonDict:
        """Upload a file as a document message; the bot can get_file() and download it."""
        upload = {
            "file_name": name,
            "mime_type": mime,
            "data_base64": base64.b64encode(data).decode("ascii"),
        }
        fields: JsonDict = {"upload": upload}
        if caption is not None:
            fields["caption"] = caption
        message: JsonDict = self._deliver("/e2e/sendDocument", self._message(**fields))["message"]
        return message

    def download(self, message: JsonDict) -> bytes:
        """The file of a document message the bot sent (as the user's app would fetch it)."""
        return self.emulator.download(self.token, message["document"]["file_id"])

    def _poll(self, timeout: float) -> list[JsonDict]:
        payload = {
            "token": self.token,
            "chatId": self.chat_id,
            "after": self._seen,
            "timeout": timeout,
        }
        events: list[JsonDict] = self.emulator.post("/e2e/botMessages", payload, timeout=timeout)
        return events

    def wait_for_replies(self, count: int = 1, timeout: float = 10.0) -> list[JsonDict]:
        """The next `count` bot messages in this chat, oldest first, waiting up to `timeout`
        seconds. An edit counts as a message: the edited message again, with `edit_date`
        set. Beyond the Bot API fields, a message carries `parse_mode` when the bot used one
        and `reply_keyboard` when it sent a non-inline reply_markup (a reply keyboard,
        ReplyKeyboardRemove or ForceReply)."""
        deadline = time.monotonic() + timeout
        got: list[JsonDict] = []
        while len(got) < count:
            remaining = deadline - time.monotonic()
            events = self._poll(max(remaining, 0.0))
            for event in events[: count - len(got)]:
                got.append(event["message"])
                self._seen = event["seq"]
            if len(got) < count and remaining <= 0:
                raise TimeoutError(
                    f"expected {count} bot message(s) in chat {self.chat_id} within {timeout}s, "
                    f"got {len(got)}: {[m.get('text') for m in got]} (a handler error? "
                    "see BotRunner.errors and the log)"
                )
        return got

    def expect_no_replies(self, within: float = 0.3) -> None:
        """Assert that the bot sends nothing more to this chat for `within` seconds."""
        events = self._poll(within)
        if events:
            texts = [e["message"].get("text") for e in events]
            raise AssertionError(f"expected no bot message in chat {self.chat_id}, got {texts}")

    def chat_actions(self) -> list[str]:
        """Chat actions (e.g. "typing") the bot sent to this chat, oldest first."""
        actions = self.emulator.post(
            "/e2e/chatActions", {"token": self.token, "chatId": self.chat_id}
        )
        return [a["action"] for a in actions]


class BotRunner:
    """Runs a PTB Application (polling the emulator) in a thread with its own event loop.
    With `webhook` (the bot's Settings, WEBHOOK_URL set) it serves the bot's own webhook
    server instead (bot/telegram/webhook.py) and registers it with setWebhook, after which
    the emulator POSTs updates to it.

    Handler exceptions are collected in `errors`; `stop()` raises them unless
    `fail_on_errors=False`, so a crashing handler fails the test instead of only timing out.
    """

    def __init__(
        self,
        application: AnyApplication,
        *,
        poll_timeout: float = 10.0,
        fail_on_errors: bool = True,
        webhook: Settings | None = None,
    ) -> None:
        if application.updater is None:
            raise ValueError("the Application needs an Updater to poll the emulator")
        self.application = application
        self.poll_timeout = poll_timeout
        self.fail_on_errors = fail_on_errors
        self.webhook = webhook
        self.errors: list[BaseException] = []
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._server: Any = None
        application.add_error_handler(self._on_error)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.error is not None:
            self.errors.append(context.error)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:  # reported by stop(), the thread has no one to tell
            self.errors.append(error)
        finally:
            self._ready.set()

    async def _main(self) -> None:
        app = self.application
        assert app.updater is not None
        self._loop = asyncio.get_running_loop()
        self._stop_event = asyncio.Event()
        try:
            await app.initialize()
            await app.start()
            if self.webhook is not None:
                self._server = start_webhook_server(app, self.webhook)
                await app.bot.set_webhook(
                    self.webhook.webhook_url or "",
                    secret_token=require_webhook_secret(self.webhook),
                )
            else:
                await app.updater.start_polling(poll_interval=0.0, timeout=int(self.poll_timeout))
        except BaseException as error:
            self._startup_error = error
            self._ready.set()
            with contextlib.suppress(Exception):
                await self._shutdown()
            return
        self._ready.set()
        await self._stop_event.wait()
        await self._shutdown()

    async def _shutdown(self) -> None:
        app = self.application
        if self._server is not None:
            self._server.stop()
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    def start(self, timeout: float = 15.0) -> None:
        self._thread = threading.Thread(target=self._run, name="e2e-bot", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError(f"the bot did not start polling within {timeout}s")
        error = self._startup_error or (self.errors[0] if self.errors else None)
        if error is not None:
            raise RuntimeError("the bot failed to start") from error

    def stop(self, timeout: float = 15.0) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        if self._loop is not None and self._stop_event is not None and thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop_event.set)
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError(f"the bot did not stop within {timeout}s")
        if self.errors and self.fail_on_errors:
            details = "".join("".join(traceback.format_exception(error)) for error in self.errors)
            raise AssertionError(f"{len(self.errors)} error(s) in bot handlers:\n{details}")

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
