"""The outbox: mail is written in the action's transaction and sent by the worker over SMTP,
with retries and backoff; failures and the backlog are visible; nothing is lost."""

from __future__ import annotations

import datetime
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from omov.ballots import simulation
from omov.ballots.models import BoardEntry
from omov.crypto.canonical import canonical_json
from omov.web import bootstrap, outbox
from omov.web.mail import send_email

from .helpers import client_for, member, organiser
from .smtp_server import SmtpServer, free_port
from .test_ballots_helpers import opened

pytestmark = pytest.mark.usefixtures("durable_outbox")


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()


@pytest.fixture
def smtp_down(settings: Any) -> None:
    """Mail settings that point at a loopback port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5


def the_message() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path=outbox.TASK_PATH)


def make_due(message: DBTaskResult) -> None:
    """As if the retry's delay had passed."""
    DBTaskResult.objects.filter(pk=message.pk).update(
        run_after=timezone.now() - datetime.timedelta(seconds=1))


def test_a_message_waits_in_the_outbox_until_a_round_sends_it_over_smtp(
    smtp: SmtpServer,
) -> None:
    send_email("sam@example.org", "Hello Sam", "The body, with a link.",
               headers={"List-Unsubscribe": "<https://omov.example/u/1/>"})
    assert smtp.handler.received == []
    assert outbox.backlog().pending == 1
    assert outbox.run_delivery_round() == 1
    [received] = smtp.handler.received
    assert received["To"] == "sam@example.org" and received["Subject"] == "Hello Sam"
    assert received["List-Unsubscribe"] == "<https://omov.example/u/1/>"
    assert "The body, with a link." in received.get_content()
    assert outbox.backlog() == outbox.Backlog(pending=0, oldest_pending=None, failed=0)
    assert outbox.run_delivery_round() == 0
    assert len(smtp.handler.received) == 1
    stored = the_message()
    assert stored.status == "SUCCESSFUL"
    kept = stored.args_kwargs["kwargs"]
    assert kept["body"] == "" and kept["headers"] == {} and kept["subject"] == "Hello Sam"


def test_an_action_that_rolls_back_sends_nothing(smtp: SmtpServer) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        send_email("sam@example.org", "Never sent", "…")
        assert outbox.backlog().pending == 1
        raise RuntimeError("the action failed after enqueueing its mail")
    assert outbox.backlog().pending == 0
    assert outbox.run_delivery_round() == 0
    assert smtp.handler.received == []


def test_a_failed_attempt_is_retried_later_with_a_doubling_delay_then_fails_for_good(
    smtp_down: None, settings: Any,
) -> None:
    settings.OMOV_MAIL_MAX_ATTEMPTS = 3
    send_email("sam@example.org", "Your sign-in link", "secret link")
    before = timezone.now()
    assert outbox.run_delivery_round() == 0
    message = the_message()
    assert message.status == "READY" and len(message.worker_ids) == 1
    assert "ConnectionRefusedError" in message.traceback
    first_wait = message.run_after - before
    assert datetime.timedelta(seconds=59) < first_wait < datetime.timedelta(seconds=65)

    assert outbox.run_delivery_round() == 0  # not due yet: no attempt
    assert len(the_message().worker_ids) == 1

    make_due(message)
    before = timezone.now()
    assert outbox.run_delivery_round() == 0
    message = the_message()
    assert len(message.worker_ids) == 2
    assert datetime.timedelta(seconds=119) < message.run_after - before < datetime.timedelta(
        seconds=125)
    assert outbox.backlog().pending == 1 and outbox.backlog().failed == 0

    make_due(message)
    assert outbox.run_delivery_round() == 0
    message = the_message()
    assert message.status == "FAILED" and len(message.worker_ids) == 3
    assert outbox.backlog() == outbox.Backlog(pending=0, oldest_pending=None, failed=1)
    [failed] = outbox.failed_messages()
    assert failed.to == "sam@example.org" and failed.attempts == 3
    assert "ConnectionRefusedError" in failed.last_error


def test_retry_delays_double_from_a_minute_up_to_an_hour() -> None:
    delays = [outbox.retry_delay(attempts).total_seconds() for attempts in range(1, 10)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_a_recipient_the_server_refuses_for_good_is_not_retried(smtp: SmtpServer) -> None:
    smtp.handler.refuse.add("gone@example.org")
    send_email("gone@example.org", "To nobody", "…")
    send_email("sam@example.org", "To Sam", "…")
    assert outbox.run_delivery_round() == 1
    assert smtp.handler.subjects() == ["To Sam"]
    [failed] = outbox.failed_messages()
    assert failed.to == "gone@example.org" and failed.attempts == 1
    assert "550" in failed.last_error


def test_a_round_sends_a_batch_on_one_connection_and_reconnects_when_the_server_hangs_up(
    smtp: SmtpServer,
) -> None:
    smtp.handler.messages_per_connection = 3
    for number in range(outbox.BATCH + 5):
        send_email(f"m{number}@example.org", f"message {number}", "…")
    assert outbox.run_delivery_round() == outbox.BATCH + 5
    assert sorted(smtp.handler.subjects()) == sorted(
        f"message {number}" for number in range(outbox.BATCH + 5))
    # 25 then 5 messages, 3 per connection: 9 connections for the first batch, 2 for the next.
    assert outbox.BATCH == 25 and smtp.handler.connections == 9 + 2
    assert all(len(message.worker_ids) == 1 for message in DBTaskResult.objects.all())


def test_a_message_a_dead_worker_left_running_is_sent_again(smtp: SmtpServer) -> None:
    send_email("sam@example.org", "Claimed, then the worker died", "…")
    message = the_message()
    long_ago = timezone.now() - datetime.timedelta(minutes=31)
    DBTaskResult.objects.filter(pk=message.pk).update(
        status="RUNNING", started_at=long_ago, worker_ids=["dead-worker"])
    assert outbox.backlog().pending == 1
    assert outbox.run_delivery_round() == 1
    assert smtp.handler.subjects() == ["Claimed, then the worker died"]


def test_with_smtp_down_a_cast_is_recorded_and_the_voter_told_it_succeeded(
    smtp_down: None,
) -> None:
    election = opened()
    voter = election.voters[0]
    prepared = simulation.prepare(election.ballot, election.code(voter), [[1, 0]], election.rng)
    response = client_for(voter).post(
        reverse("ballots:cast", args=[election.ballot.slug]),
        canonical_json(prepared.ballot), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["tracker"] == prepared.tracker
    assert BoardEntry.objects.filter(ballot=election.ballot, kind="ballot").count() == 1
    [tracker_email] = [entry for entry in outbox.pending_messages() if entry.to == voter.email]
    assert tracker_email.subject.startswith("Your vote in")
    waiting = outbox.backlog().pending
    assert outbox.run_delivery_round() == 0
    assert outbox.backlog().pending == waiting
    assert [entry.to for entry in outbox.pending_messages()].count(voter.email) == 1


def test_organisers_see_failures_and_the_backlog_but_never_a_body(smtp_down: None,
                                                                  settings: Any) -> None:
    settings.OMOV_MAIL_MAX_ATTEMPTS = 1
    send_email("lost@example.org", "Your sign-in link", "https://omov.example/sign-in/SECRET/")
    outbox.run_delivery_round()
    send_email("waiting@example.org", "Your vote", "tracker SECRET-TRACKER")
    page = client_for(organiser()).get(reverse("outbox"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "lost@example.org" in text and "ConnectionRefusedError" in text
    assert "waiting@example.org" in text and "1 waiting" in text and "1 failed for good" in text
    assert "SECRET" not in text
    assert client_for(member()).get(reverse("outbox")).status_code == 403
    assert Client().get(reverse("outbox")).status_code in (302, 403)


def test_the_mail_server_stopped_mid_round_loses_nothing_and_sends_each_message_once(
    smtp: SmtpServer,
) -> None:
    for number in range(12):
        send_email(f"m{number}@example.org", f"message {number}", "…")
    smtp.handler.go_down_after = 5
    assert outbox.run_delivery_round() == 5  # the server went down after the fifth
    assert len(smtp.handler.received) == 5
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.count() == 7
    assert all("ConnectionRefusedError" in message.traceback for message in waiting)
    smtp.stop()
    for number in range(12, 15):
        send_email(f"m{number}@example.org", f"message {number}", "…")
    assert outbox.run_delivery_round() == 0  # still down: the new ones wait too
    assert outbox.backlog().pending == 10

    smtp.start()
    for message in DBTaskResult.objects.filter(status="READY"):
        make_due(message)
    assert outbox.run_delivery_round() == 10
    assert outbox.run_delivery_round() == 0
    counts = Counter(smtp.handler.subjects())
    assert counts == Counter(f"message {number}" for number in range(15))
    assert outbox.backlog() == outbox.Backlog(pending=0, oldest_pending=None, failed=0)
    attempts = Counter(len(message.worker_ids) for message in DBTaskResult.objects.all())
    assert attempts == Counter({1: 5, 2: 10})


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_the_worker_thread_sends_committed_mail_at_once_not_at_its_next_poll(
    smtp: SmtpServer,
) -> None:
    send_email("first@example.org", "waiting before the worker started", "…")
    stop = bootstrap.start_mail_worker(600)
    worker = next(thread for thread in threading.enumerate() if thread.name == "omov-mail")
    try:
        assert worker.daemon
        wait_for(lambda: len(smtp.handler.received) == 1)
        with transaction.atomic():
            send_email("second@example.org", "committed while the worker waits", "…")
        wait_for(lambda: len(smtp.handler.received) == 2, seconds=20)
    finally:
        stop.set()
        outbox.wake()
        worker.join(20)
    assert not worker.is_alive()
    assert smtp.handler.subjects() == ["waiting before the worker started",
                                       "committed while the worker waits"]


def test_the_mailworker_command_runs_one_round(smtp: SmtpServer,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from omov.commands import mailworker

    parser = argparse.ArgumentParser()
    mailworker.configure(parser)
    send_email("sam@example.org", "From the command", "…")
    assert mailworker.run(parser.parse_args([])) == 0
    assert "mail: delivered 1 message(s)" in capsys.readouterr().out
    assert smtp.handler.subjects() == ["From the command"]
    assert mailworker.run(parser.parse_args(["--every", "0"])) == 2


def test_in_development_the_worker_delivers_to_the_development_mailbox(settings: Any) -> None:
    from omov.web.mailbox.models import StoredEmail

    settings.EMAIL_BACKEND = "omov.web.mailbox.backend.DatabaseEmailBackend"
    send_email("sam@example.org", "Your sign-in link", "https://omov.example/sign-in/x/")
    assert not StoredEmail.objects.exists()
    assert outbox.run_delivery_round() == 1
    stored = StoredEmail.objects.get()
    assert (stored.to, stored.subject) == ("sam@example.org", "Your sign-in link")
    assert "sign-in/x/" in stored.body
