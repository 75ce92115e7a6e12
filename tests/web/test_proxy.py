"""Forwarded headers are believed from trusted proxies only (omov.web.proxy)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse

from omov.accounts.models import SignInAttempt
from omov.web.proxy import client_address, is_trusted, parse_trusted_proxies

from .helpers import member

TRUSTED = parse_trusted_proxies(["10.0.0.1", "192.168.0.0/16", "::1"])

CASES = [
    # peer, X-Forwarded-For, client seen
    ("203.0.113.7", None, "203.0.113.7"),
    ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # an untrusted peer's header is ignored
    ("10.0.0.1", "198.51.100.1", "198.51.100.1"),
    ("10.0.0.1", None, "10.0.0.1"),
    ("10.0.0.1", "", "10.0.0.1"),
    ("10.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own entry is not used
    ("10.0.0.1", "198.51.100.1, 192.168.4.4", "198.51.100.1"),  # two trusted hops
    ("10.0.0.1", "192.168.4.4, 192.168.4.5", "192.168.4.4"),  # every hop trusted
    ("10.0.0.1", "garbage, 198.51.100.1", "198.51.100.1"),
    ("10.0.0.1", "198.51.100.1, garbage", "10.0.0.1"),  # malformed last hop: stop at the proxy
    ("10.0.0.1", "198.51.100.1:5555", "198.51.100.1"),
    ("10.0.0.1", "[2001:db8::5]:443", "2001:db8::5"),
    ("::1", "2001:db8::5", "2001:db8::5"),
    ("::ffff:10.0.0.1", "198.51.100.1", "198.51.100.1"),
    ("10.0.0.2", "198.51.100.1", "10.0.0.2"),
]


@pytest.mark.parametrize(("peer", "forwarded_for", "client"), CASES)
def test_the_client_address(peer: str, forwarded_for: str | None, client: str) -> None:
    assert client_address(peer, forwarded_for, TRUSTED) == client


def test_nothing_is_trusted_by_default() -> None:
    assert not is_trusted("127.0.0.1", parse_trusted_proxies([]))
    assert client_address("127.0.0.1", "198.51.100.1", ()) == "127.0.0.1"


def test_a_bad_entry_is_named() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"'10\.0\.0\.300'"):
        parse_trusted_proxies(["10.0.0.1", "10.0.0.300"])


SECURE = {"SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 3600,
          "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}


@override_settings(OMOV_TRUSTED_PROXIES=["10.0.0.1"], **SECURE)
def test_https_from_the_trusted_proxy_is_served_with_hsts() -> None:
    response = Client().get("/health/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code in (200, 503)
    assert response["Strict-Transport-Security"] == "max-age=3600"


@override_settings(OMOV_TRUSTED_PROXIES=["10.0.0.1"], **SECURE)
def test_a_spoofed_proto_from_an_untrusted_peer_is_ignored() -> None:
    response = Client().get("/health/", REMOTE_ADDR="203.0.113.7",
                            HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert "Strict-Transport-Security" not in response


def ask_for_link(peer: str, forwarded_for: str) -> int:
    response = Client().post(reverse("accounts:sign_in"), {"email": "sam@example.org"},
                             REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded_for)
    return response.status_code


@override_settings(OMOV_TRUSTED_PROXIES=["10.0.0.1"], OMOV_SIGN_IN_LIMIT_PER_IP=2,
                   OMOV_SIGN_IN_LIMIT_PER_EMAIL=100)
def test_the_sign_in_limit_counts_the_client_behind_the_proxy() -> None:
    member(email="sam@example.org")
    assert ask_for_link("10.0.0.1", "198.51.100.1") == 302
    assert ask_for_link("10.0.0.1", "198.51.100.1") == 302
    assert ask_for_link("10.0.0.1", "198.51.100.1") == 429
    assert ask_for_link("10.0.0.1", "198.51.100.2") == 302, "another member behind the proxy"
    # From an untrusted peer, a forged X-Forwarded-For does not buy a fresh limit.
    assert ask_for_link("203.0.113.7", "198.51.100.3") == 302
    assert ask_for_link("203.0.113.7", "198.51.100.4") == 302
    assert ask_for_link("203.0.113.7", "198.51.100.5") == 429
    seen = set(SignInAttempt.objects.values_list("ip_address", flat=True))
    assert seen == {"198.51.100.1", "198.51.100.2", "203.0.113.7"}
