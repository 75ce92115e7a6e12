"""How counts and candidates are written in plain words."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from omov.record.ranked.result import decode_value


def amount(value: Any) -> str:
    """A count value in figures: 12, 0.5, 41.33333 (exact: n/d if not a decimal)."""
    number = value if isinstance(value, Fraction) else decode_value(value)
    if number.denominator == 1:
        return f"{number.numerator:,}"
    scaled = number * 100_000
    if scaled.denominator != 1:
        return f"{number.numerator}/{number.denominator}"
    whole, rest = divmod(abs(scaled.numerator), 100_000)
    sign = "-" if number < 0 else ""
    return f"{sign}{whole:,}.{rest:05d}".rstrip("0")


def names(options: Sequence[str], candidates: Sequence[int]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    labels = [options[c] if 0 <= c < len(options) else f"candidate {c}" for c in candidates]
    if len(labels) <= 1:
        return "".join(labels) or "nobody"
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def name(options: Sequence[str], candidate: Any) -> str:
    """One candidate's label, or 'candidate N' for an index outside the options."""
    if type(candidate) is int and 0 <= candidate < len(options):
        return options[candidate]
    return f"candidate {candidate!r}"
