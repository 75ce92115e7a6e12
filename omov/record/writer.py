"""Appending entries to a record file, canonical line by line."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from omov.record.board import (
    GENESIS,
    Entry,
    entry_hash,
    entry_line,
    entry_tail,
    entry_time,
    make_entry,
)


def system_clock() -> str:
    """The entry time (10.1) of this moment, by the machine's clock."""
    return entry_time(datetime.now(UTC))


class RecordWriter:
    """Appends board entries to a record file, keeping the index, head and time.

    Use as a context manager, or call `close()`. Each `append` writes one
    canonical line and returns the entry with its hash. Each entry is stamped
    with `time`, or else with `clock()`; a stamp earlier than the last one
    (a clock stepped back) is raised to it, so times never go backwards (10.1).
    """

    def __init__(self, path: str | Path, clock: Callable[[], str] = system_clock) -> None:
        self._file: IO[bytes] = open(path, "wb", buffering=1 << 20)  # noqa: SIM115
        self.next_index = 0
        self.head = GENESIS
        self.clock = clock
        self.time = ""

    def _stamp(self, time: str | None) -> str:
        # Entry times have one fixed width, so they order as strings.
        self.time = max(self.time, time or self.clock())
        return self.time

    def append(self, kind: str, body: Any, time: str | None = None) -> Entry:
        """Append an entry of `kind` holding `body` (a JSON value)."""
        entry = make_entry(self.next_index, kind, self.head, body, self._stamp(time))
        self._write(entry.line, entry.hash)
        return entry

    def append_canonical(self, kind: str, canonical_body: bytes,
                         time: str | None = None) -> bytes:
        """Append an entry whose body is already canonical JSON; return its hash."""
        line = entry_line(self.next_index, kind, self.head, canonical_body, self._stamp(time))
        line_hash = entry_hash(line)
        self._write(line, line_hash)
        return line_hash

    def append_pieces(self, kind: str, canonical_body: Iterable[bytes],
                      time: str | None = None) -> bytes:
        """Append an entry whose canonical body comes in pieces (a roll of millions of
        credentials), written as they come; return its hash."""
        tail = entry_tail(self.next_index, kind, self.head, self._stamp(time))
        line_hash = hashlib.sha256(b'{"body":')
        self._file.write(b'{"body":')
        for piece in canonical_body:
            line_hash.update(piece)
            self._file.write(piece)
        line_hash.update(tail)
        self._file.write(tail)
        digest = line_hash.digest()
        self._end_line(digest)
        return digest

    def _write(self, line: bytes, line_hash: bytes) -> None:
        self._file.write(line)
        self._end_line(line_hash)

    def _end_line(self, line_hash: bytes) -> None:
        self._file.write(b"\n")
        self.next_index += 1
        self.head = line_hash

    def close(self) -> None:
        """Flush and close the file."""
        self._file.close()

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
