"""The schedule: what happens at a ballot's published times without anyone pressing a button.

A round opens every ballot whose credentials are issued once its opening time
has come, closes (and tallies) every open ballot once its closing time has
passed, emails the trustees of a closed ballot that it is time to decrypt (once
each), and runs the verifier over every published result still waiting for
it. Each step goes through the same action an organiser's button calls, in
its own transaction, with the audit log's actor None ("the schedule").

Two processes may run rounds at once (`omov serve`'s thread and a cron
`omov schedule`): the actions lock the ballot's row and check its phase, so
the loser of a race gets `WrongPhase`, which here just means "already done".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from omov.audit.log import record
from omov.ballots.actions.counting import close_ballot
from omov.ballots.actions.credentials import open_ballot
from omov.ballots.actions.notices import send_mailings
from omov.ballots.actions.trustee_mail import ask_trustees_of_closed_ballots
from omov.ballots.errors import WrongPhase
from omov.ballots.models import Ballot, Phase, ScheduleRun


def run_schedule(now: datetime.datetime) -> list[str]:
    """Opens and closes the ballots whose time has come; returns what was done, in words.

    `now` is the time the round acts at (the opening or closing time written
    on the board).
    """
    done: list[str] = []
    due_to_open = Ballot.objects.filter(phase=Phase.READY, opens_at__lte=now, closes_at__gt=now)
    for ballot in due_to_open.order_by("opens_at", "pk"):
        try:
            open_ballot(ballot, by=None, now=now)
        except WrongPhase:
            continue
        done.append(f"Opened “{ballot.title}” ({ballot.slug}).")
    due_to_close = Ballot.objects.filter(phase=Phase.OPEN, closes_at__lte=now)
    for ballot in due_to_close.order_by("closes_at", "pk"):
        try:
            closed = close_ballot(ballot, by=None, now=now)
        except WrongPhase:
            continue
        done.append(f"Closed “{ballot.title}” ({ballot.slug}): {closed.counted} ballots counted.")
    return done


def pending_verifications() -> list[Ballot]:
    """Published results whose record the server has not verified yet."""
    return list(Ballot.objects.filter(phase=Phase.PUBLISHED, verified__isnull=True)
                .order_by("pk"))


def run_pending_verifications(*, jobs: int | None = None) -> list[str]:
    """Verifies each pending record with `omov verify`'s code and keeps the verdict and report.

    `jobs` is the number of verifier processes (default: every core). If
    another process stored a verdict for the same ballot meanwhile, its
    verdict stands and this one is dropped.
    """
    from omov.ballots.verification import verify_board

    done: list[str] = []
    for ballot in pending_verifications():
        verified, report = verify_board(ballot, jobs=jobs)
        verdict = "passed" if verified else "FAILED"
        with transaction.atomic():
            stored = Ballot.objects.filter(pk=ballot.pk, verified__isnull=True).update(
                verified=verified, verification_report=report
            )
            if not stored:
                continue
            record("verify_record", actor=None, subject=ballot, public=True,
                   summary=f"The record of “{ballot.title}” {verdict} omov verify")
        done.append(f"The record of “{ballot.title}” ({ballot.slug}) {verdict} omov verify.")
    return done


RoundStep = Callable[[datetime.datetime], list[str]]
_round_steps: list[RoundStep] = []


def register_round_step(step: RoundStep) -> None:
    """Lets a higher app run its own timed work in each round (e.g. discussion digests).

    `step(now)` returns what it did, in words; ballots never import that app.
    """
    if step not in _round_steps:
        _round_steps.append(step)


def run_round(now: datetime.datetime, *, jobs: int | None = None) -> list[str]:
    """One round of the schedule: open and close on time, ask the trustees of closed ballots
    to decrypt, send the members' notices on (a batch at a time), verify published results,
    run the higher apps' steps, then note the round's end for `/health/`."""
    done = run_schedule(now) + ask_trustees_of_closed_ballots() + send_mailings(now)
    done += run_pending_verifications(jobs=jobs)
    for step in _round_steps:
        done += step(now)
    record_round(timezone.now())
    return done


def record_round(finished_at: datetime.datetime) -> None:
    """Keeps the time the last round finished (one row, however many processes run rounds)."""
    ScheduleRun.objects.update_or_create(pk=1, defaults={"finished_at": finished_at})


def last_round() -> datetime.datetime | None:
    """When a round last finished; None if the schedule has never run."""
    run = ScheduleRun.objects.filter(pk=1).first()
    return run.finished_at if run else None
