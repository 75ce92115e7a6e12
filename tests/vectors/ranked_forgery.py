"""Forged ranked ballots, for the soundness tests and vectors (protocol 5.2).

A forger runs the honest prover of omov.crypto.ranked on cells that are not
a valid ranking: the selection check is skipped, and every proof whose true
value lies outside its value set is made with the nearest branch as if it
were true. Everything else (encryption, the other proofs, the signature) is
honest, so a verifier must find the false statement itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from unittest import mock

from omov.crypto import ranked
from omov.crypto.ballot import ElectionContext, PreparedBallot, encrypt_ballot
from omov.crypto.group import Scalar
from omov.crypto.proofs import ValueSetProof
from omov.crypto.transcript import Rng


class _ForgingProof(ValueSetProof):
    @classmethod
    def prove(cls, tag: str, context: Any, public_key: Any, ciphertext: Any,
              values: Sequence[int], true_index: int, randomness: Scalar,
              rng: Rng) -> ValueSetProof:
        clamped = min(max(true_index, 0), len(values) - 1)
        return ValueSetProof.prove(tag, context, public_key, ciphertext, values, clamped,
                                   randomness, rng)


def forged_ballot(ctx: ElectionContext, credential_secret: Scalar,
                  selections: Sequence[Sequence[int]], rng: Rng) -> PreparedBallot:
    """A signed ballot whose ranked questions encrypt ``selections`` as given,
    valid ranking or not (each cell any small integer)."""
    with (mock.patch("omov.crypto.ballot.check_selections",
                     lambda rules, rows: tuple(tuple(row) for row in rows)),
          mock.patch.object(ranked, "ValueSetProof", _ForgingProof)):
        return encrypt_ballot(ctx, credential_secret, selections, rng)


def cells(options: int, ranks: int, placed: Sequence[tuple[int, int]],
          value: int = 1) -> list[int]:
    """m·R cells with ``value`` at each (candidate, rank) of ``placed``, 0 elsewhere."""
    row = [0] * (options * ranks)
    for candidate, rank in placed:
        row[candidate * ranks + rank] = value
    return row
