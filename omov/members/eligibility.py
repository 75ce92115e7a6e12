"""Who was a member in good standing on a given date, read from the status history."""

from __future__ import annotations

import datetime

from django.db.models import BigIntegerField, Case, Exists, F, OuterRef, QuerySet, Subquery, When
from django.db.models.expressions import Expression

from omov.members.models import GroupChange, Member, Status, StatusChange
from omov.organisation.models import LocalGroup


def _status_as_of(cut_off: datetime.date) -> Subquery:
    latest = StatusChange.objects.filter(
        member=OuterRef("pk"), effective_on__lte=cut_off
    ).order_by("-effective_on", "-id")
    return Subquery(latest.values("to_status")[:1])


def group_on(day: datetime.date, member: str = "pk") -> Expression:
    """The id of the local group a member was in on `day`, as an expression over the
    member whose id is the outer field `member`.

    The current group, unless it changed after `day`: then the group the first
    later change moved them from. (Groups set before the history was kept are
    taken as they are now.)
    """
    later = GroupChange.objects.filter(member=OuterRef(member), effective_on__gt=day)
    first_later = later.order_by("effective_on", "id").values("from_group")[:1]
    relation = member.removesuffix("_id")
    current = F("local_group") if member == "pk" else F(f"{relation}__local_group")
    return Case(When(Exists(later), then=Subquery(first_later)), default=current,
                output_field=BigIntegerField())


def eligible_members(
    cut_off: datetime.date, local_group: LocalGroup | None = None
) -> QuerySet[Member]:
    """Members whose status on `cut_off` was active, per their status history.

    A member who lapsed after the cut-off is still eligible, and one who
    rejoined after it is not: eligibility follows the roll as it stood on the
    published cut-off date. `local_group` filters by the group the member was
    in on the cut-off date (`group_on`).
    """
    members = Member.objects.annotate(status_on_cut_off=_status_as_of(cut_off)).filter(
        status_on_cut_off=Status.ACTIVE
    )
    if local_group is not None:
        members = members.annotate(group_on_cut_off=group_on(cut_off)).filter(
            group_on_cut_off=local_group.pk)
    return members


def status_on(member: Member, day: datetime.date) -> Status | None:
    """A member's status on `day`, or None if they had not joined yet."""
    change = (
        member.status_history.filter(effective_on__lte=day).order_by("-effective_on", "-id").first()
    )
    return Status(change.to_status) if change is not None else None
