"""Exponential ElGamal over ristretto255 (section 3)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from omov.crypto.errors import InvalidEncoding
from omov.crypto.group import Point, Scalar, base_mult, mult


@lru_cache(maxsize=256)
def small_multiple(value: int) -> Point:
    """v·G for a small integer v (11.2); the identity for v = 0. Cached, since
    ballots and proofs use the same few values over and over."""
    return base_mult(Scalar.from_int(value))


@dataclass(frozen=True, slots=True)
class Ciphertext:
    """An encryption (alpha, beta) = (r·G, r·Y + v·G) of a small integer v."""

    alpha: Point
    beta: Point

    def __add__(self, other: Ciphertext) -> Ciphertext:
        """Componentwise sum: encrypts v1 + v2 with randomness r1 + r2."""
        return Ciphertext(self.alpha + other.alpha, self.beta + other.beta)

    def to_json(self) -> dict[str, str]:
        return {"alpha": self.alpha.hex(), "beta": self.beta.hex()}

    @classmethod
    def from_json(cls, obj: Any, field: str | None = None) -> Ciphertext:
        """Read {"alpha", "beta"}; neither component may be the identity."""
        if not isinstance(obj, dict) or obj.keys() != {"alpha", "beta"}:
            raise InvalidEncoding('a ciphertext must be {"alpha": point, "beta": point}', field)
        try:
            return cls(Point.from_hex(obj["alpha"]), Point.from_hex(obj["beta"]))
        except InvalidEncoding:
            pass
        # Decode again with the field paths, only to name the one at fault.
        prefix = f"{field}." if field else ""
        return cls(
            Point.from_hex(obj["alpha"], f"{prefix}alpha"),
            Point.from_hex(obj["beta"], f"{prefix}beta"),
        )


def encrypt(public_key: Point, value: int, randomness: Scalar) -> Ciphertext:
    """Enc_Y(v; r) with Y = ``public_key`` (the election key), v = ``value`` and
    r = ``randomness``."""
    shared = mult(randomness, public_key)
    beta = shared if value == 0 else shared + small_multiple(value)
    return Ciphertext(base_mult(randomness), beta)


def decrypt_to_point(secret_key: Scalar, ciphertext: Ciphertext) -> Point:
    """beta - y·alpha = v·G, for a holder of the whole secret key y (tests, audits)."""
    return ciphertext.beta - mult(secret_key, ciphertext.alpha)

