"""Run the bot until SIGINT/SIGTERM: `replikasi serve` (polling, or a webhook when
WEBHOOK_URL is set).

The order is PTB's own (`Application.run_polling`), written out so that reaching Telegram
is ours to handle: the Bot API unreachable at start (no route yet, DNS, an outage) is one
log line naming the API address and the reason, retried with backoff for as long as
TELEGRAM_UNREACHABLE_GIVE_UP_SECONDS says (0 = keep trying), then one clear error. The same
holds while polling. A token Telegram rejects is one sentence, without the token. On a stop
signal PTB stops fetching updates, lets in-flight answers and ingests finish, then the store
is closed (SQLite, or PostgreSQL shared with other replicas).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Awaitable, Callable
from typing import Any

import tornado.httpserver
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.telegram.app import ALLOWED_UPDATES, build_application, post_init, post_shutdown
from bot.telegram.services import BotApplication
from bot.telegram.webhook import require_webhook_secret, start_webhook_server
from replikasi.errors import ReplikasiError
from replikasi.settings import Settings

log = logging.getLogger(__name__)

FIRST_DELAY = 1.0
MAX_DELAY = 60.0
POLL_TIMEOUT = 10  # seconds of getUpdates long polling
# Polling errors further apart than this belong to separate outages.
_OUTAGE_GAP = 2 * MAX_DELAY + POLL_TIMEOUT


class TelegramUnreachableError(ReplikasiError):
    def __init__(self, api: str, reason: str, seconds: float) -> None:
        super().__init__(
            f"Cannot reach the Telegram Bot API at {api} ({reason}); gave up after {seconds:g} "
            "seconds (TELEGRAM_UNREACHABLE_GIVE_UP_SECONDS). Check the network, or "
            "TELEGRAM_BASE_URL."
        )


def token_rejected() -> ReplikasiError:
    return ReplikasiError(
        "Telegram rejected TELEGRAM_BOT_TOKEN: copy the bot's token from @BotFather into .env "
        "again (it may have been revoked)."
    )


def run_bot(settings: Settings) -> None:
    if settings.webhook_url:
        require_webhook_secret(settings)  # before loading anything: fail fast and clearly
    application = build_application(settings)
    asyncio.run(serve_until_stopped(application, settings))


async def serve_until_stopped(application: BotApplication, settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not main thread, …
            loop.add_signal_handler(sig, stop.set)
    await serve(application, settings, stop)


async def serve(application: BotApplication, settings: Settings, stop: asyncio.Event) -> None:
    """Connect, serve until `stop` is set, then shut down in PTB's order."""
    api = settings.telegram_base_url
    outage = Outage(settings, stop)
    server: tornado.httpserver.HTTPServer | None = None
    try:
        if not await retry_while_unreachable(application.initialize, settings, stop):
            return  # stopped while waiting for Telegram
        await post_init(application)
        if settings.webhook_url:
            server = start_webhook_server(application, settings)

            async def register() -> None:
                await application.bot.set_webhook(
                    settings.webhook_url or "",
                    secret_token=require_webhook_secret(settings),
                    allowed_updates=ALLOWED_UPDATES,
                    drop_pending_updates=False,
                )

            if not await retry_while_unreachable(register, settings, stop):
                return
            log.info(
                "Serving the webhook %s on %s:%d",
                settings.webhook_url,
                settings.webhook_listen,
                settings.webhook_port,
            )
        elif application.updater is not None:
            await application.updater.start_polling(
                timeout=POLL_TIMEOUT,
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False,
                error_callback=outage.on_polling_error,
            )
            log.info("Polling the Telegram Bot API at %s", api)
        await application.start()
        await stop.wait()
    finally:
        if server is not None:
            server.stop()
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        await post_shutdown(application)
    if outage.gave_up is not None:
        raise outage.gave_up


async def retry_while_unreachable(
    action: Callable[[], Awaitable[Any]], settings: Settings, stop: asyncio.Event
) -> bool:
    """Run `action` (a Bot API call) until it gets through; False when stopped meanwhile.
    Raises one clear ReplikasiError for a rejected token, or after the give-up time."""
    api = settings.telegram_base_url
    give_up = settings.telegram_unreachable_give_up_seconds
    started = time.monotonic()
    delay = FIRST_DELAY
    while True:
        try:
            await action()
            return True
        except InvalidToken:
            raise token_rejected() from None
        except NetworkError as exc:
            reason = describe(exc)
            left = give_up - (time.monotonic() - started) if give_up else delay
            if left <= 0:
                raise TelegramUnreachableError(api, reason, give_up) from None
            wait = min(delay, left)
            log.warning(
                "Cannot reach the Telegram Bot API at %s (%s); retrying in %.3g s",
                api,
                reason,
                wait,
            )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)
            return False
        delay = min(delay * 2, MAX_DELAY)


class Outage:
    """Polling errors: one line each (PTB retries with backoff); after the give-up time
    without getting through, the bot stops and `gave_up` says why."""

    def __init__(self, settings: Settings, stop: asyncio.Event) -> None:
        self.api = settings.telegram_base_url
        self.give_up = settings.telegram_unreachable_give_up_seconds
        self.stop = stop
        self.since: float | None = None
        self.last = 0.0
        self.gave_up: ReplikasiError | None = None

    def on_polling_error(self, error: TelegramError) -> None:
        now = time.monotonic()
        if self.since is None or now - self.last > _OUTAGE_GAP:
            self.since = now
        self.last = now
        reason = describe(error)
        log.warning("Cannot reach the Telegram Bot API at %s (%s); retrying", self.api, reason)
        if self.give_up and now - self.since > self.give_up:
            self.gave_up = TelegramUnreachableError(self.api, reason, self.give_up)
            self.stop.set()


def describe(error: BaseException) -> str:
    """The reason in a few words: the underlying connection error when there is one."""
    cause = error.__cause__ or error
    text = " ".join(str(cause).split()) or type(cause).__name__
    return text[:200]
