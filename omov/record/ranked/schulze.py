"""Condorcet-Schulze (15.8): M. Schulze, "A new monotonic, clone-independent,
reversal symmetric, and Condorcet-consistent single-winner election method",
Social Choice and Welfare 36 (2011) 267-303.

The pairwise matrix d[i][j] counts the papers that rank i above j (a ranked
candidate is above every unranked one; two unranked candidates are equal).
Link strength is by winning votes: d[i][j] if d[i][j] > d[j][i], else 0; the
strongest paths p are found by the Floyd-Warshall widest-path recurrence.
A candidate i is a Schulze winner when p[i][j] >= p[j][i] for every other
continuing j. For more than one seat the winner is elected and the method
is repeated on the candidates left ("repeat excluding winners"); several
winners at once are a tie, which the lot order breaks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any


def pairwise(candidates: int, rankings: Counter[tuple[int, ...]]) -> list[list[int]]:
    """d[i][j]: the number of papers that rank i above j."""
    everyone = (1 << candidates) - 1
    above: Counter[tuple[int, int]] = Counter()
    for ranking, papers in rankings.items():
        below = everyone
        for candidate in ranking:
            below &= ~(1 << candidate)
            above[(candidate, below)] += papers
    d = [[0] * candidates for _ in range(candidates)]
    for (candidate, below), papers in above.items():
        row = d[candidate]
        for other in range(candidates):
            if below >> other & 1:
                row[other] += papers
    return d


def strongest_paths(d: Sequence[Sequence[int]], continuing: Sequence[int]) -> list[list[int]]:
    """p[i][j] among the continuing candidates (0 wherever i or j is not continuing)."""
    size = len(d)
    p = [[0] * size for _ in range(size)]
    for i in continuing:
        for j in continuing:
            if i != j and d[i][j] > d[j][i]:
                p[i][j] = d[i][j]
    for k in continuing:
        for i in continuing:
            if i == k:
                continue
            pik = p[i][k]
            if pik == 0:
                continue
            row_i, row_k = p[i], p[k]
            for j in continuing:
                if j != i and j != k:
                    via = pik if pik < row_k[j] else row_k[j]
                    if via > row_i[j]:
                        row_i[j] = via
    return p


def count_schulze(seats: int, candidates: int, rankings: Counter[tuple[int, ...]],
                  lot_position: Sequence[int]) -> tuple[list[list[int]], list[dict[str, Any]],
                                                        list[int]]:
    """The pairwise matrix, the rounds (one per seat) and the elected candidates."""
    d = pairwise(candidates, rankings)
    continuing = list(range(candidates))
    rounds: list[dict[str, Any]] = []
    elected: list[int] = []
    for number in range(1, seats + 1):
        p = strongest_paths(d, continuing)
        winners = [i for i in continuing
                   if all(p[i][j] >= p[j][i] for j in continuing if j != i)]
        ties: list[dict[str, Any]] = []
        chosen = winners[0]
        if len(winners) > 1:
            chosen = min(winners, key=lot_position.__getitem__)
            ties.append({"kind": "winner", "candidates": list(winners), "chosen": chosen,
                         "by": "lot", "lot_among": list(winners)})
        rounds.append({"round": number, "continuing": list(continuing), "strongest": p,
                       "winners": winners, "elected": [chosen], "ties": ties})
        elected.append(chosen)
        continuing.remove(chosen)
    return d, rounds, elected
