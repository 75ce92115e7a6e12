"""Casting and auditing ballots (docs/protocol.md section 7).

The browser encrypts, proves and signs; the server checks each ballot with
`omov.crypto.ballot.verify_ballot` (the verifier's own code) and the roll,
then appends it. Casting is idempotent by ballot hash, so a retried request
never counts twice. No audit-log event names the voter and turnout is counted
from the board, but the server itself knows who cast which encrypted ballot
while voting is open (the receipt, the credential on each entry, the tracker
email): docs/threat-model.md, "What the server knows".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from omov.ballots import board, state
from omov.ballots.actions.ceremony import locked, rejected
from omov.ballots.errors import CastLimited, RejectedSubmission, WrongPhase
from omov.ballots.models import Ballot, BoardEntry, CastAttempt, Phase, VoteReceipt
from omov.crypto.ballot import (
    MAX_BALLOT_BYTES,
    ballot_hash,
    check_audit,
    tracker,
    verify_ballot,
)
from omov.crypto.canonical import canonical_json, parse_json
from omov.crypto.errors import ProtocolError
from omov.members.models import Member
from omov.web.mail import absolute_url, send_email

CAST_LIMIT = 20
CAST_WINDOW = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class Cast:
    """The outcome of a cast: the tracker, the board index, and whether it was new."""

    tracker: str
    index: int
    new: bool


def _parse(raw: bytes, what: str) -> Any:
    """Parses a request body; `verify_ballot` checks the exact size limit (7.2).

    An audit reveal also carries the randomness and selections, so twice the
    ballot's limit bounds any honest request before it is parsed.
    """
    if len(raw) > MAX_BALLOT_BYTES * 2:
        raise RejectedSubmission(f"The {what} is larger than the protocol allows.")
    try:
        return parse_json(raw, field=what)
    except ProtocolError as error:
        raise rejected(error, what) from error


def _hash_of(body: Any, what: str) -> str | None:
    """The ballot's hash (7.5) in hex, None for a body that is no object; hashing
    encodes it canonically, so it refuses what parses but is outside the subset (2.3)."""
    if not isinstance(body, dict):
        return None
    try:
        return ballot_hash(body).hex()
    except ProtocolError as error:
        raise rejected(error, what) from error


@transaction.atomic
def _count_attempt(ballot: Ballot, member: Member, now: datetime.datetime) -> None:
    """Counts a cast or audit toward the member's limit before its ballot is verified.

    Committed on its own, whatever the verification then finds: a ballot with
    a bad signature or proof costs the server a full verification, so it
    counts as much as a good one, and a member over the limit is refused
    before any is done. A resent ballot that is already on the board is
    answered earlier and costs nothing.
    """
    CastAttempt.objects.filter(at__lt=now - CAST_WINDOW).delete()
    recent = CastAttempt.objects.filter(ballot=ballot, member=member, at__gte=now - CAST_WINDOW)
    if recent.count() >= CAST_LIMIT:
        raise CastLimited("Too many attempts in a short time; wait ten minutes and try again.")
    CastAttempt.objects.create(ballot=ballot, member=member)


def _check_voter(ballot: Ballot, member: Member, now: datetime.datetime) -> None:
    """Closing time and eligibility (row lock held); the attempt was counted already."""
    if now >= ballot.closes_at:
        raise WrongPhase("Voting has closed.")
    if not ballot.electors.filter(member=member).exists():
        raise RejectedSubmission("You are not eligible to vote in this ballot.")


def _verified(ballot: Ballot, body: Any, what: str) -> tuple[str, str]:
    """Checks a ballot as in 7.4; returns its credential and its hash (both hex).

    Eligibility is checked later, with the ballot's row locked.
    """
    try:
        checked = verify_ballot(state.election_context(ballot), body)
    except ProtocolError as error:
        raise rejected(error, what) from error
    return checked.credential.hex(), checked.hash.hex()


def _check_eligible(
    ballot: Ballot, credential: str, revocations: list[dict[str, Any]] | None = None
) -> None:
    """Refuses a credential that is not on the roll, or revoked (6.3, 6.4).

    Called with the ballot's row locked, so that no ballot of a revoked
    credential lands after its revocation; `revocations` are the bodies on
    the board if the caller has just read them.
    """
    problem = state.ineligibility(ballot, bytes.fromhex(credential), revocations)
    if problem is not None:
        raise RejectedSubmission(problem, field="credential")


def _same_ballot_and_revocations(
    ballot: Ballot, hash_hex: str
) -> tuple[BoardEntry | None, list[dict[str, Any]], list[dict[str, Any]]]:
    """The entry with this ballot hash, if any, the revocation bodies and the
    audited ballots: one query.

    The board normally holds no revocation and few audits, so this costs no
    more than the lookup by hash alone. Written so that SQLite searches both
    indexes (the partial unique one on the hash, and ballot-kind-index) instead
    of reading the board: no ORDER BY in SQL, each side naming the ballot.
    """
    same = Q(ballot=ballot, ballot_hash=hash_hex) & ~Q(ballot_hash="")
    others = Q(ballot=ballot, kind__in=["revocation", "audited_ballot"])
    found = BoardEntry.objects.filter(same | others).order_by()
    known = None
    revocations = []
    audited = []
    for entry in sorted(found, key=lambda entry: entry.index):
        if entry.kind == "revocation":
            revocations.append(parse_json(entry.line)["body"])
            continue
        if entry.kind == "audited_ballot":
            audited.append(parse_json(entry.line)["body"]["ballot"])
        if entry.ballot_hash == hash_hex:
            known = entry
    return known, revocations, audited


def _existing(ballot: Ballot, hash_hex: str | None) -> BoardEntry | None:
    if hash_hex is None:
        return None
    return board.with_ballot_hash(ballot, hash_hex).first()


def _email_tracker(ballot: Ballot, member: Member, code: str) -> None:
    board_url = absolute_url(reverse("ballots:board", args=[ballot.slug]))
    send_email(
        member.email,
        f"Your vote in “{ballot.title}”",
        f"Hello {member.name},\n\nYour ballot in “{ballot.title}” was received.\n\n"
        f"Your tracker: {code}\n\nFind it on the public bulletin board:\n{board_url}\n\n"
        "If you vote again, your last ballot is the one that counts.\n",
    )


def cast_ballot(
    ballot: Ballot, member: Member, raw: bytes, *, now: datetime.datetime | None = None
) -> Cast:
    """Checks and appends a cast ballot; the same ballot sent again returns the first cast.

    `raw` is the ballot's JSON as the browser sent it; `now` is the time it
    counts as cast (the request's time unless a simulation sets it).
    """
    body = _parse(raw, "ballot")
    known = _existing(ballot, _hash_of(body, "ballot"))
    if known is not None and known.kind == "ballot":
        return Cast(known.tracker, known.index, new=False)
    if known is not None:
        raise RejectedSubmission(
            "This ballot was audited, so it can never be cast: prepare a new one."
        )
    if ballot.phase != Phase.OPEN:
        raise WrongPhase("The ballot is not open for voting.")
    now = now or timezone.now()
    _count_attempt(ballot, member, now)
    credential, hash_hex = _verified(ballot, body, "ballot")
    return _append_cast(ballot, member, body, credential, hash_hex, now)


@transaction.atomic
def _append_cast(
    ballot: Ballot, member: Member, body: Any, credential: str, hash_hex: str,
    now: datetime.datetime,
) -> Cast:
    ballot = locked(ballot, Phase.OPEN)
    known, revocations, audited = _same_ballot_and_revocations(ballot, hash_hex)
    if known is not None:
        return Cast(known.tracker, known.index, new=False)
    _check_voter(ballot, member, now)
    _check_eligible(ballot, credential, revocations)
    _check_not_audited_ciphertexts(body, audited)
    code = tracker(bytes.fromhex(hash_hex))
    entry = board.append(ballot, "ballot", body, ballot_hash=hash_hex, tracker=code,
                         credential=credential)
    VoteReceipt.objects.bulk_create(
        [VoteReceipt(ballot=ballot, member=member, tracker=code, cast_at=now)],
        update_conflicts=True, unique_fields=["ballot", "member"],
        update_fields=["tracker", "cast_at"],
    )
    transaction.on_commit(lambda: _email_tracker(ballot, member, code))
    return Cast(code, entry.index, new=True)


def _ciphertexts(ballot_body: Any) -> set[tuple[str, str]]:
    return {(choice["alpha"], choice["beta"])
            for answer in ballot_body["answers"] for choice in answer["choices"]}


def _check_not_audited_ciphertexts(body: Any, audited: list[dict[str, Any]]) -> None:
    """Refuse a ballot that reuses a ciphertext of an audited ballot (7.6).

    The audit reveals that ciphertext's value, so such a ballot, though newly
    signed and with a new hash, is a receipt of how it votes.
    """
    mine = _ciphertexts(body)
    if any(mine & _ciphertexts(other) for other in audited):
        raise RejectedSubmission(
            "This ballot reuses an encryption from an audited ballot, whose content is "
            "public: it can never be cast. Prepare a new ballot."
        )


def audit_ballot(
    ballot: Ballot, member: Member, raw: bytes
) -> tuple[str, tuple[tuple[int, ...], ...]]:
    """Checks and appends an audit reveal (7.6); returns the tracker and the revealed selections.

    The audited ballot can never be cast afterwards: its hash is on the board.
    """
    reveal = _parse(raw, "audit")
    if not isinstance(reveal, dict) or not isinstance(reveal.get("ballot"), dict):
        raise RejectedSubmission("An audit must hold the ballot, its randomness and selections.")
    try:
        canonical_json(reveal)  # the whole reveal goes on the board, not only its ballot (2.3)
    except ProtocolError as error:
        raise rejected(error, "audit") from error
    if ballot.phase != Phase.OPEN:
        raise WrongPhase("The ballot is not open.")
    known = _existing(ballot, _hash_of(reveal["ballot"], "audit.ballot"))
    if known is not None:
        raise RejectedSubmission(
            "This ballot is already on the board (cast or audited); prepare a new one."
        )
    now = timezone.now()
    _count_attempt(ballot, member, now)
    credential, hash_hex = _verified(ballot, reveal["ballot"], "audit.ballot")
    try:
        selections = check_audit(state.election_context(ballot), reveal)
    except ProtocolError as error:
        raise rejected(error, "audit") from error
    code = tracker(bytes.fromhex(hash_hex))
    with transaction.atomic():
        locked_ballot = locked(ballot, Phase.OPEN)
        _check_voter(locked_ballot, member, now)
        _check_eligible(locked_ballot, credential)
        if board.with_ballot_hash(ballot, hash_hex).exists():
            raise RejectedSubmission("This ballot is already on the board; prepare a new one.")
        board.append(locked_ballot, "audited_ballot", reveal, ballot_hash=hash_hex,
                     tracker=code, credential=credential)
    return code, selections
