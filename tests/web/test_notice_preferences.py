"""A member chooses which kinds of email they get, on their page or with one click from an
email: the link's GET only asks, its POST (RFC 8058, no session, no CSRF token) stops it."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from omov.audit.models import AuditEvent
from omov.ballots.actions import notices as ballot_notices
from omov.members import notices
from omov.members.models import Member, NoticeKind, NoticeOptOut

from .helpers import client_for, member, organiser
from .smtp_server import SmtpServer
from .test_ballots_helpers import opened


def stop_path(person: Member, kind: NoticeKind) -> str:
    return reverse("members:unsubscribe", args=[notices.unsubscribe_token(person, kind)])


def test_the_members_page_lists_each_kind_and_saves_the_choice() -> None:
    person = member("Rosa Parks")
    client = client_for(person)
    page = client.get(reverse("members:me")).content.decode()
    assert "Emails we send you" in page
    for kind in NoticeKind:
        assert (kind.label in page) == (kind not in (NoticeKind.BALLOT_STEPS,
                                                     NoticeKind.REJOIN_REQUEST))
    response = client.post(reverse("members:notice_kinds"),
                           {NoticeKind.BALLOT_OPENED.value: "on", NoticeKind.BALLOT_RESULT: "on"})
    assert response.status_code == 302
    off = set(NoticeOptOut.objects.filter(member=person).values_list("kind", flat=True))
    assert off == {NoticeKind.BALLOT_REMINDER, NoticeKind.MEMBERSHIP}
    assert AuditEvent.objects.filter(action="set_notice_kinds", actor=person).exists()
    client.post(reverse("members:notice_kinds"), {kind.value: "on" for kind in NoticeKind})
    assert not NoticeOptOut.objects.filter(member=person).exists()


def test_an_organiser_also_sees_the_organisers_kinds() -> None:
    page = client_for(organiser("Olu Okoro")).get(reverse("members:me")).content.decode()
    assert NoticeKind.BALLOT_STEPS.label in page and NoticeKind.REJOIN_REQUEST.label in page


def test_following_the_link_asks_and_changes_nothing() -> None:
    person = member("Rosa Parks")
    response = Client().get(stop_path(person, NoticeKind.BALLOT_REMINDER))
    assert response.status_code == 200
    page = response.content.decode()
    assert NoticeKind.BALLOT_REMINDER.label in page and "<button" in page
    assert not NoticeOptOut.objects.exists()


def test_one_click_post_stops_that_kind_without_a_session_or_csrf_token() -> None:
    person = member("Rosa Parks")
    client = Client(enforce_csrf_checks=True)
    response = client.post(stop_path(person, NoticeKind.BALLOT_REMINDER),
                           "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "Done" in response.content.decode()
    assert list(NoticeOptOut.objects.values_list("member", "kind")) == [
        (person.pk, NoticeKind.BALLOT_REMINDER.value)]
    event = AuditEvent.objects.get(action="unsubscribe_notice")
    assert event.actor == person
    client.post(stop_path(person, NoticeKind.BALLOT_REMINDER))  # again: nothing more
    assert NoticeOptOut.objects.count() == 1
    assert AuditEvent.objects.filter(action="unsubscribe_notice").count() == 1


def test_a_forged_or_altered_link_is_refused() -> None:
    person = member("Rosa Parks")
    forged = signing.dumps({"m": person.pk, "k": "ballot_opened"}, salt="another salt")
    for token in (forged, notices.unsubscribe_token(person, NoticeKind.BALLOT_OPENED)[:-2] + "xx",
                  "nonsense"):
        path = reverse("members:unsubscribe", args=[token])
        for response in (Client().get(path), Client().post(path)):
            assert response.status_code == 400
            assert "not one omov sent" in response.content.decode()
    assert not NoticeOptOut.objects.exists()


def test_an_expired_link_is_refused_with_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    person = member("Rosa Parks")
    path = stop_path(person, NoticeKind.BALLOT_OPENED)
    later = time.time() + (notices.UNSUBSCRIBE_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = Client().post(path)
    assert response.status_code == 400
    assert "more than 365 days old" in response.content.decode()
    assert not NoticeOptOut.objects.exists()


def test_after_one_click_the_ballot_notice_of_that_kind_no_longer_comes() -> None:
    election = opened(voters=2)
    quiet = election.voters[0]
    Client().post(stop_path(quiet, NoticeKind.BALLOT_OPENED))
    mail.outbox.clear()
    ballot_notices.send_mailings(timezone.now())
    assert not [m for m in mail.outbox if m.to == [quiet.email]]
    assert [m for m in mail.outbox if m.to == [election.voters[1].email]]


@pytest.fixture
def smtp(settings: Any) -> Any:
    server = SmtpServer()
    server.start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()


@pytest.mark.usefixtures("durable_outbox")
def test_the_sent_message_carries_the_one_click_headers_and_its_link_works(
    smtp: SmtpServer,
) -> None:
    from omov.web import outbox

    person = member("Rosa Parks")
    outbox.run_delivery_round()
    smtp.handler.received.clear()
    notices.send_notice(person, NoticeKind.MEMBERSHIP, "Your membership is lapsed", "Hello.")
    assert outbox.run_delivery_round() == 1
    [received] = smtp.handler.received
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(received["List-Unsubscribe"]).strip().strip("<>")
    assert link in received.get_content()
    path = link.removeprefix("http://127.0.0.1:8000")
    assert Client(enforce_csrf_checks=True).post(path).status_code == 200
    assert NoticeOptOut.objects.filter(member=person, kind=NoticeKind.MEMBERSHIP).exists()


def test_discussion_notices_carry_the_same_headers() -> None:
    from omov.discussion import notices as discussion_notices

    headers = discussion_notices.unsubscribe_headers(member("Rosa Parks"))
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<http")
