"""Fixing the joint key, taking the credential roll, and opening the ballot.

The credential authority makes every code and the signed roll on its own
machine; the server sees only the public roll (docs/protocol.md section 6.3).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from omov.audit.log import record
from omov.ballots import board, state
from omov.ballots.actions.ceremony import locked
from omov.ballots.errors import BallotError, RejectedSubmission, WrongPhase
from omov.ballots.manifest import utc_timestamp
from omov.ballots.models import Ballot, Phase
from omov.crypto.ballot import fingerprint
from omov.crypto.dkg import check_complaint, qualified
from omov.crypto.errors import ProtocolError
from omov.crypto.group import Point
from omov.crypto.threshold import joint_key
from omov.members.models import Member
from omov.record.counting import BallotCounter
from omov.record.errors import RecordError
from omov.record.roll import check_revocation, check_roll
from omov.web.times import human_time


@transaction.atomic
def finish_key_ceremony(ballot: Ballot, *, by: Member) -> Ballot:
    """Appends the `joint_key` entry (8.4) once every trustee has dealt and checked shares."""
    ballot = locked(ballot, Phase.KEY_CEREMONY)
    waiting = list(ballot.trustees.filter(shares_checked_at__isnull=True)
                   .values_list("index", flat=True))
    if waiting:
        raise WrongPhase(f"Trustees {waiting} have not checked their shares yet.")
    known = state.commitments(ballot)
    dealt = state.shares(ballot, known)
    upheld = []
    for body in board.bodies(ballot, "trustee_complaint"):
        if check_complaint(state.manifest_digest(ballot), body, known, dealt):
            upheld.append(body["against"])
    try:
        members = qualified(known, dealt, upheld, ballot.threshold)
    except ProtocolError as error:
        raise BallotError(f"The key ceremony failed: {error}") from error
    key = joint_key({i: c.commitments for i, c in known.items()}, members)
    board.append(ballot, "joint_key", {"qualified": list(members), "public_key": key.hex()})
    ballot.joint_key = key.hex()
    ballot.phase = Phase.CREDENTIALS
    ballot.save(update_fields=["joint_key", "phase"])
    record("finish_key_ceremony", actor=by, subject=ballot, public=True,
           summary=f"Fixed the election key of “{ballot.title}” "
           f"(qualified trustees {list(members)})")
    return ballot


def check_uploaded_roll(ballot: Ballot, roll: Any) -> list[str]:
    """Checks an uploaded roll with the verifier's check (6.3), and its size.

    There must be exactly one credential per member eligible at the cut-off.
    """
    last = board.head(ballot)
    try:
        checked, _ = check_roll(roll, state.manifest_digest(ballot),
                                Point.from_hex(ballot.authority_public_key),
                                entry=0 if last is None else last.index + 1)
    except RecordError as error:
        raise RejectedSubmission(f"The roll was rejected: {error.reason}",
                                 field=error.field) from error
    electors = ballot.electors.count()
    if len(checked) != electors:
        raise RejectedSubmission(
            f"The roll has {len(checked)} credentials but {electors} members are "
            "eligible: there must be exactly one each.", field="credentials",
        )
    credentials: list[str] = roll["credentials"]
    return credentials


@transaction.atomic
def submit_roll(ballot: Ballot, roll: Any, *, by: Member) -> Ballot:
    """Appends the authority's `credential_roll` after checking it; credentials are issued."""
    ballot = locked(ballot, Phase.CREDENTIALS)
    if by.pk != ballot.authority_id:
        raise BallotError("Only the ballot's credential authority may upload its roll.")
    credentials = check_uploaded_roll(ballot, roll)
    board.append(ballot, "credential_roll", roll)
    ballot.phase = Phase.READY
    ballot.save(update_fields=["phase"])
    record("submit_credential_roll", actor=by, subject=ballot, public=True,
           summary=f"The credential authority published {len(credentials)} public "
           f"credentials for “{ballot.title}”")
    return ballot


@transaction.atomic
def open_ballot(ballot: Ballot, *, by: Member | None, now: datetime.datetime) -> Ballot:
    """Appends the `open` entry with the fingerprint (7.1); members may vote."""
    ballot = locked(ballot, Phase.READY)
    if now < ballot.opens_at:
        raise WrongPhase(f"The ballot opens at {human_time(ballot.opens_at)}, not before.")
    if now >= ballot.closes_at:
        raise WrongPhase("The closing time has passed; the ballot can no longer open.")
    election = fingerprint(
        state.manifest_digest(ballot), Point.from_hex(ballot.joint_key), state.roll_digest(ballot)
    )
    board.append(ballot, "open", {"fingerprint": election.hex(), "opened_at": utc_timestamp(now)})
    ballot.fingerprint = election.hex()
    ballot.phase = Phase.OPEN
    ballot.save(update_fields=["fingerprint", "phase"])
    record("open_ballot", actor=by, subject=ballot, public=True,
           summary=f"Opened “{ballot.title}” for voting")
    return ballot


@transaction.atomic
def submit_revocation(ballot: Ballot, body: Any, *, by: Member) -> Ballot:
    """Appends the authority's `revocation` (6.4) while voting: lost codes are replaced.

    `body` is checked as the verifier checks it: its form and signature, then
    every revoked credential eligible (on the roll or added earlier, not yet
    revoked) and every added one new, after the revocations already on the board.
    """
    ballot = locked(ballot, Phase.OPEN)
    if by.pk != ballot.authority_id:
        raise BallotError("Only the ballot's credential authority may revoke credentials.")
    last = board.head(ballot)
    entry = 0 if last is None else last.index + 1
    authority_key = Point.from_hex(ballot.authority_public_key)
    election = bytes.fromhex(ballot.fingerprint)
    counter = BallotCounter(state.roll(ballot))
    try:
        for earlier in state.revocations(ballot):
            counter.revoke(entry, *check_revocation(earlier, election, authority_key, entry))
        revoked, added = check_revocation(body, election, authority_key, entry)
    except RecordError as error:
        raise _rejected_revocation(error) from error
    if not revoked and not added:
        raise RejectedSubmission("The revocation names no credential.", field="revoked")
    problem = counter.revoke(entry, revoked, added)
    if problem is not None:
        raise _rejected_revocation(problem)
    board.append(ballot, "revocation", body)
    record("submit_revocation", actor=by, subject=ballot, public=True,
           summary=f"The credential authority replaced {len(revoked)} credential(s) in "
           f"“{ballot.title}”: {body['reason']}")
    return ballot


def _rejected_revocation(error: RecordError) -> RejectedSubmission:
    where = f" (at {error.field})" if error.field else ""
    return RejectedSubmission(f"The revocation was rejected{where}: {error.reason}",
                              field=error.field)
