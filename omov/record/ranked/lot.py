"""The lot order (15.2) and the tie-breaking rule every method shares (15.3).

The lot order is fixed by the manifest before the ballot opens, so nobody can
choose who wins a tie once the rankings are known.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

LOT_DOMAIN = b"omov/lot/v1"
"""The 11 ASCII bytes that begin every lot key, with no length prefix."""


def lot_key(manifest_digest: bytes, question_id: str, index: int) -> bytes:
    """SHA256("omov/lot/v1" || manifest_digest || question id (UTF-8) || u32(index))."""
    if len(manifest_digest) != 32:
        raise ValueError("the manifest digest is 32 bytes")
    if not 0 <= index < 2**32:
        raise ValueError("a candidate index is a 32-bit unsigned integer")
    return hashlib.sha256(
        LOT_DOMAIN + manifest_digest + question_id.encode("utf-8") + index.to_bytes(4, "big")
    ).digest()


def lot_order(manifest_digest: bytes, question_id: str,
              candidates: int | Sequence[object]) -> list[int]:
    """The question's candidates (0-based option indices) in lot order.

    `candidates` is the number of options or the options themselves. The
    candidate whose lot key is smallest (as bytes, unsigned) comes first; the
    first in the lot order wins a tie decided by lot (15.3).
    """
    count = candidates if isinstance(candidates, int) else len(candidates)
    return sorted(range(count), key=lambda index: lot_key(manifest_digest, question_id, index))


def break_tie(kind: str, tied: Sequence[int], history: Sequence[Sequence[int]],
              exclude: bool, ties: str, lot_position: Sequence[int]) -> tuple[int, dict[str, Any]]:
    """Choose one of `tied` (two or more candidates with equal values now).

    `history[r]` holds every candidate's value at the end of round r + 1;
    `exclude` is True when the choice is whom to exclude (the lowest then loses)
    and False when it is who goes first (the highest then wins). With ties
    "earlier-rounds-then-lot" the rounds are looked at from the most recent
    back: at each round where the remaining candidates' values are not all
    equal, only those with the lowest (exclude) or highest value stay; when
    one is left it is chosen. Otherwise, and always with ties "lot", the lot
    decides: the last in the lot order is excluded, the first goes first.
    Returns the choice and the tie's record (15.5).
    """
    remaining = sorted(tied)
    record: dict[str, Any] = {"kind": kind, "candidates": list(remaining)}
    if ties == "earlier-rounds-then-lot":
        for round_index in range(len(history) - 1, -1, -1):
            values = history[round_index]
            target = (min if exclude else max)(values[c] for c in remaining)
            narrowed = [c for c in remaining if values[c] == target]
            if len(narrowed) < len(remaining):
                remaining = narrowed
                if len(remaining) == 1:
                    record.update(chosen=remaining[0], by="round", round=round_index + 1)
                    return remaining[0], record
    pick = max if exclude else min
    chosen = pick(remaining, key=lot_position.__getitem__)
    record.update(chosen=chosen, by="lot", lot_among=remaining)
    return chosen, record
