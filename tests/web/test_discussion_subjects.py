"""Decisions, meetings and petitions carry a discussion; a signer follows the petition's."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from omov.committees import actions as committee_actions
from omov.committees.models import Decision, Meeting
from omov.discussion.actions import thread_for
from omov.discussion.models import Comment, Follow
from omov.petitions import actions as petition_actions
from omov.petitions.models import Kind, Petition, Visibility

from .committee_helpers import National, national, present
from .helpers import client_for, days_ago, member, organiser

pytestmark = pytest.mark.django_db


@pytest.fixture
def nc() -> National:
    return national()


def _decision(nc: National) -> Decision:
    meeting = committee_actions.record_meeting(
        nc.committee, kind="full", held_on=days_ago(3), notice_sent_on=days_ago(10),
        attendance=present(nc.seats[:7]), actor=nc.secretary)
    return committee_actions.record_decision(meeting, text="Adopt the budget", kind="ordinary",
                                             effective_on=days_ago(0), actor=nc.secretary)


def _petition(nc: National) -> Petition:
    return petition_actions.start_petition(
        by=member("Asha Camden"), kind=Kind.OPEN_LETTER, title="Reverse it",
        text="We ask the committee to reverse its decision.", committee=nc.committee,
        thresholds={"answer": 3}, roll_date=days_ago(1), denominator=60,
        closes_at=timezone.now() + datetime.timedelta(days=14))


def _post(who: object, label: str, pk: int, body: str) -> None:
    response = client_for(who).post(  # type: ignore[arg-type]
        reverse("discussion:post", args=[label, pk]), {"body": body})
    assert response.status_code == 302


def test_a_member_posts_on_a_decisions_thread_and_its_page_shows_it(nc: National) -> None:
    decision = _decision(nc)
    reader = member("Decision Reader")
    _post(reader, "committees.decision", decision.pk, "Why this budget?")
    assert Comment.objects.get(thread=thread_for(decision)).author == reader
    page = client_for(reader).get(reverse("committees:decision", args=[decision.pk]))
    assert "Why this budget?" in page.content.decode()
    assert "There is no ballot on this yet" in page.content.decode()
    start = reverse("petitions:start")
    assert f'<a href="{start}">Start a petition for one</a>' in page.content.decode()


def test_a_meetings_page_carries_its_thread(nc: National) -> None:
    meeting = Meeting.objects.get(pk=_decision(nc).meeting_id)
    _post(nc.seats[3], "committees.meeting", meeting.pk, "Thanks for the minutes")
    page = client_for(nc.seats[4]).get(reverse("committees:meeting", args=[meeting.pk]))
    assert "Thanks for the minutes" in page.content.decode()


def test_a_member_posts_on_a_petitions_thread_and_a_signer_follows_it(nc: National) -> None:
    petition = _petition(nc)
    signer = member("Petition Signer")
    assert not Follow.objects.filter(member=signer).exists()
    petition_actions.sign_petition(petition, by=signer, visibility=Visibility.COUNTED)
    assert Follow.objects.filter(thread=thread_for(petition), member=signer).exists()
    _post(signer, "petitions.petition", petition.pk, "Signed; please answer soon")
    page = client_for(member("Passer By")).get(reverse("petitions:detail", args=[petition.slug]))
    assert "Signed; please answer soon" in page.content.decode()


def test_a_hidden_petitions_thread_is_not_shown_or_open(nc: National) -> None:
    petition = _petition(nc)
    _post(nc.seats[2], "petitions.petition", petition.pk, "An abusive remark")
    petition_actions.hide_petition(petition, by=organiser(), reason="Abusive")
    viewer = client_for(nc.seats[5])
    page = viewer.get(reverse("petitions:detail", args=[petition.slug]))
    assert "An abusive remark" not in page.content.decode()
    thread = viewer.get(reverse("discussion:thread", args=["petitions.petition", petition.pk]))
    assert thread.status_code == 404


def test_a_decisions_thread_links_the_ballot_its_call_in_forced(nc: National) -> None:
    from omov.petitions import call_in

    from .test_ballots_helpers import published

    decision = _decision(nc)
    petition = call_in.open_call_in(by=member("Ann Caller"), decision=decision, text="Reverse.")
    reader = client_for(nc.seats[6])
    page = reader.get(reverse("committees:decision", args=[decision.pk])).content.decode()
    assert "There is no ballot on this yet" in page
    ballot = published().ballot
    Petition.objects.filter(pk=petition.pk).update(forced_ballot=ballot)
    for url in (reverse("committees:decision", args=[decision.pk]),
                reverse("petitions:detail", args=[petition.slug])):
        page = reader.get(url).content.decode()
        assert "The vote on this question:" in page
        assert reverse("ballots:detail", args=[ballot.slug]) in page
