"""Replacing a lost code while voting: the authority's `revocation` entry (6.4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from omov.audit.models import AuditEvent
from omov.ballots import board, simulation, state
from omov.ballots.actions import counting, credentials, schedule
from omov.ballots.errors import BallotError, RejectedSubmission
from omov.ballots.models import BoardEntry
from omov.crypto.canonical import canonical_json, parse_json
from omov.crypto.credentials import credential_secret, new_code, normalise_code, public_credential
from omov.crypto.group import Point
from omov.record.election import count_ballots, revocation_body
from omov.record.verifier import verify_record

from .helpers import client_for
from .test_ballots_helpers import Election, closed, opened

YES, NO = [[1, 0]], [[0, 1]]


def credential(election: Election, code: str) -> Point:
    return public_credential(credential_secret(state.manifest_digest(election.ballot),
                                               normalise_code(code)))


def replacement(election: Election, lost: str, reason: str = "code reported lost",
                ) -> tuple[str, dict[str, Any]]:
    """A new code and the authority's signed revocation of `lost` in its favour."""
    assert election.authority_machine is not None
    fresh = new_code()
    body = revocation_body(bytes.fromhex(election.ballot.fingerprint),
                           [credential(election, lost)], [credential(election, fresh)],
                           reason, election.authority_machine.secret, election.rng)
    return fresh, body


def upload(client: Client, election: Election, body: object) -> str:
    url = reverse("ballots:authority_revocation", args=[election.ballot.slug])
    file = SimpleUploadedFile("revocation.json", canonical_json(body), "application/json")
    response = client.post(url, {"revocation_file": file}, follow=True)
    return response.content.decode()


def test_the_authority_replaces_a_lost_code_and_only_the_new_one_votes() -> None:
    election = opened(voters=2)
    voter, other = election.voters
    lost = election.code(voter)
    simulation.vote(election.ballot, voter, lost, YES, election.rng)
    simulation.vote(election.ballot, other, election.code(other), NO, election.rng)
    fresh, body = replacement(election, lost)
    page = upload(client_for(election.authority), election, body)
    assert "The revocation is on the board" in page
    entry = BoardEntry.objects.get(ballot=election.ballot, kind="revocation")
    assert parse_json(entry.line)["body"] == body
    assert AuditEvent.objects.filter(
        action="submit_revocation", summary__contains="replaced 1 credential(s)"
    ).filter(summary__contains="code reported lost").exists()
    with pytest.raises(RejectedSubmission, match="revoked"):
        simulation.vote(election.ballot, voter, lost, NO, election.rng)
    entries = [(e.kind, parse_json(e.line)["body"])
               for e in BoardEntry.objects.filter(ballot=election.ballot).order_by("index")]
    assert count_ballots(state.manifest(election.ballot).rules, entries)[0] == 1
    simulation.vote(election.ballot, voter, fresh, NO, election.rng)
    closed(election)
    assert election.ballot.counted == 2


def test_a_ballot_cast_before_revocation_is_not_counted_and_the_record_verifies(
    tmp_path: Path,
) -> None:
    election = opened(voters=2)
    voter, other = election.voters
    simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    simulation.vote(election.ballot, other, election.code(other), NO, election.rng)
    _, body = replacement(election, election.code(voter))
    credentials.submit_revocation(election.ballot, body, by=election.authority)
    closed(election)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[1, 2])
    counting.publish_result(election.refresh(), by=election.organiser)
    ballot = election.refresh()
    assert ballot.counted == 1 and ballot.totals == [[0, 1]]
    path = tmp_path / "record.omov.jsonl"
    path.write_bytes(b"".join(board.lines(ballot)))
    report = verify_record(path, jobs=1)
    assert report.ok, report.render()
    schedule.run_pending_verifications(jobs=1)
    assert election.refresh().verified


def test_only_the_ballots_credential_authority_may_upload() -> None:
    election = opened(voters=1)
    _, body = replacement(election, election.code(election.voters[0]))
    for person in (election.organiser, election.voters[0]):
        response = client_for(person).post(
            reverse("ballots:authority_revocation", args=[election.ballot.slug]),
            {"revocation_file": SimpleUploadedFile("r.json", canonical_json(body))},
        )
        assert response.status_code == 403
    with pytest.raises(BallotError, match="Only the ballot's credential authority"):
        credentials.submit_revocation(election.ballot, body, by=election.organiser)
    assert not BoardEntry.objects.filter(ballot=election.ballot, kind="revocation").exists()


def test_a_bad_signature_is_refused_with_a_message() -> None:
    election = opened(voters=1)
    _, body = replacement(election, election.code(election.voters[0]))
    tampered = {**body, "reason": "something else"}
    page = upload(client_for(election.authority), election, tampered)
    assert "The revocation was rejected (at signature)" in page
    assert not BoardEntry.objects.filter(ballot=election.ballot, kind="revocation").exists()


def test_a_credential_not_on_the_roll_or_already_revoked_is_refused() -> None:
    election = opened(voters=1)
    assert election.authority_machine is not None
    _, stranger = replacement(election, new_code())
    page = upload(client_for(election.authority), election, stranger)
    assert "The revocation was rejected (at revoked[0]): not an eligible credential" in page
    lost = election.code(election.voters[0])
    fresh, body = replacement(election, lost)
    credentials.submit_revocation(election.ballot, body, by=election.authority)
    _, again = replacement(election, lost)
    with pytest.raises(RejectedSubmission, match="already revoked"):
        credentials.submit_revocation(election.ballot, again, by=election.authority)
    _, reused = replacement(election, fresh)
    reused_added = revocation_body(
        bytes.fromhex(election.ballot.fingerprint), [credential(election, fresh)],
        [credential(election, fresh)], "mistake", election.authority_machine.secret,
        election.rng,
    )
    with pytest.raises(RejectedSubmission, match="added credential must be new"):
        credentials.submit_revocation(election.ballot, reused_added, by=election.authority)
    credentials.submit_revocation(election.ballot, reused, by=election.authority)
    assert BoardEntry.objects.filter(ballot=election.ballot, kind="revocation").count() == 2


def test_no_revocation_outside_voting() -> None:
    election = opened(voters=1)
    _, body = replacement(election, election.code(election.voters[0]))
    closed(election)
    page = upload(client_for(election.authority), election, body)
    assert "This step belongs to the open phase; the ballot is closed" in page
    assert not BoardEntry.objects.filter(ballot=election.ballot, kind="revocation").exists()
