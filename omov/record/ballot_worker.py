"""The verifier's parallel part: check a chunk of raw board lines in a worker process.

A worker parses each line, checks its form, verifies every ballot and
audited ballot with the same `verify_ballot` the server runs at cast time,
and sums the choices of the valid ballots of its chunk. It sends back, per
entry, only what the main process needs to follow the chain and the counting
rule in board order: index, kind, `previous`, hash, and for ballots the
ballot hash and credential.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from omov.crypto import group
from omov.crypto.ballot import ElectionContext, check_audit, tracker, verify_ballot
from omov.crypto.canonical import digest
from omov.crypto.elgamal import Ciphertext
from omov.crypto.errors import ProtocolError
from omov.record.audit_reuse import audited_keys, choice_keys
from omov.record.board import entry_hash, parse_entry
from omov.record.errors import RecordError, RecordUnreadable, from_protocol
from omov.record.mix import ballot_rows
from omov.record.roll import CredentialRoll

BALLOT_KINDS = frozenset({"ballot", "audited_ballot"})
MIX_KINDS = frozenset({"shuffle", "ranked_decryption"})


# A worker sends its results back as plain tuples: pickling one takes about a
# seventh of the time a dataclass instance takes, on both sides of the pipe.

BallotOutcome = tuple[bytes, int, bytes, "RecordError | None", tuple[int, ...], bytes]
"""What the main process needs of one (audited) ballot entry: the ballot hash
(for an audit, the digest of its body), the credential's position on the roll
(-1 if it is not on it, or for an audit, which has none), the credential (empty
for an audit),
the error that makes the ballot invalid, if any, and the keys of its
ciphertexts (`audit_reuse.choice_keys`; empty if it is invalid), and the ballot's
rows for the mix (`mix.ballot_rows`: packed, every ranked question's; b"" if none)."""

LineRecord = tuple[int, "str | None", bytes, bytes, Any, "BallotOutcome | None",
                   "RecordError | None", str]
"""One checked line as a worker sends it: the fields of `LineOutcome`, in order."""


@dataclass(frozen=True)
class LineOutcome:
    """One checked line: enough to follow the chain, and its body or ballot outcome.

    A line whose entry form is wrong has `kind` None and the reason in `error`;
    its `hash` still lets the chain be followed past it.
    """

    index: int
    kind: str | None
    previous: bytes
    hash: bytes
    body: Any
    ballot: BallotOutcome | None
    error: RecordError | None = None
    time: str = ""


@dataclass(frozen=True)
class ChunkOutcome:
    """A chunk's lines in order, the line that is not JSON if any, and its ballot sum;
    with `check_chunk_counted`, the libsodium operations checking it took."""

    lines: list[LineRecord]
    unreadable: RecordUnreadable | None
    sums: list[bytes] | None
    operations: Counter[str] | None = None


@dataclass(frozen=True)
class WorkerSetup:
    """What every worker checks ballots against: the election and its roll."""

    context: ElectionContext
    roll: CredentialRoll

    @property
    def ranked(self) -> bool:
        """Whether the manifest has a ranked question, whose rows the mix takes."""
        return any(rule.ranked for rule in self.context.rules)


_setup: WorkerSetup | None = None


def install(setup: WorkerSetup) -> None:
    """Give this process the election to check against (a pool initializer)."""
    global _setup
    _setup = setup


def check_chunk(chunk: list[tuple[int, bytes]]) -> ChunkOutcome:
    """Check consecutive board lines `(index, line)`; stop at the first unparsable one."""
    assert _setup is not None, "install() must run first"
    outcomes: list[LineRecord] = []
    total: list[Ciphertext] | None = None
    for index, line in chunk:
        try:
            entry = parse_entry(line, index)
        except RecordUnreadable as error:
            return ChunkOutcome(outcomes, error, _encode(total))
        except RecordError as error:
            outcomes.append((index, None, b"", entry_hash(line), None, None, error, ""))
            continue
        ballot = None
        if entry.kind == "ballot":
            ballot, choices = _check_ballot(_setup, index, entry.body, entry.body_json)
            if choices is not None:
                total = add_ciphertexts(total, choices)
        elif entry.kind == "audited_ballot":
            ballot = _check_audited(_setup, index, entry.body)
        # The mix's entries are read again at the end (mix_checks): only their
        # kind travels back, not megabytes of rows.
        body = None if ballot is not None or entry.kind in MIX_KINDS else entry.body
        outcomes.append((index, entry.kind, entry.previous, entry.hash, body, ballot, None,
                         entry.time))
    return ChunkOutcome(outcomes, None, _encode(total))


def check_chunk_counted(chunk: list[tuple[int, bytes]]) -> ChunkOutcome:
    """`check_chunk`, with the libsodium operations it made (`group.count_operations`),
    for the benchmark's floor: a worker's counts would otherwise stay in the worker."""
    with group.count_operations() as counts:
        outcome = check_chunk(chunk)
    return ChunkOutcome(outcome.lines, outcome.unreadable, outcome.sums, counts)


def _check_ballot(
    setup: WorkerSetup, index: int, body: Any, body_json: bytes
) -> tuple[BallotOutcome, list[Ciphertext] | None]:
    try:
        verified = verify_ballot(setup.context, body, body_json)
    except ProtocolError as error:
        ballot_hash = _hash_of(body)
        return (ballot_hash, -1, b"",
                from_protocol(error, index, tracker=tracker(ballot_hash)), (), b""), None
    credential = verified.credential.to_bytes()
    choices = [choice for answer in verified.choices for choice in answer]
    position = setup.roll.position(credential)
    rows = ballot_rows(setup.context.rules, verified.choices) if setup.ranked else b""
    return (verified.hash, position, credential, None, choice_keys(choices), rows), choices


def _check_audited(setup: WorkerSetup, index: int, body: Any) -> BallotOutcome:
    """An anonymous audit (7.6): its hash is digest(body); it has no credential."""
    audit = _hash_of(body)
    try:
        check_audit(setup.context, body)
    except ProtocolError as error:
        return audit, -1, b"", from_protocol(error, index, tracker=tracker(audit)), (), b""
    return audit, -1, b"", None, audited_keys(body), b""


def _hash_of(ballot: Any) -> bytes:
    try:
        return digest(ballot)
    except (ProtocolError, TypeError, ValueError):
        return bytes(32)


def add_ciphertexts(
    total: list[Ciphertext] | None, more: list[Ciphertext]
) -> list[Ciphertext]:
    """Add `more` to the running sum `total` (None before the first), option by option."""
    if total is None:
        return more
    return [a + b for a, b in zip(total, more, strict=True)]


def _encode(total: list[Ciphertext] | None) -> list[bytes] | None:
    if total is None:
        return None
    return [c.alpha.to_bytes() + c.beta.to_bytes() for c in total]
