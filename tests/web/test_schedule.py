"""The schedule opens and closes ballots at their published times and verifies results."""

from __future__ import annotations

import datetime
import html

import pytest
from django.test import Client
from django.urls import reverse

from omov import cli
from omov.audit.models import AuditEvent
from omov.ballots import simulation, verification
from omov.ballots.actions import credentials, schedule
from omov.ballots.errors import WrongPhase
from omov.ballots.models import Ballot, BoardEntry, Phase

from .helpers import client_for
from .test_ballots_helpers import Election, closed, opened, published

YES = [[1, 0]]


def ready(**kwargs: object) -> Election:
    """Credentials issued, not open yet: opens an hour ago, closes in an hour."""
    election = published(**kwargs)
    election.states = simulation.key_ceremony(election.ballot, election.rng, by=election.organiser)
    assert election.authority_machine is not None
    simulation.issue_credentials(election.refresh(), election.authority_machine, election.rng,
                                 mail=False)
    assert election.refresh().phase == Phase.READY
    return election


def kinds(ballot: Ballot) -> list[str]:
    return list(BoardEntry.objects.filter(ballot=ballot).order_by("index")
                .values_list("kind", flat=True))


def test_a_ballot_whose_opening_time_has_passed_is_opened_by_the_schedule() -> None:
    election = ready()
    now = election.ballot.opens_at + datetime.timedelta(minutes=5)
    assert schedule.run_schedule(now) == [
        f"Opened “{election.ballot.title}” ({election.ballot.slug})."
    ]
    ballot = election.refresh()
    assert ballot.phase == Phase.OPEN and ballot.fingerprint
    assert kinds(ballot)[-1] == "open"
    event = AuditEvent.objects.get(action="open_ballot")
    assert event.actor is None


def test_a_ballot_before_its_opening_time_is_not_opened() -> None:
    election = ready()
    assert schedule.run_schedule(election.ballot.opens_at - datetime.timedelta(seconds=1)) == []
    assert election.refresh().phase == Phase.READY


def test_a_ballot_whose_closing_time_passed_before_it_opened_stays_shut() -> None:
    election = ready()
    assert schedule.run_schedule(election.ballot.closes_at) == []
    assert election.refresh().phase == Phase.READY


def test_an_open_ballot_past_its_closing_time_is_closed_and_tallied() -> None:
    election = opened(voters=2)
    voter = election.voters[0]
    simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    assert schedule.run_schedule(election.ballot.closes_at - datetime.timedelta(seconds=1)) == []
    assert election.refresh().phase == Phase.OPEN
    now = election.ballot.closes_at + datetime.timedelta(seconds=30)
    assert schedule.run_schedule(now) == [
        f"Closed “{election.ballot.title}” ({election.ballot.slug}): 1 ballots counted."
    ]
    ballot = election.refresh()
    assert ballot.phase == Phase.CLOSED and ballot.counted == 1
    assert kinds(ballot)[-2:] == ["close", "tally"]
    assert AuditEvent.objects.get(action="close_ballot").actor is None


def test_a_second_round_changes_nothing() -> None:
    election = ready()
    now = election.ballot.closes_at - datetime.timedelta(minutes=1)
    opened, told = schedule.run_round(now, jobs=1)
    assert opened.startswith("Opened") and told.startswith("Notice “Voting is open”")
    board = kinds(election.ballot)
    events = AuditEvent.objects.count()
    assert schedule.run_round(now, jobs=1) == []
    assert kinds(election.ballot) == board
    assert AuditEvent.objects.count() == events


def test_a_ballot_opened_by_another_process_meanwhile_is_not_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    election = ready()
    now = election.ballot.opens_at
    real_open = credentials.open_ballot

    def lose_the_race(ballot: Ballot, *, by: None, now: datetime.datetime) -> Ballot:
        real_open(ballot, by=None, now=now)
        return real_open(ballot, by=by, now=now)

    monkeypatch.setattr(schedule, "open_ballot", lose_the_race)
    assert schedule.run_schedule(now) == []
    assert kinds(election.ballot).count("open") == 1


def test_the_organisers_button_still_opens_at_the_published_time() -> None:
    election = ready()
    credentials.open_ballot(election.ballot, by=election.organiser,
                            now=election.ballot.opens_at)
    assert election.refresh().phase == Phase.OPEN
    with pytest.raises(WrongPhase):
        credentials.open_ballot(election.ballot, by=election.organiser,
                                now=election.ballot.opens_at)


def decrypted(election: Election) -> Ballot:
    closed(election)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[1, 2])
    from omov.ballots.actions import counting

    return counting.publish_result(election.refresh(), by=election.organiser)


def test_a_published_result_is_pending_until_a_round_verifies_it() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    ballot = decrypted(election)
    assert ballot.verified is None
    assert schedule.pending_verifications() == [ballot]
    results = reverse("ballots:results", args=[ballot.slug])
    assert "The server is verifying" in Client().get(results).content.decode()
    assert schedule.run_pending_verifications(jobs=1) == [
        f"The record of “{ballot.title}” ({ballot.slug}) passed omov verify."
    ]
    ballot = election.refresh()
    assert ballot.verified is True and ballot.verification_report.endswith("VALID")
    assert "every check passed" in Client().get(results).content.decode()
    assert schedule.run_pending_verifications(jobs=1) == []
    assert AuditEvent.objects.filter(action="verify_record").count() == 1


def test_a_record_that_fails_verification_says_what_failed() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    ballot = decrypted(election)
    entry = BoardEntry.objects.get(ballot=ballot, kind="result")
    BoardEntry.objects.filter(pk=entry.pk).update(
        line=entry.line.replace('"totals":[[1,0]]', '"totals":[[0,1]]'))
    assert "FAILED" in schedule.run_pending_verifications(jobs=1)[0]
    ballot = election.refresh()
    assert ballot.verified is False
    page = Client().get(reverse("ballots:results", args=[ballot.slug])).content.decode()
    assert "did not pass verification" in page
    failures = verification.failed_checks(ballot.verification_report)
    assert failures[0].startswith("✗") and failures[0] in html.unescape(page)


def test_the_command_runs_one_round_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    election = ready()
    assert cli.main(["schedule"]) == 0
    assert election.refresh().phase == Phase.OPEN
    assert f"schedule: Opened “{election.ballot.title}”" in capsys.readouterr().out
    assert cli.main(["schedule"]) == 0
    assert capsys.readouterr().out == ""


def test_the_organiser_is_told_the_ballot_opens_and_closes_by_itself() -> None:
    election = ready()
    detail = reverse("ballots:detail", args=[election.ballot.slug])
    page = client_for(election.organiser).get(detail).content.decode()
    assert "opens by itself at its opening time" in page
    schedule.run_schedule(election.ballot.opens_at)
    page = client_for(election.organiser).get(detail).content.decode()
    assert "closes by itself at its closing time" in page
