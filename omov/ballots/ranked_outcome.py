"""A ranked question's published count, for the result page: round by round, in words
and as a table, from the `result` entry's `counts` (never from the database)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from omov.record.ranked import RankedResult, decode_value, summary
from omov.record.ranked.words import amount, names

ACTIONS = {"first-preferences": "First preferences", "surplus": "Surplus transferred",
           "exclusion": "Exclusion", "balance-exclusion": "Excluded by the balance rule",
           "last-vacancies": "Last vacancies filled"}


@dataclass(frozen=True)
class RoundRow:
    number: int
    what: str
    tallies: list[str]
    elected: str
    excluded: str


@dataclass(frozen=True)
class RankedOutcome:
    method: str
    lines: list[str]
    """The count in plain sentences: the rule and quota, each round, the elected."""
    candidates: list[str]
    rounds: list[RoundRow]
    final: list[tuple[str, Fraction]]
    """What the chart shows per candidate (see `chart_title`)."""
    chart_title: str
    elected: str
    decrypted_by: list[int]


def _round(options: tuple[str, ...], record: dict[str, Any]) -> RoundRow:
    if "tallies" in record:
        tallies = [amount(v) for v in record["tallies"]]
        what = ACTIONS.get(record["action"], record["action"])
        if record["candidates"] and record["action"] != "first-preferences":
            what += f": {names(options, record['candidates'])}"
    else:  # Schulze: the winners among the continuing candidates
        tallies = ["continuing" if c in record["continuing"] else "elected before"
                   for c in range(len(options))]
        what = f"Schulze winner(s): {names(options, record['winners'])}"
    return RoundRow(record["round"], what, tallies, names(options, record["elected"])
                    if record["elected"] else "", names(options, record.get("excluded", []))
                    if record.get("excluded") else "")


def ranked_outcome(options: list[str], entry: dict[str, Any]) -> RankedOutcome:
    """`entry` is one member of the result's `counts`: question, decrypted_by, count."""
    result = RankedResult(tuple(options), entry["count"])
    body = result.body
    rounds = [_round(result.options, record) for record in body["rounds"]]
    if body["method"] == "schulze":
        final = [(option, Fraction(sum(row)))
                 for option, row in zip(options, body["pairwise"], strict=True)]
    elif body["rounds"]:
        final = [(option, decode_value(v))
                 for option, v in zip(options, body["rounds"][-1]["tallies"], strict=True)]
    else:
        final = [(option, Fraction(0)) for option in options]
    title = ("papers ranking each candidate above another, summed over every opponent"
             if body["method"] == "schulze" else "votes at the end of the count")
    return RankedOutcome(body["method"], summary(result), list(options), rounds, final, title,
                         names(result.options, result.elected), list(entry["decrypted_by"]))
