"""What a ballot encrypts and proves for one question (section 5.1)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class QuestionRule:
    """A question with ``options`` options of which a voter picks between
    ``min`` and ``max`` (each option 0 or 1)."""

    options: int
    min: int
    max: int

    def __post_init__(self) -> None:
        if not (self.options >= 2 and 0 <= self.min <= self.max <= self.options
                and self.max >= 1):
            raise ValueError(
                f"impossible question rule: {self.options} options, "
                f"min {self.min}, max {self.max}"
            )

    @property
    def implicit_last(self) -> bool:
        """True when min = max, so the last option follows from the others."""
        return self.min == self.max

    @property
    def encrypted_count(self) -> int:
        """e, the number of options the ballot encrypts."""
        return self.options - 1 if self.implicit_last else self.options

    @property
    def sum_range(self) -> tuple[int, int]:
        """[lo, hi], the range the sum of the encrypted values must lie in."""
        if self.implicit_last:
            k = self.max
            return (max(k - 1, 0), min(k, self.options - 1))
        return (self.min, self.max)

    @property
    def needs_sum_proof(self) -> bool:
        """True iff [lo, hi] is not all of [0, e]."""
        return self.sum_range != (0, self.encrypted_count)

    def allows(self, selection: tuple[int, ...] | list[int]) -> bool:
        """Whether a full selection (one 0/1 per option) obeys the rule."""
        return (
            len(selection) == self.options
            and all(v in (0, 1) for v in selection)
            and self.min <= sum(selection) <= self.max
        )
