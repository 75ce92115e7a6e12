"""Cast ballots that reuse a ciphertext of an audited ballot (7.6).

An audit reveals every ciphertext's value and randomness, so anyone can build
fresh proofs and a fresh signature around them: a ballot with a new hash whose
content the audit already shows, a ready-made receipt for a vote seller. The
record is invalid if any ciphertext of an audited ballot is also a choice of a
cast ballot, in either board order.

Each ciphertext is kept as an 8-byte key (the first 8 bytes of SHA-256 over
`alpha || beta`): 8 bytes of memory per cast choice. A false match would need
a 64-bit second preimage and could only make a record fail, never pass.
"""

from __future__ import annotations

import hashlib
from array import array
from typing import Any

from omov.crypto.elgamal import Ciphertext
from omov.record.errors import RecordError


def _key(encoding: bytes) -> int:
    return int.from_bytes(hashlib.sha256(encoding).digest()[:8], "big", signed=True)


def choice_keys(choices: list[Ciphertext]) -> tuple[int, ...]:
    """The 8-byte key of every ciphertext of one ballot, in order."""
    return tuple(_key(c.alpha.to_bytes() + c.beta.to_bytes()) for c in choices)


def audited_keys(reveal: Any) -> tuple[int, ...]:
    """The keys of an audited ballot's ciphertexts, from a reveal that passed `check_audit`."""
    return tuple(
        _key(bytes.fromhex(choice["alpha"]) + bytes.fromhex(choice["beta"]))
        for row in reveal["choices"] for choice in row
    )


class SharedCiphertexts:
    """Collects cast and audited ciphertext keys; `problems` lists every reuse."""

    def __init__(self) -> None:
        self.cast_keys = array("q")
        self.cast_entries = array("q")
        self.audited: dict[int, int] = {}

    def cast(self, index: int, keys: tuple[int, ...]) -> None:
        """The ciphertexts of the valid cast ballot at entry `index`."""
        self.cast_keys.extend(keys)
        self.cast_entries.extend([index] * len(keys))

    def audit(self, index: int, keys: tuple[int, ...]) -> RecordError | None:
        """The ciphertexts of the valid audited ballot at entry `index`; an error
        if one of them is already a ciphertext of an earlier audit (7.6: an
        audited ballot appears once)."""
        earlier = next((self.audited[key] for key in keys if key in self.audited), None)
        for key in keys:
            self.audited.setdefault(key, index)
        if earlier is not None:
            return RecordError(
                f"this audited ballot repeats a ciphertext of the audited ballot at entry "
                f"{earlier}; an audited ballot appears once (7.6)", entry=index)
        return None

    def problems(self) -> list[RecordError]:
        """One error per cast ballot that shares a ciphertext with an audited ballot."""
        if not self.audited:
            return []
        seen: set[int] = set()
        errors = []
        for key, index in zip(self.cast_keys, self.cast_entries, strict=True):
            audit_index = self.audited.get(key)
            if audit_index is not None and index not in seen:
                seen.add(index)
                errors.append(RecordError(
                    f"this cast ballot reuses a ciphertext of the audited ballot at entry "
                    f"{audit_index}, whose content the audit reveals (7.6)", entry=index))
        return errors
