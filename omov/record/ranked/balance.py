"""The balance rule of an STV count (15.6.1): at least k seats to a group.

The method is the common reserved-places rule ("once the seats left equal
the places still owed to women, every remaining candidate who is not a woman
is excluded"), with its two companion guards: a candidate outside the owed
groups is not deemed elected when that would leave too few seats for them,
and a group's candidate is not excluded when that would leave the group too
few candidates. Every step is deterministic and recorded where it acts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from omov.record.ranked.errors import CountError


class Balance:
    """The groups, each one's required seats and how many it still needs."""

    def __init__(self, groups: Sequence[dict[str, Any]], candidates: int, seats: int) -> None:
        self.group_of: dict[int, int] = {}
        self.required: list[int] = []
        self.labels: list[str] = []
        for g, group in enumerate(groups):
            field = f"count.balance[{g}]"
            members = group.get("candidates") if isinstance(group, dict) else None
            at_least = group.get("at_least") if isinstance(group, dict) else None
            label = group.get("label") if isinstance(group, dict) else None
            if not isinstance(label, str) or not (
                    isinstance(members, list) and all(type(c) is int for c in members)) or (
                    type(at_least) is not int):
                raise CountError("a balance group has a label, candidates and at_least", field)
            if members != sorted(set(members)) or any(not 0 <= c < candidates for c in members):
                raise CountError("candidates must be sorted, unique option indices", field)
            if at_least < 1:
                raise CountError("at_least must be at least 1", field)
            for c in members:
                if c in self.group_of:
                    raise CountError(f"candidate {c} is in two balance groups; groups must "
                                     "be disjoint", field)
                self.group_of[c] = g
            self.labels.append(label)
            self.required.append(min(at_least, len(members)))
        if sum(self.required) > seats:
            raise CountError(f"the balance groups need {sum(self.required)} seats and there "
                             f"are {seats}", "count.balance")
        self.shortfall = list(self.required)
        self.continuing = [0] * len(self.required)
        for g in self.group_of.values():
            self.continuing[g] += 1

    @property
    def total_shortfall(self) -> int:
        """Seats still owed to the groups together."""
        return sum(self.shortfall)

    def owed(self, candidate: int) -> bool:
        """True if the candidate's group is still owed seats."""
        g = self.group_of.get(candidate)
        return g is not None and self.shortfall[g] > 0

    def may_elect(self, candidate: int, seats_left: int) -> bool:
        """May the candidate be deemed elected with `seats_left` vacancies unfilled?"""
        return self.owed(candidate) or self.total_shortfall <= seats_left - 1

    def protected(self, candidate: int) -> bool:
        """True if excluding the candidate would leave their group too few candidates."""
        g = self.group_of.get(candidate)
        return g is not None and self.continuing[g] <= self.shortfall[g]

    def reserved(self, continuing: Sequence[int], seats_left: int) -> list[int]:
        """The continuing candidates to exclude because every seat left is owed."""
        if self.total_shortfall == 0 or self.total_shortfall < seats_left:
            return []
        return [c for c in continuing if not self.owed(c)]

    def short_groups(self) -> list[int]:
        """The groups still owed seats."""
        return [g for g, short in enumerate(self.shortfall) if short > 0]

    def elected(self, candidate: int) -> None:
        """Note that the candidate was deemed elected."""
        g = self.group_of.get(candidate)
        if g is not None:
            self.continuing[g] -= 1
            self.shortfall[g] = max(0, self.shortfall[g] - 1)

    def excluded(self, candidate: int) -> None:
        """Note that the candidate was excluded."""
        g = self.group_of.get(candidate)
        if g is not None:
            self.continuing[g] -= 1
