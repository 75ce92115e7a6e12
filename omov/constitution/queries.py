"""Reading the rules: which version was in force, and the roll's denominators."""

from __future__ import annotations

import dataclasses
import datetime

from django.utils import timezone

from omov.constitution.models import RuleVersion
from omov.constitution.rules import DEFAULT_RULES, RuleSet, Threshold
from omov.members.eligibility import eligible_members
from omov.web.times import human_date


def rules_in_force(at: datetime.datetime | None = None) -> RuleSet:
    """The rule set in force at `at` (now by default), with its version number.

    Before any version is adopted the defaults apply, as version 0.
    """
    at = at or timezone.now()
    version = RuleVersion.objects.filter(made_at__lte=at).order_by("-number").first()
    if version is None:
        return RuleSet.from_data(DEFAULT_RULES, version=0)
    return RuleSet.from_data(version.rules, version=version.number)


def version_record(number: int) -> RuleVersion | None:
    return RuleVersion.objects.filter(number=number).first()


def rules_of_version(number: int) -> RuleSet:
    """The rule set of version `number` (0: the defaults)."""
    version = version_record(number) if number else None
    if version is None:
        return RuleSet.from_data(DEFAULT_RULES, version=0)
    return RuleSet.from_data(version.rules, version=version.number)


@dataclasses.dataclass(frozen=True)
class ActiveCount:
    """How many members were active on the roll on `on`: a stated denominator."""

    count: int
    on: datetime.date

    def words(self) -> str:
        return f"{self.count:,} active members on {human_date(self.on)}"


def active_members_on(day: datetime.date) -> ActiveCount:
    """Members active on `day` per the status history (not today's status)."""
    return ActiveCount(eligible_members(day).count(), day)


@dataclasses.dataclass(frozen=True)
class Target:
    threshold: Threshold
    active: ActiveCount
    needed: int

    def words(self) -> str:
        return f"{self.needed:,} signatures ({self.threshold.words()}; {self.active.words()})"


def target_for(threshold: Threshold, day: datetime.date) -> Target:
    """A threshold's number of signatures against the roll as it stood on `day`."""
    active = active_members_on(day)
    return Target(threshold, active, threshold.target(active.count))
