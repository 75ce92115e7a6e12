"""The shuffle proof and the rows it is about, and their JSON (14.5).

Reading is strict: exactly the members section 14.5 names, lists of the
lengths it gives, canonical points (never the identity) and scalars; an
error names the member at fault, such as ``s_prime[17]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omov.crypto.elgamal import Ciphertext
from omov.crypto.errors import InvalidEncoding
from omov.crypto.group import Point, Scalar

_MEMBERS = ("commitments", "chain", "challenge", "s1", "s2", "s3", "s4", "s_hat", "s_prime")
_PER_ROW = ("commitments", "chain", "s_hat", "s_prime")


def _path(field: str | None, name: str) -> str:
    return f"{field}.{name}" if field else name


def _list(value: Any, field: str, what: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise InvalidEncoding(f"must be a non-empty list of {what}", field)
    return value


def _points(items: list[Any], field: str) -> tuple[Point, ...]:
    try:
        return tuple(map(Point.from_hex, items))
    except InvalidEncoding:
        pass
    # Decode again with the field paths, only to name the one at fault.
    return tuple(Point.from_hex(item, f"{field}[{n}]") for n, item in enumerate(items))


def _scalars(items: list[Any], field: str) -> tuple[Scalar, ...]:
    try:
        return tuple(map(Scalar.from_hex, items))
    except InvalidEncoding:
        pass
    return tuple(Scalar.from_hex(item, f"{field}[{n}]") for n, item in enumerate(items))


@dataclass(frozen=True, slots=True)
class ShuffleProof:
    """A Terelius-Wikström proof of a correct shuffle of N rows of width w
    (14.4): N permutation commitments c_i, N chain commitments ĉ_j, the
    challenge c, and the responses s1, s2, s3, s4 (w of them), ŝ_j and s'_j."""

    commitments: tuple[Point, ...]
    chain: tuple[Point, ...]
    challenge: Scalar
    s1: Scalar
    s2: Scalar
    s3: Scalar
    s4: tuple[Scalar, ...]
    s_hat: tuple[Scalar, ...]
    s_prime: tuple[Scalar, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "commitments": [p.hex() for p in self.commitments],
            "chain": [p.hex() for p in self.chain],
            "challenge": self.challenge.hex(),
            "s1": self.s1.hex(),
            "s2": self.s2.hex(),
            "s3": self.s3.hex(),
            "s4": [s.hex() for s in self.s4],
            "s_hat": [s.hex() for s in self.s_hat],
            "s_prime": [s.hex() for s in self.s_prime],
        }

    @classmethod
    def from_json(cls, obj: Any, field: str | None = None) -> ShuffleProof:
        """Read a proof; its lists must be non-empty and the four per-row lists
        equally long. Whether N and w match the rows is verify_shuffle's check."""
        if not isinstance(obj, dict):
            raise InvalidEncoding("a shuffle proof must be a JSON object", field)
        missing = [name for name in _MEMBERS if name not in obj]
        if missing:
            raise InvalidEncoding(f"missing member {missing[0]!r}", _path(field, missing[0]))
        extra = sorted(set(obj) - set(_MEMBERS))
        if extra:
            raise InvalidEncoding(f"unexpected member {extra[0]!r}", _path(field, extra[0]))
        rows = None
        for name in _PER_ROW:
            found = len(_list(obj[name], _path(field, name), "hex strings"))
            if rows is None:
                rows = found
            elif found != rows:
                raise InvalidEncoding(
                    f"holds {found} items but commitments holds {rows}: there is one "
                    "of each per row", _path(field, name))
        _list(obj["s4"], _path(field, "s4"), "scalars")
        return cls(
            commitments=_points(obj["commitments"], _path(field, "commitments")),
            chain=_points(obj["chain"], _path(field, "chain")),
            challenge=Scalar.from_hex(obj["challenge"], _path(field, "challenge")),
            s1=Scalar.from_hex(obj["s1"], _path(field, "s1")),
            s2=Scalar.from_hex(obj["s2"], _path(field, "s2")),
            s3=Scalar.from_hex(obj["s3"], _path(field, "s3")),
            s4=_scalars(obj["s4"], _path(field, "s4")),
            s_hat=_scalars(obj["s_hat"], _path(field, "s_hat")),
            s_prime=_scalars(obj["s_prime"], _path(field, "s_prime")),
        )


def rows_to_json(rows: list[list[Ciphertext]]) -> list[list[dict[str, str]]]:
    return [[ct.to_json() for ct in row] for row in rows]


def rows_from_json(obj: Any, field: str | None = None) -> list[list[Ciphertext]]:
    """Read a non-empty list of rows, each a non-empty list of ciphertexts
    (section 3), all of the same width."""
    name = field or "rows"
    rows = _list(obj, name, "rows")
    width = None
    out = []
    for j, row in enumerate(rows):
        path = f"{name}[{j}]"
        items = _list(row, path, "ciphertexts")
        if width is None:
            width = len(items)
        elif len(items) != width:
            raise InvalidEncoding(
                f"holds {len(items)} ciphertexts but the first row holds {width}: "
                "every row has the same width", path)
        out.append([Ciphertext.from_json(ct, f"{path}[{k}]") for k, ct in enumerate(items)])
    return out
