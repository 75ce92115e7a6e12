"""Call-in: only inside the window; at the threshold the decision is called in; a forced
ballot's published result overturns or upholds it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from omov.ballots import simulation
from omov.ballots.actions import counting
from omov.committees import actions as committee_actions
from omov.committees.models import Decision
from omov.constitution.actions import amend_rules
from omov.constitution.rules import DEFAULT_RULES
from omov.organisation import actions as organisation_actions
from omov.petitions import actions, call_in
from omov.petitions.errors import PetitionError
from omov.petitions.models import Petition, Visibility

from .committee_helpers import present
from .helpers import days_ago, member
from .test_ballots_helpers import closed, opened

pytestmark = pytest.mark.django_db


def _decision() -> Decision:
    committee = organisation_actions.create_committee("National Committee", by=None)
    seats = [member(f"Seat {n}") for n in range(12)]
    for person in seats:
        organisation_actions.add_committee_member(committee, person, joined_on=days_ago(100),
                                                  by=None)
    committee_actions.appoint_secretary(committee, seats[0], actor=None)
    meeting = committee_actions.record_meeting(
        committee, kind="full", held_on=days_ago(3), notice_sent_on=days_ago(10),
        attendance=present(seats[:7]), actor=seats[0])
    return committee_actions.record_decision(meeting, text="Withdraw the endorsement",
                                             kind="endorsement", effective_on=days_ago(0),
                                             actor=seats[0])


def test_a_call_in_after_the_window_is_refused_and_nothing_is_made() -> None:
    decision = _decision()
    Decision.objects.filter(pk=decision.pk).update(call_in_ends=days_ago(1))
    decision.refresh_from_db()
    with pytest.raises(PetitionError, match="call-in window"):
        call_in.open_call_in(by=member("Ann"), decision=decision, text="Reverse it.")
    assert not Petition.objects.exists()


def test_threshold_calls_the_decision_in_and_the_ballot_overturns_it() -> None:
    rules = {**DEFAULT_RULES, "call_in_goes_to": "member_ballot",
             "ballot_turnout_quorum_percent": 10}
    amend_rules(rules, reason="members decide call-ins", actor=None)
    decision = _decision()
    petition = call_in.open_call_in(by=member("Ann"), decision=decision, text="Reverse it.")
    target = petition.thresholds["call_in"]
    people = [member(f"Caller {n}") for n in range(target)]
    for person in people[:-1]:
        actions.sign_petition(petition, by=person, visibility=Visibility.COUNTED)
    decision.refresh_from_db()
    assert decision.status == "in_call_in"
    actions.sign_petition(petition, by=people[-1], visibility=Visibility.COUNTED)
    decision.refresh_from_db()
    petition.refresh_from_db()
    assert decision.status == "called_in"
    assert "suspended while members decide" in decision.status_cause
    assert petition.ballot_due is not None and petition.ballot_due > timezone.now()

    election = opened(voters=3)
    Petition.objects.filter(pk=petition.pk).update(forced_ballot=election.ballot)
    for voter in election.voters:
        simulation.vote(election.ballot, voter, election.code(voter), [[1, 0]], election.rng)
    closed(election)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[1, 2])
    counting.publish_result(election.refresh(), by=election.organiser)
    decision.refresh_from_db()
    petition.refresh_from_db()
    assert petition.ballot_carried is True, petition.ballot_outcome
    assert decision.status == "overturned"
    assert "overturned by the members' ballot" in decision.status_cause
    assert "100% for" in decision.status_cause


def test_the_call_in_title_ends_in_one_question_mark_and_cuts_at_a_word() -> None:
    decision = _decision()
    decision.text = "The organisation withdraws its endorsement of Amira Khan."
    assert call_in.call_in_title(decision) == (
        "Reverse the decision: The organisation withdraws its endorsement of Amira Khan?")
    decision.text = " ".join(["endorsement"] * 40)
    title = call_in.call_in_title(decision)
    assert title.endswith("…?") and len(title) <= 200
    body = title.removeprefix("Reverse the decision: ").removesuffix("…?")
    assert set(body.split(" ")) == {"endorsement"}, title
