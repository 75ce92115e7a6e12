"""The ristretto255 group (RFC 9496) over libsodium, through rbcl.

``Scalar`` is an integer mod L and ``Point`` a group element; they are
different types so that a scalar can never be passed where a point belongs.
Points hold their canonical 32-byte encoding; a Point is only ever built from
bytes that libsodium produced or that passed RFC 9496 decoding, so no
operation re-validates it.

For benchmarks, ``count_operations()`` counts the libsodium operations
performed inside a ``with`` block. When it is not in use the operations are
the plain rbcl functions, so counting costs nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import overload

import rbcl

from omov.crypto.errors import InvalidEncoding

L = 2**252 + 27742317777372353535851937790883648493

_HEX64 = re.compile(r"[0-9a-f]{64}")
_IDENTITY_BYTES = bytes(32)

# The libsodium operations used by Point. count_operations() swaps these
# module globals for counting wrappers and back again.
_mult: Callable[[bytes, bytes], bytes] = rbcl.crypto_scalarmult_ristretto255
_base: Callable[[bytes], bytes] = rbcl.crypto_scalarmult_ristretto255_base
_add: Callable[[bytes, bytes], bytes] = rbcl.crypto_core_ristretto255_add
_sub: Callable[[bytes, bytes], bytes] = rbcl.crypto_core_ristretto255_sub
_valid: Callable[[bytes], bool] = rbcl.crypto_core_ristretto255_is_valid_point


def _hex_bytes(text: object, field: str | None, what: str) -> bytes:
    if not isinstance(text, str) or not _HEX64.fullmatch(text):
        raise InvalidEncoding(f"{what} must be 64 lowercase hexadecimal characters", field)
    return bytes.fromhex(text)


class Scalar:
    """An integer modulo L, the order of the group."""

    __slots__ = ("value",)

    def __init__(self, value: int) -> None:
        """``value`` must already lie in [0, L); use from_int to reduce."""
        self.value = value

    @classmethod
    def from_int(cls, n: int) -> Scalar:
        """The scalar n mod L."""
        return cls(n % L)

    @classmethod
    def from_bytes(cls, data: bytes, field: str | None = None) -> Scalar:
        """Decode 32 little-endian bytes, rejecting values ≥ L (section 2.1)."""
        if not isinstance(data, bytes) or len(data) != 32:
            raise InvalidEncoding("a scalar must be 32 bytes", field)
        value = int.from_bytes(data, "little")
        if value >= L:
            raise InvalidEncoding("scalar is not canonical (not below the group order)", field)
        return cls(value)

    @classmethod
    def from_hex(cls, text: object, field: str | None = None) -> Scalar:
        """Decode a scalar from its 64-character JSON form."""
        if type(text) is str and _HEX64.fullmatch(text):
            value = int.from_bytes(bytes.fromhex(text), "little")
            if value < L:
                return cls(value)
        return cls.from_bytes(_hex_bytes(text, field, "a scalar"), field)

    def to_bytes(self) -> bytes:
        return self.value.to_bytes(32, "little")

    def hex(self) -> str:
        return self.value.to_bytes(32, "little").hex()

    def is_zero(self) -> bool:
        return self.value == 0

    def inverse(self) -> Scalar:
        """The multiplicative inverse; raises ZeroDivisionError for zero."""
        if self.value == 0:
            raise ZeroDivisionError("zero has no inverse mod L")
        return Scalar(pow(self.value, -1, L))

    def __add__(self, other: Scalar) -> Scalar:
        return Scalar((self.value + other.value) % L)

    def __sub__(self, other: Scalar) -> Scalar:
        return Scalar((self.value - other.value) % L)

    def __neg__(self) -> Scalar:
        return Scalar(-self.value % L)

    @overload
    def __mul__(self, other: Scalar) -> Scalar: ...

    @overload
    def __mul__(self, other: Point) -> Point: ...

    def __mul__(self, other: Scalar | Point) -> Scalar | Point:
        if isinstance(other, Point):
            return mult(self, other)
        return Scalar(self.value * other.value % L)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scalar) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("Scalar", self.value))

    def __repr__(self) -> str:
        return f"Scalar({self.hex()})"


class Point:
    """An element of ristretto255, held as its canonical encoding."""

    __slots__ = ("encoded",)

    def __init__(self, encoded: bytes) -> None:
        """``encoded`` must be a valid encoding; use from_bytes for input."""
        self.encoded = encoded

    @classmethod
    def from_bytes(
        cls, data: bytes, field: str | None = None, allow_identity: bool = False
    ) -> Point:
        """Decode 32 bytes by RFC 9496 4.3.1; the identity only if allowed."""
        if not isinstance(data, bytes) or len(data) != 32:
            raise InvalidEncoding("a point must be 32 bytes", field)
        if data == _IDENTITY_BYTES:
            if allow_identity:
                return cls(data)
            raise InvalidEncoding("the identity point is not allowed here", field)
        if not _valid(data):
            raise InvalidEncoding("not a canonical ristretto255 point encoding", field)
        return cls(data)

    @classmethod
    def from_hex(
        cls, text: object, field: str | None = None, allow_identity: bool = False
    ) -> Point:
        """Decode a point from its 64-character JSON form."""
        if type(text) is str and _HEX64.fullmatch(text):
            data = bytes.fromhex(text)
            if data != _IDENTITY_BYTES and _valid(data):
                return cls(data)
        return cls.from_bytes(_hex_bytes(text, field, "a point"), field, allow_identity)

    def to_bytes(self) -> bytes:
        return self.encoded

    def hex(self) -> str:
        return self.encoded.hex()

    def is_identity(self) -> bool:
        return self.encoded == _IDENTITY_BYTES

    def __add__(self, other: Point) -> Point:
        return Point(_add(self.encoded, other.encoded))

    def __sub__(self, other: Point) -> Point:
        return Point(_sub(self.encoded, other.encoded))

    def __neg__(self) -> Point:
        return Point(_sub(_IDENTITY_BYTES, self.encoded))

    def __mul__(self, scalar: Scalar) -> Point:
        return mult(scalar, self)

    def __rmul__(self, scalar: Scalar) -> Point:
        return mult(scalar, self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and other.encoded == self.encoded

    def __hash__(self) -> int:
        return hash(self.encoded)

    def __repr__(self) -> str:
        return f"Point({self.hex()})"


def mult(scalar: Scalar, point: Point) -> Point:
    """scalar·point; the identity when the product is the identity."""
    try:
        return Point(_mult(scalar.value.to_bytes(32, "little"), point.encoded))
    except RuntimeError:
        # libsodium refuses to return the identity (zero scalar, identity point).
        return IDENTITY


def base_mult(scalar: Scalar) -> Point:
    """scalar·G through libsodium's fixed-base tables (about four times faster)."""
    try:
        return Point(_base(scalar.value.to_bytes(32, "little")))
    except RuntimeError:
        return IDENTITY


def decodes(encoding: bytes) -> bool:
    """Whether 32 bytes are the encoding of a point other than the identity: what
    ``Point.from_bytes`` accepts, without building the point (for long lists)."""
    return encoding != _IDENTITY_BYTES and _valid(encoding)


G = Point(bytes.fromhex("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"))
IDENTITY = Point(_IDENTITY_BYTES)

_OPERATIONS = ("_mult", "_base", "_add", "_sub", "_valid")
_NAMES = {"_mult": "mult", "_base": "base", "_add": "add", "_sub": "sub", "_valid": "valid"}


def _counting(
    name: str, counts: Counter[str], operation: Callable[..., object]
) -> Callable[..., object]:
    def counted(*args: bytes) -> object:
        counts[name] += 1
        return operation(*args)

    return counted


@contextmanager
def count_operations() -> Iterator[Counter[str]]:
    """Count libsodium calls made inside the block, by kind.

    Yields a Counter with keys ``mult`` (variable-base scalar multiplication),
    ``base`` (fixed-base), ``add``, ``sub`` and ``valid`` (point decoding).
    Only for benchmarks in one thread: it swaps this module's globals.
    """
    counts: Counter[str] = Counter()
    saved = {name: globals()[name] for name in _OPERATIONS}
    for name, operation in saved.items():
        globals()[name] = _counting(_NAMES[name], counts, operation)
    try:
        yield counts
    finally:
        globals().update(saved)
