"""Threshold key arithmetic: polynomials, the joint key, verification keys,
final shares and Lagrange coefficients (docs/protocol.md sections 8.4, 9.3).

The messages of the key generation (commitments, shares, complaints) are in
`omov.crypto.dkg`; partial decryptions and combining them are in
`omov.crypto.decryption`. This module is the arithmetic they share.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from omov.crypto.errors import ProtocolError
from omov.crypto.group import IDENTITY, L, Point, Scalar


class NotEnoughTrustees(ProtocolError):
    """Fewer than the threshold of trustees are qualified or took part."""


def require_threshold(indices: Sequence[int], threshold: int, what: str) -> None:
    """Raise NotEnoughTrustees unless `indices` holds at least `threshold` trustees."""
    if len(indices) < threshold:
        raise NotEnoughTrustees(
            f"{what}: {len(indices)} trustee(s) {list(indices)}, "
            f"but the threshold is {threshold}",
            field=None,
        )


def evaluate_polynomial(coefficients: Sequence[Scalar], x: int) -> Scalar:
    """`f(x) = Σ_j coefficients[j]·x^j mod L`: a dealer's share for trustee `x`."""
    total = 0
    for coefficient in reversed(coefficients):
        total = (total * x + coefficient.value) % L
    return Scalar.from_int(total)


def evaluate_commitments(commitments: Sequence[Point], x: int) -> Point:
    """`Σ_j x^j·C_j`: the public image `f(x)·G` of a committed polynomial at `x`."""
    total = commitments[0] if commitments else IDENTITY
    power = 1
    for point in commitments[1:]:
        power = power * x % L
        total = total + Scalar.from_int(power) * point
    return total


def aggregate_commitments(
    coefficient_commitments: Mapping[int, Sequence[Point]], qualified: Iterable[int]
) -> tuple[Point, ...]:
    """`Σ_{i∈Q} C_{i,j}` for each j: the commitments of the joint polynomial."""
    members = list(qualified)
    degree = len(coefficient_commitments[members[0]])
    totals = [IDENTITY] * degree
    for index in members:
        for j, point in enumerate(coefficient_commitments[index]):
            totals[j] = totals[j] + point
    return tuple(totals)


def joint_key(
    coefficient_commitments: Mapping[int, Sequence[Point]], qualified: Iterable[int]
) -> Point:
    """`Y = Σ_{i∈Q} C_{i,0}`, the election's public key.

    `coefficient_commitments[i]` are trustee i's `C_{i,0..k-1}`; `qualified`
    is the set Q of section 8.4.
    """
    total = IDENTITY
    for index in qualified:
        total = total + coefficient_commitments[index][0]
    return total


def verification_keys(
    coefficient_commitments: Mapping[int, Sequence[Point]],
    qualified: Iterable[int],
    indices: Iterable[int],
) -> dict[int, Point]:
    """`Y_l = Σ_{i∈Q} Σ_j l^j·C_{i,j}` for every trustee l in `indices`.

    The commitments are summed over Q first, so each key costs k scalar
    multiplications rather than |Q|·k.
    """
    joint = aggregate_commitments(coefficient_commitments, qualified)
    return {index: evaluate_commitments(joint, index) for index in indices}


def verification_key(
    coefficient_commitments: Mapping[int, Sequence[Point]], qualified: Iterable[int], index: int
) -> Point:
    """Trustee `index`'s verification key `Y_l = s_l·G` (section 8.4)."""
    return verification_keys(coefficient_commitments, qualified, [index])[index]


def finalise_share(received: Mapping[int, Scalar], qualified: Iterable[int]) -> Scalar:
    """`s_l = Σ_{i∈Q} f_i(l)`: trustee l's secret share of the election key.

    `received[i]` is the share `f_i(l)` from dealer i, including the trustee's
    own `f_l(l)`; every qualified dealer must be present.
    """
    total = 0
    for index in qualified:
        if index not in received:
            raise ProtocolError(
                f"no share from qualified trustee {index}", field=f"shares[{index}]"
            )
        total += received[index].value
    return Scalar.from_int(total % L)


def lagrange_at_zero(index: int, indices: Iterable[int]) -> Scalar:
    """`λ_l = Π_{m∈P, m≠l} m·(m - l)^{-1} mod L` for l = `index` in the set P = `indices`."""
    numerator = 1
    denominator = 1
    for other in indices:
        if other == index:
            continue
        numerator = numerator * other % L
        denominator = denominator * (other - index) % L
    return Scalar.from_int(numerator * pow(denominator, -1, L) % L)
