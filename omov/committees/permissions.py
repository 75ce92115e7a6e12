"""Who may record what in a committee's register: one place for the app."""

from __future__ import annotations

from omov.committees.models import Secretary
from omov.members.models import Member, Status
from omov.organisation.models import Committee


def is_secretary(member: Member | None, committee: Committee) -> bool:
    """The committee's current secretary (or its parent committee's) records its meetings."""
    if member is None or member.status != Status.ACTIVE:
        return False
    bodies = [committee.pk] + ([committee.parent_id] if committee.parent_id else [])
    return Secretary.objects.filter(
        member=member, committee_id__in=bodies, ended_at__isnull=True
    ).exists()
