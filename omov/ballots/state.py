"""What the board says so far, read back as protocol objects.

The actions check each new submission against these, with the same
functions the verifier uses (`omov.crypto`, `omov.record`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omov.ballots import board
from omov.ballots.models import Ballot, BoardEntry
from omov.crypto.ballot import ElectionContext
from omov.crypto.canonical import digest
from omov.crypto.dkg import check_commitment, check_shares
from omov.crypto.dkg_messages import TrusteeCommitment, TrusteeShares
from omov.crypto.elgamal import Ciphertext
from omov.crypto.group import Point
from omov.crypto.threshold import verification_key
from omov.record.manifest import Manifest, parse_manifest
from omov.record.roll import CredentialRoll


def manifest(ballot: Ballot) -> Manifest:
    """The published manifest, parsed (the board's entry 0)."""
    (body,) = board.bodies(ballot, "manifest")
    return parse_manifest(body)


def manifest_digest(ballot: Ballot) -> bytes:
    return bytes.fromhex(ballot.manifest_digest)


def commitments(ballot: Ballot) -> dict[int, TrusteeCommitment]:
    """The trustees' commitments on the board (each was checked before it was appended)."""
    parsed = manifest(ballot)
    found = {}
    for body in board.bodies(ballot, "trustee_commitment"):
        commitment = check_commitment(
            manifest_digest(ballot), body, len(parsed.trustees), parsed.threshold
        )
        found[commitment.trustee] = commitment
    return found


def shares(
    ballot: Ballot, known_commitments: dict[int, TrusteeCommitment]
) -> dict[int, TrusteeShares]:
    """The trustees' encrypted shares on the board, keyed by dealer."""
    found = {}
    for body in board.bodies(ballot, "trustee_shares"):
        dealt = check_shares(manifest_digest(ballot), body, known_commitments)
        found[dealt.trustee] = dealt
    return found


@dataclass(frozen=True)
class JointKey:
    qualified: tuple[int, ...]
    public_key: Point


def joint_key(ballot: Ballot) -> JointKey:
    (body,) = board.bodies(ballot, "joint_key")
    return JointKey(tuple(body["qualified"]), Point.from_hex(body["public_key"]))


def trustee_verification_key(ballot: Ballot, index: int) -> Point:
    """Trustee `index`'s verification key, from the commitments of the qualified trustees (8.4)."""
    key = joint_key(ballot)
    coefficient_commitments = {
        i: commitment.commitments for i, commitment in commitments(ballot).items()
    }
    return verification_key(coefficient_commitments, key.qualified, index)


_contexts: dict[tuple[int, str], ElectionContext] = {}


def election_context(ballot: Ballot) -> ElectionContext:
    """The fingerprint, joint key and question rules every ballot is checked against.

    Cached per process by fingerprint: none of the three changes once the ballot is open.
    """
    key = (ballot.pk, ballot.fingerprint)
    context = _contexts.get(key)
    if context is None:
        context = ElectionContext(
            fingerprint=bytes.fromhex(ballot.fingerprint),
            public_key=Point.from_hex(ballot.joint_key),
            rules=manifest(ballot).rules,
        )
        _contexts[key] = context
    return context


_roll_digests: dict[tuple[int, str], bytes] = {}


def roll_digest(ballot: Ballot) -> bytes:
    """`digest({"credentials": [...]})` of the roll (6.3), cached per process once open."""
    key = (ballot.pk, ballot.fingerprint)
    cached = _roll_digests.get(key)
    if cached is None:
        (body,) = board.bodies(ballot, "credential_roll")
        cached = digest({"credentials": body["credentials"]})
        if ballot.fingerprint:
            _roll_digests[key] = cached
    return cached


_rolls: dict[tuple[int, str], CredentialRoll] = {}


def roll(ballot: Ballot) -> CredentialRoll:
    """The ballot's credential roll (6.3), cached per process once open: it never changes."""
    key = (ballot.pk, ballot.fingerprint)
    found = _rolls.get(key)
    if found is None:
        (body,) = board.bodies(ballot, "credential_roll")
        found = CredentialRoll(b"".join(bytes.fromhex(c) for c in sorted(body["credentials"])))
        if ballot.fingerprint:
            _rolls[key] = found
    return found


def revocations(ballot: Ballot) -> list[dict[str, Any]]:
    """The `revocation` bodies on the board (6.4), in order; read afresh on every call.

    Another process may have appended one since; a ballot normally has none.
    """
    return board.bodies(ballot, "revocation")


def ineligibility(
    ballot: Ballot, credential: bytes, known_revocations: list[dict[str, Any]] | None = None
) -> str | None:
    """Why a public credential may not vote now (6.3, 6.4), or None if it may.

    Honours every revocation on the board (read afresh unless the caller
    passes `known_revocations`, the bodies it has just read): revoked
    credentials are refused and added ones accepted.
    """
    revoked: set[bytes] = set()
    added: set[bytes] = set()
    if known_revocations is None:
        known_revocations = revocations(ballot)
    for body in known_revocations:
        revoked.update(bytes.fromhex(c) for c in body["revoked"])
        added.update(bytes.fromhex(c) for c in body["added"])
    if credential in revoked:
        return ("The voting code this ballot was signed with was revoked by the credential "
                "authority (it was reported lost): vote with the new code you were sent.")
    if credential in added or roll(ballot).position(credential) >= 0:
        return None
    return ("The voting code this ballot was signed with is not on the roll: check your "
            "voting code.")


def on_roll(ballot: Ballot, credential: bytes) -> bool:
    """Whether a public credential may vote now: on the roll or added, and not revoked."""
    return ineligibility(ballot, credential) is None


def tally(ballot: Ballot) -> tuple[int, list[list[Ciphertext | None]]]:
    """The tally entry's counted N and ciphertexts (null where nothing was counted)."""
    (body,) = board.bodies(ballot, "tally")
    ciphertexts = [
        [None if item is None else Ciphertext.from_json(item, field=f"ciphertexts[{q}][{o}]")
         for o, item in enumerate(row)]
        for q, row in enumerate(body["ciphertexts"])
    ]
    return body["counted"], ciphertexts


def last_body(ballot: Ballot, kind: str) -> dict[str, Any] | None:
    entry = BoardEntry.objects.filter(ballot=ballot, kind=kind).order_by("-index").first()
    if entry is None:
        return None
    from omov.crypto.canonical import parse_json

    body: dict[str, Any] = parse_json(entry.line)["body"]
    return body
