"""Streaming reader of a record file: one line at a time, any file size.

Every line is read whole, except one that begins as a canonical
`credential_roll` entry does (`ROLL_PREFIX`): that line may be up to 256 MiB,
so it comes as a `RollLine` whose bytes are read in pieces (`roll_stream`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from omov.record.board import MAX_LINE, MAX_ROLL_LINE
from omov.record.errors import RecordError, RecordUnreadable

ROLL_PREFIX = b'{"body":{"credentials":['
"""How a canonical `credential_roll` line begins (its body's first member is `credentials`)."""
_ROLL_TAIL = b',"kind":"credential_roll","previous":"'
_TAIL_BYTES = 200
"""Room for the marker, the 64 hex of `previous` and the `time` member after it."""
_READ_BUFFER = 1 << 20
PIECE = 1 << 20
"""The most bytes of a roll line read at once."""


class RollLine:
    """A line that begins as a canonical credential roll entry does, read in pieces.

    `pieces()` yields its bytes (without the newline) once, in order; `whole()`
    reads the line again at once, checked as any other line, for the slow
    path that says what is wrong with a line that is not a canonical roll.
    """

    def __init__(self, handle: BinaryIO, index: int, offset: int, first: bytes) -> None:
        self.handle = handle
        self.index = index
        self.offset = offset
        self.length = 0
        """Bytes read so far, with the newline once it is read."""
        self.ended = False
        self._first: bytes | None = first

    def pieces(self) -> Iterator[bytes]:
        """The line's bytes in pieces, without its newline.

        Raises `RecordUnreadable` if the file ends before the newline and
        `RecordError` past 256 MiB, as `read_lines` does for a whole line.
        """
        if self.ended:
            return
        piece = self._first if self._first is not None else self.handle.readline(PIECE)
        self._first = None
        while not self.ended:
            self.length += len(piece)
            if piece.endswith(b"\n"):
                self.ended = True
                piece = piece[:-1]
            elif not piece:
                raise RecordUnreadable(
                    "the last line has no newline: the file is truncated", line=self.index)
            if self.length > MAX_ROLL_LINE + 1:
                raise RecordError("the line is longer than 256 MiB", entry=self.index)
            yield piece
            if not self.ended:
                piece = self.handle.readline(PIECE)

    def finish(self) -> None:
        """Read past the rest of the line, if its reader stopped early."""
        for _ in self.pieces():
            pass

    def whole(self) -> bytes:
        """The line read again at once and checked as `read_lines` checks any line."""
        position = self.handle.tell()
        self.handle.seek(self.offset)
        raw = self.handle.readline(MAX_ROLL_LINE + 2)
        self.handle.seek(position)
        return _checked_line(self.index, raw)


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
    for index, line in read_board(path, offsets):
        yield index, line if isinstance(line, bytes) else line.whole()


def read_board(
    path: str | Path, offsets: array[int] | None = None
) -> Iterator[tuple[int, bytes | RollLine]]:
    """`read_lines`, but a line that begins as a canonical roll line comes as a `RollLine`.

    The consumer reads a `RollLine`'s pieces (or not) before asking for the
    next line; whatever it leaves is read past.
    """
    handle = _open(path)
    with handle:
        index = -1
        offset = 0
        for index, first in enumerate(iter(lambda: handle.readline(PIECE), b"")):
            if offsets is not None:
                offsets.append(offset)
            if first.startswith(ROLL_PREFIX):
                roll = RollLine(handle, index, offset, first)
                yield index, roll
                roll.finish()
                offset += roll.length
                continue
            raw = first
            if not raw.endswith(b"\n"):
                raw += handle.readline(MAX_ROLL_LINE + 2 - len(raw))
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
