"""A national committee of 12 with an officer group of 4 and a secretary."""

from __future__ import annotations

from dataclasses import dataclass

from omov.committees import actions
from omov.members.models import Member
from omov.organisation import actions as organisation_actions
from omov.organisation.models import Committee

from .helpers import days_ago, member

NAMES = ("Ada", "Bea", "Cai", "Dev", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jon", "Kim", "Lou")


@dataclass
class National:
    committee: Committee
    seats: list[Member]
    secretary: Member


def national() -> National:
    committee = organisation_actions.create_committee(
        "National Committee", description="", parent=None, by=None
    )
    seats = [member(f"{name} Member") for name in NAMES]
    for person in seats:
        organisation_actions.add_committee_member(committee, person, joined_on=days_ago(100),
                                                    by=None)
    actions.appoint_secretary(committee, seats[0], actor=None)
    return National(committee, seats, seats[0])


def present(people: list[Member], others: list[Member] | None = None) -> dict[Member, str]:
    attendance = {person: "present" for person in people}
    attendance.update({person: "apologies" for person in others or []})
    return attendance
