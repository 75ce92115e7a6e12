"""The demo tells the accountability story: a committee of 12 and its officer group of 4,
a full meeting with a roll call, the emergency meeting of 3 that withdrew the endorsement,
the call-in past its threshold and its forced ballot open for voting, a secretary's
sign-in link, and discussion on the open letter and the decision."""

from __future__ import annotations

import pytest
from django.test import override_settings

from omov.ballots.models import Phase
from omov.committees.models import Decision, Meeting
from omov.committees.permissions import is_secretary
from omov.committees.register import register_lines
from omov.demo.seed import NATIONAL_COMMITTEE, OFFICER_GROUP, DemoOptions, seed_demo
from omov.discussion.actions import thread_for
from omov.members.models import Member
from omov.organisation.models import Committee
from omov.petitions import signature_log
from omov.petitions.models import Kind, Petition
from omov.record.register import verify_register_lines

pytestmark = pytest.mark.django_db


@pytest.mark.slow
@override_settings(ROOT_URLCONF="tests.web.debug_urls")
def test_the_demo_tells_the_withdrawn_endorsement_story() -> None:
    report = seed_demo(DemoOptions(members=120))
    national = Committee.objects.get(name=NATIONAL_COMMITTEE)
    officers = Committee.objects.get(name=OFFICER_GROUP)
    assert national.seats.count() == 12 and officers.seats.count() == 4
    assert officers.parent == national

    full = Meeting.objects.get(committee=national)
    assert full.kind == "full" and full.quorate
    assert full.quorum_words() == "quorate: 9 of 12 present, quorum 7"
    motion = full.motions.get()
    assert motion.roll_call and motion.carried and motion.votes.count() == 12
    assert (motion.votes_for, motion.votes_against, motion.abstentions) == (7, 1, 1)
    assert "carried by roll call" in full.minutes

    emergency = Meeting.objects.get(committee=officers)
    assert emergency.quorum_words() == "not a full meeting: 3 of 4 (emergency meeting)"
    decision = Decision.objects.get(meeting=emergency)
    assert decision.kind == "endorsement" and decision.needs_ratification
    assert decision.status == "called_in"
    assert decision.motion is not None and decision.motion.votes.filter(vote="for").count() == 2

    call_in = Petition.objects.get(kind=Kind.CALL_IN)
    assert call_in.decision == decision
    assert signature_log.load(call_in).state.count > call_in.thresholds["call_in"]
    assert call_in.forced_ballot is not None and call_in.forced_ballot.phase == Phase.OPEN
    assert call_in.forced_ballot.electors.count() > 80
    assert Petition.objects.filter(kind=Kind.OPEN_LETTER, title__contains="Camden").exists()

    for body in (national, officers):
        assert verify_register_lines(register_lines(body)).ok

    secretary_line = next(line for line in report.lines
                          if line.startswith("Sign in as the committee secretary"))
    assert "/sign-in/link/" in secretary_line
    secretary = Member.objects.get(name=secretary_line.split("(")[1].split(")")[0])
    assert is_secretary(secretary, national) and is_secretary(secretary, officers)
    assert any(f"/ballots/{call_in.forced_ballot.slug}/" in line for line in report.lines)

    letter = Petition.objects.get(kind=Kind.OPEN_LETTER)
    for subject in (letter, decision):
        comments = thread_for(subject).comments.all()
        assert comments.count() >= 10
        assert comments.filter(parent__isnull=False).count() >= 5
