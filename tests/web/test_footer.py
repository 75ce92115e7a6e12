"""The footer's audit-log link fits who is reading: it says who may read the log."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from .helpers import client_for, member


def test_an_anonymous_visitor_is_told_who_can_read_the_log_and_offered_sign_in() -> None:
    page = Client().get(reverse("home")).content.decode()
    assert "which anyone on the membership roll can read" in page
    assert f'href="{reverse("accounts:sign_in")}?next={reverse("audit:public_log")}"' in page
    assert "sign in to read it" in page


def test_a_member_gets_the_log_itself() -> None:
    client = client_for(member())
    page = client.get(reverse("home")).content.decode()
    assert f'<a href="{reverse("audit:public_log")}">read the audit log</a>' in page
    assert client.get(reverse("audit:public_log")).status_code == 200
