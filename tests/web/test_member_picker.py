"""Choosing people from the roll: a finder by name, number or email on the ballot form,
trustees and the authority by membership number, and one member added without a CSV."""

from __future__ import annotations

from django.urls import reverse

from omov.audit.models import AuditEvent
from omov.ballots.models import Ballot
from omov.members.models import Member, Status

from .ballot_forms import ballot_form
from .helpers import client_for, member, organiser


def test_the_ballot_form_finds_members_by_name_number_or_email() -> None:
    boss = organiser()
    ann = member("Ann Findable", email="ann.find@example.org")
    client = client_for(boss)
    for query in ("findable", ann.membership_number, "ann.find@"):
        page = client.get(reverse("ballots:create"), {"find": query}).content.decode()
        assert "Ann Findable" in page and ann.membership_number in page, query
        assert "ann.find@example.org" in page
    page = client.get(reverse("ballots:create"), {"find": "nobody-like-this"}).content.decode()
    assert "Nobody on the roll matches" in page


def test_trustees_and_the_authority_can_be_given_by_membership_number() -> None:
    client = client_for(organiser())
    ann, bo, cy = member("Ann Number"), member("Bo Number"), member("Cy Number")
    response = client.post(reverse("ballots:create"), ballot_form(
        trustees=f"North, {ann.membership_number}\nSouth, {bo.email}", threshold="2",
        authority_email=cy.membership_number,
    ))
    assert response.status_code == 302, response.content.decode()
    ballot = Ballot.objects.get(slug="reverse-withdrawal")
    assert [t.member for t in ballot.trustees.order_by("index")] == [ann, bo]
    assert ballot.authority == cy
    page = client.post(reverse("ballots:create"), ballot_form(
        slug="other", trustees="North, T99999", threshold="1")).content.decode()
    assert "No one on the roll has the email address or membership number T99999" in page


def test_an_organiser_adds_one_member_without_a_csv() -> None:
    client = client_for(organiser())
    form = {"membership_number": "M777", "name": "Dana New", "email": "dana@example.org",
            "local_group": "", "joined_on": "2026-01-05"}
    response = client.post(reverse("members:add"), form)
    assert response.status_code == 302
    added = Member.objects.get(membership_number="M777")
    assert added.status == Status.ACTIVE and added.email == "dana@example.org"
    assert AuditEvent.objects.filter(action="add_member", public=True).exists()
    again = client.post(reverse("members:add"), {**form, "membership_number": "M778"})
    assert "dana@example.org is already on the roll" in again.content.decode()
    roster = client.get(reverse("members:roster"), {"q": "dana@"}).content.decode()
    assert "<td>dana@example.org</td>" in roster


def test_a_member_cannot_add_members() -> None:
    client = client_for(member())
    assert client.get(reverse("members:add")).status_code == 403
