"""Typed protocol errors, each naming the field it is about.

``field`` is a path into the JSON object being checked, such as
``answers[0].proofs[1].challenges[0]``, so that a message can tell a person
exactly which value is wrong.
"""

from __future__ import annotations


class ProtocolError(Exception):
    """Something read from input breaks docs/protocol.md.

    ``reason`` says what is wrong in plain words; ``field`` names the value
    (a JSON path) or is None when the whole input is at fault.
    """

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason, field)
        self.reason = reason
        self.field = field

    def __str__(self) -> str:
        if self.field:
            return f"{self.field}: {self.reason}"
        return self.reason

    def __reduce__(self) -> tuple[type[ProtocolError], tuple[str, str | None]]:
        return (type(self), (self.reason, self.field))

    def at(self, prefix: str) -> ProtocolError:
        """Return the same error with ``prefix`` put in front of its field."""
        field = prefix if not self.field else f"{prefix}.{self.field}"
        return type(self)(self.reason, field)


class InvalidEncoding(ProtocolError):
    """A value is not in its canonical encoding (hex, scalar, point, JSON)."""


class InvalidProof(ProtocolError):
    """A zero-knowledge proof or signature does not verify."""


class InvalidBallot(ProtocolError):
    """A ballot does not have the shape section 7 requires."""


class InvalidCredential(ProtocolError):
    """A credential code is mistyped, or a credential is not eligible."""


class InvalidShare(ProtocolError):
    """A trustee's key share does not match its published commitments."""
