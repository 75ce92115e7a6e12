"""STV by the Scottish rules (15.6): The Scottish Local Government Elections
Order 2007 (SSI 2007/42), Schedule 1, rules 45 to 52.

Droop quota (rule 46); every surplus transferred, all of the elected
candidate's papers at a transfer value truncated to five decimal places
(weighted inclusive Gregory, rule 48); the highest surplus first (rule 49);
exclusion of the lowest, papers passed on at the value they came at (rules
50, 51); ties by the most recent preceding stage at which the candidates
differed, then by lot; the last vacancies filled when the continuing
candidates are as many as the seats left (rule 52). Values are integers in
units of 1/100000 of a vote, so every sum is exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from omov.record.ranked.balance import Balance
from omov.record.ranked.lot import break_tie
from omov.record.ranked.papers import Moved, Papers
from omov.record.ranked.result import encode_value

UNIT = 100_000
"""One vote, in the count's units: values are truncated to 1/UNIT (rule 48(3))."""


def value(units: int) -> list[int]:
    """A value in units of 1/100000 as a reduced [numerator, denominator]."""
    return encode_value(Fraction(units, UNIT))


class ScottishCount:
    """One STV count in progress."""

    def __init__(self, seats: int, ties: str, balance: Balance, candidates: int,
                 rankings: Counter[tuple[int, ...]], lot_position: Sequence[int]) -> None:
        self.seats = seats
        self.ties = ties
        self.balance = balance
        self.candidates = candidates
        self.lot_position = lot_position
        self.papers = Papers(candidates, rankings, UNIT)
        self.valid = sum(rankings.values())
        self.quota = self.valid // (seats + 1) + 1
        self.elected: list[int] = []
        self.pending: list[int] = []
        self.history: list[list[int]] = []
        self.rounds: list[dict[str, Any]] = []
        self.non_transferable = 0
        self.rounding = 0

    @property
    def continuing(self) -> list[int]:
        return [c for c in range(self.candidates) if self.papers.continuing[c]]

    def run(self) -> list[dict[str, Any]]:
        """Count to the end; return the rounds."""
        first = self.papers.votes.copy()
        self._close_round(self._round("first-preferences", []), Moved(received=first))
        while True:
            seats_left = self.seats - len(self.elected)
            if seats_left == 0:
                break
            continuing = self.continuing
            if len(continuing) <= seats_left:
                self._last_vacancies(continuing)
                break
            reserved = self.balance.reserved(continuing, seats_left)
            if reserved:
                self._balance_exclusion(reserved, seats_left)
            elif self.pending:
                self._surplus()
            else:
                self._exclusion()
        return self.rounds

    def _round(self, action: str, candidates: list[int]) -> dict[str, Any]:
        return {"round": len(self.rounds) + 1, "action": action, "candidates": candidates,
                "surplus": None, "transfer_values": [], "elected": [], "excluded": [],
                "ties": [], "balance": []}

    def _close_round(self, record: dict[str, Any], moved: Moved, rounding: int = 0) -> None:
        """Write the round's transfers and tallies, then deem elected (rule 47)."""
        self.non_transferable += moved.non_transferable_value
        self.rounding += rounding
        votes = self.papers.votes
        record.update(
            received=[value(v) for v in moved.received],
            transferred_papers=[moved.papers.get(c, 0) for c in range(self.candidates)],
            non_transferable={"papers": moved.non_transferable_papers,
                              "value": value(moved.non_transferable_value)},
            rounding=value(rounding),
            tallies=[value(v) for v in votes],
            non_transferable_total=value(self.non_transferable),
            rounding_total=value(self.rounding),
        )
        self.rounds.append(record)
        self._deem_elected(record)
        self.history.append(votes.copy())

    def _deem_elected(self, record: dict[str, Any]) -> None:
        votes = self.papers.votes
        quota = self.quota * UNIT
        reached = [c for c in self.continuing if votes[c] >= quota]
        for c in self._highest_first(reached, "election-order", record):
            seats_left = self.seats - len(self.elected)
            if seats_left == 0:
                break
            if not self.balance.may_elect(c, seats_left):
                record["balance"].append({"kind": "not-elected", "candidates": [c],
                                          "groups": self.balance.short_groups()})
                continue
            self._elect(c, record)
            if votes[c] > quota:
                self.pending.append(c)

    def _elect(self, candidate: int, record: dict[str, Any]) -> None:
        self.papers.continuing[candidate] = False
        self.elected.append(candidate)
        self.balance.elected(candidate)
        record["elected"].append(candidate)

    def _highest_first(self, candidates: list[int], kind: str,
                       record: dict[str, Any]) -> list[int]:
        """The candidates by votes, highest first; equal votes by the tie rule."""
        votes = self.papers.votes
        remaining = list(candidates)
        order: list[int] = []
        while remaining:
            top = max(votes[c] for c in remaining)
            tied = [c for c in remaining if votes[c] == top]
            chosen = tied[0]
            if len(tied) > 1:
                chosen, tie = break_tie(kind, tied, self.history, False, self.ties,
                                        self.lot_position)
                record["ties"].append(tie)
            order.append(chosen)
            remaining.remove(chosen)
        return order

    def _last_vacancies(self, continuing: list[int]) -> None:
        """Rule 52: as many continuing candidates as seats left: all are elected."""
        record = self._round("last-vacancies", list(continuing))
        record.update(received=[value(0)] * self.candidates,
                      transferred_papers=[0] * self.candidates,
                      non_transferable={"papers": 0, "value": value(0)}, rounding=value(0),
                      tallies=[value(v) for v in self.papers.votes],
                      non_transferable_total=value(self.non_transferable),
                      rounding_total=value(self.rounding))
        self.rounds.append(record)
        for c in self._highest_first(continuing, "election-order", record):
            self._elect(c, record)
        self.history.append(self.papers.votes.copy())

    def _surplus(self) -> None:
        """Rules 48 and 49: transfer the highest surplus."""
        votes = self.papers.votes
        quota = self.quota * UNIT
        top = max(votes[c] for c in self.pending)
        tied = [c for c in self.pending if votes[c] == top]
        record = self._round("surplus", [])
        chosen = tied[0]
        if len(tied) > 1:
            chosen, tie = break_tie("surplus-order", tied, self.history, False, self.ties,
                                    self.lot_position)
            record["ties"].append(tie)
        self.pending.remove(chosen)
        record["candidates"] = [chosen]
        total = votes[chosen]
        surplus = total - quota
        record["surplus"] = value(surplus)
        parcels = self.papers.take(chosen)
        groups: dict[int, int] = {}
        for parcel in parcels:
            groups[parcel[2]] = groups.get(parcel[2], 0) + parcel[3]
        record["transfer_values"] = [
            {"received": value(v), "papers": n, "transfer_value": value(surplus * v // total)}
            for v, n in sorted(groups.items(), reverse=True)]
        moved = self.papers.move(parcels, lambda v: surplus * v // total)
        self.papers.votes[chosen] = quota
        passed = sum(moved.received) + moved.non_transferable_value
        self._close_round(record, moved, rounding=surplus - passed)

    def _exclusion(self) -> None:
        """Rules 50 and 51: exclude the lowest (skipping protected candidates)."""
        votes = self.papers.votes
        record = self._round("exclusion", [])
        continuing = self.continuing
        open_to_exclusion = [c for c in continuing if not self.balance.protected(c)]
        low = min(votes[c] for c in open_to_exclusion)
        tied = [c for c in open_to_exclusion if votes[c] == low]
        chosen = tied[0]
        if len(tied) > 1:
            chosen, tie = break_tie("exclusion", tied, self.history, True, self.ties,
                                    self.lot_position)
            record["ties"].append(tie)
        skipped = [c for c in continuing if self.balance.protected(c) and votes[c] <= low]
        if skipped:
            record["balance"].append({
                "kind": "protected", "candidates": skipped,
                "groups": sorted({self.balance.group_of[c] for c in skipped})})
        self._exclude([chosen], record)

    def _balance_exclusion(self, reserved: list[int], seats_left: int) -> None:
        """15.6.1: every seat left is owed to a group: exclude everyone outside them."""
        record = self._round("balance-exclusion", list(reserved))
        record["balance"].append({"kind": "seats-reserved", "candidates": list(reserved),
                                  "groups": self.balance.short_groups(),
                                  "seats_left": seats_left})
        self._exclude(reserved, record)

    def _exclude(self, excluded: list[int], record: dict[str, Any]) -> None:
        record["candidates"] = list(excluded)
        record["excluded"] = list(excluded)
        for c in excluded:
            self.papers.continuing[c] = False
            self.balance.excluded(c)
        parcels = [parcel for c in excluded for parcel in self.papers.take(c)]
        moved = self.papers.move(parcels, lambda v: v)
        self._close_round(record, moved)
