"""Which web addresses the bot may fetch, and how an address is written in a log line.

An admin gives an address; the page may redirect anywhere. Without a rule, `/tambah
http://169.254.169.254/latest/meta-data/` or a redirect to `http://localhost:5432/` would make
the bot read its own network (server-side request forgery). The rule:

- only http and https, no user name or password in the address;
- the host must resolve only to public (globally routable, not multicast) addresses, unless
  WEB_SOURCES_ALLOW_PRIVATE is on or the host is one of WEB_SOURCES_TRUSTED_HOSTS;
- the rule is applied to every hop of a redirect, and again when connecting
  (`fetch.GuardedBackend` connects to the very address it checked, so a DNS answer that
  changes between the check and the connection cannot slip a private address in).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from replikasi.errors import ReplikasiError
from replikasi.settings import Settings

Resolver = Callable[[str, int], Sequence[str]]
MAX_URL_CHARS = 2000


class WebSourceError(ReplikasiError):
    """A web source that could not be fetched or read; the message says why, for a person."""


class WebAddressError(WebSourceError):
    """An address that is not fetched (not http/https, or leading to a private network)."""


@dataclass(frozen=True)
class AddressPolicy:
    allow_private: bool = False
    trusted_hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_settings(cls, settings: Settings) -> AddressPolicy:
        return cls(
            settings.web_sources_allow_private, frozenset(settings.web_sources_trusted_hosts)
        )

    def exempt(self, host: str) -> bool:
        return self.allow_private or host.lower().rstrip(".") in self.trusted_hosts


def normalise_url(url: str) -> str:
    """The address as it will be fetched and stored, or WebAddressError saying what is wrong."""
    url = url.strip().strip("<>")
    if not url:
        raise WebAddressError("No address given; send it as https://…")
    if len(url) > MAX_URL_CHARS:
        raise WebAddressError(f"The address is longer than {MAX_URL_CHARS} characters.")
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise WebAddressError("That is not a valid web address.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise WebAddressError(
            f"Only http and https addresses can be added, not {parts.scheme}: addresses."
        )
    if not parts.hostname:
        raise WebAddressError("The address has no host name; send it as https://host/path.")
    if parts.username is not None or parts.password is not None:
        raise WebAddressError(
            "Addresses with a user name or password in them are not accepted (they would be "
            "stored and shown); use a public address of the page."
        )
    if any(ch.isspace() for ch in url):
        raise WebAddressError("The address contains spaces; send it as one word.")
    host = parts.hostname.lower()
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise WebAddressError(f"The host {host} could not be found ({exc}).") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def checked_addresses(
    host: str, port: int, policy: AddressPolicy, resolve: Resolver = system_resolver
) -> list[str]:
    """The addresses of `host` it is allowed to connect to (all of them must pass)."""
    try:
        addresses = [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        addresses = list(resolve(host, port))
    if not addresses:
        raise WebAddressError(f"The host {host} could not be found.")
    if policy.exempt(host):
        return addresses
    blocked = [address for address in addresses if not is_public(address)]
    if blocked:
        raise WebAddressError(
            f"{host} leads to a private or local network address ({blocked[0]}), which the "
            "bot does not fetch; only public pages can be added (an admin of the server may "
            "allow a host with WEB_SOURCES_TRUSTED_HOSTS)."
        )
    return addresses


def check_url(url: str, policy: AddressPolicy, resolve: Resolver = system_resolver) -> str:
    """`normalise_url`, and its host checked against the policy."""
    normal = normalise_url(url)
    parts = urlsplit(normal)
    host = parts.hostname or ""
    checked_addresses(host, parts.port or (443 if parts.scheme == "https" else 80), policy, resolve)
    return normal


def loggable_url(url: str) -> str:
    """The address for a log line: no user name, password, query string or fragment (tokens
    travel there); "?…" says there was a query."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(invalid address)"
    netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")
    shown = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    return shown + ("?…" if parts.query else "")
