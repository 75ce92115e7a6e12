"""Partial decryptions of the tally and combining them (docs/protocol.md section 9).

A tally is one ciphertext per question per encrypted option, or `None` for
every option when no ballot was counted. A trustee's partial decryption
mirrors that shape: a share `D = s_l·A` and a DLEQ proof per ciphertext, and
`None` for both where the ciphertext is `None` (nothing is drawn for those).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from omov.crypto.dkg_messages import expect_index, expect_list, expect_object
from omov.crypto.dlog import discrete_log
from omov.crypto.elgamal import Ciphertext
from omov.crypto.errors import InvalidEncoding, ProtocolError
from omov.crypto.group import IDENTITY, Point, Scalar
from omov.crypto.proofs import DleqProof
from omov.crypto.questions import QuestionRule
from omov.crypto.threshold import lagrange_at_zero, require_threshold
from omov.crypto.transcript import Rng

TAG_PARTIAL_DECRYPTION = "partial-decryption"

Tally = Sequence[Sequence[Ciphertext | None]]
CheckedTally = tuple[tuple[Ciphertext | None, ...], ...]


@dataclass(frozen=True)
class PartialDecryption:
    """A `partial_decryption` body (9.2) by trustee `trustee`."""

    trustee: int
    shares: tuple[tuple[Point | None, ...], ...]
    proofs: tuple[tuple[DleqProof | None, ...], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "trustee": self.trustee,
            "shares": [[None if d is None else d.hex() for d in row] for row in self.shares],
            "proofs": [[None if p is None else p.to_json() for p in row] for row in self.proofs],
        }

    @classmethod
    def from_json(cls, obj: object, tally: Tally, field: str = "") -> PartialDecryption:
        """Parse a body whose shape must match `tally` (null exactly where it is null).

        A share may be the identity only where the tally's `alpha` is.
        """
        body = expect_object(obj, {"trustee", "shares", "proofs"}, field)
        prefix = f"{field}." if field else ""
        share_rows = _rows(body["shares"], tally, f"{prefix}shares")
        proof_rows = _rows(body["proofs"], tally, f"{prefix}proofs")
        shares: list[tuple[Point | None, ...]] = []
        proofs: list[tuple[DleqProof | None, ...]] = []
        for q, ciphertexts in enumerate(tally):
            share_row: list[Point | None] = []
            proof_row: list[DleqProof | None] = []
            for o, ciphertext in enumerate(ciphertexts):
                share_field = f"{prefix}shares[{q}][{o}]"
                proof_field = f"{prefix}proofs[{q}][{o}]"
                share, proof = share_rows[q][o], proof_rows[q][o]
                if ciphertext is None:
                    _expect_null(share, share_field)
                    _expect_null(proof, proof_field)
                    share_row.append(None)
                    proof_row.append(None)
                    continue
                share_row.append(
                    Point.from_hex(
                        share, field=share_field, allow_identity=ciphertext.alpha.is_identity()
                    )
                )
                proof_row.append(DleqProof.from_json(proof, field=proof_field))
            shares.append(tuple(share_row))
            proofs.append(tuple(proof_row))
        return cls(
            trustee=expect_index(body["trustee"], f"{prefix}trustee"),
            shares=tuple(shares),
            proofs=tuple(proofs),
        )


def _rows(value: object, tally: Tally, field: str) -> list[list[Any]]:
    rows = expect_list(value, field)
    if len(rows) != len(tally):
        raise InvalidEncoding(f"must hold {len(tally)} questions", field=field)
    result = []
    for q, (row, ciphertexts) in enumerate(zip(rows, tally, strict=True)):
        items = expect_list(row, f"{field}[{q}]")
        if len(items) != len(ciphertexts):
            raise InvalidEncoding(
                f"must hold {len(ciphertexts)} items, one per encrypted option",
                field=f"{field}[{q}]",
            )
        result.append(items)
    return result


def _expect_null(value: object, field: str) -> None:
    if value is not None:
        raise InvalidEncoding("must be null because the tally ciphertext is null", field=field)


def parse_tally(body: object, field: str = "tally") -> tuple[int, CheckedTally]:
    """The counted number N and the ciphertexts of a `tally` entry body (section 10).

    Either every ciphertext is null (no ballot counted, N = 0) or none is.
    """
    tally = expect_object(body, {"counted", "ciphertexts"}, field)
    counted = tally["counted"]
    if not isinstance(counted, int) or isinstance(counted, bool) or counted < 0:
        raise InvalidEncoding("must be a non-negative integer", field=f"{field}.counted")
    rows = []
    for q, row in enumerate(expect_list(tally["ciphertexts"], f"{field}.ciphertexts")):
        items = expect_list(row, f"{field}.ciphertexts[{q}]")
        rows.append(
            tuple(
                None
                if item is None
                else Ciphertext.from_json(item, field=f"{field}.ciphertexts[{q}][{o}]")
                for o, item in enumerate(items)
            )
        )
    nulls = {item is None for row in rows for item in row}
    if (nulls == {True} and counted != 0) or (nulls == {False} and counted == 0) or len(nulls) > 1:
        raise InvalidEncoding(
            "the ciphertexts must all be null exactly when no ballot was counted",
            field=f"{field}.ciphertexts",
        )
    return counted, tuple(rows)


def partial_decrypt(
    share: Scalar, index: int, fingerprint: bytes, tally: Tally, rng: Rng
) -> dict[str, Any]:
    """Trustee `index`'s `partial_decryption` body for `tally`, with its final `share` s_l.

    The proofs are bound to the election's `fingerprint` and to each
    ciphertext's question q and option o; one nonce is drawn per non-null
    ciphertext, questions then options in order.
    """
    shares: list[tuple[Point | None, ...]] = []
    proofs: list[tuple[DleqProof | None, ...]] = []
    for q, ciphertexts in enumerate(tally):
        share_row: list[Point | None] = []
        proof_row: list[DleqProof | None] = []
        for o, ciphertext in enumerate(ciphertexts):
            if ciphertext is None:
                share_row.append(None)
                proof_row.append(None)
                continue
            share_row.append(share * ciphertext.alpha)
            proof_row.append(
                DleqProof.prove(
                    TAG_PARTIAL_DECRYPTION,
                    (fingerprint, index, q, o),
                    share,
                    ciphertext.alpha,
                    rng,
                )
            )
        shares.append(tuple(share_row))
        proofs.append(tuple(proof_row))
    return PartialDecryption(index, tuple(shares), tuple(proofs)).to_json()


def check_partial_decryption(
    fingerprint: bytes, body: object, tally: Tally, verification_key: Point
) -> PartialDecryption:
    """Parse a `partial_decryption` body and verify every DLEQ proof against `Y_l`.

    `verification_key` is the trustee's `Y_l` (8.4), which the caller derives
    from the body's `trustee` and the qualified set. Raises InvalidEncoding or
    InvalidProof naming the field, e.g. `proofs[0][1]`.
    """
    partial = PartialDecryption.from_json(body, tally)
    for q, ciphertexts in enumerate(tally):
        for o, ciphertext in enumerate(ciphertexts):
            share = partial.shares[q][o]
            proof = partial.proofs[q][o]
            if ciphertext is None or share is None or proof is None:
                continue
            proof.verify(
                TAG_PARTIAL_DECRYPTION,
                (fingerprint, partial.trustee, q, o),
                verification_key,
                ciphertext.alpha,
                share,
                field=f"proofs[{q}][{o}]",
            )
    return partial


def decryption_factor(
    partials: Mapping[int, PartialDecryption], q: int, o: int, coefficients: Mapping[int, Scalar]
) -> Point:
    """`Σ_{l∈P} λ_l·D_l` for question `q`, option `o`: the combined `y·A`."""
    total = IDENTITY
    for index, partial in partials.items():
        share = partial.shares[q][o]
        if share is None:
            raise ProtocolError(
                f"trustee {index} gave no share for a non-null ciphertext",
                field=f"shares[{q}][{o}]",
            )
        total = total + coefficients[index] * share
    return total


def combine(
    tally: Tally,
    partials: Mapping[int, PartialDecryption],
    threshold: int,
    counted: int,
) -> tuple[tuple[int, ...], ...]:
    """The totals of every encrypted option from the partial decryptions of a set P (9.3).

    `partials` are checked partial decryptions keyed by trustee (the set P,
    at least `threshold` of them); `counted` is N, the number of counted
    ballots, which bounds each total. A null ciphertext's total is 0. Raises
    NotEnoughTrustees if P is too small, and ProtocolError if a total has no
    solution in `[0, N]`.
    """
    indices = sorted(partials)
    require_threshold(indices, threshold, "partial decryptions")
    coefficients = {index: lagrange_at_zero(index, indices) for index in indices}
    totals = []
    for q, ciphertexts in enumerate(tally):
        row = []
        for o, ciphertext in enumerate(ciphertexts):
            if ciphertext is None:
                row.append(0)
                continue
            message = ciphertext.beta - decryption_factor(partials, q, o, coefficients)
            try:
                row.append(discrete_log(message, counted))
            except ProtocolError as error:
                raise ProtocolError(error.reason, field=f"totals[{q}][{o}]") from None
        totals.append(tuple(row))
    return tuple(totals)


def question_totals(
    rules: Sequence[QuestionRule], encrypted_totals: Sequence[Sequence[int]], counted: int
) -> tuple[tuple[int, ...], ...]:
    """All m totals per question: an implicit last option gets `k·N - Σ others` (9.3).

    `rules` are the questions' rules in manifest order and `counted` is N.
    """
    result = []
    for rule, totals in zip(rules, encrypted_totals, strict=True):
        row = tuple(totals)
        if rule.implicit_last:
            row = (*row, rule.max * counted - sum(row))
        result.append(row)
    return tuple(result)

