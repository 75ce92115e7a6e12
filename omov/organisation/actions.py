"""Changes to the organisation's structure: local groups, committees, seats."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.text import slugify

from omov.audit.log import record
from omov.members.models import GroupChange, Member, today
from omov.organisation.errors import OrganisationError
from omov.organisation.models import Committee, CommitteeMembership, LocalGroup


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise OrganisationError("A name is required.")
    return cleaned


def _unique_slug(model: type[LocalGroup] | type[Committee], name: str) -> str:
    base = slugify(name) or "group"
    slug, suffix = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _check_free(model: type[LocalGroup] | type[Committee], name: str, exclude: int | None) -> None:
    taken = model.objects.filter(name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise OrganisationError(f"The name “{name}” is already taken.")


@transaction.atomic
def create_local_group(name: str, *, by: Member | None) -> LocalGroup:
    name = _clean_name(name)
    _check_free(LocalGroup, name, None)
    group = LocalGroup.objects.create(name=name, slug=_unique_slug(LocalGroup, name))
    record("create_local_group", actor=by, subject=group,
           summary=f"Created the local group {name}", public=True)
    return group


@transaction.atomic
def rename_local_group(group: LocalGroup, name: str, *, by: Member | None) -> LocalGroup:
    """Renames a group; its address (slug) stays, so old links keep working."""
    name = _clean_name(name)
    _check_free(LocalGroup, name, group.pk)
    old = group.name
    group.name = name
    group.save(update_fields=["name"])
    record("rename_local_group", actor=by, subject=group,
           summary=f"Renamed the local group {old} to {name}",
           details={"from": old, "to": name}, public=True)
    return group


@transaction.atomic
def assign_local_group(member: Member, group: LocalGroup | None, *, by: Member | None) -> Member:
    """Moves a member to a local group (or to none), kept in their group history."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    old = member.local_group.name if member.local_group else None
    if member.local_group_id != (group.pk if group else None):
        GroupChange.objects.create(member=member, from_group=member.local_group, to_group=group,
                                   effective_on=today(), recorded_by=by)
    member.local_group = group
    member.save(update_fields=["local_group"])
    new = group.name if group else None
    record("assign_local_group", actor=by, subject=member,
           summary=f"Moved member {member.membership_number} from {old or 'no group'} "
                   f"to {new or 'no group'}",
           details={"from": old, "to": new}, public=True)
    return member


@transaction.atomic
def create_committee(
    name: str, *, description: str = "", parent: Committee | None = None, by: Member | None
) -> Committee:
    """Creates a committee; with `parent`, a sub-committee such as an officer group."""
    name = _clean_name(name)
    _check_free(Committee, name, None)
    committee = Committee.objects.create(
        name=name, slug=_unique_slug(Committee, name), description=description, parent=parent
    )
    where = f" under {parent.name}" if parent else ""
    record("create_committee", actor=by, subject=committee,
           summary=f"Created the committee {name}{where}", public=True)
    return committee


@transaction.atomic
def rename_committee(committee: Committee, name: str, *, by: Member | None) -> Committee:
    name = _clean_name(name)
    _check_free(Committee, name, committee.pk)
    old = committee.name
    committee.name = name
    committee.save(update_fields=["name"])
    record("rename_committee", actor=by, subject=committee,
           summary=f"Renamed the committee {old} to {name}",
           details={"from": old, "to": name}, public=True)
    return committee


@transaction.atomic
def add_committee_member(
    committee: Committee,
    member: Member,
    *,
    position: str = "",
    joined_on: datetime.date | None = None,
    by: Member | None,
) -> CommitteeMembership:
    if CommitteeMembership.objects.current().filter(committee=committee, member=member).exists():
        raise OrganisationError(f"{member.name} is already on {committee.name}.")
    seat = CommitteeMembership.objects.create(
        committee=committee, member=member, position=position.strip(),
        joined_on=joined_on or today(),
    )
    record("add_committee_member", actor=by, subject=seat,
           summary=f"Added {member.name} to {committee.name}"
                   + (f" as {seat.position}" if seat.position else ""),
           details={"member": member.membership_number, "position": seat.position},
           public=True)
    return seat


@transaction.atomic
def remove_committee_member(seat: CommitteeMembership, *, by: Member | None) -> CommitteeMembership:
    """Ends a seat; the row stays, so past membership of the committee is still known."""
    seat = CommitteeMembership.objects.select_for_update().get(pk=seat.pk)
    if seat.left_on is not None:
        raise OrganisationError("This member has already left the committee.")
    seat.left_on = today()
    seat.save(update_fields=["left_on"])
    record("remove_committee_member", actor=by, subject=seat,
           summary=f"Removed {seat.member.name} from {seat.committee.name}",
           details={"member": seat.member.membership_number}, public=True)
    return seat
