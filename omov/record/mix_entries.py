"""The mix's board entries as the platform and `omov trustee shuffle` use them.

Pure (no Django), so the trustee's command runs exactly what the server runs
before it appends anything. The bodies themselves are built and read by
`omov.record.mix` (protocol 16), the verifier's own module; this adds what a
trustee and the server need around it: the counted ballots in board order,
a whole ranked decryption checked at once, and rows as JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from omov.crypto.elgamal import Ciphertext
from omov.crypto.errors import InvalidProof
from omov.crypto.group import Point
from omov.record.errors import RecordError
from omov.record.mix import (
    DecryptionPart,
    check_decryption_part,
    combine_rankings,
    decrypt_rows,
    join_shuffle,
    mix_input_rows,
    ranked_decryption_bodies,
    shuffle_bodies,
)
from omov.record.mix_rows import PackedRows

Rows = Sequence[Sequence[Ciphertext]]

__all__ = [
    "PackedRows",
    "RecordError",
    "Rows",
    "check_ranked_decryption",
    "combine_rankings",
    "counted_ballots",
    "decrypt_rows",
    "join_shuffle",
    "mix_input_rows",
    "ranked_decryption_bodies",
    "rows_json",
    "shuffle_bodies",
]


def counted_ballots(entries: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Mapping[str, Any]]:
    """The bodies of the counted ballots (9.1), in board order of each counted ballot.

    `entries` are the board's `(kind, body)` in order; a later ballot of the same
    credential replaces the earlier one and takes its own place in the order, and
    a revocation removes its credentials' ballots.
    """
    latest: dict[str, Mapping[str, Any]] = {}
    for kind, body in entries:
        if kind == "ballot":
            latest.pop(body["credential"], None)
            latest[body["credential"]] = body
        elif kind == "revocation":
            for credential in body["revoked"]:
                latest.pop(credential, None)
    return list(latest.values())


def rows_json(rows: Rows) -> list[list[dict[str, str]]]:
    return [[ct.to_json() for ct in row] for row in rows]


def check_ranked_decryption(fingerprint: bytes, question_id: str, bodies: Sequence[Any],
                            rows: PackedRows, verification_key: Point) -> tuple[int, bytes]:
    """The trustee and packed shares of one trustee's `ranked_decryption` parts of `rows`
    (the last shuffle's output), every proof checked. Raises RecordError or
    InvalidProof naming the part, row and column at fault."""
    first_row, shares, trustee = 0, b"", None
    for n, body in enumerate(bodies):
        part = DecryptionPart(body, rows.width)
        if part.part != n or part.parts != len(bodies):
            raise RecordError(f"expected part {n} of {len(bodies)}, found part {part.part} of "
                              f"{part.parts}", field="part")
        if part.question != question_id:
            raise RecordError(f"part {n} is of question {part.question!r}, not "
                              f"{question_id!r}", field="question")
        if trustee is not None and part.trustee != trustee:
            raise RecordError(f"part {n} is of another trustee", field="trustee")
        trustee = part.trustee
        failed = check_decryption_part(part, rows, first_row, fingerprint, verification_key)
        if failed is not None:
            j, k, reason = failed
            raise InvalidProof(reason, f"shares[{j}][{k}]")
        first_row += part.rows
        shares += part.shares
    if trustee is None or first_row != len(rows):
        raise RecordError(f"the decryption covers {first_row} of the {len(rows)} rows of the "
                          "last shuffle", field="shares")
    return trustee, shares
