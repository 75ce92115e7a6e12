"""The elections app's refusals: each says what is wrong, and the field it is about."""

from __future__ import annotations


class ElectionError(Exception):
    """An election step refused, with a message a member can act on."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotAllowed(ElectionError):
    """The person asking may not take this step."""
