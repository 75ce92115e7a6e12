"""What a ballot encrypts and proves for one question (section 5.1)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class QuestionRule:
    """A question with ``options`` options of which a voter picks between
    ``min`` and ``max`` (each option 0 or 1).

    A ``ranked`` question (5.2) is one in which the voter ranks between
    ``min`` (0 or 1) and ``max`` = R of the options: its ballot encrypts an
    m x R matrix of 0/1 cells, candidate j at rank i in cell j·R + i."""

    options: int
    min: int
    max: int
    ranked: bool = False

    def __post_init__(self) -> None:
        if not (self.options >= 2 and 0 <= self.min <= self.max <= self.options
                and self.max >= 1 and (not self.ranked or self.min <= 1)):
            raise ValueError(
                f"impossible question rule: {self.options} options, "
                f"min {self.min}, max {self.max}"
            )

    @property
    def implicit_last(self) -> bool:
        """True when min = max, so the last option follows from the others
        (never for a ranked question)."""
        return self.min == self.max and not self.ranked

    @property
    def encrypted_count(self) -> int:
        """e, the number of ciphertexts the ballot holds for this question:
        for a ranked question the m·R cells."""
        if self.ranked:
            return self.options * self.max
        return self.options - 1 if self.implicit_last else self.options

    @property
    def tally_width(self) -> int:
        """The ciphertexts of this question in the homomorphic tally (9.1):
        none for a ranked question, which is counted after the mix (14)."""
        return 0 if self.ranked else self.encrypted_count

    @property
    def sum_range(self) -> tuple[int, int]:
        """[lo, hi], the range the sum of the encrypted values must lie in."""
        if self.implicit_last:
            k = self.max
            return (max(k - 1, 0), min(k, self.options - 1))
        return (self.min, self.max)

    @property
    def needs_sum_proof(self) -> bool:
        """True iff [lo, hi] is not all of [0, e]; a ranked answer has no sum proof."""
        return not self.ranked and self.sum_range != (0, self.encrypted_count)

    @property
    def selection_length(self) -> int:
        """How many 0/1 values a full selection holds: m, or the m·R cells."""
        return self.encrypted_count if self.ranked else self.options

    def allows(self, selection: tuple[int, ...] | list[int]) -> bool:
        """Whether a full selection (one 0/1 per option, or per cell) obeys the rule."""
        if not (len(selection) == self.selection_length and all(v in (0, 1) for v in selection)):
            return False
        if self.ranked:
            return self._valid_ranking(selection)
        return self.min <= sum(selection) <= self.max

    def _valid_ranking(self, cells: tuple[int, ...] | list[int]) -> bool:
        """At most one rank per candidate and one candidate per rank, ranks
        1..k filled with no gap, and min <= k <= R."""
        ranks = self.max
        rows = [sum(cells[j * ranks:(j + 1) * ranks]) for j in range(self.options)]
        columns = [sum(cells[i::ranks]) for i in range(ranks)]
        filled = sum(columns)
        return (all(r <= 1 for r in rows) and all(c <= 1 for c in columns)
                and columns == [1] * filled + [0] * (ranks - filled) and filled >= self.min)
