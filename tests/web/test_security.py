"""Security headers, cookies and the debug-only mailbox."""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from omov.web.mailbox.backend import DatabaseEmailBackend

from .helpers import member, sign_in


def test_every_page_has_a_content_security_policy_without_inline_script() -> None:
    policy = Client().get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_cannot_be_framed_and_do_not_leak_referrers() -> None:
    response = Client().get(reverse("accounts:sign_in"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_secure_httponly_and_lax() -> None:
    client = sign_in(Client(), member())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"], "outside debug mode the session cookie is sent over HTTPS only"


def test_pages_load_no_scripts_from_other_sites() -> None:
    page = Client().get(reverse("home")).content.decode()
    assert "<script>" not in page
    assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]


def test_mailbox_does_not_exist_outside_debug_mode() -> None:
    assert not settings.DEBUG
    assert Client().get("/dev/mailbox/").status_code == 404


@override_settings(DEBUG=True, ROOT_URLCONF="tests.web.debug_urls")
def test_mailbox_shows_stored_mail_in_debug_mode() -> None:
    message = mail.EmailMessage("Your sign-in link", "Hello", "omov@example.org", ["a@example.org"])
    DatabaseEmailBackend().send_messages([message])
    response = Client().get("/dev/mailbox/")
    assert response.status_code == 200
    assert "Your sign-in link" in response.content.decode()
