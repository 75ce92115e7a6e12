"""What a forced ballot's published result does: the outcome, against the rules, on the petition.

Subscribed to `omov.ballots.signals.result_published` (ballots never import
petitions); runs inside the publication's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omov.audit.log import record
from omov.ballots.models import Ballot
from omov.constitution.queries import active_members_on, rules_in_force
from omov.petitions import call_in
from omov.petitions.models import Petition
from omov.web.times import human_date_in


@dataclass(frozen=True)
class Outcome:
    """A binding ballot's result against the quorum and majority in force."""

    for_votes: int
    against_votes: int
    turnout_percent: float
    quorum_percent: float
    majority_percent: float

    @property
    def for_percent(self) -> float:
        """Share of the yes and no votes that were yes."""
        decided = self.for_votes + self.against_votes
        return 100 * self.for_votes / decided if decided else 0.0

    @property
    def quorate(self) -> bool:
        return self.turnout_percent >= self.quorum_percent

    @property
    def carried(self) -> bool:
        """Quorate, and more than the majority voted for (a tie does not carry)."""
        return self.quorate and self.for_percent > self.majority_percent

    def words(self, date: str) -> str:
        """E.g. "carried by the members' ballot of 12 March: 64% for, turnout 41%"."""
        verdict = "carried" if self.carried else (
            "not carried (turnout below the quorum)" if not self.quorate else "not carried")
        return (f"{verdict} by the members' ballot of {date}: {self.for_percent:.0f}% for, "
                f"turnout {self.turnout_percent:.0f}% (quorum {self.quorum_percent:g}%)")


def outcome_of(petition: Petition, ballot: Ballot) -> Outcome:
    """The outcome of the petition's forced ballot under the rules in force when it opened."""
    rules = rules_in_force(petition.created_at)
    totals = ballot.totals or [[0, 0]]
    eligible = active_members_on(ballot.cut_off).count
    turnout = 100 * (ballot.counted or 0) / eligible if eligible else 0.0
    return Outcome(totals[0][0], totals[0][1], turnout,
                   rules.ballot_turnout_quorum_percent, rules.ballot_majority_percent)


def choice_words(petition: Petition, ballot: Ballot, date: str) -> tuple[str, bool]:
    """The outcome of a forced ballot on options (choose, approval, block): which options
    had most votes, and whether the turnout met the quorum (then it binds)."""
    rules = rules_in_force(petition.created_at)
    question = ballot.questions.order_by("position").first()
    assert question is not None
    counts = (ballot.totals or [[]])[0]
    eligible = active_members_on(ballot.cut_off).count
    turnout = 100 * (ballot.counted or 0) / eligible if eligible else 0.0
    quorate = turnout >= rules.ballot_turnout_quorum_percent
    ranked = sorted(zip(question.options, counts, strict=False), key=lambda pair: -pair[1])
    places = question.max_choices if question.kind == "block" else 1
    chosen = [f"{name} ({votes})" for name, votes in ranked[:places]]
    if len(ranked) > places and ranked[places][1] == ranked[places - 1][1]:
        chosen.append("tied with " + ", ".join(
            f"{name} ({votes})" for name, votes in ranked[places:]
            if votes == ranked[places - 1][1]))
    verdict = "decided" if quorate else "not binding (turnout below the quorum)"
    return (f"{verdict} by the members' ballot of {date}: most votes for "
            f"{', '.join(chosen)}, turnout {turnout:.0f}% "
            f"(quorum {rules.ballot_turnout_quorum_percent:g}%)"), quorate


def apply_result(sender: type[Ballot], *, ballot: Ballot, **_: Any) -> None:
    """Record the outcome on the petition that forced this ballot, if one did."""
    petition = Petition.objects.filter(forced_ballot=ballot).first()
    if petition is None:
        return
    date = human_date_in(ballot.closes_at, "")
    if petition.question_kind in ("choose", "approval", "block"):
        petition.ballot_outcome, petition.ballot_carried = choice_words(petition, ballot, date)
        petition.save(update_fields=["ballot_outcome", "ballot_carried"])
        record("apply_ballot_result", actor=None, subject=petition, public=True,
               summary=f"“{petition.title}”: {petition.ballot_outcome}")
        return
    outcome = outcome_of(petition, ballot)
    petition.ballot_outcome = outcome.words(date)
    petition.ballot_carried = outcome.carried
    petition.save(update_fields=["ballot_outcome", "ballot_carried"])
    call_in.settle(petition, outcome.carried, petition.ballot_outcome)
    record("apply_ballot_result", actor=None, subject=petition, public=True,
           summary=f"“{petition.title}”: {petition.ballot_outcome} (ballot “{ballot.title}”)")
