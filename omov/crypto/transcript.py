"""Length-prefixed transcripts, Fiat-Shamir challenges and randomness (2.4, 2.5)."""

from __future__ import annotations

import hashlib
import os
from typing import Protocol

from omov.crypto.group import L, Point, Scalar

Item = Point | Scalar | int | str | bytes

_PREFIX = b"omov/v1/"


_LENGTH_32 = (32).to_bytes(4, "big")
_LENGTH_8 = (8).to_bytes(4, "big")


def transcript_bytes(tag: str, *items: Item) -> bytes:
    """T(tag, items...): every part as u32(length) || bytes, the tag first as
    "omov/v1/" || tag. Integers are u64 big-endian; strings UTF-8."""
    domain = _PREFIX + tag.encode("ascii")
    parts = [len(domain).to_bytes(4, "big"), domain]
    append = parts.append
    # Exact-type tests for the common items first: this runs for every proof.
    for item in items:
        if type(item) is Point:
            append(_LENGTH_32)
            append(item.encoded)
        elif type(item) is int:
            append(_LENGTH_8)
            append(item.to_bytes(8, "big"))
        else:
            raw = _item_bytes(item)
            append(len(raw).to_bytes(4, "big"))
            append(raw)
    return b"".join(parts)


def _item_bytes(item: Item) -> bytes:
    if isinstance(item, Point):
        return item.encoded
    if isinstance(item, Scalar):
        return item.value.to_bytes(32, "little")
    if isinstance(item, bytes):
        return item
    if isinstance(item, str):
        return item.encode("utf-8")
    if isinstance(item, int) and not isinstance(item, bool):
        return item.to_bytes(8, "big")
    raise TypeError(f"{type(item).__name__} cannot be a transcript item")


def challenge(tag: str, *items: Item) -> Scalar:
    """SHA-512 of the transcript read little-endian, reduced mod L."""
    digest = hashlib.sha512(transcript_bytes(tag, *items)).digest()
    return Scalar(int.from_bytes(digest, "little") % L)


class Rng(Protocol):
    """A source of uniformly random scalars."""

    def scalar(self) -> Scalar: ...


class SystemRng:
    """Scalars from the operating system's cryptographic generator (2.5)."""

    def scalar(self) -> Scalar:
        return Scalar(int.from_bytes(os.urandom(64), "little") % L)


class TestRng:
    """The deterministic generator for test vectors only: the i-th scalar is
    challenge("test-rng", seed, i)."""

    __test__ = False  # not a pytest test class

    def __init__(self, seed: bytes) -> None:
        self.seed = seed
        self.drawn = 0

    def scalar(self) -> Scalar:
        value = challenge("test-rng", self.seed, self.drawn)
        self.drawn += 1
        return value
