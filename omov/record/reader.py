"""Streaming reader of a record file: one line at a time, any file size."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from omov.record.board import MAX_LINE, MAX_ROLL_LINE
from omov.record.errors import RecordError, RecordUnreadable

_ROLL_TAIL = b',"kind":"credential_roll","previous":"'
_TAIL_BYTES = 200
"""Room for the marker, the 64 hex of `previous` and the `time` member after it."""
_READ_BUFFER = 1 << 20


def read_lines(
    path: str | Path, offsets: array[int] | None = None
) -> Iterator[tuple[int, bytes]]:
    """Yield `(index, line)` for each line of the record, without its newline.

    With `offsets`, the byte offset of each line is appended to it as the
    line is read, so that `read_line_at` can read it again without a scan.
    Raises `RecordUnreadable` if the file cannot be opened, is empty, is not
    UTF-8 or its last line has no newline (a truncated file), and
    `RecordError` for a line longer than section 10 allows.
    """
    handle = _open(path)
    with handle:
        index = -1
        offset = 0
        for index, raw in enumerate(iter(lambda: handle.readline(MAX_ROLL_LINE + 2), b"")):
            if offsets is not None:
                offsets.append(offset)
                offset += len(raw)
            yield index, _checked_line(index, raw)
        if index < 0:
            raise RecordUnreadable(f"{path} is empty: a record has at least a manifest line")


def read_lines_at(path: str | Path, offsets: Iterable[int]) -> Iterator[bytes]:
    """Yield the lines that start at `offsets`, without their newlines.

    For lines that `read_lines` has read and checked before.
    """
    with _open(path) as handle:
        for offset in offsets:
            handle.seek(offset)
            yield handle.readline(MAX_ROLL_LINE + 2).rstrip(b"\n")


def _open(path: str | Path) -> BinaryIO:
    try:
        return open(path, "rb", buffering=_READ_BUFFER)
    except OSError as error:
        raise RecordUnreadable(f"cannot open {path}: {error.strerror}") from None


def _checked_line(index: int, raw: bytes) -> bytes:
    if not raw.endswith(b"\n"):
        if len(raw) > MAX_ROLL_LINE:
            raise RecordError("the line is longer than 256 MiB", entry=index)
        raise RecordUnreadable(
            "the last line has no newline: the file is truncated", line=index
        )
    line = raw[:-1]
    if len(line) > MAX_LINE and _ROLL_TAIL not in line[-_TAIL_BYTES:]:
        raise RecordError("the line is longer than 8 MiB (section 10)", entry=index)
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RecordUnreadable(
            f"not UTF-8 (byte {error.start} of the line)", line=index
        ) from None
    return line
