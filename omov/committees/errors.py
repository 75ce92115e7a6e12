from __future__ import annotations


class CommitteeError(ValueError):
    """A register action refused; the message says why, and nothing was recorded."""
