"""Organisers manage local groups and committees through the pages."""

from __future__ import annotations

from django.urls import reverse

from omov.accounts.roles import Role, roles_of
from omov.audit.models import AuditEvent
from omov.organisation.models import Committee, CommitteeMembership, LocalGroup

from .helpers import client_for, local_group, member, organiser


def test_organiser_creates_and_renames_a_local_group() -> None:
    client = client_for(organiser())
    client.post(reverse("organisation:manage_groups"), {"name": "  Tower   Hamlets "})
    group = LocalGroup.objects.get(name="Tower Hamlets")
    client.post(reverse("organisation:group_detail", args=[group.slug]), {"name": "Bow"})
    group.refresh_from_db()
    assert group.name == "Bow" and group.slug == "tower-hamlets"
    actions = list(AuditEvent.objects.filter(public=True).values_list("action", flat=True))
    assert {"create_local_group", "rename_local_group"} <= set(actions)


def test_group_names_are_unique_whatever_the_case() -> None:
    local_group("Camden")
    response = client_for(organiser()).post(
        reverse("organisation:manage_groups"), {"name": "CAMDEN"}
    )
    assert "already taken" in response.content.decode()
    assert LocalGroup.objects.count() == 1


def test_organiser_moves_a_member_to_another_group() -> None:
    sam = member(group="Camden")
    hackney = local_group("Hackney")
    client_for(organiser()).post(
        reverse("organisation:assign_group", args=[sam.membership_number]),
        {"local_group": hackney.pk},
    )
    sam.refresh_from_db()
    assert sam.local_group == hackney


def test_committee_with_an_officer_group_and_seats() -> None:
    client = client_for(organiser())
    client.post(reverse("organisation:manage_committees"),
                {"name": "National Coordinating Committee", "description": ""})
    national = Committee.objects.get(name="National Coordinating Committee")
    client.post(reverse("organisation:manage_committees"),
                {"name": "Officer Group", "parent": national.pk})
    officers = Committee.objects.get(name="Officer Group")
    assert officers.parent == national

    chair = member("Chidi Chair")
    assert Role.COMMITTEE_MEMBER not in roles_of(chair)
    client.post(reverse("organisation:add_seat", args=[officers.slug]),
                {"membership_number": chair.membership_number, "position": "Chair"})
    assert Role.COMMITTEE_MEMBER in roles_of(chair)
    listing = client_for(member("Jo Bloggs")).get(reverse("organisation:committees"))
    assert "Chidi Chair, Chair" in listing.content.decode()

    seat = CommitteeMembership.objects.get(member=chair)
    client.post(reverse("organisation:remove_seat", args=[officers.slug, seat.pk]))
    seat.refresh_from_db()
    assert seat.left_on is not None, "leaving ends the seat; the row is kept"
    assert Role.COMMITTEE_MEMBER not in roles_of(chair)


def test_adding_an_unknown_member_number_says_so() -> None:
    client = client_for(organiser())
    client.post(reverse("organisation:manage_committees"), {"name": "Ethics"})
    ethics = Committee.objects.get()
    response = client.post(reverse("organisation:add_seat", args=[ethics.slug]),
                           {"membership_number": "NOPE"})
    assert "No member has this number." in response.content.decode()


def test_members_cannot_manage_groups_or_committees() -> None:
    client = client_for(member())
    assert client.post(reverse("organisation:manage_groups"), {"name": "X"}).status_code == 403
    assert client.post(
        reverse("organisation:manage_committees"), {"name": "X"}
    ).status_code == 403
    assert not LocalGroup.objects.filter(name="X").exists()
