"""Links in document text: found in every form, and told apart from official ones.

A link need not start with http: `ftp://`, `javascript:`, `www.promo.xyz`, an e-mail address
and a bare `evil.example/daftar` all send a reader somewhere (Telegram makes the bare ones
clickable too). `find_links` finds them all; a bare "name.tld" counts when its ending is a
known top-level domain, so "laporan.pdf", "S.Kom" or "Dr.Ir" do not. `foreign_links` keeps
those whose host is neither official (go.id by default; the allow-list is an argument) nor
the host of one of the document's own sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import urlsplit

# Government domains are official; the allow-list is an argument everywhere it matters.
OFFICIAL_DOMAINS: tuple[str, ...] = ("go.id",)

_I = re.I

# Top-level domains a bare "name.tld" must end in to count as a link. Left out on purpose:
# those that are also file extensions (.md, .py, .zip, .mov, .sh, .pl, .rs, .ps, .cs).
# fmt: off
_GENERIC_TLDS = [
    "com", "net", "org", "info", "biz", "gov", "edu", "mil", "int", "xyz", "top", "online",
    "site", "club", "shop", "store", "tech", "live", "link", "click", "app", "dev", "page",
    "cloud", "digital", "news", "blog", "website", "web", "space", "fun", "icu", "buzz", "vip",
    "win", "bid", "loan", "work", "host", "pro", "mobi", "name", "asia", "email", "support",
    "help", "services", "secure", "login", "account", "center", "today", "world", "life", "one",
    "best", "bank", "money", "finance", "gift", "cam", "men", "date", "review", "download",
    "stream", "racing", "example", "test", "invalid", "localhost", "local", "onion",
]
_COUNTRY_TLDS = [
    "id", "co", "io", "me", "ly", "gl", "to", "tk", "ml", "ga", "cf", "gq", "ru", "cn", "su",
    "us", "uk", "de", "fr", "nl", "jp", "kr", "br", "au", "ca", "eu", "sg", "my", "ph", "vn",
    "th", "hk", "tw", "cc", "tv", "ws", "bz", "la", "nu", "pw", "cx", "st", "gg", "im", "ai",
    "in", "it", "es", "pt", "ch", "se", "no", "fi", "dk", "cz", "at", "be", "ie", "nz", "za",
    "mx", "ar", "cl", "pe", "ve", "ng", "ke", "eg", "sa", "ae", "ir", "pk", "bd", "lk", "np",
    "mm", "kh", "tl",
]
# fmt: on
_TLD_ALTERNATION = "|".join(sorted(set(_GENERIC_TLDS + _COUNTRY_TLDS), key=len, reverse=True))
_URL_TAIL = r"[^\s<>\"'()\[\]{}]*"
_LINK = re.compile(
    rf"(?P<scheme>\b[a-z][a-z0-9+.\-]{{1,15}}://{_URL_TAIL})"
    rf"|(?P<pseudo>\b(?:javascript|data|vbscript|file|mailto|tel|sms|intent):[^\s<>\"']+)"
    rf"|(?P<email>\b[\w.+\-]+@(?:[a-z0-9\-]+\.)+[a-z]{{2,24}}\b)"
    rf"|(?P<www>\bwww\d?\.{_URL_TAIL})"
    rf"|(?P<bare>(?<![\w@/.\-])(?P<labels>(?:[a-z0-9](?:[a-z0-9\-]{{0,61}}[a-z0-9])?\.)+)"
    rf"(?P<tld>{_TLD_ALTERNATION})(?![\w\-])(?P<path>[/:?#]{_URL_TAIL})?)",
    _I,
)
_TRAILING_PUNCTUATION = ".,;:!?)]}\"'”’»"
# A news dateline names the publisher, it does not send anyone anywhere: "JAKARTA,
# KOMPAS.com – …", "Indonesiaplus.id – …". Only a capitalised brand with no path, at the
# start, before a dash.
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z .]{0,30},\s*)?(?=[\w.\-]*[A-Z])[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
    r"\.[A-Za-z]{2,12}(?:,\s*[A-Z][A-Za-z .]{0,30})?\s+[-–—]\s+"
)


def find_links(text: str) -> list[str]:
    """Every link-like piece of `text`: any scheme, www., e-mail, or a bare domain."""
    return [match.group().rstrip(_TRAILING_PUNCTUATION) for match in _link_matches(text)]


def has_web_address(text: str) -> bool:
    """Does `text` write out a web address ("https://…", "www.…", "jippnas.menpan.go.id"),
    not only an e-mail address or a mailto:/tel: link?"""
    return any(m.group("scheme") or m.group("www") or m.group("bare") for m in _link_matches(text))


def _link_matches(text: str) -> Iterator[re.Match[str]]:
    text = _DATELINE.sub(" ", text, count=1)
    for match in _LINK.finditer(text):
        if match.group("bare") and not _plausible_bare_domain(match):
            continue
        yield match


def _plausible_bare_domain(match: re.Match[str]) -> bool:
    """ "Dr.Ir" or "S.Kom" are titles, not domains: a two-letter country domain needs a
    name of three letters or more, more than one dot, or a path."""
    labels = [label for label in match.group("labels").split(".") if label]
    if len(match.group("tld")) > 2 or match.group("path"):
        return True
    return len(labels) > 1 or len(labels[-1]) >= 3


def link_host(link: str) -> str:
    """The host a link points to, lower case, without "www." ("" when it has none)."""
    text = link.strip()
    if "@" in text and "://" not in text and not text.lower().startswith("mailto:"):
        host = text.rsplit("@", 1)[1]
    else:
        if text.lower().startswith("mailto:"):
            text = "mailto://" + text[len("mailto:") :].rsplit("@", 1)[-1]
        elif "://" not in text:
            text = "http://" + text
        try:
            host = urlsplit(text).hostname or ""
        except ValueError:
            return ""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def is_allowed_link(
    link: str, sources: Iterable[str] = (), official: Sequence[str] = OFFICIAL_DOMAINS
) -> bool:
    """A link to an official domain, or to the host of one of the document's sources.
    Schemes other than http(s) and mailto (ftp://, javascript:, file:…) are never allowed."""
    scheme = link.split(":", 1)[0].lower() if re.match(r"^[a-z][a-z0-9+.\-]*:", link, _I) else ""
    if scheme and scheme not in ("http", "https", "mailto") and "@" not in link.split(":", 1)[0]:
        return False
    host = link_host(link)
    if not host:
        return False
    if any(host == domain or host.endswith("." + domain) for domain in official):
        return True
    return host in {link_host(source) for source in sources if source}


def foreign_links(
    text: str, sources: Iterable[str] = (), official: Sequence[str] = OFFICIAL_DOMAINS
) -> list[str]:
    """The links in `text` that are neither official nor the document's own."""
    allowed = list(sources)
    return [link for link in find_links(text) if not is_allowed_link(link, allowed, official)]
