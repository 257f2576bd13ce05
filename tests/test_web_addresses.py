"""Which addresses web sources may be fetched from (the SSRF rule), how they are logged, and
the pure parts of the registry: passage diffs, due times, file names."""

from __future__ import annotations

import pytest

from ingest.web.addresses import (
    AddressPolicy,
    WebAddressError,
    check_url,
    checked_addresses,
    is_public,
    loggable_url,
    normalise_url,
)
from ingest.web.passages import PassageDiff
from ingest.web.registry import WebSource
from ingest.web.sources import source_file

PUBLIC = "93.184.216.34"


def resolver(table: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        return table[host]

    return resolve


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://JIPPNAS.menpan.go.id", "https://jippnas.menpan.go.id/"),
        ("jippnas.menpan.go.id/profil?id=3#top", "https://jippnas.menpan.go.id/profil?id=3"),
        ("<http://example.org:8080/a>", "http://example.org:8080/a"),
    ],
)
def test_addresses_are_normalised(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("ftp://example.org/file.pdf", "Only http and https"),
        ("file:///etc/passwd", "Only http and https"),
        ("https://user:secret@example.org/", "user name or password"),
        ("https://", "no host name"),
        ("", "No address"),
        ("https://example.org/" + "a" * 2100, "longer than"),
    ],
)
def test_bad_addresses_are_refused_with_a_reason(given: str, reason: str) -> None:
    with pytest.raises(WebAddressError, match=reason):
        normalise_url(given)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "240.0.0.1",  # reserved
    ],
)
def test_private_local_and_reserved_addresses_are_not_public(address: str) -> None:
    assert not is_public(address)


def test_public_addresses_are_public() -> None:
    assert is_public(PUBLIC)
    assert is_public("2606:4700:4700::1111")


def test_a_host_resolving_to_any_private_address_is_refused() -> None:
    resolve = resolver({"mixed.example": [PUBLIC, "10.0.0.5"], "ok.example": [PUBLIC]})
    with pytest.raises(WebAddressError, match="private or local network"):
        check_url("https://mixed.example/page", AddressPolicy(), resolve)
    assert check_url("https://ok.example/page", AddressPolicy(), resolve)
    with pytest.raises(WebAddressError, match="private or local"):
        check_url("http://169.254.169.254/latest/meta-data/", AddressPolicy(), resolve)
    with pytest.raises(WebAddressError, match="private or local"):
        check_url("http://[::1]:8080/", AddressPolicy(), resolve)


def test_the_setting_or_a_trusted_host_allows_private_addresses() -> None:
    resolve = resolver({"jdih.pemda.local": ["10.0.0.7"], "other.local": ["10.0.0.8"]})
    trusted = AddressPolicy(trusted_hosts=frozenset({"jdih.pemda.local"}))
    assert checked_addresses("jdih.pemda.local", 80, trusted, resolve) == ["10.0.0.7"]
    with pytest.raises(WebAddressError):
        checked_addresses("other.local", 80, trusted, resolve)
    assert checked_addresses("other.local", 80, AddressPolicy(allow_private=True), resolve)


def test_log_lines_never_carry_credentials_or_query_tokens() -> None:
    shown = loggable_url("https://jdih.example.go.id/doc.pdf?token=s3cr3t&sig=abc#x")
    assert shown == "https://jdih.example.go.id/doc.pdf?…"
    assert "s3cr3t" not in loggable_url("https://admin:s3cr3t@example.org/a")


def test_passage_diff_counts_changed_added_and_removed() -> None:
    diff = PassageDiff.between(["a", "b", "c", "d"], ["a", "b2", "c2", "d", "e"])
    assert (diff.changed, diff.added, diff.removed, diff.unchanged) == (2, 1, 0, 2)
    assert diff.describe() == "2 passages changed, 1 added"
    assert diff.total == 5
    shrunk = PassageDiff.between(["a", "b", "c"], ["a"])
    assert (shrunk.changed, shrunk.added, shrunk.removed) == (0, 0, 2)
    assert not PassageDiff.between(["a"], ["a"]).any


def test_sources_are_due_after_their_interval() -> None:
    source = WebSource("https://x.example/", "web/x.html", "web/x.html", "html", last_checked=0)
    assert not source.due(now=23 * 3600)
    assert source.due(now=24 * 3600)
    assert source.due(now=6 * 3600, default_hours=6)  # follows WEB_SOURCES_CHECK_HOURS
    own = WebSource("https://x.example/", "", "", "html", interval_hours=1, last_checked=0)
    assert own.due(now=3600, default_hours=24)
    assert WebSource("https://x.example/", "", "", "html").due(now=0)  # never checked
    manual = WebSource("https://x.example/", "", "", "html", interval_hours=0)
    assert not manual.due(now=10**9)
    failing = WebSource("https://x.example/", "", "", "html", failures=3, last_checked=1)
    assert failing.state == "unreachable"


def test_each_address_gets_its_own_readable_file() -> None:
    one = source_file("https://jippnas.menpan.go.id/profil", "html")
    two = source_file("https://jippnas.menpan.go.id/profil?page=2", "html")
    assert one.startswith("web/jippnas-menpan-go-id-profil-") and one.endswith(".html")
    assert one != two
    assert source_file("https://jdih.example.go.id/x.pdf", "pdf").endswith(".pdf")
