"""Closing, the encrypted tally, partial decryptions and the result (section 9)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db import transaction

from omov.audit.log import record
from omov.ballots import board, state
from omov.ballots.actions import mixing, notices
from omov.ballots.actions.ceremony import locked, rejected
from omov.ballots.actions.trustee_mail import ask_trustees_to_decrypt
from omov.ballots.errors import BallotError, RejectedSubmission, WrongPhase
from omov.ballots.group_turnout import safe_group_turnout
from omov.ballots.manifest import utc_timestamp
from omov.ballots.models import (
    Ballot,
    BoardEntry,
    CastAttempt,
    CredentialBinding,
    MailingKind,
    Phase,
    Trustee,
    VoteReceipt,
)
from omov.ballots.signals import result_published
from omov.crypto.canonical import parse_json
from omov.crypto.decryption import (
    PartialDecryption,
    check_partial_decryption,
    combine,
    question_totals,
)
from omov.crypto.errors import ProtocolError
from omov.members.models import Member
from omov.record.election import count_ballots, tally_body
from omov.record.errors import RecordError
from omov.record.ranked import CountError
from omov.web.times import human_time


def _voting_entries(ballot: Ballot) -> Iterator[tuple[str, Any]]:
    """The board's ballots and revocations in order, as (kind, body)."""
    found = BoardEntry.objects.filter(ballot=ballot, kind__in=("ballot", "revocation"))
    for kind, line in found.order_by("index").values_list("kind", "line").iterator(
        chunk_size=2000
    ):
        yield kind, parse_json(line)["body"]


@transaction.atomic
def close_ballot(ballot: Ballot, *, by: Member | None, now: datetime.datetime) -> Ballot:
    """Appends `close` and the encrypted `tally`; trustees may then decrypt."""
    ballot = locked(ballot, Phase.OPEN)
    if now < ballot.closes_at:
        raise WrongPhase(
            f"Voting closes at {human_time(ballot.closes_at)}; it cannot close earlier."
        )
    cast = BoardEntry.objects.filter(ballot=ballot, kind="ballot").count()
    board.append(ballot, "close", {"closed_at": utc_timestamp(now), "ballots": cast}, at=now)
    counted, tally = count_ballots(state.manifest(ballot).rules, _voting_entries(ballot))
    board.append(ballot, "tally", tally_body(counted, tally), at=now)
    ballot.counted = counted
    ballot.phase = Phase.CLOSED
    ballot.group_turnout = safe_group_turnout(ballot)
    ballot.save(update_fields=["counted", "phase", "group_turnout"])
    forget_who_cast(ballot)
    mixing.start_mix(ballot)
    record("close_ballot", actor=by, subject=ballot, public=True,
           summary=f"Closed “{ballot.title}”: {cast} ballots cast, {counted} counted")
    transaction.on_commit(lambda: ask_trustees_to_decrypt(ballot), robust=True)
    return ballot


def forget_who_cast(ballot: Ballot) -> None:
    """Deletes every row that links a member to a tracker or cast of this ballot.

    Once voting has closed nobody may cast, so the server no longer needs to
    know whose tracker is whose: the receipts (member, tracker, time), the
    cast attempts (member, time, which a time stamp on the board could match)
    and the credential bindings (member, credential) go, in the closing
    transaction. The member keeps their tracker in the
    email they were sent; the board keeps only credentials (docs/threat-model.md).
    """
    VoteReceipt.objects.filter(ballot=ballot).delete()
    CastAttempt.objects.filter(ballot=ballot).delete()
    CredentialBinding.objects.filter(ballot=ballot).delete()


def _partials(ballot: Ballot) -> dict[int, PartialDecryption]:
    _, tally = state.tally(ballot)
    return {
        body["trustee"]: PartialDecryption.from_json(body, tally)
        for body in board.bodies(ballot, "partial_decryption")
    }


@transaction.atomic
def submit_partial_decryption(ballot: Ballot, trustee: Trustee, body: Any) -> BoardEntry:
    """Appends a trustee's `partial_decryption` (9.2) after checking every proof."""
    ballot = locked(ballot, Phase.CLOSED, Phase.TALLIED)
    if not isinstance(body, dict) or body.get("trustee") != trustee.index:
        raise RejectedSubmission(f"This is not trustee {trustee.index}'s partial decryption.",
                                 field="trustee")
    if trustee.index not in state.joint_key(ballot).qualified:
        raise RejectedSubmission("Only qualified trustees may decrypt.")
    if trustee.index in _partials(ballot):
        raise RejectedSubmission("Your partial decryption is already on the board.")
    _, tally = state.tally(ballot)
    try:
        check_partial_decryption(bytes.fromhex(ballot.fingerprint), body, tally,
                                 state.trustee_verification_key(ballot, trustee.index))
    except ProtocolError as error:
        raise rejected(error, "partial decryption") from error
    entry = board.append(ballot, "partial_decryption", body)
    mixing.mark_ready(ballot)
    record("submit_partial_decryption", actor=trustee.member, subject=ballot, public=True,
           summary=f"Trustee {trustee.index} published a partial decryption of “{ballot.title}”")
    return entry


@transaction.atomic
def publish_result(ballot: Ballot, *, by: Member | None) -> Ballot:
    """Combines the partial decryptions and appends the `result` (9.3).

    The result's verification is left pending (`verified` is None): the
    schedule runs the verifier over the whole record later
    (`omov.ballots.actions.schedule.run_pending_verifications`), since a large
    record takes minutes and must not hold a request or the ballot's lock.
    """
    ballot = locked(ballot, Phase.TALLIED)
    counted, tally = state.tally(ballot)
    partials = _partials(ballot)
    try:
        encrypted_totals = combine(tally, partials, ballot.threshold, counted)
    except ProtocolError as error:
        raise BallotError(f"The partial decryptions do not combine: {error}") from error
    totals = [list(row) for row in
              question_totals(state.manifest(ballot).rules, encrypted_totals, counted)]
    result: dict[str, Any] = {"counted": counted, "decrypted_by": sorted(partials),
                              "totals": totals}
    if mixing.has_ranked(ballot):
        try:
            result["counts"] = mixing.counts(ballot)
        except (ProtocolError, CountError, RecordError) as error:
            raise BallotError(f"The ranked questions cannot be counted: {error}") from error
    board.append(ballot, "result", result)
    ballot.totals = totals
    ballot.phase = Phase.PUBLISHED
    ballot.verified = None
    ballot.verification_report = ""
    ballot.save(update_fields=["totals", "phase", "verified", "verification_report"])
    record("publish_result", actor=by, subject=ballot, public=True,
           summary=f"Published the result of “{ballot.title}”: {totals}")
    result_published.send(sender=Ballot, ballot=ballot, by=by)
    notices.start_mailing(ballot, MailingKind.RESULT)
    return ballot

