"""The result of a ranked count (15.5) and how its values are written."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any


def encode_value(value: Fraction) -> list[int]:
    """A value as the reduced pair [numerator, denominator], denominator > 0."""
    return [value.numerator, value.denominator]


def decode_value(value: Any) -> Fraction:
    """The Fraction a published value stands for: an integer or [numerator, denominator]."""
    if type(value) is int:
        return Fraction(value)
    if (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)
            and value[1] > 0):
        return Fraction(value[0], value[1])
    raise ValueError(f"{value!r} is not a count value (an integer or [numerator, denominator])")


@dataclass(frozen=True)
class RankedResult:
    """A ranked question's count: the option labels and the published body.

    `body` is the canonical-JSON object of 15.5 (integers, strings, lists and
    objects only); `options` are the labels, which the body does not repeat.
    """

    options: tuple[str, ...]
    body: dict[str, Any]

    @property
    def method(self) -> str:
        """stv, irv or schulze."""
        return str(self.body["method"])

    @property
    def elected(self) -> list[int]:
        """The elected candidates (option indices) in the order they were elected."""
        return list(self.body["elected"])

    @property
    def elected_names(self) -> list[str]:
        """The elected candidates' labels in the order they were elected."""
        return [self.options[c] for c in self.elected]

    @property
    def rounds(self) -> list[dict[str, Any]]:
        """The rounds (STV stages, IRV rounds, Schulze winner selections) in order."""
        return list(self.body["rounds"])

    def to_json(self) -> dict[str, Any]:
        """The body to publish (pass it to omov.crypto.canonical.canonical_json)."""
        return self.body
