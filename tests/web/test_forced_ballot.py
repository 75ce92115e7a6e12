"""A ballot petition past its ballot threshold forces a draft ballot that must open in time."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from omov.ballots.actions.drafting import TrusteeInvite
from omov.organisation import actions as organisation_actions
from omov.petitions import actions, forced_ballot
from omov.petitions.errors import NotAllowed, PetitionError
from omov.petitions.models import Kind, Petition, Visibility

from .helpers import member, organiser

pytestmark = pytest.mark.django_db


def _ballot_petition(signers: int) -> tuple[Petition, list]:
    people = [member(f"Member {n}") for n in range(40)]
    committee = organisation_actions.create_committee("National committee", by=None)
    petition = actions.open_petition(by=people[0], kind=Kind.BALLOT_PETITION,
                                     title="Reverse the withdrawal of endorsement?",
                                     text="The members, not four officers, should decide.",
                                     committee=committee)
    for person in people[:signers]:
        actions.sign_petition(petition, by=person, visibility=Visibility.COUNTED)
    petition.refresh_from_db()
    return petition, people


def _draft(petition: Petition, by: object, people: list, opens_in: datetime.timedelta) -> object:
    now = timezone.now()
    return forced_ballot.draft_forced_ballot(
        petition, by=by,  # type: ignore[arg-type]
        trustees=[TrusteeInvite(f"Region {i}", p.email) for i, p in enumerate(people[30:33])],
        threshold=2, authority_email=people[35].email, authority_name="Scrutineer",
        opens_at=now + opens_in, closes_at=now + opens_in + datetime.timedelta(days=3),
    )


def test_one_below_the_ballot_threshold_owes_nothing() -> None:
    petition, _ = _ballot_petition(signers=3)  # 10% of 40 is 4
    assert petition.thresholds["ballot"] == 4
    assert petition.ballot_due is None


def test_at_the_threshold_a_ballot_is_owed_and_drafted_from_the_petition() -> None:
    petition, people = _ballot_petition(signers=4)
    assert petition.ballot_due is not None
    assert petition.ballot_overdue(petition.ballot_due + datetime.timedelta(seconds=1))
    with pytest.raises(NotAllowed):
        _draft(petition, people[1], people, datetime.timedelta(days=1))
    boss = organiser()
    with pytest.raises(PetitionError, match="must open by"):
        _draft(petition, boss, people, datetime.timedelta(days=400))
    ballot = _draft(petition, boss, people, datetime.timedelta(days=1))
    petition.refresh_from_db()
    assert petition.forced_ballot == ballot
    question = ballot.questions.get()  # type: ignore[attr-defined]
    assert question.text == petition.title
    assert question.case_for == petition.text
    with pytest.raises(PetitionError, match="already drafted"):
        _draft(petition, boss, people, datetime.timedelta(days=1))
