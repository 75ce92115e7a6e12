"""Roles: organisers are staff with a read-only admin; other apps can add roles."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from omov.accounts import roles
from omov.accounts.actions import revoke_role
from omov.accounts.models import GrantedRole
from omov.accounts.roles import Role, register_role_source, roles_of
from omov.members.models import Member, Status

from .helpers import client_for, member, organiser


def test_organisers_can_read_the_admin_but_not_change_anything() -> None:
    sam = member()
    client = client_for(organiser())
    assert client.get(reverse("admin:members_member_changelist")).status_code == 200
    detail = client.get(reverse("admin:members_member_change", args=[sam.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:members_member_add")).status_code == 403


def test_members_cannot_open_the_admin() -> None:
    response = client_for(member()).get(reverse("admin:members_member_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_revoking_the_organiser_role_closes_organiser_pages() -> None:
    priya = organiser()
    client = client_for(priya)
    assert client.get(reverse("members:roster")).status_code == 200
    revoke_role(priya, GrantedRole.ORGANISER, by=None)
    assert client.get(reverse("members:roster")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302


def test_roles_follow_status_and_grants() -> None:
    assert roles_of(member()) == {Role.ON_ROLL, Role.MEMBER}
    assert roles_of(member("Cancelled", status=Status.CANCELLED)) == {Role.ON_ROLL}
    assert Role.ORGANISER in roles_of(organiser())


def test_other_apps_can_add_roles_from_their_own_data() -> None:
    trustee = member("Tess Trustee")

    def trustees(person: Member) -> Iterable[Role]:
        return [Role.TRUSTEE] if person.pk == trustee.pk else []

    register_role_source(trustees)
    try:
        assert Role.TRUSTEE in roles_of(trustee)
        assert Role.TRUSTEE not in roles_of(member("Someone Else"))
    finally:
        roles._role_sources.remove(trustees)
