"""What the rules in force say a new petition needs: its thresholds, roll date and closing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from omov.constitution.queries import active_members_on, rules_in_force
from omov.constitution.rules import RuleSet, Threshold
from omov.petitions.models import Kind


@dataclass(frozen=True)
class PetitionTerms:
    """A petition's terms, fixed when it opens (the rules in force then apply to it)."""

    thresholds: dict[str, int]
    roll_date: datetime.date
    denominator: int
    closes_at: datetime.datetime
    answer_days: int
    rules_version: int


def _thresholds(kind: Kind, rules: RuleSet) -> dict[str, Threshold]:
    if kind == Kind.OPEN_LETTER:
        return {"answer": rules.answer_threshold}
    if kind == Kind.BALLOT_PETITION:
        return {"answer": rules.answer_threshold, "ballot": rules.ballot_threshold}
    return {"call_in": rules.call_in_threshold}


def terms_for(kind: Kind, at: datetime.datetime) -> PetitionTerms:
    """The terms of a petition of `kind` opened at `at`, against the roll on that day.

    A target is never below one signature, even on an empty roll.
    """
    rules = rules_in_force(at)
    active = active_members_on(at.date())
    thresholds = {name: max(threshold.target(active.count), 1)
                  for name, threshold in _thresholds(kind, rules).items()}
    return PetitionTerms(
        thresholds=thresholds, roll_date=active.on, denominator=active.count,
        closes_at=at + datetime.timedelta(days=rules.signing_days),
        answer_days=rules.answer_days, rules_version=rules.version,
    )
