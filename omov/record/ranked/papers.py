"""Ballot papers held by candidates and moved between them (STV and IRV).

Identical rankings that sit with the same candidate at the same value are one
parcel: (ranking, position of the preference in use, value, number of papers).
Values are integers in the count's unit (1 for IRV; 1/100000 of a vote for
STV), so every sum is exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Parcel = tuple[tuple[int, ...], int, int, int]
"""(ranking, index of the preference it is counted for, value of each paper, papers)."""


@dataclass
class Moved:
    """What one transfer did: value credited to each candidate, and what stopped."""

    received: list[int]
    non_transferable_papers: int = 0
    non_transferable_value: int = 0
    papers: dict[int, int] = field(default_factory=dict)
    """Papers transferred to each candidate."""


class Papers:
    """Who holds which papers, each candidate's votes, and who is continuing."""

    def __init__(self, candidates: int, rankings: Counter[tuple[int, ...]], unit: int) -> None:
        self.piles: list[list[Parcel]] = [[] for _ in range(candidates)]
        self.votes = [0] * candidates
        self.continuing = [True] * candidates
        for ranking, papers in sorted(rankings.items()):
            first = ranking[0]
            self.piles[first].append((ranking, 0, unit, papers))
            self.votes[first] += unit * papers

    def first_papers(self) -> list[int]:
        """The number of papers each candidate holds (first preferences before any move)."""
        return [sum(parcel[3] for parcel in pile) for pile in self.piles]

    def take(self, candidate: int) -> list[Parcel]:
        """Remove and return a candidate's papers (their votes become 0)."""
        pile, self.piles[candidate] = self.piles[candidate], []
        self.votes[candidate] = 0
        return pile

    def move(self, parcels: Iterable[Parcel], value_of: Callable[[int], int]) -> Moved:
        """Pass each parcel to its next available preference (a continuing
        candidate), each paper at `value_of(its value)`; papers with none are
        non-transferable."""
        continuing = self.continuing
        piles = self.piles
        votes = self.votes
        moved = Moved(received=[0] * len(votes))
        received = moved.received
        for ranking, position, value, papers in parcels:
            new_value = value_of(value)
            for next_position in range(position + 1, len(ranking)):
                candidate = ranking[next_position]
                if continuing[candidate]:
                    piles[candidate].append((ranking, next_position, new_value, papers))
                    votes[candidate] += new_value * papers
                    received[candidate] += new_value * papers
                    moved.papers[candidate] = moved.papers.get(candidate, 0) + papers
                    break
            else:
                moved.non_transferable_papers += papers
                moved.non_transferable_value += new_value * papers
        return moved
