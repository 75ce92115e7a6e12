"""Progress toward a threshold (the targets come from the rules: `omov.petitions.rules`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """How far a petition is toward one threshold."""

    name: str
    count: int
    target: int

    @property
    def reached(self) -> bool:
        """Reached exactly at the target, not one below."""
        return self.count >= self.target

    @property
    def missing(self) -> int:
        """Signatures still needed (0 once reached)."""
        return max(self.target - self.count, 0)
