"""Casting and auditing ballots (docs/protocol.md section 7).

The browser encrypts, proves and signs; the server checks each ballot with
`omov.crypto.ballot.verify_ballot` (the verifier's own code) and the roll,
then appends it. Casting is idempotent by ballot hash, so a retried request
never counts twice. No audit-log event names how anyone voted and turnout is
counted from the board, but the server itself knows who cast which encrypted ballot
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

from omov.audit.log import record
from omov.ballots import board, state
from omov.ballots.actions.ceremony import locked, rejected
from omov.ballots.errors import CastLimited, RejectedSubmission, WrongPhase
from omov.ballots.manifest import manifest_time
from omov.ballots.models import (
    Ballot,
    BoardEntry,
    CastAttempt,
    CredentialBinding,
    Phase,
    VoteReceipt,
)
from omov.crypto.ballot import (
    MAX_BALLOT_BYTES,
    ballot_hash,
    check_audit,
    tracker,
    verify_ballot,
)
from omov.crypto.canonical import parse_json
from omov.crypto.errors import ProtocolError
from omov.members.models import Member
from omov.web.mail import absolute_url, send_email

CAST_LIMIT = 20
CAST_WINDOW = datetime.timedelta(minutes=10)
AUDITS_PER_ELECTOR = 3
MIN_AUDIT_LIMIT = 100
"""Anonymous audits are limited per ballot, not per sender (nothing about a
sender is kept): at most this many per elector, and never fewer than the minimum."""


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


def _check_attempts(ballot: Ballot, member: Member, now: datetime.datetime) -> None:
    """Refuses a member over the cast limit before their ballot is verified.

    Every attempt counts, valid or not: a ballot with a bad signature or proof
    costs the server a full verification as much as a good one. A cast that
    lands records its attempt in its own transaction (`_record_attempt`); a
    refused one records it in a transaction of its own (`_record_refused_attempt`).
    A resent ballot that is already on the board is answered earlier and costs
    nothing.
    """
    recent = CastAttempt.objects.filter(ballot=ballot, member=member, at__gte=now - CAST_WINDOW)
    if recent.count() >= CAST_LIMIT:
        raise CastLimited("Too many attempts in a short time; wait ten minutes and try again.")


def _record_attempt(ballot: Ballot, member: Member, now: datetime.datetime) -> None:
    CastAttempt.objects.filter(at__lt=now - CAST_WINDOW).delete()
    CastAttempt.objects.create(ballot=ballot, member=member)


@transaction.atomic
def _record_refused_attempt(ballot: Ballot, member: Member, now: datetime.datetime) -> None:
    """A refused cast still counts toward the limit: committed after the refusal."""
    _record_attempt(ballot, member, now)


def _check_voter(ballot: Ballot, member: Member, now: datetime.datetime) -> None:
    """Closing time and eligibility (row lock held); the attempt was counted already."""
    if now >= manifest_time(ballot.closes_at):
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
            audited.append(parse_json(entry.line)["body"])
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
    counts as cast and is stamped with (the server's time once the ballot's row
    is locked, unless a simulation sets it).
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
    attempted_at = now or board.now()
    _check_attempts(ballot, member, attempted_at)
    try:
        credential, hash_hex = _verified(ballot, body, "ballot")
        return _append_cast(ballot, member, body, credential, hash_hex, now)
    except BindingRefused as refused:
        _log_refused_binding(ballot, member, refused)
        _record_refused_attempt(ballot, member, attempted_at)
        raise
    except RejectedSubmission:
        _record_refused_attempt(ballot, member, attempted_at)
        raise


class BindingRefused(RejectedSubmission):
    """A cast with a credential bound to another account, or from an account bound to
    another credential; `audit_summary` says which, for the audit log."""

    def __init__(self, message: str, audit_summary: str) -> None:
        super().__init__(message, field="credential")
        self.audit_summary = audit_summary


@transaction.atomic
def _log_refused_binding(ballot: Ballot, member: Member, refused: BindingRefused) -> None:
    """The refused cast goes on the audit log (after the cast's own transaction was
    rolled back), naming the account and the ballot, never a credential or tracker."""
    record("refuse_cast_binding", actor=member, subject=ballot, summary=refused.audit_summary)


def _check_binding(ballot: Ballot, member: Member, credential: str,
                   now: datetime.datetime) -> None:
    """Binds the credential to the account at the first cast; refuses any other pairing.

    One query (both unique sides at once), and an insert at the member's first cast.
    """
    bound = list(CredentialBinding.objects.filter(ballot=ballot)
                 .filter(Q(member=member) | Q(credential=credential)))
    if not bound:
        CredentialBinding.objects.create(ballot=ballot, member=member, credential=credential,
                                         bound_at=now)
        return
    if any(b.member_id == member.pk and b.credential == credential for b in bound):
        return
    if any(b.member_id == member.pk for b in bound):
        raise BindingRefused(
            "Your account has already voted in this ballot with a different voting code. One "
            "account votes with one code: to change your vote, use the code you voted with "
            "first. If someone else's code was given to you, it is theirs to use.",
            f"Refused a cast in “{ballot.title}”: this account had already cast with a "
            "different credential",
        )
    raise BindingRefused(
        "This voting code was already used from another member's account, so it cannot be "
        "used from yours. If it is your code, someone else has it: ask the credential "
        "authority to revoke it and send you a new one.",
        f"Refused a cast in “{ballot.title}”: its credential had been used from another "
        "account first",
    )


@transaction.atomic
def _append_cast(
    ballot: Ballot, member: Member, body: Any, credential: str, hash_hex: str,
    at: datetime.datetime | None,
) -> Cast:
    ballot = locked(ballot, Phase.OPEN)
    now = at or board.now()  # read with the row locked, so stamps follow board order
    known, revocations, audited = _same_ballot_and_revocations(ballot, hash_hex)
    if known is not None:
        return Cast(known.tracker, known.index, new=False)
    _check_voter(ballot, member, now)
    _check_eligible(ballot, credential, revocations)
    _check_not_audited_ciphertexts(body, audited)
    _check_binding(ballot, member, credential, now)
    _record_attempt(ballot, member, now)
    code = tracker(bytes.fromhex(hash_hex))
    entry = board.append(ballot, "ballot", body, ballot_hash=hash_hex, tracker=code,
                         credential=credential, at=now)
    VoteReceipt.objects.bulk_create(
        [VoteReceipt(ballot=ballot, member=member, tracker=code, cast_at=now)],
        update_conflicts=True, unique_fields=["ballot", "member"],
        update_fields=["tracker", "cast_at"],
    )
    # Into the outbox in this transaction: the email is sent if and only if the cast
    # commits, and a mail server that is down cannot fail the cast.
    _email_tracker(ballot, member, code)
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
    if any(mine & _audited_ciphertexts(other) for other in audited):
        raise RejectedSubmission(
            "This ballot reuses an encryption from an audited ballot, whose content is "
            "public: it can never be cast. Prepare a new ballot."
        )


@dataclass(frozen=True)
class Audit:
    """The outcome of an anonymous audit: its tracker, its board index, the
    revealed selections, and whether it was new (a resent audit is not)."""

    tracker: str
    index: int
    selections: tuple[tuple[int, ...], ...]
    new: bool


def _audited_ciphertexts(reveal: Any) -> set[tuple[str, str]]:
    return {(choice["alpha"], choice["beta"]) for row in reveal["choices"] for choice in row}


def _holding_ciphertexts(ballot: Ballot, ciphertexts: set[tuple[str, str]]) -> BoardEntry | None:
    """The first cast or audited ballot on the board that holds one of `ciphertexts`.

    A board line is canonical JSON (2.3), so a ciphertext appears in it as the
    exact text `{"alpha":"…","beta":"…"}`; the database searches for it.
    """
    match = Q()
    for alpha, beta in sorted(ciphertexts):
        match |= Q(line__contains=f'{{"alpha":"{alpha}","beta":"{beta}"}}')
    return (BoardEntry.objects.filter(ballot=ballot, kind__in=["ballot", "audited_ballot"])
            .filter(match).order_by("index").first())


def audit_ballot(ballot: Ballot, raw: bytes) -> Audit:
    """Checks and appends an anonymous audit (7.6).

    The audit carries no credential and is not tied to any member or session:
    eligibility does not apply, and nothing records who sent it. It is refused
    if one of its ciphertexts is already on the board, in a cast ballot (an
    audit never opens a cast ballot) or in another audit (an audited ballot
    appears once); the same audit sent again returns the entry already there.
    Every later cast ballot that reuses one of its ciphertexts is refused too.
    """
    reveal = _parse(raw, "audit")
    if ballot.phase != Phase.OPEN:
        raise WrongPhase("The ballot is not open.")
    hash_hex = _hash_of(reveal, "audit")
    if hash_hex is None:
        raise RejectedSubmission(
            "An audit is a JSON object with the election, the choices, their randomness "
            "and the selections."
        )
    try:
        selections = check_audit(state.election_context(ballot), reveal)
    except ProtocolError as error:
        raise rejected(error, "audit") from error
    code = tracker(bytes.fromhex(hash_hex))
    with transaction.atomic():
        locked_ballot = locked(ballot, Phase.OPEN)
        now = board.now()
        if now >= manifest_time(locked_ballot.closes_at):
            raise WrongPhase("Voting has closed.")
        known = _existing(locked_ballot, hash_hex)
        if known is not None:
            return Audit(known.tracker, known.index, selections, new=False)
        limit = max(MIN_AUDIT_LIMIT, AUDITS_PER_ELECTOR * locked_ballot.electors.count())
        if BoardEntry.objects.filter(ballot=locked_ballot, kind="audited_ballot").count() >= limit:
            raise RejectedSubmission(
                f"The board already holds {limit:,} audited ballots, as many as this ballot "
                "allows. Your browser has checked your audit itself; cast a new ballot."
            )
        holder = _holding_ciphertexts(locked_ballot, _audited_ciphertexts(reveal))
        if holder is not None and holder.kind == "ballot":
            raise RejectedSubmission(
                "This ballot was cast, so it cannot be audited: an audit would publish how "
                "it votes. Prepare a new ballot to audit."
            )
        if holder is not None:
            raise RejectedSubmission(
                "This ballot shares an encryption with a ballot already audited: an audited "
                "ballot appears once. Prepare a new ballot."
            )
        entry = board.append(locked_ballot, "audited_ballot", reveal, ballot_hash=hash_hex,
                             tracker=code, at=now)
    return Audit(code, entry.index, selections, new=True)
