"""Fetch one web source: a page, a PDF, a Word file or plain text, conditionally.

`WebFetcher.fetch(url, etag, last_modified)` asks the server with If-None-Match /
If-Modified-Since, follows redirects itself (each hop checked against the address rule of
`addresses`), refuses what is too big while downloading (never holding more than the limit),
gives up after the timeout (also for a server that trickles), and accepts only HTML, PDF,
DOCX and plain text. Every failure is a `FetchError` with one sentence an admin can act on.

Connections go through `GuardedBackend`: it resolves the host, checks every address against
the rule and connects to the address it checked, so DNS rebinding (a public answer for the
check, a private one for the connection) cannot reach the server's own network. TLS still
verifies the certificate against the host name. Proxies from the environment are not used:
the rule is about where the bot connects.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from ingest.web.addresses import (
    AddressPolicy,
    Resolver,
    WebSourceError,
    check_url,
    checked_addresses,
    loggable_url,
    system_resolver,
)
from replikasi.settings import Settings

log = logging.getLogger(__name__)

MB = 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "AsistenReplikasiInovasi/0.1 (knowledge-base refresh)"
Kind = Literal["html", "pdf", "docx", "text"]
EXTENSION_OF: dict[str, str] = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "text": ".txt"}
_TYPES: dict[str, Kind] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/plain": "text",
}
# Servers often send files as "download": the bytes (and the address) then say what it is.
_GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})


class QueryRedaction(logging.Filter):
    """httpx logs every request's full address at INFO; a web source's query string may
    carry a token (`?key=…`), so addresses in httpx's records lose it ("?…"). Works on the
    finished message: the process's record factory (`replikasi.redaction`) may have
    formatted it already."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg, record.args = _URL_QUERY.sub(r"\1?…", message), None
        return True


_URL_QUERY = re.compile(r"""(\bhttps?://[^\s?#"'<>]+)\?[^\s"'<>]*""")


def redact_httpx_queries() -> None:
    """Install `QueryRedaction` on httpx's logger (once per process)."""
    logger = logging.getLogger("httpx")
    if not any(isinstance(existing, QueryRedaction) for existing in logger.filters):
        logger.addFilter(QueryRedaction())


class FetchError(WebSourceError):
    """The address could not be fetched, or what came back cannot be ingested."""


@dataclass(frozen=True)
class Fetched:
    url: str  # the address finally fetched (after redirects)
    not_modified: bool
    content: bytes = b""
    kind: Kind = "html"
    etag: str = ""
    last_modified: str = ""

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class GuardedBackend(httpcore.NetworkBackend):
    """Connect only to addresses that pass the policy, and to exactly those."""

    def __init__(self, policy: AddressPolicy, resolve: Resolver) -> None:
        self._policy = policy
        self._resolve = resolve
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        addresses = checked_addresses(host, port, self._policy, self._resolve)
        problem: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                problem = exc
        assert problem is not None
        raise problem

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not used for web sources")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    def __init__(self, policy: AddressPolicy, resolve: Resolver) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=10,
            max_keepalive_connections=10,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(policy, resolve),
        )


class WebFetcher:
    """One HTTP client for a round of fetches (connections to a server are reused)."""

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        max_bytes: int = 20 * MB,
        timeout: float = 30.0,
        resolve: Resolver = system_resolver,
    ) -> None:
        self.policy = policy
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._resolve = resolve
        redact_httpx_queries()
        self._client = httpx.Client(
            transport=GuardedTransport(policy, resolve),
            follow_redirects=False,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": USER_AGENT},
            trust_env=False,
        )

    @classmethod
    def from_settings(
        cls, settings: Settings, *, resolve: Resolver = system_resolver
    ) -> WebFetcher:
        return cls(
            AddressPolicy.from_settings(settings),
            max_bytes=settings.web_source_max_mb * MB,
            timeout=settings.web_source_timeout_seconds,
            resolve=resolve,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> WebFetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def fetch(self, url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
        headers = {
            "Accept": "text/html, application/pdf, application/vnd.openxmlformats-"
            "officedocument.wordprocessingml.document, text/plain;q=0.9, */*;q=0.1"
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            current = check_url(current, self.policy, self._resolve)
            outcome = self._get(current, headers)
            if isinstance(outcome, Fetched):
                return outcome
            current = outcome  # the next hop
        raise FetchError(
            f"{_host(url)} redirects more than {MAX_REDIRECTS} times; add the address the "
            "page finally lives at."
        )

    def _get(self, url: str, headers: dict[str, str]) -> Fetched | str:
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return Fetched(url, True, etag=response.headers.get("etag", ""))
                if response.status_code in (301, 302, 303, 307, 308):
                    location = response.headers.get("location", "")
                    if not location:
                        raise FetchError(f"{_host(url)} redirects without saying where to.")
                    return urljoin(url, location)
                if response.status_code >= 400:
                    raise FetchError(
                        f"{_host(url)} answered {response.status_code} "
                        f"{response.reason_phrase or ''}".rstrip()
                        + f" for {loggable_url(url)}; check the address."
                    )
                if response.status_code != 200:
                    raise FetchError(
                        f"{_host(url)} answered {response.status_code} instead of the page."
                    )
                declared = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if declared not in _TYPES and declared not in _GENERIC_TYPES:
                    raise FetchError(_unsupported(url, declared))
                content = self._read(response, url, started)
                kind = _TYPES.get(declared) or _sniff(content, url)
                if kind is None:
                    raise FetchError(_unsupported(url, declared or "unknown"))
                return Fetched(
                    url,
                    False,
                    content,
                    kind,
                    etag=response.headers.get("etag", ""),
                    last_modified=response.headers.get("last-modified", ""),
                )
        except httpx.TimeoutException:
            raise FetchError(
                f"{_host(url)} did not answer within {self.timeout:g} seconds; try again later."
            ) from None
        except httpx.HTTPError as exc:
            log.debug("Fetching %s failed: %s", loggable_url(url), type(exc).__name__)
            raise FetchError(
                f"Could not fetch {loggable_url(url)} ({_short(exc)}); check the address or "
                "try again later."
            ) from None

    def _read(self, response: httpx.Response, url: str, started: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(_too_big(url, self.max_bytes))
        data = bytearray()
        for piece in response.iter_raw():
            data += piece
            if len(data) > self.max_bytes:
                raise FetchError(_too_big(url, self.max_bytes))
            if time.monotonic() - started > self.timeout:
                raise FetchError(
                    f"{_host(url)} took longer than {self.timeout:g} seconds to send the page; "
                    "try again later."
                )
        encoding = response.headers.get("content-encoding", "").strip().lower()
        if encoding in ("", "identity"):
            return bytes(data)
        # Decompressed here, under the same limit: a small gzip must not inflate to gigabytes.
        return _decoded(bytes(data), encoding, url, self.max_bytes)


def _decoded(data: bytes, encoding: str, url: str, limit: int) -> bytes:
    import zlib

    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"{_host(url)} sent the page compressed as {encoding}, which is not read.")
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    decompressor = zlib.decompressobj(wbits)
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error:
        raise FetchError(f"{_host(url)} sent a damaged compressed page.") from None
    if len(out) > limit or decompressor.unconsumed_tail:
        raise FetchError(_too_big(url, limit))
    return out


def _sniff(content: bytes, url: str) -> Kind | None:
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"PK\x03\x04") and suffix == ".docx":
        return "docx"
    if suffix in (".html", ".htm") and b"<" in content[:1024]:
        return "html"
    if suffix == ".txt":
        return "text"
    return None


def _host(url: str) -> str:
    return urlsplit(url).hostname or "the server"


def _short(exc: BaseException) -> str:
    text = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    return (text[:160] or type(exc).__name__).rstrip(".")


def _too_big(url: str, limit: int) -> str:
    return (
        f"{loggable_url(url)} is larger than {limit / MB:g} MB (WEB_SOURCE_MAX_MB); add a "
        "smaller document or raise the limit."
    )


def _unsupported(url: str, declared: str) -> str:
    return (
        f"{loggable_url(url)} is {declared}, not a web page, PDF, Word (DOCX) or text file, so "
        "it cannot be added."
    )
