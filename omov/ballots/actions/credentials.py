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
from omov.ballots.actions import notices
from omov.ballots.actions.ceremony import locked
from omov.ballots.errors import BallotError, RejectedSubmission, WrongPhase
from omov.ballots.manifest import manifest_time, utc_timestamp
from omov.ballots.models import Ballot, CredentialBinding, MailingKind, Phase
from omov.crypto.ballot import fingerprint
from omov.crypto.dkg import check_complaint, qualified
from omov.crypto.errors import ProtocolError
from omov.crypto.group import Point
from omov.crypto.threshold import joint_key
from omov.members.models import Member
from omov.record.board import instant
from omov.record.counting import BallotCounter
from omov.record.errors import RecordError
from omov.record.roll import check_revocation, check_roll
from omov.web.mail import send_email
from omov.web.times import human_time, human_time_in


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
    notices.tell_organisers_codes_issued(ballot)
    return ballot


@transaction.atomic
def open_ballot(ballot: Ballot, *, by: Member | None, now: datetime.datetime) -> Ballot:
    """Appends the `open` entry with the fingerprint (7.1); members may vote."""
    ballot = locked(ballot, Phase.READY)
    if now < ballot.opens_at:
        raise WrongPhase(f"The ballot opens at {human_time(ballot.opens_at)}, not before.")
    if now >= manifest_time(ballot.closes_at):
        raise WrongPhase("The closing time has passed; the ballot can no longer open.")
    election = fingerprint(
        state.manifest_digest(ballot), Point.from_hex(ballot.joint_key), state.roll_digest(ballot)
    )
    board.append(ballot, "open", {"fingerprint": election.hex(), "opened_at": utc_timestamp(now)},
                 at=now)
    ballot.fingerprint = election.hex()
    ballot.phase = Phase.OPEN
    ballot.save(update_fields=["fingerprint", "phase"])
    record("open_ballot", actor=by, subject=ballot, public=True,
           summary=f"Opened “{ballot.title}” for voting")
    notices.start_mailing(ballot, MailingKind.OPENED)
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
    now = board.now()
    if now >= manifest_time(ballot.closes_at):
        raise WrongPhase("Voting has closed: a revocation can no longer change what counts.")
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
    requested_at = body["requested_at"]
    if requested_at is not None and instant(requested_at) > now:
        raise RejectedSubmission("The member's request cannot be later than the revocation.",
                                 field="requested_at")
    appended = board.append(ballot, "revocation", body, at=now)
    # Whoever cast with a revoked code is told at once; then the binding goes, so the
    # member of a revoked code may bind their replacement (a code of `added`).
    bound = CredentialBinding.objects.filter(ballot=ballot,
                                             credential__in=[c.hex() for c in revoked])
    emails = [(m.email, m.name, m.time_zone) for m in Member.objects.filter(
        pk__in=bound.values_list("member_id", flat=True))]
    bound.delete()
    at = board.time_of(appended)
    transaction.on_commit(lambda: _email_removed(ballot, emails, at, body))
    record("submit_revocation", actor=by, subject=ballot, public=True,
           summary=f"The credential authority replaced {len(revoked)} credential(s) in "
           f"“{ballot.title}”, removing {len(emails)} cast ballot(s) from the count: "
           f"{body['reason']}")
    return ballot


def _email_removed(ballot: Ballot, members: list[tuple[str, str, str]],
                   at: datetime.datetime, body: dict[str, Any]) -> None:
    """Tells each member who cast with a revoked credential that their ballot was removed,
    with the times in the member's own zone."""
    for email, name, zone in members:
        asked = (f"It was made at the request recorded at "
                 f"{human_time_in(instant(body['requested_at']), zone)}."
                 if body["requested_at"] is not None else
                 "It was not made at your request.")
        send_email(
            email, f"Your ballot in “{ballot.title}” was removed",
            f"Hello {name},\n\nYour ballot in “{ballot.title}” was removed by a revocation of "
            f"your voting code at {human_time_in(at, zone)}. {asked}\nReason given by the "
            "credential authority: "
            f"{body['reason']}\n\nThe revocation is on the public bulletin board. If you did "
            "not ask for this, tell the credential authority and the organisers at once; if "
            "you were sent a new code, vote again with it.\n",
        )


def _rejected_revocation(error: RecordError) -> RejectedSubmission:
    where = f" (at {error.field})" if error.field else ""
    return RejectedSubmission(f"The revocation was rejected{where}: {error.reason}",
                              field=error.field)
