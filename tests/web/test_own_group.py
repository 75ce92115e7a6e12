"""A member moves themselves to another local group when the rules in force allow it; the
group history keeps the date, so a local group's ballot reads the roll as at its cut-off."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from omov.audit.models import AuditEvent
from omov.ballots import group_turnout, simulation
from omov.ballots.actions import drafting
from omov.constitution.actions import amend_rules
from omov.constitution.queries import rules_in_force
from omov.constitution.rules import DEFAULT_RULES, RuleSet
from omov.members.eligibility import eligible_members
from omov.members.models import GroupChange, Member, Status
from omov.organisation.actions import assign_local_group

from .helpers import client_for, days_ago, local_group, member, organiser
from .test_ballots_helpers import opened


def move(person: Member, group: str | None) -> str:
    client = client_for(person)
    target = local_group(group).pk if group else ""
    response = client.post(reverse("members:local_group"), {"local_group": target},
                           follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_by_default_a_member_moves_themselves_and_the_move_is_kept_with_its_date() -> None:
    person = member("Grace Hopper", group="Camden")
    hackney = local_group("Hackney")
    page = move(person, "Hackney")
    assert "You are now in Hackney." in page
    person.refresh_from_db()
    assert person.local_group == hackney
    change = GroupChange.objects.get(member=person)
    assert change.from_group == local_group("Camden") and change.to_group == hackney
    assert change.effective_on == timezone.localdate() and change.recorded_by == person
    event = AuditEvent.objects.get(action="change_own_local_group")
    assert event.details == {"from": "Camden", "to": "Hackney"}


def test_the_roll_on_a_past_cut_off_keeps_the_group_the_member_was_in() -> None:
    person = member("Grace Hopper", group="Camden")
    move(person, "Hackney")
    yesterday, today = days_ago(1), timezone.localdate()
    assert person in eligible_members(yesterday, local_group("Camden"))
    assert person not in eligible_members(yesterday, local_group("Hackney"))
    assert person in eligible_members(today, local_group("Hackney"))
    assert person not in eligible_members(today, local_group("Camden"))


def test_a_second_move_within_the_limit_is_refused_with_the_date_it_is_allowed_again() -> None:
    person = member("Grace Hopper", group="Camden")
    move(person, "Hackney")
    page = move(person, "Islington")
    assert "lets a member change it once every 90 days" in page
    allowed = timezone.localdate() + datetime.timedelta(days=90)
    assert f"{allowed.day} {allowed:%b %Y}" in page
    person.refresh_from_db()
    assert person.local_group == local_group("Hackney")


def test_when_the_rules_do_not_allow_it_the_move_is_refused_and_the_page_says_so() -> None:
    amend_rules({**DEFAULT_RULES, "members_may_change_group": False}, reason="Organisers only",
                actor=organiser())
    person = member("Grace Hopper", group="Camden")
    assert "members do not change their own local group" in client_for(person).get(
        reverse("members:me")).content.decode()
    page = move(person, "Hackney")
    assert "You cannot change your own local group: the rules in force (version 1)" in page
    person.refresh_from_db()
    assert person.local_group == local_group("Camden")
    assert not GroupChange.objects.exists()


def test_no_move_into_a_group_whose_ballot_takes_its_roll_later() -> None:
    boss = organiser()
    person = member("Grace Hopper", group="Camden")
    now = timezone.now()
    drafting.create_ballot(
        slug="hackney-vote", title="Hackney: a new convenor?", description="",
        cut_off=timezone.localdate() + datetime.timedelta(days=3),
        local_group=local_group("Hackney"),
        opens_at=now + datetime.timedelta(days=5), closes_at=now + datetime.timedelta(days=6),
        threshold=1, trustees=[drafting.TrusteeInvite("Region 1", boss.email)],
        authority_email=member("Scrutineer").email, authority_name="Scrutineer", by=boss)
    page = move(person, "Hackney")
    assert "until that date has passed, members cannot move into or out of Hackney" in page
    assert "You are now in Islington." in move(person, "Islington")


def test_a_lapsed_member_cannot_move_themselves() -> None:
    person = member("Grace Hopper", group="Camden", status=Status.LAPSED)
    assert "Only members in good standing" in move(person, "Hackney")


def test_a_rule_version_stored_before_the_group_rules_reads_them_as_the_defaults() -> None:
    older = {k: v for k, v in DEFAULT_RULES.items()
             if k not in ("members_may_change_group", "group_change_every_days")}
    rules = RuleSet.from_data(older)
    assert rules.members_may_change_group and rules.group_change_every_days == 90
    amend_rules({**DEFAULT_RULES, "group_change_every_days": 0}, reason="No limit",
                actor=organiser())
    assert rules_in_force().group_change_every_days == 0
    words = dict(rules_in_force().plain_words())
    assert words["How often a member may change their local group"] == "as often as they like."


def test_an_organiser_move_is_kept_in_the_group_history_too() -> None:
    person = member("Grace Hopper", group="Camden")
    assign_local_group(person, local_group("Hackney"), by=organiser())
    [moved] = GroupChange.objects.filter(member=person)
    assert (moved.from_group, moved.to_group) == (local_group("Camden"), local_group("Hackney"))
    assert person in eligible_members(days_ago(1), local_group("Camden"))


def test_turnout_by_group_counts_a_member_in_the_group_they_were_in_on_the_cut_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(group_turnout, "MIN_ELECTORS", 1)
    monkeypatch.setattr(group_turnout, "MIN_EACH_WAY", 1)
    election = opened(voters=3)  # eight electors, all in Camden on the cut-off (today)
    voter = election.voters[0]
    simulation.vote(election.ballot, voter, election.code(voter), [[1, 0]], election.rng)
    hackney = local_group("Hackney")
    GroupChange.objects.create(member=voter, from_group=local_group("Camden"), to_group=hackney,
                               effective_on=election.ballot.cut_off + datetime.timedelta(days=1))
    Member.objects.filter(pk=voter.pk).update(local_group=hackney)
    assert group_turnout.safe_group_turnout(election.ballot) == [["Camden", 1, 8]]


def test_the_organisers_member_page_shows_the_group_history_newest_first() -> None:
    person = member("Grace Hopper", group="Camden")
    chair = organiser()
    move(person, "Hackney")
    assign_local_group(person, local_group("Bristol"), by=chair)
    response = client_for(chair).get(
        reverse("members:member_detail", args=[person.membership_number]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Local group history" in page
    by_organiser = page.index("Hackney → Bristol")
    by_member = page.index("Camden → Hackney")
    assert by_organiser < by_member
    assert "Priya Shah" in page[by_organiser:by_member]
    assert "The member" in page[by_member:]


def test_the_member_page_says_when_no_group_change_is_recorded() -> None:
    person = member("Grace Hopper", group="Camden")
    response = client_for(organiser()).get(
        reverse("members:member_detail", args=[person.membership_number]))
    assert "No change of local group recorded: in Camden since joining." in (
        response.content.decode())
