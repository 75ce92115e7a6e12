"""Crockford base32, most significant bit first, for credential codes (6.1)
and trackers (7.5)."""

from __future__ import annotations

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def encode_bits(data: bytes, symbols: int) -> str:
    """The first ``symbols`` 5-bit groups of ``data``, most significant bit first."""
    if symbols * 5 > len(data) * 8:
        raise ValueError("not enough bytes for that many symbols")
    bits = int.from_bytes(data, "big")
    shift = len(data) * 8
    out = []
    for _ in range(symbols):
        shift -= 5
        out.append(CROCKFORD[(bits >> shift) & 31])
    return "".join(out)


def grouped(text: str, size: int) -> str:
    """``text`` split into groups of ``size`` joined by hyphens."""
    return "-".join(text[i : i + size] for i in range(0, len(text), size))
