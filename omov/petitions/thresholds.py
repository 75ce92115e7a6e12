"""Threshold arithmetic: a share of the active members on a roll date, as a signature count."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


def target(share: Fraction, denominator: int, minimum: int = 1) -> int:
    """The signatures needed: `share` of `denominator` members, rounded up, at least `minimum`.

    Exact fractions, so 5% of 800 is 40, not 40.000000001 rounded up to 41.
    """
    if not 0 <= share <= 1:
        raise ValueError(f"a share must lie between 0 and 1, not {share}")
    needed = -(-share.numerator * denominator // share.denominator)
    return max(needed, minimum)


@dataclass(frozen=True)
class Progress:
    """How far a petition is toward one threshold."""

    name: str
    count: int
    target: int

    @property
    def reached(self) -> bool:
        """Reached exactly at the target, not one below."""
        return self.count >= self.target

    @property
    def missing(self) -> int:
        """Signatures still needed (0 once reached)."""
        return max(self.target - self.count, 0)
