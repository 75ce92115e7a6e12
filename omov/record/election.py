"""Building an election's board entries step by step (sections 6 to 10).

The simulator and the web platform produce entries with these functions and
append them with `board.make_entry` (or `RecordWriter`); the platform counts
its board with `count_ballots` when voting closes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from omov.crypto.canonical import digest
from omov.crypto.decryption import PartialDecryption, combine, question_totals
from omov.crypto.elgamal import Ciphertext
from omov.crypto.group import Point, Scalar
from omov.crypto.proofs import SchnorrProof
from omov.crypto.questions import QuestionRule
from omov.crypto.transcript import Rng
from omov.record.roll import TAG_REVOCATION_SIGNATURE

Tally = list[list[Ciphertext | None]]


def revocation_body(
    fingerprint: bytes, revoked: Sequence[Point], added: Sequence[Point], reason: str,
    authority_secret: Scalar, rng: Rng, *, requested_at: str | None = None,
) -> dict[str, Any]:
    """A `revocation` body (6.4), signed by the credential authority.

    `reason` is published on the board; `requested_at` is the time (section 5's
    form) of the member's own request, or None when the authority revokes without one.
    """
    statement = {"added": [p.hex() for p in added], "reason": reason,
                 "requested_at": requested_at, "revoked": [p.hex() for p in revoked]}
    signature = SchnorrProof.prove(
        TAG_REVOCATION_SIGNATURE, (fingerprint, digest(statement)), authority_secret, rng
    )
    return {**statement, "signature": signature.to_json()}


def open_body(fingerprint: bytes, opened_at: str) -> dict[str, Any]:
    """The `open` body: the election's fingerprint (7.1) and the UTC time it opened."""
    return {"fingerprint": fingerprint.hex(), "opened_at": opened_at}


def close_body(closed_at: str, ballots: int) -> dict[str, Any]:
    """The `close` body: the UTC time and the number of `ballot` entries on the board."""
    return {"closed_at": closed_at, "ballots": ballots}


def tally_body(counted: int, tally: Tally) -> dict[str, Any]:
    """The `tally` body (9.1): N and one ciphertext (or null) per encrypted option."""
    return {
        "counted": counted,
        "ciphertexts": [[None if c is None else c.to_json() for c in row] for row in tally],
    }


def empty_tally(rules: Sequence[QuestionRule]) -> Tally:
    """The tally of an election in which no ballot was counted: null everywhere
    (and an empty row for a ranked question, which the tally skips)."""
    return [[None] * rule.tally_width for rule in rules]


def tally_from_sums(rules: Sequence[QuestionRule], sums: Sequence[Ciphertext] | None,
                    counted: int) -> Tally:
    """Reshape the flat sum of the counted ballots' choices into questions and
    options; a ranked question's cells are skipped (its tally row is empty)."""
    if sums is None or counted == 0:
        return empty_tally(rules)
    rows: Tally = []
    position = 0
    for rule in rules:
        rows.append(list(sums[position:position + rule.tally_width]))
        position += rule.encrypted_count
    return rows


def result_body(
    rules: Sequence[QuestionRule], tally: Tally, partials: Mapping[int, PartialDecryption],
    threshold: int, counted: int,
) -> dict[str, Any]:
    """The `result` body (9.3) from checked partial decryptions keyed by trustee."""
    totals = combine(tally, partials, threshold, counted)
    return {
        "counted": counted,
        "decrypted_by": sorted(partials),
        "totals": [list(row) for row in question_totals(rules, totals, counted)],
    }


def count_ballots(rules: Sequence[QuestionRule],
                  entries: Iterable[tuple[str, Mapping[str, Any]]]) -> tuple[int, Tally]:
    """The counted N and the encrypted tally (9.1) of a board's voting entries.

    `entries` are `(kind, body)` in board order, each checked when it was
    appended (7.4, 6.4); other kinds are ignored. The last ballot per
    credential counts, and a revocation removes its credentials' ballots.
    Only the choices of the latest ballot per credential are held.
    """
    latest: dict[str, list[list[Any]]] = {}
    for kind, body in entries:
        if kind == "ballot":
            latest[body["credential"]] = [answer["choices"] for answer in body["answers"]]
        elif kind == "revocation":
            for credential in body["revoked"]:
                latest.pop(credential, None)
    tally = empty_tally(rules)
    for choices in latest.values():
        for q, row in enumerate(choices):
            if rules[q].ranked:
                continue
            sums = tally[q]
            for o, item in enumerate(row):
                choice = Ciphertext.from_json(item, field=f"answers[{q}].choices[{o}]")
                current = sums[o]
                sums[o] = choice if current is None else current + choice
    return len(latest), tally
