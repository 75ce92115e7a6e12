"""Call-in of a published decision: only inside its call-in window; at the threshold the
decision is called in (suspended), and the rules say who reconsiders it.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from omov.committees import actions as committee_actions
from omov.committees.models import Decision
from omov.committees.queries import call_in_open
from omov.constitution.queries import rules_in_force
from omov.members.models import Member
from omov.petitions import forced_ballot
from omov.petitions.errors import PetitionError
from omov.petitions.models import Kind, Petition
from omov.web.times import human_date


def open_call_in(*, by: Member, decision: Decision, text: str) -> Petition:
    """Start a call-in petition; refused once the decision's call-in window has closed."""
    from omov.petitions.actions import open_petition

    if not call_in_open(decision):
        raise PetitionError(f"The call-in window for this decision closed on "
                            f"{human_date(decision.call_in_ends)}, or it is no longer open to "
                            "call-in; a call-in petition cannot start now.")
    petition = open_petition(by=by, kind=Kind.CALL_IN, committee=decision.committee,
                             title=call_in_title(decision), text=text)
    petition.decision = decision
    petition.save(update_fields=["decision"])
    return petition


def call_in_title(decision: Decision) -> str:
    """"Reverse the decision: <its words>?", without a doubled stop ("….?") and cut at a word."""
    words = decision.text.split()
    kept: list[str] = []
    while words and len(" ".join([*kept, words[0]])) <= 150:
        kept.append(words.pop(0))
    text = " ".join(kept).rstrip(" .!?;:,") + ("…" if words else "")
    return f"Reverse the decision: {text}?"


def call_in(petition: Petition, count: int, now: datetime.datetime) -> None:
    """The call-in threshold is reached: the decision is called in and suspended."""
    decision = petition.decision
    if decision is None:
        return
    rules = rules_in_force(petition.created_at)
    goes_to = ("members decide in a forced ballot" if rules.call_in_goes_to == "member_ballot"
               else "a full meeting reconsiders it")
    committee_actions.set_decision_status(
        decision, "called_in",
        cause_text=f"called in by the members' petition “{petition.title}” ({count} "
                   f"signatures); suspended while {goes_to}",
        cause_url=reverse("petitions:detail", args=[petition.slug]), actor=None)
    if rules.call_in_goes_to == "member_ballot":
        forced_ballot.owe_ballot(petition, now)


def settle(petition: Petition, carried: bool, words: str) -> None:
    """A binding ballot on a called-in decision: reversing it carried, or it stands."""
    decision = petition.decision
    if decision is None:
        return
    status = "overturned" if carried else "upheld"
    committee_actions.set_decision_status(
        decision, status, cause_text=f"{status} by the members' ballot: {words}",
        cause_url=reverse("petitions:detail", args=[petition.slug]), actor=None)
