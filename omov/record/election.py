"""Building an election's board entries step by step (sections 6 to 10).

The simulator and the web platform produce entries with these functions and
append them with `board.make_entry` (or `RecordWriter`). `accept_ballot` is
what the platform runs when a ballot is cast: the same `verify_ballot` the
verifier runs, plus the eligibility and replay rules of the board.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from omov.crypto.ballot import ElectionContext, VerifiedBallot, verify_ballot
from omov.crypto.canonical import digest
from omov.crypto.decryption import PartialDecryption, combine, question_totals
from omov.crypto.elgamal import Ciphertext
from omov.crypto.errors import InvalidBallot
from omov.crypto.group import Point, Scalar
from omov.crypto.proofs import SchnorrProof
from omov.crypto.questions import QuestionRule
from omov.crypto.transcript import Rng
from omov.record.roll import TAG_REVOCATION_SIGNATURE, CredentialRoll

Tally = list[list[Ciphertext | None]]


def revocation_body(
    fingerprint: bytes, revoked: Sequence[Point], added: Sequence[Point], reason: str,
    authority_secret: Scalar, rng: Rng,
) -> dict[str, Any]:
    """A `revocation` body (6.4), signed by the credential authority."""
    statement = {"added": [p.hex() for p in added], "reason": reason,
                 "revoked": [p.hex() for p in revoked]}
    signature = SchnorrProof.prove(
        TAG_REVOCATION_SIGNATURE, (fingerprint, digest(statement)), authority_secret, rng
    )
    return {**statement, "signature": signature.to_json()}


def open_body(fingerprint: bytes, opened_at: str) -> dict[str, Any]:
    """The `open` body: the election's fingerprint (7.1) and the UTC time it opened."""
    return {"fingerprint": fingerprint.hex(), "opened_at": opened_at}


def close_body(closed_at: str, ballots: int) -> dict[str, Any]:
    """The `close` body: the UTC time and the number of `ballot` entries on the board."""
    return {"closed_at": closed_at, "ballots": ballots}


def tally_body(counted: int, tally: Tally) -> dict[str, Any]:
    """The `tally` body (9.1): N and one ciphertext (or null) per encrypted option."""
    return {
        "counted": counted,
        "ciphertexts": [[None if c is None else c.to_json() for c in row] for row in tally],
    }


def empty_tally(rules: Sequence[QuestionRule]) -> Tally:
    """The tally of an election in which no ballot was counted: null everywhere."""
    return [[None] * rule.encrypted_count for rule in rules]


def tally_from_sums(rules: Sequence[QuestionRule], sums: Sequence[Ciphertext] | None,
                    counted: int) -> Tally:
    """Reshape the flat sum of the counted ballots' choices into questions and options."""
    if sums is None or counted == 0:
        return empty_tally(rules)
    rows: Tally = []
    position = 0
    for rule in rules:
        rows.append(list(sums[position:position + rule.encrypted_count]))
        position += rule.encrypted_count
    return rows


def result_body(
    rules: Sequence[QuestionRule], tally: Tally, partials: Mapping[int, PartialDecryption],
    threshold: int, counted: int,
) -> dict[str, Any]:
    """The `result` body (9.3) from checked partial decryptions keyed by trustee."""
    totals = combine(tally, partials, threshold, counted)
    return {
        "counted": counted,
        "decrypted_by": sorted(partials),
        "totals": [list(row) for row in question_totals(rules, totals, counted)],
    }


@dataclass
class CastingRules:
    """The board's state that decides whether a new ballot may be cast.

    `roll` is the published credential roll; `added` and `revoked` follow the
    revocation entries; `cast_hashes` and `audited_hashes` hold the ballot
    hashes already on the board.
    """

    roll: CredentialRoll
    added: set[bytes] = field(default_factory=set)
    revoked: set[bytes] = field(default_factory=set)
    cast_hashes: set[bytes] = field(default_factory=set)
    audited_hashes: set[bytes] = field(default_factory=set)


def accept_ballot(context: ElectionContext, rules: CastingRules, ballot: Any) -> VerifiedBallot:
    """Check a ballot before it is cast (7.4) and the board's rules (6.4, 7.6, 10).

    Raises `InvalidBallot` (or `InvalidProof`/`InvalidEncoding` from the
    ballot check) naming the field; the caller then appends it as a `ballot`
    entry and adds its hash to `rules.cast_hashes`.
    """
    verified = verify_ballot(context, ballot)
    credential = verified.credential.to_bytes()
    if rules.roll.position(credential) < 0 and credential not in rules.added:
        raise InvalidBallot("the credential is not on the credential roll", field="credential")
    if credential in rules.revoked:
        raise InvalidBallot("the credential has been revoked", field="credential")
    if verified.hash in rules.cast_hashes:
        raise InvalidBallot("this ballot was already cast (a replay)", field=None)
    if verified.hash in rules.audited_hashes:
        raise InvalidBallot("this ballot was audited and can no longer be cast", field=None)
    return verified
