"""Replaying the key generation as a board shows it (docs/protocol.md section 8).

`review_key_generation` checks the trustee entries in board order, keeps the
valid ones and says what is wrong with the others, so that a trustee's tool
and the server reach the qualified set and joint key a verifier will.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from omov.crypto.dkg import check_commitment, check_complaint, check_shares, qualified
from omov.crypto.dkg_messages import TrusteeCommitment, TrusteeShares
from omov.crypto.errors import ProtocolError
from omov.crypto.group import Point
from omov.crypto.threshold import joint_key


@dataclass(frozen=True)
class EntryProblem:
    """A trustee entry that failed its check, and why; it has no effect."""

    kind: str
    position: int
    trustee: int | None
    error: ProtocolError

    def __str__(self) -> str:
        who = f"trustee {self.trustee}'s" if self.trustee is not None else "a"
        return f"{who} {self.kind} (number {self.position + 1}), {self.error}"


@dataclass
class KeyGeneration:
    """The valid trustee entries of a board, keyed by trustee, and the problems found."""

    commitments: dict[int, TrusteeCommitment] = field(default_factory=dict)
    shares: dict[int, TrusteeShares] = field(default_factory=dict)
    upheld_against: set[int] = field(default_factory=set)
    rejected_complaints: list[tuple[int, int]] = field(default_factory=list)
    problems: list[EntryProblem] = field(default_factory=list)

    def qualified(self, threshold: int) -> tuple[int, ...]:
        return qualified(self.commitments, self.shares, self.upheld_against, threshold)

    def coefficient_commitments(self) -> dict[int, tuple[Point, ...]]:
        return {index: c.commitments for index, c in self.commitments.items()}


def _trustee_of(body: Any) -> int | None:
    value = body.get("trustee") if isinstance(body, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def review_key_generation(
    manifest_digest: bytes,
    trustees: int,
    threshold: int,
    commitment_bodies: Sequence[Any],
    shares_bodies: Sequence[Any],
    complaint_bodies: Sequence[Any],
) -> KeyGeneration:
    """Check the `trustee_commitment`, `trustee_shares` and `trustee_complaint`
    bodies in board order and return the valid ones with the outcome of each
    complaint. `trustees` (n) and `threshold` (k) come from the manifest. A
    second entry of a kind from the same trustee is a problem and is ignored.
    """
    review = KeyGeneration()
    for position, body in enumerate(commitment_bodies):
        try:
            commitment = check_commitment(manifest_digest, body, trustees, threshold)
            _first(review.commitments, commitment.trustee)
            review.commitments[commitment.trustee] = commitment
        except ProtocolError as error:
            review.problems.append(
                EntryProblem("trustee_commitment", position, _trustee_of(body), error)
            )
    for position, body in enumerate(shares_bodies):
        try:
            dealt = check_shares(manifest_digest, body, review.commitments)
            _first(review.shares, dealt.trustee)
            review.shares[dealt.trustee] = dealt
        except ProtocolError as error:
            review.problems.append(
                EntryProblem("trustee_shares", position, _trustee_of(body), error)
            )
    for position, body in enumerate(complaint_bodies):
        try:
            upheld = check_complaint(manifest_digest, body, review.commitments, review.shares)
        except ProtocolError as error:
            review.problems.append(
                EntryProblem("trustee_complaint", position, _trustee_of(body), error)
            )
            continue
        complainer, against = body["trustee"], body["against"]
        if upheld:
            review.upheld_against.add(against)
        else:
            review.rejected_complaints.append((complainer, against))
    return review


def _first(seen: Mapping[int, object], trustee: int) -> None:
    if trustee in seen:
        raise ProtocolError(
            f"trustee {trustee} already published this kind of entry", field="trustee"
        )


def joint_key_body(review: KeyGeneration, threshold: int) -> dict[str, Any]:
    """The `joint_key` entry body of 8.4: the qualified set and `Y`."""
    members = review.qualified(threshold)
    key = joint_key(review.coefficient_commitments(), members)
    return {"qualified": list(members), "public_key": key.hex()}
