"""Sign-in: a member and a stranger get the same answer after the same work, and nobody
can use up a member's sign-in requests (issue: 30.6 vs 19.1 ms median; five requests
locked a member out for an hour)."""

from __future__ import annotations

import re

from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omov.accounts import views
from omov.accounts.models import SignInAttempt

from .helpers import link_from_last_email, member
from .test_sign_in import ask_for_link


def queries_until_answered(email: str) -> tuple[list[str], object]:
    request = RequestFactory().post(reverse("accounts:sign_in"), {"email": email},
                                    REMOTE_ADDR="192.0.2.1")
    with CaptureQueriesContext(connection) as queries:
        response = views.sign_in(request)
    shapes = [re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "?", query["sql"])
              for query in queries.captured_queries]
    return shapes, response


def test_a_member_and_a_stranger_are_answered_after_the_same_queries() -> None:
    member(email="sam@example.org")
    for_member, member_response = queries_until_answered("sam@example.org")
    for_stranger, stranger_response = queries_until_answered("nobody@example.org")
    assert for_member == for_stranger
    assert member_response.status_code == stranger_response.status_code == 302
    assert member_response["Location"] == stranger_response["Location"]
    assert mail.outbox == [], "nothing is mailed before the answer has gone"
    member_response.close()  # what the WSGI server does once it has sent the answer
    stranger_response.close()
    assert [message.to for message in mail.outbox] == [["sam@example.org"]]


def test_someone_asking_for_a_members_links_cannot_lock_the_member_out() -> None:
    member(email="sam@example.org")
    for _ in range(5):
        assert ask_for_link(Client(), "sam@example.org", ip="203.0.113.66") == 302
    assert ask_for_link(Client(), "sam@example.org", ip="203.0.113.66") == 429
    sams_client = Client()
    assert ask_for_link(sams_client, "sam@example.org", ip="198.51.100.20") == 302
    assert sams_client.post(link_from_last_email()).status_code == 302
    assert not SignInAttempt.objects.filter(email="sam@example.org").exists(), (
        "the member's own sign-in starts their address afresh")
    assert ask_for_link(Client(), "sam@example.org", ip="203.0.113.66") == 302


def test_many_requesters_together_still_meet_a_cap_per_email_address() -> None:
    member(email="sam@example.org")
    for number in range(20):
        assert ask_for_link(Client(), "sam@example.org", ip=f"203.0.113.{number}") == 302
    assert ask_for_link(Client(), "sam@example.org", ip="203.0.113.200") == 429
