"""A forced ballot's published result is applied to its petition: turnout, quorum, majority."""

from __future__ import annotations

import pytest

from omov.ballots import simulation
from omov.ballots.actions import counting
from omov.constitution.queries import rules_in_force
from omov.members.models import Member
from omov.organisation import actions as organisation_actions
from omov.petitions import actions
from omov.petitions.consequences import Outcome
from omov.petitions.models import Kind, Petition

from .test_ballots_helpers import closed, opened

pytestmark = pytest.mark.django_db

YES, NO = [[1, 0]], [[0, 1]]


def test_outcome_edges_quorum_exactly_at_and_a_tie() -> None:
    assert Outcome(3, 1, 40.0, 40.0, 50.0).carried
    assert not Outcome(3, 1, 39.9, 40.0, 50.0).carried
    assert not Outcome(2, 2, 90.0, 40.0, 50.0).carried
    assert "64% for, turnout 41%" in Outcome(64, 36, 41.0, 25.0, 50.0).words("12 March 2027")


def test_publishing_the_forced_ballot_records_the_outcome_on_the_petition() -> None:
    election = opened(voters=4)
    committee = organisation_actions.create_committee("National committee", by=None)
    petition = actions.open_petition(by=election.voters[0], kind=Kind.BALLOT_PETITION,
                                     title="Reverse it?", text="Because.", committee=committee)
    Petition.objects.filter(pk=petition.pk).update(forced_ballot=election.ballot)
    for voter, choice in zip(election.voters, (YES, YES, YES, NO), strict=True):
        simulation.vote(election.ballot, voter, election.code(voter), choice, election.rng)
    closed(election)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[1, 2])
    counting.publish_result(election.refresh(), by=election.organiser)
    petition.refresh_from_db()
    eligible = Member.objects.filter(status="active").count()
    turnout = round(100 * 4 / eligible)
    assert f"75% for, turnout {turnout}%" in petition.ballot_outcome
    quorum = rules_in_force().ballot_turnout_quorum_percent
    assert petition.ballot_carried is (100 * 4 / eligible >= quorum)
    assert petition.ballot_carried  # 4 of about 9 active members voted, 3 of them for
