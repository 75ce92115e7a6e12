"""Errors about an election record, each naming the entry and field it is about."""

from __future__ import annotations

from omov.crypto.errors import ProtocolError


class RecordUnreadable(Exception):
    """The record file cannot be read as UTF-8 JSON Lines (the verifier exits 2).

    `line` is the 0-based line number where reading failed, if any.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{message}")
        self.reason = message


class RecordError(Exception):
    """Something in a readable record breaks the protocol.

    `entry` is the board index of the entry at fault, `field` the path inside
    its body (such as `answers[0].proofs[1]`), `tracker` the ballot's tracker
    when the entry is a ballot.
    """

    def __init__(
        self,
        message: str,
        entry: int | None = None,
        field: str | None = None,
        tracker: str | None = None,
    ) -> None:
        self.reason = message
        self.entry = entry
        self.field = field
        self.tracker = tracker
        super().__init__(self.describe())

    def __reduce__(
        self,
    ) -> tuple[type[RecordError], tuple[str, int | None, str | None, str | None]]:
        return (RecordError, (self.reason, self.entry, self.field, self.tracker))

    def describe(self) -> str:
        """The message with where it happened, in plain words."""
        parts = []
        if self.entry is not None:
            parts.append(f"entry {self.entry}")
        if self.tracker is not None:
            parts.append(f"ballot {self.tracker}")
        if self.field:
            parts.append(f"field {self.field}")
        where = ", ".join(parts)
        return f"{where}: {self.reason}" if where else self.reason


def from_protocol(
    error: ProtocolError, entry: int | None, prefix: str = "", tracker: str | None = None
) -> RecordError:
    """A `RecordError` at board entry `entry` for a protocol error raised on its body.

    `prefix` is prepended to the error's field path (for a body nested in the
    entry, such as `ballot` inside an audited ballot).
    """
    field = error.field
    if prefix:
        field = f"{prefix}.{field}" if field else prefix
    return RecordError(protocol_message(error), entry=entry, field=field, tracker=tracker)


def protocol_message(error: ProtocolError) -> str:
    """The plain message of a protocol error, without its field."""
    return error.reason
