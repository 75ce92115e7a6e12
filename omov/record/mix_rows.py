"""Rows of ciphertexts held compactly: 64 bytes per ciphertext, in one buffer.

A mix of 100,000 ballots ranking 10 candidates is a million ciphertexts per
shuffle; as Python objects that is a quarter of a gigabyte, as encodings 64
MB. `PackedRows` is a read-only sequence of rows that builds the
`Ciphertext` objects of a row only when the row is read, so the shuffle's
verifier (which reads each row a few times) and the worker processes it forks
share one buffer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

from omov.crypto.elgamal import Ciphertext
from omov.crypto.errors import InvalidEncoding
from omov.crypto.group import Point, decodes

CIPHERTEXT_BYTES = 64


class PackedRows(Sequence[list[Ciphertext]]):
    """N rows of `width` ciphertexts, each stored as alpha ‖ beta (32 + 32 bytes)."""

    __slots__ = ("data", "length", "width")

    def __init__(self, data: bytes, width: int) -> None:
        """`data` holds valid encodings (from libsodium or checked by `parse_rows`)."""
        row_bytes = width * CIPHERTEXT_BYTES
        if width < 1 or len(data) % row_bytes:
            raise ValueError(f"{len(data)} bytes are not whole rows of {width} ciphertexts")
        self.data = data
        self.width = width
        self.length = len(data) // row_bytes

    @classmethod
    def of(cls, rows: Iterable[Sequence[Ciphertext]], width: int) -> PackedRows:
        """Pack rows of Ciphertext objects (every row `width` long)."""
        buffer = bytearray()
        for row in rows:
            if len(row) != width:
                raise ValueError(f"a row of {len(row)} ciphertexts among rows of {width}")
            for ct in row:
                buffer += ct.alpha.encoded
                buffer += ct.beta.encoded
        return cls(bytes(buffer), width)

    @classmethod
    def join(cls, parts: Sequence[PackedRows], width: int) -> PackedRows:
        """The rows of `parts`, one after another."""
        return cls(b"".join(part.data for part in parts), width)

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, j: int) -> list[Ciphertext]: ...

    @overload
    def __getitem__(self, j: slice) -> PackedRows: ...

    def __getitem__(self, j: int | slice) -> list[Ciphertext] | PackedRows:
        row_bytes = self.width * CIPHERTEXT_BYTES
        if isinstance(j, slice):
            start, stop, step = j.indices(self.length)
            if step != 1:
                raise ValueError("rows are sliced in one piece")
            return PackedRows(self.data[start * row_bytes:max(start, stop) * row_bytes],
                              self.width)
        if j < 0:
            j += self.length
        if not 0 <= j < self.length:
            raise IndexError("row index out of range")
        base = j * row_bytes
        data = self.data
        return [Ciphertext(Point(data[o:o + 32]), Point(data[o + 32:o + 64]))
                for o in range(base, base + row_bytes, CIPHERTEXT_BYTES)]

    def __iter__(self) -> Iterator[list[Ciphertext]]:
        for j in range(self.length):
            yield self[j]

    def cell(self, j: int, k: int) -> tuple[bytes, bytes]:
        """The encodings (alpha, beta) of row j, column k."""
        o = (j * self.width + k) * CIPHERTEXT_BYTES
        return self.data[o:o + 32], self.data[o + 32:o + 64]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedRows):
            return self.width == other.width and self.data == other.data
        if isinstance(other, Sequence):
            return len(other) == self.length and all(
                list(a) == b for a, b in zip(other, self, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def to_json(self) -> list[list[dict[str, str]]]:
        return [[ct.to_json() for ct in row] for row in self]


def parse_rows(obj: Any, field: str, width: int | None = None) -> PackedRows:
    """Read a non-empty JSON list of rows of ciphertexts (14.5), all `width` wide
    (the first row's width if None); an error names the item at fault."""
    if not isinstance(obj, list) or not obj:
        raise InvalidEncoding("must be a non-empty list of rows", field)
    if width is None:
        width = len(obj[0]) if isinstance(obj[0], list) else 0
    buffer = bytearray()
    for j, row in enumerate(obj):
        path = f"{field}[{j}]"
        if not isinstance(row, list) or not row:
            raise InvalidEncoding("must be a non-empty list of ciphertexts", path)
        if len(row) != width:
            raise InvalidEncoding(f"holds {len(row)} ciphertexts, not {width}: every row "
                                  "has the same width", path)
        for k, ct in enumerate(row):
            buffer += _ciphertext(ct, f"{path}[{k}]")
    return PackedRows(bytes(buffer), width)


def _ciphertext(obj: Any, field: str) -> bytes:
    """alpha ‖ beta of a JSON ciphertext, each a valid point other than the identity."""
    if type(obj) is dict and obj.keys() == {"alpha", "beta"}:
        alpha, beta = obj["alpha"], obj["beta"]
        if type(alpha) is str and type(beta) is str and len(alpha) == len(beta) == 64:
            try:
                raw = bytes.fromhex(alpha) + bytes.fromhex(beta)
            except ValueError:
                raw = b""
            if (len(raw) == 64 and raw.hex() == alpha + beta and decodes(raw[:32])
                    and decodes(raw[32:])):
                return raw
    ct = Ciphertext.from_json(obj, field)  # raises, naming the member at fault
    return ct.alpha.encoded + ct.beta.encoded


def parse_points(obj: Any, field: str, count: int) -> bytes:
    """`count` points (never the identity) of a JSON list, as 32 bytes each."""
    if not isinstance(obj, list) or len(obj) != count:
        raise InvalidEncoding(f"must be a list of {count} points, one per row", field)
    buffer = bytearray()
    for n, item in enumerate(obj):
        raw = b""
        if type(item) is str and len(item) == 64:
            try:
                raw = bytes.fromhex(item)
            except ValueError:
                raw = b""
        if len(raw) != 32 or raw.hex() != item or not decodes(raw):
            raw = Point.from_hex(item, f"{field}[{n}]").encoded
        buffer += raw
    return bytes(buffer)
