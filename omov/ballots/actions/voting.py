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

from django.db import connection, transaction
from django.urls import reverse

from omov.audit.log import record
from omov.ballots import board, ciphertexts, group_commit, state
from omov.ballots.actions import cast_batch
from omov.ballots.actions.ceremony import locked, rejected
from omov.ballots.errors import BallotError, CastLimited, RejectedSubmission, WrongPhase
from omov.ballots.manifest import manifest_time
from omov.ballots.models import (
    Ballot,
    BoardEntry,
    CastAttempt,
    CredentialBinding,
    Elector,
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
from omov.web import rawsql
from omov.web.mail import absolute_url, send_emails

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


class NotAnElector(RejectedSubmission):
    """The member is not among the ballot's electors (fixed when the manifest was published)."""


@dataclass(frozen=True)
class _Standing:
    """What a cast needs to know before its ballot is verified (`_standing`)."""

    is_elector: bool
    attempts: int
    known_index: int | None
    known_kind: str | None
    known_tracker: str | None


def _standing(ballot: Ballot, member: Member, hash_hex: str | None,
              now: datetime.datetime) -> _Standing:
    """Eligibility, recent attempts and the entry with this ballot hash: one statement.

    Written as SQL rather than as four ORM queries because it runs on every cast, and
    compiling those queries costs the server more than verifying the ballot. Attempts
    count the member's refused casts in the window (`CastAttempt`) and the ballots on
    the board with the credential bound to the account in the window, so a cast that
    lands needs no row of its own. The entry lookup repeats the unique index's
    condition (`ballot_hash` not empty), which SQLite needs to use that partial index.
    """
    quote = connection.ops.quote_name
    since = connection.ops.adapt_datetimefield_value(now - CAST_WINDOW)
    known = (f"SELECT {{}} FROM {BoardEntry._meta.db_table} WHERE ballot_id = %s "
             "AND ballot_hash = %s AND ballot_hash <> ''")
    sql = (
        f"SELECT EXISTS (SELECT 1 FROM {Elector._meta.db_table} "
        "WHERE ballot_id = %s AND member_id = %s), "
        f"(SELECT COUNT(*) FROM {CastAttempt._meta.db_table} "
        "WHERE ballot_id = %s AND member_id = %s AND at >= %s), "
        f"(SELECT COUNT(*) FROM {BoardEntry._meta.db_table} e "
        f"JOIN {CredentialBinding._meta.db_table} b "
        "ON b.ballot_id = e.ballot_id AND b.credential = e.credential "
        "WHERE b.ballot_id = %s AND b.member_id = %s AND e.kind = 'ballot' "
        "AND e.appended_at >= %s), "
        f"({known.format(quote('index'))}), ({known.format('kind')}), "
        f"({known.format('tracker')})"
    )
    found = hash_hex or ""
    params = [ballot.pk, member.pk, ballot.pk, member.pk, since, ballot.pk, member.pk, since,
              ballot.pk, found, ballot.pk, found, ballot.pk, found]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        elector, refused, landed, index, kind, code = cursor.fetchone()
    return _Standing(bool(elector), refused + landed, index, kind, code)


def _check_attempts(standing: _Standing) -> None:
    """Refuses a member over the cast limit before their ballot is verified.

    Every attempt counts, valid or not: a ballot with a bad signature or proof
    costs the server a full verification as much as a good one. A refused cast
    is recorded in a transaction of its own (`_record_refused_attempt`). A
    resent ballot that is already on the board is answered earlier and costs
    nothing.
    """
    if standing.attempts >= CAST_LIMIT:
        raise CastLimited("Too many attempts in a short time; wait ten minutes and try again.")


@transaction.atomic
def _record_refused_attempt(ballot: Ballot, member: Member, now: datetime.datetime) -> None:
    """A refused cast still counts toward the limit: committed after the refusal."""
    CastAttempt.objects.filter(at__lt=now - CAST_WINDOW).delete()
    CastAttempt.objects.create(ballot=ballot, member=member)


def _check_voter(ballot: Ballot, now: datetime.datetime) -> None:
    """The closing time, checked with the row lock held (eligibility was checked before
    the ballot was verified: the electors are fixed when the manifest is published)."""
    if now >= manifest_time(ballot.closes_at):
        raise WrongPhase("Voting has closed.")


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


def _existing(ballot: Ballot, hash_hex: str | None) -> BoardEntry | None:
    if hash_hex is None:
        return None
    return board.with_ballot_hash(ballot, hash_hex).first()


def _tracker_email(ballot: Ballot, member: Member, code: str,
                   board_url: str) -> tuple[str, str, str, dict[str, str]]:
    """The message telling a voter their tracker (to, subject, body, headers)."""
    return (
        member.email,
        f"Your vote in “{ballot.title}”",
        f"Hello {member.name},\n\nYour ballot in “{ballot.title}” was received.\n\n"
        f"Your tracker: {code}\n\nFind it on the public bulletin board:\n{board_url}\n\n"
        "If you vote again, your last ballot is the one that counts.\n",
        {},
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
    attempted_at = now or board.now()
    standing = _standing(ballot, member, _hash_of(body, "ballot"), attempted_at)
    if not standing.is_elector:
        raise NotAnElector("You are not eligible to vote in this ballot.")
    if standing.known_kind == "ballot":
        assert standing.known_tracker is not None and standing.known_index is not None
        return Cast(standing.known_tracker, standing.known_index, new=False)
    if standing.known_kind is not None:
        raise RejectedSubmission(_AUDITED)
    if ballot.phase != Phase.OPEN:
        raise WrongPhase("The ballot is not open for voting.")
    _check_attempts(standing)
    try:
        credential, hash_hex = _verified(ballot, body, "ballot")
        verified = VerifiedCast(ballot, member, body, credential, hash_hex,
                                ciphertexts.of_ballot(body), now)
        result: Cast = _casts.submit(ballot.pk, verified, _append_casts)
        return result
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


class _Bindings:
    """The credential bindings of the accounts and credentials of one batch (one query),
    kept up to date as the batch binds new ones."""

    def __init__(self, ballot: Ballot, casts: list[VerifiedCast], *, any_bound: bool) -> None:
        members = sorted({cast.member.pk for cast in casts})
        credentials = sorted({cast.credential for cast in casts})
        bound = rawsql.rows(
            f"SELECT member_id, credential FROM {CredentialBinding._meta.db_table} "
            f"WHERE ballot_id = %s AND ({cast_batch.bound_condition(members, credentials)})",
            [ballot.pk, *members, *credentials]) if any_bound else []
        self.credential_of: dict[int, str] = dict(bound)
        self.member_of = {credential: member for member, credential in
                          self.credential_of.items()}
        self.new: list[CredentialBinding] = []

    def check(self, ballot: Ballot, member: Member, credential: str,
              now: datetime.datetime) -> None:
        """Binds the credential to the account at the first cast; refuses any other pairing."""
        mine = self.credential_of.get(member.pk)
        holder = self.member_of.get(credential)
        if mine is None and holder is None:
            self.credential_of[member.pk] = credential
            self.member_of[credential] = member.pk
            self.new.append(CredentialBinding(ballot=ballot, member=member,
                                              credential=credential, bound_at=now))
            return
        if mine == credential:
            return
        if mine is not None:
            raise BindingRefused(
                "Your account has already voted in this ballot with a different voting code. "
                "One account votes with one code: to change your vote, use the code you voted "
                "with first. If someone else's code was given to you, it is theirs to use.",
                f"Refused a cast in “{ballot.title}”: this account had already cast with a "
                "different credential",
            )
        raise BindingRefused(
            "This voting code was already used from another member's account, so it cannot "
            "be used from yours. If it is your code, someone else has it: ask the credential "
            "authority to revoke it and send you a new one.",
            f"Refused a cast in “{ballot.title}”: its credential had been used from another "
            "account first",
        )


@dataclass(frozen=True)
class VerifiedCast:
    """A cast ballot that passed `verify_ballot`, waiting to be appended; `at` is the
    simulation's time, None for the server's."""

    ballot: Ballot
    member: Member
    body: Any
    credential: str
    hash_hex: str
    ciphertexts: frozenset[str]
    at: datetime.datetime | None


_casts = group_commit.GroupCommit()
_AUDITED = "This ballot was audited, so it can never be cast: prepare a new one."


def _append_casts(take: group_commit.Take) -> None:
    """Appends a batch of verified casts of one ballot in one transaction (group_commit).

    With the ballot's row locked, each cast is checked in turn, in the order the
    board will hold them: closing time, eligibility and revocations, the audited
    ciphertexts (7.6), the credential's binding to the account. A refused cast
    gets its error and takes no place on the board; the others are appended,
    with their ciphertexts, receipts and tracker emails, and learn their
    tracker once the transaction has committed.
    """
    outcomes: dict[group_commit.Pending, Cast | BaseException] = {}
    with transaction.atomic():
        batch = take()
        casts = [pending.item for pending in batch]
        ballot = cast_batch.locked_open(casts[0].ballot)
        now = board.now()  # read with the row locked, so stamps follow board order
        held: frozenset[str] = frozenset().union(*(cast.ciphertexts for cast in casts))
        hashes = {cast.hash_hex for cast in casts}
        present = cast_batch.present(
            ballot, {cast.member.pk for cast in casts}, {cast.credential for cast in casts},
            hashes, held)
        known = cast_batch.on_board(ballot, hashes) if present.known else {}
        revocations = cast_batch.revocations(ballot) if present.revocations else []
        audited = ciphertexts.audited_among(ballot, held) if present.audited else frozenset()
        bindings = _Bindings(ballot, casts, any_bound=present.bound)
        accepted: dict[str, tuple[group_commit.Pending, VerifiedCast, str]] = {}
        later: list[tuple[group_commit.Pending, str]] = []
        for pending in batch:
            cast = pending.item
            entry = known.get(cast.hash_hex)
            if entry is not None:
                kind, code, index = entry
                outcomes[pending] = (Cast(code, index, new=False)
                                     if kind == "ballot" else RejectedSubmission(_AUDITED))
                continue
            if cast.hash_hex in accepted:  # the same ballot twice in one batch: a retry
                later.append((pending, cast.hash_hex))
                continue
            at = cast.at or now
            try:
                _check_voter(ballot, at)
                _check_eligible(ballot, cast.credential, revocations)
                _check_not_audited(cast.ciphertexts, audited)
                bindings.check(ballot, cast.member, cast.credential, at)
            except BallotError as refused:
                outcomes[pending] = refused
                continue
            accepted[cast.hash_hex] = (pending, cast, tracker(bytes.fromhex(cast.hash_hex)))
        entries = _append_accepted(ballot, list(accepted.values()), bindings, now)
        for pending, cast, code in accepted.values():
            outcomes[pending] = Cast(code, entries[cast.hash_hex], new=True)
        for pending, hash_hex in later:
            first = outcomes[accepted[hash_hex][0]]
            assert isinstance(first, Cast)
            outcomes[pending] = Cast(first.tracker, first.index, new=False)
    for pending, outcome in outcomes.items():
        if isinstance(outcome, BaseException):
            pending.error = outcome
        else:
            pending.outcome = outcome


def _append_accepted(
    ballot: Ballot, accepted: list[tuple[group_commit.Pending, VerifiedCast, str]],
    bindings: _Bindings, now: datetime.datetime,
) -> dict[str, int]:
    """Writes the batch's accepted casts; returns each one's board index by ballot hash."""
    if not accepted:
        return {}
    rawsql.insert(CredentialBinding, ("ballot", "member", "credential", "bound_at"),
                  [(ballot.pk, binding.member_id, binding.credential, binding.bound_at)
                   for binding in bindings.new])
    entries = board.append_many(ballot, [
        board.NewEntry("ballot", cast.body, cast.hash_hex, code, cast.credential, cast.at or now)
        for _, cast, code in accepted])
    ciphertexts.record(ballot, [(entry.index, cast.ciphertexts) for entry, (_, cast, _) in
                                zip(entries, accepted, strict=True)], audited=False)
    receipts = {cast.member.pk: (ballot.pk, cast.member.pk, code, cast.at or now)
                for _, cast, code in accepted}  # a member's last ballot in the batch
    rawsql.insert(VoteReceipt, ("ballot", "member", "tracker", "cast_at"),
                  list(receipts.values()),
                  conflict="ON CONFLICT (ballot_id, member_id) DO UPDATE SET "
                           "tracker = EXCLUDED.tracker, cast_at = EXCLUDED.cast_at")
    # Into the outbox in this transaction: the email is sent if and only if the cast
    # commits, and a mail server that is down cannot fail the cast.
    board_url = absolute_url(reverse("ballots:board", args=[ballot.slug]))
    send_emails([_tracker_email(ballot, cast.member, code, board_url)
                 for _, cast, code in accepted])
    return {entry.ballot_hash: entry.index for entry in entries}


def _check_not_audited(mine: frozenset[str], audited: frozenset[str]) -> None:
    """Refuse a ballot that reuses a ciphertext of an audited ballot (7.6).

    The audit reveals that ciphertext's value, so such a ballot, though newly
    signed and with a new hash, is a receipt of how it votes.
    """
    if mine & audited:
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
        held = ciphertexts.of_audit(reveal)
        holder = ciphertexts.first_holder(locked_ballot, held)
        if holder is not None and not holder.audited:
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
        ciphertexts.record(locked_ballot, [(entry.index, held)], audited=True)
    return Audit(code, entry.index, selections, new=True)
