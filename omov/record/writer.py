"""Appending entries to a record file, canonical line by line."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import IO, Any

from omov.record.board import GENESIS, Entry, entry_hash, entry_line, make_entry


class RecordWriter:
    """Appends board entries to a record file, keeping the index and head.

    Use as a context manager, or call `close()`. Each `append` writes one
    canonical line and returns the entry with its hash.
    """

    def __init__(self, path: str | Path) -> None:
        self._file: IO[bytes] = open(path, "wb", buffering=1 << 20)  # noqa: SIM115
        self.next_index = 0
        self.head = GENESIS

    def append(self, kind: str, body: Any) -> Entry:
        """Append an entry of `kind` holding `body` (a JSON value)."""
        entry = make_entry(self.next_index, kind, self.head, body)
        self._write(entry.line, entry.hash)
        return entry

    def append_canonical(self, kind: str, canonical_body: bytes) -> bytes:
        """Append an entry whose body is already canonical JSON; return its hash."""
        line = entry_line(self.next_index, kind, self.head, canonical_body)
        line_hash = entry_hash(line)
        self._write(line, line_hash)
        return line_hash

    def _write(self, line: bytes, line_hash: bytes) -> None:
        self._file.write(line)
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
