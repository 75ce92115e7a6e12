"""Bounded discrete logarithm by baby-step giant-step (sections 9.3, 11.3)."""

from __future__ import annotations

from math import isqrt

from omov.crypto.errors import ProtocolError
from omov.crypto.group import IDENTITY, G, Point, Scalar, base_mult


def discrete_log(point: Point, bound: int) -> int:
    """The t in [0, ``bound``] with ``point`` = t·G.

    ``bound`` is N, the number of counted ballots. Raises ProtocolError when
    no such t exists (the totals were not decrypted correctly).
    """
    steps = isqrt(bound)
    if steps * steps < bound + 1:
        steps += 1  # s = ceil(sqrt(N + 1))
    table: dict[bytes, int] = {}
    baby = IDENTITY
    for j in range(steps):
        table[baby.encoded] = j
        baby = baby + G
    giant = base_mult(Scalar.from_int(steps))
    current = point
    for i in range(steps + 1):
        found = table.get(current.encoded)
        if found is not None:
            total = i * steps + found
            if total <= bound:
                return total
            break
        current = current - giant
    raise ProtocolError(f"no total in [0, {bound}] decrypts this value")
