"""A revocation never removes a cast ballot silently (issue 6, item 6): the board and the
member's receipt page show it, the member is emailed at once, and `omov verify` reports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from omov.ballots import board, simulation
from omov.ballots.actions import counting, credentials
from omov.ballots.errors import RejectedSubmission
from omov.ballots.models import BoardEntry
from omov.crypto.credentials import new_code
from omov.record.election import revocation_body
from omov.record.verifier import verify_record
from omov.web.times import human_time

from .helpers import client_for
from .test_ballots_helpers import Election, closed, opened
from .test_revocation import credential, upload

YES, NO = [[1, 0]], [[0, 1]]


def revoking(election: Election, code: str, reason: str,
             requested_at: str | None) -> dict[str, Any]:
    assert election.authority_machine is not None
    return revocation_body(bytes.fromhex(election.ballot.fingerprint), [credential(election, code)],
                           [credential(election, new_code())], reason,
                           election.authority_machine.secret, election.rng,
                           requested_at=requested_at)


def test_the_member_is_emailed_and_sees_the_removal_on_receipt_and_board(
    django_capture_on_commit_callbacks: Any,
) -> None:
    election = opened(voters=2)
    voter, other = election.voters
    cast = simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    simulation.vote(election.ballot, other, election.code(other), NO, election.rng)
    body = revoking(election, election.code(voter), "code reported lost", None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(election.authority), election, body)
    entry = BoardEntry.objects.get(ballot=election.ballot, kind="revocation")
    at = human_time(board.time_of(entry))
    [message] = mail.outbox
    assert message.to == [voter.email]
    assert f"removed by a revocation of your voting code at {at}" in message.body
    assert "It was not made at your request." in message.body
    assert "code reported lost" in message.body

    receipt = client_for(voter).get(reverse("ballots:receipt", args=[election.ballot.slug]))
    page = receipt.content.decode()
    assert (f"Your ballot was removed by a revocation at {at}, not made at your request. "
            "Reason: code reported lost.") in page
    assert cast.tracker in page
    other_page = client_for(other).get(reverse("ballots:receipt", args=[election.ballot.slug]))
    assert "removed by a revocation" not in other_page.content.decode()

    public = client_for(other).get(reverse("ballots:board", args=[election.ballot.slug]))
    text = public.content.decode()
    assert "Revocations" in text and "code reported lost" in text and at in text
    assert f"removed by the revocation at entry {entry.index}" in text


def test_a_requested_revocation_shows_the_request_time(
    django_capture_on_commit_callbacks: Any,
) -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    body = revoking(election, election.code(voter), "lost phone", "2026-01-01T10:00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        credentials.submit_revocation(election.ballot, body, by=election.authority)
    assert "made at the request recorded at Thu 1 Jan 2026, 10:00 GMT" in mail.outbox[-1].body
    page = client_for(voter).get(reverse("ballots:receipt", args=[election.ballot.slug]))
    assert "made at the request recorded at Thu 1 Jan 2026, 10:00 GMT" in page.content.decode()


def test_a_revocation_needs_a_reason_and_a_request_time_not_in_the_future() -> None:
    election = opened(voters=1)
    code = election.code(election.voters[0])
    with pytest.raises(RejectedSubmission, match="must be a published reason"):
        credentials.submit_revocation(election.ballot, revoking(election, code, " ", None),
                                      by=election.authority)
    with pytest.raises(RejectedSubmission, match="cannot be later than the revocation"):
        credentials.submit_revocation(
            election.ballot, revoking(election, code, "lost", "2999-01-01T00:00:00Z"),
            by=election.authority)
    assert not BoardEntry.objects.filter(ballot=election.ballot, kind="revocation").exists()


def test_omov_verify_reports_the_removed_ballot_of_a_valid_record(tmp_path: Path) -> None:
    election = opened(voters=2)
    voter, other = election.voters
    cast = simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    simulation.vote(election.ballot, other, election.code(other), NO, election.rng)
    credentials.submit_revocation(
        election.ballot, revoking(election, election.code(voter), "sold the code", None),
        by=election.authority)
    closed(election)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[1, 2])
    counting.publish_result(election.refresh(), by=election.organiser)
    path = tmp_path / "record.omov.jsonl"
    path.write_bytes(b"".join(board.lines(election.refresh())))
    report = verify_record(path, jobs=1)
    assert report.ok and report.complete, report.render()
    rendered = report.render()
    assert (f"! entry {cast.index}, ballot {cast.tracker}: this counted ballot was removed by "
            "the revocation at entry") in rendered
    assert "without a request by the member); reason: “sold the code”" in rendered
    assert rendered.endswith("VALID")
