"""Petition terms from the rules in force, and the committee's answer duty."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from omov.members import actions as member_actions
from omov.members.models import Status
from omov.organisation import actions as organisation_actions
from omov.petitions import actions
from omov.petitions.errors import NotAllowed, PetitionError
from omov.petitions.models import Kind, Petition, Visibility
from omov.petitions.rules import terms_for

from .helpers import member

pytestmark = pytest.mark.django_db(transaction=True)


def _roll(active: int) -> list:
    return [member(f"Member {n}") for n in range(active)]


def _letter(by: object) -> Petition:
    committee = organisation_actions.create_committee("National committee", by=None)
    return actions.open_petition(by=by, kind=Kind.OPEN_LETTER, title="Camden's letter",  # type: ignore[arg-type]
                                 text="Reverse the withdrawal.", committee=committee)


def test_terms_come_from_the_rules_in_force_and_the_roll_that_day() -> None:
    people = _roll(40)
    terms = terms_for(Kind.OPEN_LETTER, timezone.now())
    assert terms.denominator == 40
    assert terms.thresholds == {"answer": 2}  # 5% of 40, rounded up
    assert terms.answer_days == 28
    member_actions.change_member_status(people[0], Status.LAPSED,
                                        effective_on=timezone.now().date(), reason="", by=None)
    assert terms_for(Kind.OPEN_LETTER, timezone.now()).denominator == 39
    later = terms_for(Kind.BALLOT_PETITION, timezone.now())
    assert set(later.thresholds) == {"answer", "ballot"}
    assert terms_for(Kind.CALL_IN, timezone.now()).thresholds == {"call_in": 1}


def test_answer_duty_starts_at_the_threshold_tells_the_committee_and_the_answer_closes_it() -> None:
    people = _roll(40)
    petition = _letter(people[0])
    seat_holder = people[1]
    organisation_actions.add_committee_member(petition.committee, seat_holder, by=None)
    actions.sign_petition(petition, by=people[2], visibility=Visibility.COUNTED)
    petition.refresh_from_db()
    assert petition.answer_due is None
    actions.sign_petition(petition, by=people[3], visibility=Visibility.COUNTED)
    petition.refresh_from_db()
    assert petition.answer_due is not None
    assert petition.answer_due - timezone.now() > datetime.timedelta(days=27)
    assert any(seat_holder.email in message.to for message in mail.outbox)
    later = petition.answer_due + datetime.timedelta(seconds=1)
    assert petition.answer_overdue(later)
    assert petition in actions.overdue_answers(later)

    with pytest.raises(NotAllowed, match="Only members of"):
        actions.record_answer(petition, by=people[2], text="No.")
    with pytest.raises(PetitionError, match="needs a text"):
        actions.record_answer(petition, by=seat_holder, text=" ")
    actions.record_answer(petition, by=seat_holder, text="We will put it to a full meeting.")
    petition.refresh_from_db()
    assert not petition.answer_overdue(later)
    assert petition not in actions.overdue_answers(later)
    with pytest.raises(PetitionError, match="already answered"):
        actions.record_answer(petition, by=seat_holder, text="Again.")
