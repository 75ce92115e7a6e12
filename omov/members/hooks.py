"""Extension points that higher apps fill in, so that members never import them.

`register_group_change_rule(source)`: `source()` gives the rule in force on
members changing their own local group (the constitution app fills it in).
`register_group_change_check(check)`: `check(member, new_group, day)` returns
why the change may not be made now, or None (the ballots app refuses a change
that would move a member into or out of a group whose ballot's roll is not
fixed yet).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from omov.members.models import Member
    from omov.organisation.models import LocalGroup


@dataclass(frozen=True)
class GroupChangeRule:
    """May a member change their own local group, and how often (`every_days` between
    changes; 0: no limit); `source` names where the rule comes from, in words."""

    allowed: bool
    every_days: int
    source: str


NO_RULE = GroupChangeRule(allowed=False, every_days=0,
                          source="no rule allows it (ask an organiser to change it)")

GroupChangeRuleSource = Callable[[], GroupChangeRule]
GroupChangeCheck = Callable[["Member", "LocalGroup | None", datetime.date], "str | None"]
_rule_sources: list[GroupChangeRuleSource] = []
_checks: list[GroupChangeCheck] = []


def register_group_change_rule(source: GroupChangeRuleSource) -> None:
    if source not in _rule_sources:
        _rule_sources.append(source)


def group_change_rule() -> GroupChangeRule:
    """The first registered source's rule; without one, members may not change it."""
    return _rule_sources[0]() if _rule_sources else NO_RULE


def register_group_change_check(check: GroupChangeCheck) -> None:
    if check not in _checks:
        _checks.append(check)


def group_change_refusals(member: Member, new_group: LocalGroup | None,
                          day: datetime.date) -> list[str]:
    return [reason for check in _checks if (reason := check(member, new_group, day))]
