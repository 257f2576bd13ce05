"""The webhook server (WEBHOOK_URL set): Telegram POSTs each update to it.

Our own small tornado handler instead of PTB's, for one reason: PTB compares the secret
token with `!=`, whose time depends on how much of a guess is right. Here it is
`hmac.compare_digest`, before anything else is read; a request without the right token gets
403 and never reaches a handler. Accepted updates go to the application's update queue,
exactly as PTB's own webhook server would put them.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from typing import Any
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.ext import Application

from replikasi.errors import ReplikasiError
from replikasi.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# An update is a few kilobytes; anyone can POST, so nobody gets to send megabytes.
MAX_BODY_BYTES = 1 << 20
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class UpdateReceiver(tornado.web.RequestHandler):
    def initialize(self, bot_application: AnyApplication, secret: str) -> None:
        self.bot_application = bot_application
        self.secret = secret.encode()

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            raise tornado.web.HTTPError(403)
        try:
            update = Update.de_json(json.loads(self.request.body), self.bot_application.bot)
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("Webhook request with an unreadable update: %s", exc)
            raise tornado.web.HTTPError(400) from None
        await self.bot_application.update_queue.put(update)
        self.set_status(200)


def require_webhook_secret(settings: Settings) -> str:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not _SECRET_TOKEN.match(secret):
        raise ReplikasiError(
            "WEBHOOK_SECRET must be set when WEBHOOK_URL is set (1-256 characters: letters, "
            "digits, _ and -), so that requests not coming from Telegram are rejected."
        )
    return secret


def webhook_path(settings: Settings) -> str:
    """The local path is the public URL's ("https://bot.example/tg/hook" → "/tg/hook")."""
    return "/" + urlsplit(settings.webhook_url or "").path.strip("/")


def start_webhook_server(
    application: AnyApplication, settings: Settings
) -> tornado.httpserver.HTTPServer:
    """Listen on WEBHOOK_LISTEN:WEBHOOK_PORT (call inside the running event loop)."""
    secret = require_webhook_secret(settings)
    path = webhook_path(settings).rstrip("/")
    routes = [
        (
            rf"{re.escape(path)}/?",
            UpdateReceiver,
            {"bot_application": application, "secret": secret},
        )
    ]
    server = tornado.httpserver.HTTPServer(
        tornado.web.Application(routes), max_body_size=MAX_BODY_BYTES
    )
    server.listen(settings.webhook_port, address=settings.webhook_listen)
    return server
