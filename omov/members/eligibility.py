"""Who was a member in good standing on a given date, read from the status history."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from omov.members.models import Member, Status, StatusChange
from omov.organisation.models import LocalGroup


def _status_as_of(cut_off: datetime.date) -> Subquery:
    latest = StatusChange.objects.filter(
        member=OuterRef("pk"), effective_on__lte=cut_off
    ).order_by("-effective_on", "-id")
    return Subquery(latest.values("to_status")[:1])


def eligible_members(
    cut_off: datetime.date, local_group: LocalGroup | None = None
) -> QuerySet[Member]:
    """Members whose status on `cut_off` was active, per their status history.

    A member who lapsed after the cut-off is still eligible, and one who
    rejoined after it is not: eligibility follows the roll as it stood on the
    published cut-off date. `local_group` filters by the member's current group.
    """
    members = Member.objects.annotate(status_on_cut_off=_status_as_of(cut_off)).filter(
        status_on_cut_off=Status.ACTIVE
    )
    if local_group is not None:
        members = members.filter(local_group=local_group)
    return members


def status_on(member: Member, day: datetime.date) -> Status | None:
    """A member's status on `day`, or None if they had not joined yet."""
    change = (
        member.status_history.filter(effective_on__lte=day).order_by("-effective_on", "-id").first()
    )
    return Status(change.to_status) if change is not None else None
