"""The messages of the distributed key generation (docs/protocol.md sections 8.1-8.3)
and the trustee's secret state (section 13), with their JSON forms.

`from_json` checks only the shape and the encodings, naming the field of
anything wrong; the proofs and signatures are checked in `omov.crypto.dkg`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from omov.crypto.errors import InvalidEncoding, ProtocolError
from omov.crypto.group import Point, Scalar
from omov.crypto.proofs import DleqProof, SchnorrProof

_HEX32 = re.compile(r"[0-9a-f]{64}")


def _path(field: str | None, key: str) -> str:
    return f"{field}.{key}" if field else key


def expect_object(obj: object, keys: set[str], field: str | None) -> dict[str, Any]:
    """Require a JSON object with exactly the members `keys`."""
    if not isinstance(obj, dict):
        raise InvalidEncoding("expected a JSON object", field=field or None)
    for key in sorted(keys):
        if key not in obj:
            raise InvalidEncoding(f"missing member {key!r}", field=_path(field, key))
    for key in sorted(obj):
        if key not in keys:
            raise InvalidEncoding(f"unexpected member {key!r}", field=_path(field, key))
    return obj


def expect_list(value: object, field: str) -> list[Any]:
    """Require a JSON array."""
    if not isinstance(value, list):
        raise InvalidEncoding("expected a list", field=field)
    return value


def expect_bytes32(value: object, field: str) -> bytes:
    """Require 32 bytes as 64 lowercase hex characters (a digest, a share ciphertext)."""
    if not isinstance(value, str) or not _HEX32.fullmatch(value):
        raise InvalidEncoding("must be 64 lowercase hexadecimal characters", field=field)
    return bytes.fromhex(value)


def expect_index(value: object, field: str) -> int:
    """Require a trustee or recipient number: an integer from 1 to 50 (section 5)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 50:
        raise InvalidEncoding("expected a trustee number from 1 to 50", field=field)
    return value


@dataclass(frozen=True)
class TrusteeState:
    """A trustee's secrets: what its passphrase-protected backup holds (section 13)."""

    manifest_digest: bytes
    index: int
    communication_secret: Scalar
    coefficients: tuple[Scalar, ...]
    share: Scalar | None = None

    @property
    def threshold(self) -> int:
        return len(self.coefficients)

    def with_share(self, share: Scalar) -> TrusteeState:
        return replace(self, share=share)

    def to_json(self) -> dict[str, Any]:
        """The backup plaintext of section 13."""
        return {
            "manifest_digest": self.manifest_digest.hex(),
            "trustee": self.index,
            "communication_secret": self.communication_secret.hex(),
            "coefficients": [c.hex() for c in self.coefficients],
            "share": None if self.share is None else self.share.hex(),
        }

    @classmethod
    def from_json(cls, obj: object, field: str = "state") -> TrusteeState:
        state = expect_object(
            obj,
            {"manifest_digest", "trustee", "communication_secret", "coefficients", "share"},
            field,
        )
        manifest_digest = expect_bytes32(state["manifest_digest"], f"{field}.manifest_digest")
        coefficients = expect_list(state["coefficients"], f"{field}.coefficients")
        if not coefficients:
            raise InvalidEncoding("needs at least one coefficient", field=f"{field}.coefficients")
        share = state["share"]
        return cls(
            manifest_digest=manifest_digest,
            index=expect_index(state["trustee"], f"{field}.trustee"),
            communication_secret=Scalar.from_hex(
                state["communication_secret"], field=f"{field}.communication_secret"
            ),
            coefficients=tuple(
                Scalar.from_hex(c, field=f"{field}.coefficients[{j}]")
                for j, c in enumerate(coefficients)
            ),
            share=None if share is None else Scalar.from_hex(share, field=f"{field}.share"),
        )


@dataclass(frozen=True)
class TrusteeCommitment:
    """A `trustee_commitment` body (8.1): communication key and coefficient commitments."""

    trustee: int
    communication_key: Point
    communication_proof: SchnorrProof
    commitments: tuple[Point, ...]
    commitment_proofs: tuple[SchnorrProof, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "trustee": self.trustee,
            "communication_key": self.communication_key.hex(),
            "communication_proof": self.communication_proof.to_json(),
            "commitments": [c.hex() for c in self.commitments],
            "commitment_proofs": [p.to_json() for p in self.commitment_proofs],
        }

    @classmethod
    def from_json(cls, obj: object, field: str = "") -> TrusteeCommitment:
        body = expect_object(
            obj,
            {"trustee", "communication_key", "communication_proof", "commitments",
             "commitment_proofs"},
            field,
        )
        prefix = f"{field}." if field else ""
        commitments = expect_list(body["commitments"], f"{prefix}commitments")
        proofs = expect_list(body["commitment_proofs"], f"{prefix}commitment_proofs")
        return cls(
            trustee=expect_index(body["trustee"], f"{prefix}trustee"),
            communication_key=Point.from_hex(
                body["communication_key"], field=f"{prefix}communication_key"
            ),
            communication_proof=SchnorrProof.from_json(
                body["communication_proof"], field=f"{prefix}communication_proof"
            ),
            commitments=tuple(
                Point.from_hex(c, field=f"{prefix}commitments[{j}]")
                for j, c in enumerate(commitments)
            ),
            commitment_proofs=tuple(
                SchnorrProof.from_json(p, field=f"{prefix}commitment_proofs[{j}]")
                for j, p in enumerate(proofs)
            ),
        )


@dataclass(frozen=True)
class EncryptedShare:
    """One share `f_i(l)` sent by dealer i to `recipient` l (8.2)."""

    recipient: int
    ephemeral: Point
    ciphertext: bytes
    signature: SchnorrProof

    def to_json(self) -> dict[str, Any]:
        return {
            "recipient": self.recipient,
            "ephemeral": self.ephemeral.hex(),
            "ciphertext": self.ciphertext.hex(),
            "signature": self.signature.to_json(),
        }

    @classmethod
    def from_json(cls, obj: object, field: str) -> EncryptedShare:
        share = expect_object(obj, {"recipient", "ephemeral", "ciphertext", "signature"}, field)
        return cls(
            recipient=expect_index(share["recipient"], f"{field}.recipient"),
            ephemeral=Point.from_hex(share["ephemeral"], field=f"{field}.ephemeral"),
            ciphertext=expect_bytes32(share["ciphertext"], f"{field}.ciphertext"),
            signature=SchnorrProof.from_json(share["signature"], field=f"{field}.signature"),
        )


@dataclass(frozen=True)
class TrusteeShares:
    """A `trustee_shares` body (8.2): dealer `trustee`'s shares for the others."""

    trustee: int
    shares: tuple[EncryptedShare, ...]

    def share_for(self, recipient: int) -> EncryptedShare:
        return self.shares[self.position_of(recipient)]

    def position_of(self, recipient: int) -> int:
        """Where the share for `recipient` is in `shares`."""
        for position, share in enumerate(self.shares):
            if share.recipient == recipient:
                return position
        raise ProtocolError(
            f"trustee {self.trustee} sent no share to trustee {recipient}", field="shares"
        )

    def to_json(self) -> dict[str, Any]:
        return {"trustee": self.trustee, "shares": [s.to_json() for s in self.shares]}

    @classmethod
    def from_json(cls, obj: object, field: str = "") -> TrusteeShares:
        body = expect_object(obj, {"trustee", "shares"}, field)
        prefix = f"{field}." if field else ""
        shares = expect_list(body["shares"], f"{prefix}shares")
        return cls(
            trustee=expect_index(body["trustee"], f"{prefix}trustee"),
            shares=tuple(
                EncryptedShare.from_json(s, f"{prefix}shares[{n}]") for n, s in enumerate(shares)
            ),
        )


@dataclass(frozen=True)
class Complaint:
    """A `trustee_complaint` body (8.3): trustee l reveals the key of dealer i's share."""

    trustee: int
    against: int
    key: Point
    proof: DleqProof

    def to_json(self) -> dict[str, Any]:
        return {
            "trustee": self.trustee,
            "against": self.against,
            "key": self.key.hex(),
            "proof": self.proof.to_json(),
        }

    @classmethod
    def from_json(cls, obj: object, field: str = "") -> Complaint:
        body = expect_object(obj, {"trustee", "against", "key", "proof"}, field)
        prefix = f"{field}." if field else ""
        return cls(
            trustee=expect_index(body["trustee"], f"{prefix}trustee"),
            against=expect_index(body["against"], f"{prefix}against"),
            key=Point.from_hex(body["key"], field=f"{prefix}key"),
            proof=DleqProof.from_json(body["proof"], field=f"{prefix}proof"),
        )
