"""Signing in with emailed single-use, expiring links, and the rate limits."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from omov.accounts.actions import hash_token, issue_login_link
from omov.accounts.models import LoginLink, SignInAttempt
from omov.accounts.ratelimit import SignInLimited

from .helpers import link_from_last_email, member


def ask_for_link(client: Client, email: str, ip: str = "192.0.2.1") -> int:
    response = client.post(reverse("accounts:sign_in"), {"email": email}, REMOTE_ADDR=ip)
    return response.status_code


def test_member_signs_in_with_the_emailed_link() -> None:
    sam = member(email="sam@example.org")
    client = Client()
    assert ask_for_link(client, "SAM@example.org") == 302
    assert mail.outbox[-1].to == ["sam@example.org"]
    link = link_from_last_email()
    assert client.get(link).status_code == 200, "opening the link only shows a button"
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:me")
    assert sam.name in client.get(reverse("members:me")).content.decode()


def test_only_a_hash_of_the_token_is_stored() -> None:
    sam = member(email="sam@example.org")
    token = issue_login_link("sam@example.org", ip_address=None)
    assert token is not None
    stored = LoginLink.objects.get(member=sam)
    assert stored.token_hash == hash_token(token)
    assert token not in stored.token_hash


def test_a_link_works_only_once() -> None:
    member(email="sam@example.org")
    ask_for_link(Client(), "sam@example.org")
    link = link_from_last_email()
    assert Client().post(link).status_code == 302
    second = Client().post(link)
    assert second.status_code == 400
    assert "already been used" in second.content.decode()


def test_a_link_expires_after_thirty_minutes() -> None:
    member(email="sam@example.org")
    token = issue_login_link("sam@example.org", ip_address=None)
    link = LoginLink.objects.get()
    lifetime = link.expires_at - link.created_at
    assert abs(lifetime - datetime.timedelta(minutes=30)) < datetime.timedelta(seconds=1)
    LoginLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = Client().post(reverse("accounts:redeem", args=[token]))
    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_a_made_up_link_does_not_sign_in() -> None:
    client = Client()
    response = client.post(reverse("accounts:redeem", args=["not-a-real-token"]))
    assert response.status_code == 400
    assert client.get(reverse("members:me")).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail() -> None:
    member(email="sam@example.org")
    client = Client()
    assert ask_for_link(client, "nobody@example.org") == 302
    assert len(mail.outbox) == 0


def test_sign_in_returns_to_the_page_first_asked_for() -> None:
    member(email="sam@example.org")
    client = Client()
    client.get(reverse("accounts:sign_in") + "?next=" + reverse("audit:public_log"))
    ask_for_link(client, "sam@example.org")
    response = client.post(link_from_last_email())
    assert response["Location"] == reverse("audit:public_log")


@override_settings(OMOV_SIGN_IN_LIMIT_PER_EMAIL=3)
def test_too_many_requests_for_one_address_are_refused_with_a_clear_message() -> None:
    member(email="sam@example.org")
    for _ in range(3):
        assert ask_for_link(Client(), "sam@example.org", ip="192.0.2.1") == 302
    response = Client().post(
        reverse("accounts:sign_in"), {"email": "Sam@Example.org"}, REMOTE_ADDR="192.0.2.99"
    )
    assert response.status_code == 429
    assert "Too many sign-in links" in response.content.decode()
    assert len(mail.outbox) == 3


@override_settings(OMOV_SIGN_IN_LIMIT_PER_IP=4)
def test_too_many_requests_from_one_address_are_refused() -> None:
    for number in range(4):
        assert ask_for_link(Client(), f"person{number}@example.org", ip="198.51.100.7") == 302
    assert ask_for_link(Client(), "someone.else@example.org", ip="198.51.100.7") == 429
    assert ask_for_link(Client(), "someone.else@example.org", ip="198.51.100.8") == 302


@override_settings(OMOV_SIGN_IN_LIMIT_PER_EMAIL=1)
def test_the_limit_lifts_when_the_window_has_passed() -> None:
    member(email="sam@example.org")
    issue_login_link("sam@example.org", ip_address=None)
    with pytest.raises(SignInLimited):
        issue_login_link("sam@example.org", ip_address=None)
    SignInAttempt.objects.update(at=timezone.now() - datetime.timedelta(hours=2))
    assert issue_login_link("sam@example.org", ip_address=None) is not None


def test_signing_out_ends_the_session() -> None:
    member(email="sam@example.org")
    client = Client()
    ask_for_link(client, "sam@example.org")
    client.post(link_from_last_email())
    client.post(reverse("accounts:sign_out"))
    assert client.get(reverse("members:me")).status_code == 302
