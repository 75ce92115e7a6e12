"""Scenario helpers: build an organisation and act as people in it."""

from __future__ import annotations

import datetime
import itertools
import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from omov.accounts.actions import create_login_link, grant_role
from omov.accounts.models import GrantedRole
from omov.members import actions as member_actions
from omov.members.models import Member, Status, today
from omov.organisation import actions as organisation_actions
from omov.organisation.models import LocalGroup

_numbers = itertools.count(1)


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def local_group(name: str = "Camden") -> LocalGroup:
    existing = LocalGroup.objects.filter(name=name).first()
    return existing or organisation_actions.create_local_group(name, by=None)


def member(
    name: str = "Sam Okafor",
    *,
    group: str | None = "Camden",
    joined_days_ago: int = 365,
    status: Status = Status.ACTIVE,
    email: str | None = None,
) -> Member:
    """A member on the roll, active since `joined_days_ago`, then `status` (if not active).

    Not welcomed by email, so that a test's outbox holds only what it is about."""
    serial = next(_numbers)
    created = member_actions.add_member(
        membership_number=f"T{serial:05d}",
        name=name,
        email=email or f"{name.lower().replace(' ', '.')}.{serial}@example.org",
        local_group=local_group(group) if group else None,
        joined_on=days_ago(joined_days_ago),
        by=None,
        tell_member=False,
    )
    if status != Status.ACTIVE:
        member_actions.change_member_status(
            created, status, effective_on=days_ago(max(0, joined_days_ago - 30)),
            reason="set up by test", by=None,
        )
        created.refresh_from_db()
    return created


def organiser(name: str = "Priya Shah") -> Member:
    person = member(name)
    grant_role(person, GrantedRole.ORGANISER, by=None)
    return person


def sign_in(client: Client, person: Member) -> Client:
    """Signs in through the real single-use link flow."""
    token = create_login_link(person, by=None)
    response = client.post(reverse("accounts:redeem", args=[token]))
    assert response.status_code == 302, response
    return client


def client_for(person: Member) -> Client:
    return sign_in(Client(), person)


def link_from_last_email() -> str:
    """The sign-in path from the most recent email (as sent by the backend)."""
    body = str(mail.outbox[-1].body)
    match = re.search(r"https?://[^/\s]+(/sign-in/link/[^/\s]+/)", body)
    assert match, body
    return match.group(1)
