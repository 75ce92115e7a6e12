"""Helpers for the ranked-count tests: ballots typed as "n x A>B>C"."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from omov.record.ranked import RankedResult, count_ranked, decode_value


def ballots(options: Sequence[str], *lines: tuple[int, str]) -> list[list[int]]:
    """Rankings from (papers, "A>B>C") pairs, option labels separated by '>'."""
    rankings: list[list[int]] = []
    for papers, ranking in lines:
        order = [options.index(label) for label in ranking.split(">")] if ranking else []
        rankings.extend(list(order) for _ in range(papers))
    return rankings


def count(options: Sequence[str], rankings: list[list[int]], method: str = "stv",
          seats: int = 1, ties: str = "earlier-rounds-then-lot",
          balance: list[dict[str, Any]] | None = None,
          lot: Sequence[int] | None = None) -> RankedResult:
    """Count with the lot order 0, 1, 2, ... unless one is given."""
    rule: dict[str, Any] = {"method": method, "seats": seats, "ties": ties}
    if balance is not None:
        rule["balance"] = balance
    return count_ranked(rule, list(options), rankings,
                        list(lot) if lot is not None else list(range(len(options))))


def tallies(result: RankedResult, round_number: int) -> dict[str, Fraction]:
    """Each candidate's votes at the end of a round, by label."""
    record = result.rounds[round_number - 1]
    return {label: decode_value(v) for label, v in
            zip(result.options, record["tallies"], strict=True)}


def names(result: RankedResult, candidates: Sequence[int]) -> list[str]:
    return [result.options[c] for c in candidates]


def d(text: str) -> Fraction:
    """A decimal written as a string, exactly: d("0.14285") == Fraction(14285, 100000)."""
    return Fraction(text)
