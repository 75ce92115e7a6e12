"""A member who cannot vote is told why; every 403 page says what the person can do."""

from __future__ import annotations

from django.urls import reverse

from omov.members import actions as member_actions

from .helpers import client_for, member
from .test_ballots_helpers import opened


def test_a_cancelled_member_is_told_why_they_cannot_vote_and_how_to_rejoin() -> None:
    election = opened(voters=2)
    voter = election.voters[0]
    member_actions.cancel_membership(voter, reason="In protest.")
    client = client_for(voter)
    listing = client.get(reverse("ballots:list")).content.decode()
    assert "your membership is cancelled" in listing
    assert "Vote again" not in listing and ">Vote<" not in listing
    detail = client.get(reverse("ballots:detail", args=[election.ballot.slug])).content.decode()
    assert "your membership is cancelled" in detail
    assert reverse("ballots:booth", args=[election.ballot.slug]) not in detail
    booth = client.get(reverse("ballots:booth", args=[election.ballot.slug]))
    page = booth.content.decode()
    assert booth.status_code == 403
    assert "your membership is cancelled, and only members in good standing may vote" in page
    assert "What you can do" in page and "ask to rejoin" in page
    assert reverse("members:me") in page


def test_a_member_who_joined_after_the_cut_off_hears_the_cut_off_date() -> None:
    election = opened(voters=1)
    newcomer = member("New Joiner", joined_days_ago=0)
    page = client_for(newcomer).get(
        reverse("ballots:booth", args=[election.ballot.slug])).content.decode()
    assert "only members active on the cut-off date" in page
    assert "ask an organiser" in page


def test_an_active_elector_still_sees_the_vote_button() -> None:
    election = opened(voters=1)
    page = client_for(election.voters[0]).get(reverse("ballots:list")).content.decode()
    assert reverse("ballots:booth", args=[election.ballot.slug]) in page


def test_a_403_names_who_the_page_is_for_and_what_to_do() -> None:
    response = client_for(member("Plain Member")).get(reverse("ballots:create"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "This page is for organisers, and you are not one." in page
    assert "ask an organiser" in page and reverse("members:me") in page
