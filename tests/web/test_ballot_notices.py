"""A ballot's members are told when voting opens, reminded before the close if they have
not cast, and told the result; organisers are told when the trustees or the credential
authority finish; each notice respects the member's choice and carries its unsubscribe."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from omov.audit.models import AuditEvent
from omov.ballots import simulation
from omov.ballots.actions import counting, credentials, notices, schedule
from omov.ballots.models import Ballot, Mailing, MailingKind
from omov.members import actions as member_actions
from omov.members.models import Member, NoticeKind, NoticeOptOut, Status, today
from omov.web import outbox

from .helpers import days_ago, organiser
from .smtp_server import SmtpServer
from .test_ballots_helpers import Election, closed, opened, published

YES = [[1, 0]]


def to(person: Member, subject_start: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [person.email]
            and str(m.subject).startswith(subject_start)]


def electors(election: Election) -> list[Member]:
    return [e.member for e in election.ballot.electors.select_related("member")]


def test_each_eligible_member_is_told_voting_is_open_with_the_booth_and_their_own_closing_time(
) -> None:
    election = opened(voters=3)
    voter = election.voters[0]
    Member.objects.filter(pk=voter.pk).update(time_zone="America/New_York")
    assert Mailing.objects.get(ballot=election.ballot).kind == MailingKind.OPENED
    mail.outbox.clear()
    notices.send_mailings(timezone.now())
    subject = f"Voting is open: “{election.ballot.title}”"
    told = [m for m in mail.outbox if str(m.subject) == subject]
    assert sorted(m.to[0] for m in told) == sorted(p.email for p in electors(election))
    [message] = to(voter, "Voting is open")
    assert f"/ballots/{election.ballot.slug}/vote/" in message.body
    local = timezone.localtime(election.ballot.closes_at,
                               datetime.timezone(datetime.timedelta(hours=-5)))
    assert f"{local:%H:%M} EST" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "/emails/stop/" in message.body
    event = AuditEvent.objects.get(action="send_ballot_notices")
    assert event.details == {"kind": "opened", "sent": len(told)}


def test_a_member_who_turned_it_off_or_cannot_vote_now_is_not_told() -> None:
    election = opened(voters=3)
    quiet, lapsed = election.voters[0], election.voters[1]
    NoticeOptOut.objects.create(member=quiet, kind=NoticeKind.BALLOT_OPENED)
    member_actions.change_member_status(lapsed, Status.LAPSED, effective_on=today(),
                                        reason="not renewed", by=None)
    mail.outbox.clear()
    notices.send_mailings(timezone.now())
    assert to(quiet, "Voting is open") == [] and to(lapsed, "Voting is open") == []
    assert len(to(election.voters[2], "Voting is open")) == 1


def test_a_large_roll_is_told_in_batches_over_several_rounds_once_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(notices, "BATCH", 3)
    election = opened(voters=4)  # 4 voters, 3 trustees, authority, organiser: 9 electors
    mail.outbox.clear()
    first = notices.send_mailings(timezone.now(), batches=2)
    assert len(mail.outbox) == 6 and first[0].endswith("sending, 6 so far.")
    notices.send_mailings(timezone.now(), batches=2)
    notices.send_mailings(timezone.now(), batches=2)
    assert Counter(m.to[0] for m in mail.outbox) == Counter(p.email for p in electors(election))
    assert Mailing.objects.get(ballot=election.ballot).finished_at is not None


def reminder_time(ballot: Ballot) -> datetime.datetime:
    return ballot.closes_at - datetime.timedelta(hours=1)


def long_open(**kwargs: Any) -> Election:
    """An open ballot with 30 hours of voting, so the 24-hour reminder falls inside it."""
    election = opened(**kwargs)
    Ballot.objects.filter(pk=election.ballot.pk).update(
        closes_at=election.ballot.opens_at + datetime.timedelta(hours=30))
    election.refresh()
    notices.send_mailings(timezone.now())
    mail.outbox.clear()
    return election


def test_the_reminder_goes_once_to_those_who_have_not_cast_and_says_nothing_else() -> None:
    election = long_open(voters=3)
    voter = election.voters[0]
    simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    mail.outbox.clear()
    early = election.ballot.closes_at - datetime.timedelta(hours=25)
    assert notices.send_mailings(early) == []
    notices.send_mailings(reminder_time(election.ballot))
    reminded = [m.to[0] for m in mail.outbox if str(m.subject).startswith("Voting in")]
    expected = [p.email for p in electors(election) if p.pk != voter.pk]
    assert sorted(reminded) == sorted(expected)
    body = to(election.voters[1], "Voting in")[0].body
    assert "no ballot has been cast from your sign-in yet" in body
    assert "/vote/" in body and "voting code" in body
    for _ in range(3):  # the schedule runs again and again
        notices.send_mailings(reminder_time(election.ballot) + datetime.timedelta(minutes=5))
    assert sorted(m.to[0] for m in mail.outbox if str(m.subject).startswith("Voting in")) == (
        sorted(expected))
    assert Mailing.objects.filter(ballot=election.ballot, kind=MailingKind.REMINDER).count() == 1


def test_a_ballot_shorter_than_the_lead_time_gets_no_reminder() -> None:
    opened(voters=2)  # two hours of voting
    notices.send_mailings(timezone.now())
    assert not Mailing.objects.filter(kind=MailingKind.REMINDER).exists()


def test_no_reminder_when_the_lead_time_is_zero(settings: Any) -> None:
    settings.OMOV_REMINDER_HOURS = 0
    election = long_open(voters=2)
    notices.send_mailings(reminder_time(election.ballot))
    assert mail.outbox == []


@pytest.mark.usefixtures("durable_outbox")
def test_a_round_that_dies_part_way_tells_nobody_twice_and_nobody_is_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(notices, "BATCH", 4)
    election = long_open(voters=5)
    DBTaskResult.objects.all().delete()
    real = notices.notice_message
    calls = {"n": 0}

    def dies_on_the_sixth(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 6:
            raise IntegrityError("the database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(notices, "notice_message", dies_on_the_sixth)
    with pytest.raises(IntegrityError):
        notices.send_mailings(reminder_time(election.ballot))
    assert DBTaskResult.objects.count() == 4  # the first batch committed, the second did not
    monkeypatch.setattr(notices, "notice_message", real)
    notices.send_mailings(reminder_time(election.ballot))
    notices.send_mailings(reminder_time(election.ballot))
    recipients = Counter(str(r.args_kwargs["kwargs"]["to"]) for r in DBTaskResult.objects.filter(
        task_path=outbox.TASK_PATH))
    assert recipients == Counter(p.email for p in electors(election))


def test_a_notice_for_a_ballot_that_closed_meanwhile_is_dropped() -> None:
    election = opened(voters=2)
    closed(election)
    mail.outbox.clear()
    notices.send_mailings(timezone.now())
    assert not [m for m in mail.outbox if str(m.subject).startswith("Voting is open")]
    assert Mailing.objects.get(kind=MailingKind.OPENED).finished_at is not None


def test_the_result_goes_to_every_eligible_member_in_words() -> None:
    election = opened(voters=3)
    notices.send_mailings(timezone.now())
    for voter in election.voters:
        simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    closed(election)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[1, 2])
    counting.publish_result(election.refresh(), by=election.organiser)
    mail.outbox.clear()
    schedule.run_round(timezone.now(), jobs=1)
    results = [m for m in mail.outbox if str(m.subject).startswith("Result:")]
    assert sorted(m.to[0] for m in results) == sorted(p.email for p in electors(election))
    body = results[0].body
    assert "Turnout 38%: 3 of 8 eligible members voted" in body and "passed" in body
    assert f"/ballots/{election.ballot.slug}/results/" in body
    assert results[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_organisers_are_told_when_the_trustees_and_the_authority_finish() -> None:
    election = published(voters=2)
    other = organiser("Another Organiser")
    mail.outbox.clear()
    election.states = simulation.key_ceremony(election.ballot, election.rng, by=election.organiser)
    for person in (election.organiser, other):
        [message] = to(person, f"The trustees of “{election.ballot.title}” finished")
        assert "Fix the election key" in message.body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert election.authority_machine is not None
    simulation.issue_credentials(election.refresh(), election.authority_machine, election.rng,
                                 mail=False)
    assert len(to(other, f"The voting codes of “{election.ballot.title}” are issued")) == 1
    credentials.open_ballot(election.refresh(), by=election.organiser, now=timezone.now())
    closed(election)
    NoticeOptOut.objects.create(member=other, kind=NoticeKind.BALLOT_STEPS)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[1, 2])
    assert len(to(election.organiser, f"The trustees of “{election.ballot.title}” have "
                  "decrypted")) == 1
    assert to(other, f"The trustees of “{election.ballot.title}” have decrypted") == []


def test_a_member_is_told_when_their_status_changes() -> None:
    boss = organiser("Olu Organiser")
    person = member_actions.add_member(membership_number="N1", name="Ada Lovelace",
                                       email="ada@example.org", local_group=None,
                                       joined_on=days_ago(10), by=boss)
    assert "You joined on" in to(person, "Welcome")[0].body
    member_actions.change_member_status(person, Status.LAPSED, effective_on=today(),
                                        reason="Subscription not renewed", by=boss)
    lapsed = to(person, "Your membership is lapsed")[0].body
    assert "Subscription not renewed" in lapsed and "ask to rejoin" in lapsed
    mail.outbox.clear()
    request = member_actions.request_rejoin(person, message="I want to vote.")
    [asked] = to(boss, "Rejoin request from Ada Lovelace")
    assert "I want to vote." in asked.body and "/organise/rejoin-requests/" in asked.body
    member_actions.approve_rejoin(request, by=boss)
    assert len(to(person, "Your membership is active again")) == 1
    NoticeOptOut.objects.create(member=person, kind=NoticeKind.MEMBERSHIP)
    mail.outbox.clear()
    member_actions.cancel_membership(person, reason="In protest")
    assert to(person, "Your membership") == []


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()


@pytest.mark.usefixtures("durable_outbox")
def test_a_batch_written_in_one_go_is_delivered_over_smtp_with_its_headers(
    smtp: SmtpServer,
) -> None:
    election = opened(voters=3)
    DBTaskResult.objects.all().delete()
    notices.send_mailings(timezone.now())
    assert DBTaskResult.objects.filter(task_path=outbox.TASK_PATH).count() == 8
    assert outbox.run_delivery_round() == 8
    received = {str(m["To"]): m for m in smtp.handler.received}
    assert set(received) == {p.email for p in electors(election)}
    for person in electors(election):
        message = received[person.email]
        assert str(message["Subject"]).strip() == f"Voting is open: “{election.ballot.title}”"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert person.name in message.get_content()
        link = str(message["List-Unsubscribe"]).strip().strip("<>")
        assert link in message.get_content().replace("\r\n", "\n")
