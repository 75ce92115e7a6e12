"""The error a count raises on input it cannot count."""

from __future__ import annotations


class CountError(ValueError):
    """The count's input breaks a rule of section 15; `field` names where."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.reason = message
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)
