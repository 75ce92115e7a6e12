"""The key ceremony (docs/protocol.md section 8): trustees' public bodies onto the board.

Trustees compute every body in their own browser or with `omov trustee`;
the server only checks each body with the verifier's own functions and
appends it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from omov.audit.log import record
from omov.ballots import board, state
from omov.ballots.actions.notices import tell_organisers_ceremony_done
from omov.ballots.errors import RejectedSubmission, WrongPhase
from omov.ballots.models import Ballot, BoardEntry, Phase, Trustee
from omov.crypto.dkg import check_commitment, check_complaint, check_shares
from omov.crypto.errors import ProtocolError


def locked(ballot: Ballot, *phases: Phase) -> Ballot:
    """The ballot's row, locked for this transaction; raises WrongPhase if not in `phases`."""
    current = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if current.phase not in phases:
        names = " or ".join(phase.label.lower() for phase in phases)
        raise WrongPhase(
            f"This step belongs to the {names} phase; the ballot is "
            f"{Phase(current.phase).label.lower()}."
        )
    return current


def rejected(error: ProtocolError, what: str) -> RejectedSubmission:
    where = f" (at {error.field})" if error.field else ""
    return RejectedSubmission(f"The {what} was rejected{where}: {error}", field=error.field)


def _own(body: Any, trustee: Trustee, what: str) -> None:
    if not isinstance(body, dict) or body.get("trustee") != trustee.index:
        raise RejectedSubmission(
            f"This {what} is not trustee {trustee.index}'s (its “trustee” member differs).",
            field="trustee",
        )


def _has(ballot: Ballot, kind: str, index: int) -> bool:
    return any(body.get("trustee") == index for body in board.bodies(ballot, kind))


@transaction.atomic
def submit_commitment(ballot: Ballot, trustee: Trustee, body: Any) -> BoardEntry:
    """Appends trustee `trustee`'s `trustee_commitment` (8.1) after checking its proofs."""
    ballot = locked(ballot, Phase.KEY_CEREMONY)
    _own(body, trustee, "commitment")
    if _has(ballot, "trustee_commitment", trustee.index):
        raise RejectedSubmission("Your commitment is already on the board.")
    if BoardEntry.objects.filter(ballot=ballot, kind="trustee_shares").exists():
        raise WrongPhase("Shares are already being dealt: commitments are closed.")
    try:
        check_commitment(state.manifest_digest(ballot), body, ballot.trustees.count(),
                         ballot.threshold)
    except ProtocolError as error:
        raise rejected(error, "commitment") from error
    entry = board.append(ballot, "trustee_commitment", body)
    record("submit_trustee_commitment", actor=trustee.member, subject=ballot, public=True,
           summary=f"Trustee {trustee.index} published commitments for “{ballot.title}”")
    return entry


@transaction.atomic
def submit_shares(ballot: Ballot, trustee: Trustee, body: Any) -> BoardEntry:
    """Appends a `trustee_shares` entry (8.2) once every trustee has committed."""
    ballot = locked(ballot, Phase.KEY_CEREMONY)
    _own(body, trustee, "shares")
    known = state.commitments(ballot)
    if len(known) < ballot.trustees.count():
        raise WrongPhase("Not every trustee has published commitments yet; try again later.")
    if _has(ballot, "trustee_shares", trustee.index):
        raise RejectedSubmission("Your shares are already on the board.")
    try:
        check_shares(state.manifest_digest(ballot), body, known)
    except ProtocolError as error:
        raise rejected(error, "shares") from error
    entry = board.append(ballot, "trustee_shares", body)
    record("submit_trustee_shares", actor=trustee.member, subject=ballot, public=True,
           summary=f"Trustee {trustee.index} sent encrypted shares for “{ballot.title}”")
    return entry


@transaction.atomic
def submit_complaint(ballot: Ballot, trustee: Trustee, body: Any) -> bool:
    """Appends a `trustee_complaint` (8.3) whose proof checks; returns whether it is upheld."""
    ballot = locked(ballot, Phase.KEY_CEREMONY)
    _own(body, trustee, "complaint")
    known = state.commitments(ballot)
    try:
        upheld = check_complaint(
            state.manifest_digest(ballot), body, known, state.shares(ballot, known)
        )
    except ProtocolError as error:
        raise rejected(error, "complaint") from error
    board.append(ballot, "trustee_complaint", body)
    record("submit_trustee_complaint", actor=trustee.member, subject=ballot, public=True,
           summary=f"Trustee {trustee.index} complained about trustee {body['against']}'s "
           f"share in “{ballot.title}” ({'upheld' if upheld else 'not upheld'})")
    return upheld


@transaction.atomic
def confirm_shares(ballot: Ballot, trustee: Trustee) -> None:
    """Notes that the trustee checked every share sent to them (or complained)."""
    ballot = locked(ballot, Phase.KEY_CEREMONY)
    dealt = state.shares(ballot, state.commitments(ballot))
    missing = [index for index in range(1, ballot.trustees.count() + 1)
               if index != trustee.index and index not in dealt]
    if missing:
        raise WrongPhase(f"Trustees {missing} have not sent their shares yet.")
    Trustee.objects.filter(pk=trustee.pk).update(shares_checked_at=timezone.now())
    record("confirm_trustee_shares", actor=trustee.member, subject=ballot, public=True,
           summary=f"Trustee {trustee.index} checked the shares sent to them for “{ballot.title}”")
    if not ballot.trustees.filter(shares_checked_at__isnull=True).exists():
        tell_organisers_ceremony_done(ballot)
