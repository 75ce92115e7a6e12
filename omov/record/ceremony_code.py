"""The ceremony code (8.5): a short code that trustees read aloud before dealing shares.

A trustee deals its shares to the commitments it is shown. A server that
shows one trustee a forked set (a commitment of its own in place of another
trustee's) would receive that trustee's shares; two trustees shown the same
commitments see the same code, and a forked set gives another.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from omov.crypto.base32 import encode_bits, grouped
from omov.crypto.dkg_messages import TrusteeCommitment

CEREMONY_CODE_DOMAIN = b"omov/ceremony-code/v1"


def ceremony_input(manifest_digest: bytes, commitments: Mapping[int, TrusteeCommitment]) -> bytes:
    """The bytes hashed for the code: the manifest digest, then each trustee's public points."""
    if len(manifest_digest) != 32:
        raise ValueError("a ceremony code needs the 32-byte manifest digest")
    parts = [CEREMONY_CODE_DOMAIN, manifest_digest, len(commitments).to_bytes(4, "big")]
    for index in sorted(commitments):
        commitment = commitments[index]
        if commitment.trustee != index:
            raise ValueError(f"the commitment filed under trustee {index} is trustee "
                             f"{commitment.trustee}'s")
        parts.append(index.to_bytes(4, "big"))
        parts.append(commitment.communication_key.to_bytes())
        parts.extend(point.to_bytes() for point in commitment.commitments)
    return b"".join(parts)


def ceremony_code(manifest_digest: bytes, commitments: Mapping[int, TrusteeCommitment]) -> str:
    """Ten Crockford symbols in two groups of five, from every commitment a trustee is shown."""
    digest = hashlib.sha256(ceremony_input(manifest_digest, commitments)).digest()
    return grouped(encode_bits(digest, 10), 5)


def normalise_heard_code(text: str) -> str:
    """A code as typed or heard: upper case, no spaces or hyphens, O read as 0, I and L as 1."""
    cleaned = "".join(text.upper().split()).replace("-", "")
    return cleaned.replace("O", "0").replace("I", "1").replace("L", "1")


def same_code(heard: str, code: str) -> bool:
    return normalise_heard_code(heard) == normalise_heard_code(code)
