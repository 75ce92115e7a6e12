"""Instant-runoff voting for a single seat (15.7).

Each round every paper counts for its highest-ranked continuing candidate.
A candidate with more than half the votes of the continuing papers (those
not exhausted) is elected; otherwise the lowest is excluded, ties by earlier
rounds then lot (or lot alone), and their papers pass on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from omov.record.ranked.lot import break_tie
from omov.record.ranked.papers import Moved, Papers


def count_irv(ties: str, candidates: int, rankings: Counter[tuple[int, ...]],
              lot_position: Sequence[int]) -> tuple[list[dict[str, Any]], list[int]]:
    """The rounds and the elected candidate (a list of one)."""
    papers = Papers(candidates, rankings, 1)
    history: list[list[int]] = []
    rounds: list[dict[str, Any]] = []
    exhausted = 0
    record = _round(1, "first-preferences")
    moved = Moved(received=papers.votes.copy())
    while True:
        exhausted += moved.non_transferable_papers
        votes = papers.votes
        continuing = [c for c in range(candidates) if papers.continuing[c]]
        total = sum(votes[c] for c in continuing)
        record.update(received=moved.received, exhausted=moved.non_transferable_papers,
                      tallies=votes.copy(), exhausted_total=exhausted,
                      continuing_votes=total)
        rounds.append(record)
        top = max(votes[c] for c in continuing)
        leaders = [c for c in continuing if votes[c] == top]
        if 2 * top > total or len(continuing) == 1:
            record["elected"] = [leaders[0]]
            return rounds, [leaders[0]]
        history.append(votes.copy())
        record = _round(len(rounds) + 1, "exclusion")
        low = min(votes[c] for c in continuing)
        tied = [c for c in continuing if votes[c] == low]
        chosen = tied[0]
        if len(tied) > 1:
            chosen, tie = break_tie("exclusion", tied, history, True, ties, lot_position)
            record["ties"].append(tie)
        record["candidates"] = [chosen]
        record["excluded"] = [chosen]
        papers.continuing[chosen] = False
        moved = papers.move(papers.take(chosen), lambda v: v)


def _round(number: int, action: str) -> dict[str, Any]:
    return {"round": number, "action": action, "candidates": [], "elected": [],
            "excluded": [], "ties": []}
