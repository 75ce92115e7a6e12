"""Finding a tracker as a member types it: any case, with or without hyphens or spaces,
and with the letters people confuse with digits (O for 0, I or L for 1)."""

from __future__ import annotations

from omov.crypto.base32 import CROCKFORD, grouped

_TYPING = str.maketrans({"O": "0", "I": "1", "L": "1"})


def tracker_prefix(text: str) -> str:
    """The start of a tracker, written as the board writes it (``MAZ2-Y2MS-B6``): only
    Crockford symbols are kept, at most the 16 a tracker has."""
    symbols = "".join(c for c in text.upper().translate(_TYPING) if c in CROCKFORD)
    return grouped(symbols[:16], 4)
