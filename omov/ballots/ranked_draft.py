"""A ranked question's count as an organiser writes it (protocol 5.2, 15.6.1).

Every problem is returned at once, each naming its form field, so the form
shows them all; what passes here the manifest's own rules accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omov.ballots.errors import BallotError

METHODS = {"stv": "Single transferable vote (Scottish rules)", "irv": "Instant runoff",
           "schulze": "Schulze (Condorcet)"}
TIES = {"earlier-rounds-then-lot": "By the earlier rounds, then by lot",
        "lot": "By lot"}
MAX_CELLS = 400
"""Candidates times preferences in one ranked question (5.2)."""
MAX_CELLS_IN_ALL = 1000


@dataclass(frozen=True)
class CountDraft:
    """The count fields of the question form; None or "" where left empty."""

    method: str = ""
    seats: int | None = None
    ties: str = ""
    balance: str = ""


def _balance_rules(text: str, names: list[str], seats: int | None
                   ) -> tuple[list[dict[str, Any]], list[BallotError]]:
    rules: list[dict[str, Any]] = []
    problems: list[BallotError] = []
    seen: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, colon, rest = line.partition(":")
        who, semicolon, least = rest.rpartition(";")
        words = least.strip().split()
        if not (colon and semicolon and label.strip() and len(words) == 3
                and words[:2] == ["at", "least"] and words[2].isdigit()):
            problems.append(BallotError(
                f"Balance line {number} should read “label: candidate, candidate; at least N”, "
                f"e.g. “Women: Ann, Cy; at least 1”: {line.strip()}", field="balance"))
            continue
        label, at_least = label.strip(), int(words[2])
        candidates = []
        for candidate in (part.strip() for part in who.split(",")):
            if candidate not in names:
                problems.append(BallotError(
                    f"Balance line {number}: “{candidate}” is not one of the candidates.",
                    field="balance"))
            elif names.index(candidate) in seen:
                problems.append(BallotError(
                    f"Balance line {number}: {candidate} is already in the group "
                    f"“{seen[names.index(candidate)]}”; the groups may not overlap.",
                    field="balance"))
            else:
                seen[names.index(candidate)] = label
                candidates.append(names.index(candidate))
        if len(label) > 100:
            problems.append(BallotError(f"Balance line {number}: a label is at most 100 "
                                        "characters.", field="balance"))
        if any(rule["label"] == label for rule in rules):
            problems.append(BallotError(f"Balance line {number}: the label “{label}” is used "
                                        "twice.", field="balance"))
        if candidates and not 1 <= at_least <= min(len(candidates), seats or len(candidates)):
            problems.append(BallotError(
                f"Balance line {number}: “at least” must be from 1 to "
                f"{min(len(candidates), seats or len(candidates))} (no more than the group's "
                "candidates or the seats).", field="balance"))
        rules.append({"label": label, "candidates": sorted(candidates), "at_least": at_least})
    if seats is not None and not problems and sum(r["at_least"] for r in rules) > seats:
        problems.append(BallotError(
            f"The balance rules ask for {sum(r['at_least'] for r in rules)} seats in all but "
            f"there are {seats}.", field="balance"))
    return rules, problems


def count_problems(names: list[str], draft: CountDraft
                   ) -> tuple[dict[str, Any] | None, list[BallotError]]:
    """The manifest's `count` member for a ranked question of candidates `names`, and
    every reason the draft is not allowed."""
    problems: list[BallotError] = []
    m = len(names)
    if draft.method not in METHODS:
        problems.append(BallotError("Choose how the rankings are counted: STV, instant runoff "
                                    "or Schulze.", field="method"))
    if draft.ties not in TIES:
        problems.append(BallotError("Choose how ties are broken.", field="ties"))
    seats = draft.seats
    if seats is None:
        problems.append(BallotError("Give the number of seats (1 for instant runoff).",
                                    field="seats"))
    elif draft.method == "irv" and seats != 1:
        problems.append(BallotError("Instant runoff fills exactly 1 seat.", field="seats"))
    elif m >= 2 and not 1 <= seats <= m - 1:
        problems.append(BallotError(f"The number of seats must be from 1 to {m - 1} (fewer "
                                    f"than the {m} candidates).", field="seats"))
    rules: list[dict[str, Any]] = []
    if draft.balance.strip():
        if draft.method != "stv":
            problems.append(BallotError("Balance rules apply to an STV count only: leave "
                                        "this empty.", field="balance"))
        else:
            rules, balance_problems = _balance_rules(draft.balance, names, seats)
            problems += balance_problems
    if problems:
        return None, problems
    count: dict[str, Any] = {"method": draft.method, "seats": seats, "ties": draft.ties}
    if draft.method == "stv":
        count["balance"] = rules
    return count, problems


def ranked_bounds_problems(m: int, minimum: int | None, maximum: int | None,
                           other_cells: int) -> list[BallotError]:
    """The preferences a voter may give: minimum 0 or 1, maximum 1..m, and the cell caps
    (`other_cells`: the ballot's other ranked questions' candidates times preferences)."""
    problems = []
    if minimum is None or minimum not in (0, 1):
        problems.append(BallotError("The minimum is 0 (a voter may leave the question blank) "
                                    "or 1 (a voter must rank at least one candidate).",
                                    field="minimum"))
    if maximum is None:
        problems.append(BallotError("Give the most preferences a voter may give (at most the "
                                    "number of candidates).", field="maximum"))
    elif m >= 2 and not 1 <= maximum <= m:
        problems.append(BallotError(f"The most preferences must be from 1 to {m} (the number "
                                    "of candidates).", field="maximum"))
    elif m * maximum > MAX_CELLS:
        problems.append(BallotError(
            f"{m} candidates times {maximum} preferences is {m * maximum}; a ranked question may "
            f"hold at most {MAX_CELLS}: allow fewer preferences.", field="maximum"))
    elif other_cells + m * maximum > MAX_CELLS_IN_ALL:
        problems.append(BallotError(
            f"The ballot's ranked questions would hold {other_cells + m * maximum} "
            f"candidate-preference cells; at most {MAX_CELLS_IN_ALL} in all: allow fewer "
            "preferences.", field="maximum"))
    return problems


def balance_text(names: list[str], count: dict[str, Any]) -> str:
    """A count's balance rules as the form writes them, to edit a draft question."""
    return "\n".join(
        f"{rule['label']}: {', '.join(names[c] for c in rule['candidates'])}; "
        f"at least {rule['at_least']}" for rule in count.get("balance", []))
