"""Bot API calls that survive flood control and a flaky network.

Every call the bot makes goes through the application's rate limiter, so retries live here,
in one place, instead of around each `reply_text`:

- `RetryAfter` (flood control): AIORateLimiter waits as long as Telegram asks and tries
  again, up to `max_retries` times.
- The connection could not be made (connect error or timeout, no free connection in the
  pool): the request never reached Telegram, so it is sent again, up to `NETWORK_RETRIES`
  times, waiting `RETRY_DELAYS` in between.
- The connection broke or timed out *after* the request went out: Telegram may have acted on
  it, and the Bot API has no idempotency key to ask. The request is sent once more: for an
  answer, a rare duplicate is better than a question left without a reply (the user would
  be told "something went wrong" while the answer may never arrive). A second such failure
  is given up on and reaches the error handler.

"typing…" is not retried at all: it is decoration, and retrying it only delays the answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import httpx
from telegram import Bot
from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

from replikasi.logs import exception_summary

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
NETWORK_RETRIES = 3  # in all, per request
MAYBE_SENT_RETRIES = 1  # of which after a failure that may have reached Telegram
RETRY_DELAYS = (0.5, 1.0, 2.0)
# "typing…" does not matter; the others are retried by bot/telegram/runner.py (start-up)
# and PTB's polling loop, with their own backoff.
NOT_RETRIED = frozenset({"sendChatAction", "getMe", "getUpdates", "setWebhook", "deleteWebhook"})
# httpx failures that happen before any byte of the request reaches Telegram.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def never_sent(error: NetworkError) -> bool:
    """Whether the request certainly did not reach Telegram. PTB raises its NetworkError /
    TimedOut `from` the httpx exception, which tells how far the request got."""
    return isinstance(error.__cause__, _NEVER_SENT)


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter (flood limits, RetryAfter) plus bounded retries on network errors."""

    def __init__(
        self,
        *,
        max_retries: int = 5,
        retry_delays: Sequence[float] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(max_retries=max_retries, **kwargs)
        self.retry_delays = tuple(RETRY_DELAYS if retry_delays is None else retry_delays) or (0.0,)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if endpoint in NOT_RETRIED:
            # Not messages: "typing…" counted against Telegram's ~30 messages/s would halve
            # the answers the bot can send (docs/benchmarks.md, "Telegram load"), and a
            # refused one costs nothing; start-up and polling calls have their own loops.
            return await callback(*args, **kwargs)
        retries = maybe_sent = 0
        while True:
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except NetworkError as error:
                if isinstance(error, BadRequest):
                    raise  # Telegram answered: do not send it again
                if not never_sent(error):
                    maybe_sent += 1
                if retries >= NETWORK_RETRIES or maybe_sent > MAYBE_SENT_RETRIES:
                    raise
                delay = self.retry_delays[min(retries, len(self.retry_delays) - 1)]
                retries += 1
                log.warning("%s failed (%r); retry %d in %.1fs", endpoint, error, retries, delay)
                await asyncio.sleep(delay)


async def send_quietly(bot: Bot, chat_id: int, parts: Sequence[str], **kwargs: Any) -> bool:
    """Send `parts` as messages; a failure is logged as one line, never raised. For the
    messages that end a long operation and for notices nobody is waiting on: the rate
    limiter has retried already, and there is nobody left to tell."""
    for part in parts:
        try:
            await bot.send_message(chat_id, part, **kwargs)
        except Exception as exc:
            log.warning("Could not send a message to chat %s: %s", chat_id, exception_summary(exc))
            return False
    return True
