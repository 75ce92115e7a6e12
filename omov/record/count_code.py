"""The count code (9.4): a short code that trustees read aloud before decrypting.

Two trustees shown the same tally entry and the same number of counted
ballots see the same code; a record forked for one trustee gives another.
"""

from __future__ import annotations

import hashlib

from omov.crypto.base32 import encode_bits, grouped

COUNT_CODE_DOMAIN = b"omov/count-code/v1"


def count_code(tally_entry_hash: bytes, counted: int) -> str:
    """Ten Crockford symbols in two groups of five, from the tally entry and its count."""
    if len(tally_entry_hash) != 32 or not 0 <= counted < 2**64:
        raise ValueError("a count code needs a 32-byte entry hash and a 64-bit count")
    digest = hashlib.sha256(
        COUNT_CODE_DOMAIN + tally_entry_hash + counted.to_bytes(8, "big")
    ).digest()
    return grouped(encode_bits(digest, 10), 5)
