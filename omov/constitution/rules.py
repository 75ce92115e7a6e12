"""The typed, frozen rule set and how it reads in plain words.

A version's rules are stored as a JSON object; `RuleSet.from_data` parses and
checks it, so a bad edit is refused with a message naming the rule.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any, Literal

from omov.constitution.errors import RulesError
from omov.record.register import committee_quorum

Combine = Literal["lower", "higher"]
DECISION_KINDS = ("ordinary", "urgent", "endorsement", "financial", "constitutional")


@dataclasses.dataclass(frozen=True)
class Threshold:
    """ "N members or P% of active members, whichever is lower/higher"."""

    members: int
    percent: float
    combine: Combine

    def share(self) -> Fraction:
        """The percentage as an exact fraction of one: 2.5% is 1/40, not a float's 0.025."""
        return Fraction(str(self.percent)) / 100

    def target(self, active_members: int) -> int:
        """Signatures needed, given the count of active members on the roll date.

        The share is rounded up in exact arithmetic: 7% of 10,000 is 700, never the
        701 that a float's 700.0000000000001 would round up to.
        """
        exact = active_members * self.share()
        by_share = -(-exact.numerator // exact.denominator)
        return min(self.members, by_share) if self.combine == "lower" else max(
            self.members, by_share
        )

    def words(self) -> str:
        return (
            f"{self.members:,} members or {self.percent:g}% of active members, "
            f"whichever is {self.combine}"
        )


@dataclasses.dataclass(frozen=True)
class RuleSet:
    """The rules of one version. Every field is in `FIELD_WORDS`.

    answer_threshold: reaching it obliges the addressed committee to answer
    within answer_days; ballot_threshold: reaching it forces a binding member
    ballot that must open within forced_ballot_open_days.
    """

    answer_threshold: Threshold
    answer_days: int
    ballot_threshold: Threshold
    signing_days: int
    ballot_turnout_quorum_percent: float
    ballot_majority_percent: float
    forced_ballot_open_days: int
    committee_quorum_percent: int
    officer_group_may_decide: tuple[str, ...]
    emergency_needs_ratification: bool
    counts_only_votes_allowed: bool
    call_in_working_days: int
    call_in_threshold: Threshold
    call_in_goes_to: Literal["full_meeting", "member_ballot"]
    members_may_change_group: bool = True
    group_change_every_days: int = 90
    version: int = 0

    @classmethod
    def from_data(cls, data: Mapping[str, Any], *, version: int = 0) -> RuleSet:
        return _parse(data, version)

    def to_data(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        del data["version"]
        data["officer_group_may_decide"] = list(self.officer_group_may_decide)
        return data

    def committee_quorum(self, seats: int) -> int:
        """Members present needed for a quorate full meeting of `seats` members.

        More than `committee_quorum_percent` of the seats when that is 50 (a
        majority: 7 of 12, 7 of 13); otherwise at least that share, rounded up.
        """
        return committee_quorum(seats, self.committee_quorum_percent)

    def call_in_ends(self, published: datetime.date) -> datetime.date:
        """The last day of the call-in window: `call_in_working_days` weekdays after."""
        day, left = published, self.call_in_working_days
        while left > 0:
            day += datetime.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day

    def plain_words(self) -> list[tuple[str, str]]:
        """(heading, sentence) pairs for the members' page."""
        return [(FIELD_WORDS[name], _sentence(self, name)) for name in FIELD_WORDS]


FIELD_WORDS: dict[str, str] = {
    "answer_threshold": "A committee must answer a petition",
    "answer_days": "Answer deadline",
    "ballot_threshold": "A petition forces a binding member ballot",
    "signing_days": "Signing period",
    "ballot_turnout_quorum_percent": "Binding ballot: turnout quorum",
    "ballot_majority_percent": "Binding ballot: majority",
    "forced_ballot_open_days": "A forced ballot opens",
    "committee_quorum_percent": "Committee quorum",
    "officer_group_may_decide": "What the officer group may decide alone",
    "emergency_needs_ratification": "Emergency decisions",
    "counts_only_votes_allowed": "Votes without a roll call",
    "call_in_working_days": "Call-in window",
    "call_in_threshold": "Call-in threshold",
    "call_in_goes_to": "A called-in decision",
    "members_may_change_group": "Members change their own local group",
    "group_change_every_days": "How often a member may change their local group",
}

# Rules added after the first versions could be adopted: a version stored
# without them reads them as these defaults.
LATER_RULES: dict[str, Any] = {"members_may_change_group": True, "group_change_every_days": 90}


def _sentence(rules: RuleSet, name: str) -> str:
    value: Any = getattr(rules, name)
    sentences: dict[str, Callable[[], str]] = {
        "answer_threshold": lambda: f"when it reaches {rules.answer_threshold.words()}.",
        "answer_days": lambda: f"within {value} days of reaching that threshold.",
        "ballot_threshold": lambda: f"when it reaches {rules.ballot_threshold.words()}.",
        "signing_days": lambda: f"a petition is open for signing for {value} days.",
        "ballot_turnout_quorum_percent": lambda: (
            f"it binds only if at least {value:g}% of eligible members vote."
        ),
        "ballot_majority_percent": lambda: (
            f"a proposal passes with more than {value:g}% of votes for."
        ),
        "forced_ballot_open_days": lambda: (
            f"within {value} days of the petition reaching its threshold."
        ),
        "committee_quorum_percent": lambda: (
            "a majority of the committee's members present."
            if value == 50 else f"at least {value}% of the committee's members present."
        ),
        "officer_group_may_decide": lambda: (
            "kinds of decision: " + ", ".join(value) + "." if value else "nothing."
        ),
        "emergency_needs_ratification": lambda: (
            "an emergency decision must be ratified by the next full meeting."
            if value else "an emergency decision stands without ratification."
        ),
        "counts_only_votes_allowed": lambda: (
            "a meeting may record counts only; the decision then says no roll call was taken."
            if value else "every vote is a roll call: each member's vote is recorded by name."
        ),
        "call_in_working_days": lambda: (
            f"members may call a published decision in within {value} working days."
        ),
        "call_in_threshold": lambda: f"a call-in needs {rules.call_in_threshold.words()}.",
        "call_in_goes_to": lambda: (
            "is reconsidered by a full meeting of the committee."
            if value == "full_meeting" else "is decided by the members in a binding ballot."
        ),
        "members_may_change_group": lambda: (
            "a member may move themselves to another local group on their membership page "
            "(not while a ballot of either group has its cut-off ahead)."
            if value else "only an organiser may change a member's local group."
        ),
        "group_change_every_days": lambda: (
            "as often as they like." if value == 0
            else f"at most once every {value} days."
        ),
    }
    return sentences[name]()


DEFAULT_RULES: dict[str, Any] = {
    "answer_threshold": {"members": 1000, "percent": 5, "combine": "lower"},
    "answer_days": 28,
    "ballot_threshold": {"members": 5000, "percent": 10, "combine": "lower"},
    "signing_days": 60,
    "ballot_turnout_quorum_percent": 30,
    "ballot_majority_percent": 50,
    "forced_ballot_open_days": 21,
    "committee_quorum_percent": 50,
    "officer_group_may_decide": ["ordinary", "urgent"],
    "emergency_needs_ratification": True,
    "counts_only_votes_allowed": False,
    "call_in_working_days": 5,
    "call_in_threshold": {"members": 500, "percent": 2, "combine": "lower"},
    "call_in_goes_to": "member_ballot",
    **LATER_RULES,
}


def _int(data: Mapping[str, Any], name: str, low: int, high: int) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RulesError(f"{FIELD_WORDS.get(name, name)}: a whole number from {low} to {high}.")
    return value


def _percent(data: Mapping[str, Any], name: str, *, low: float = 0) -> float:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= 100:
        raise RulesError(f"{FIELD_WORDS.get(name, name)}: a percentage from {low:g} to 100.")
    return float(value)


def _bool(data: Mapping[str, Any], name: str) -> bool:
    value = data.get(name)
    if not isinstance(value, bool):
        raise RulesError(f"{FIELD_WORDS[name]}: yes or no.")
    return value


def _threshold(data: Mapping[str, Any], name: str) -> Threshold:
    raw = data.get(name)
    if not isinstance(raw, Mapping):
        raise RulesError(f"{FIELD_WORDS[name]}: give members, percent and lower or higher.")
    combine = raw.get("combine")
    if combine not in ("lower", "higher"):
        raise RulesError(f"{FIELD_WORDS[name]}: 'whichever is' must be lower or higher.")
    members = _int(raw, "members", 1, 10_000_000)
    return Threshold(members, _percent(raw, "percent", low=0.01), combine)


def _parse(data: Mapping[str, Any], version: int) -> RuleSet:
    data = {**LATER_RULES, **data}
    unknown = set(data) - set(FIELD_WORDS)
    if unknown:
        raise RulesError(f"Unknown rules: {', '.join(sorted(unknown))}.")
    kinds = data.get("officer_group_may_decide")
    if not isinstance(kinds, list) or any(kind not in DECISION_KINDS for kind in kinds):
        raise RulesError(
            "What the officer group may decide alone: kinds among " + ", ".join(DECISION_KINDS)
        )
    goes_to = data.get("call_in_goes_to")
    if goes_to not in ("full_meeting", "member_ballot"):
        raise RulesError("A called-in decision: full_meeting or member_ballot.")
    return RuleSet(
        answer_threshold=_threshold(data, "answer_threshold"),
        answer_days=_int(data, "answer_days", 1, 365),
        ballot_threshold=_threshold(data, "ballot_threshold"),
        signing_days=_int(data, "signing_days", 1, 365),
        ballot_turnout_quorum_percent=_percent(data, "ballot_turnout_quorum_percent"),
        ballot_majority_percent=_percent(data, "ballot_majority_percent", low=50),
        forced_ballot_open_days=_int(data, "forced_ballot_open_days", 1, 365),
        committee_quorum_percent=_int(data, "committee_quorum_percent", 1, 100),
        officer_group_may_decide=tuple(sorted(set(kinds))),
        emergency_needs_ratification=_bool(data, "emergency_needs_ratification"),
        counts_only_votes_allowed=_bool(data, "counts_only_votes_allowed"),
        call_in_working_days=_int(data, "call_in_working_days", 1, 60),
        call_in_threshold=_threshold(data, "call_in_threshold"),
        call_in_goes_to=goes_to,
        members_may_change_group=_bool(data, "members_may_change_group"),
        group_change_every_days=_int(data, "group_change_every_days", 0, 3650),
        version=version,
    )


def diff(before: RuleSet | None, after: RuleSet) -> list[tuple[str, str, str]]:
    """(rule, old words, new words) for each rule that changed."""
    changes = []
    for name, heading in FIELD_WORDS.items():
        new = _sentence(after, name)
        old = _sentence(before, name) if before is not None else ""
        if before is None or getattr(before, name) != getattr(after, name):
            changes.append((heading, old, new))
    return changes
