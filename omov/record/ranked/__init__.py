"""Counting ranked questions (protocol section 15): Scottish STV, IRV and Schulze.

Pure and deterministic: the count of a ranked question is a function of the
manifest's `count` object, the option labels, the decrypted rankings and the
published lot order, with exact arithmetic (integers and fractions, never
floats), so that `omov verify` repeats it and compares it with the published
one round by round.
"""

from __future__ import annotations

from omov.record.ranked.compare import compare_published_count
from omov.record.ranked.count import count_ranked
from omov.record.ranked.errors import CountError
from omov.record.ranked.lot import LOT_DOMAIN, lot_order
from omov.record.ranked.result import RankedResult, decode_value
from omov.record.ranked.summary import summary

__all__ = [
    "LOT_DOMAIN",
    "CountError",
    "RankedResult",
    "compare_published_count",
    "count_ranked",
    "decode_value",
    "lot_order",
    "summary",
]
