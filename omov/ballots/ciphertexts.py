"""The ciphertexts of the cast and audited ballots on a board, indexed (protocol 7.6).

A cast ballot may hold no ciphertext of an audited ballot, an audited ballot
none of a cast one, and no two audited ballots share one. Each check is one
indexed lookup in `BoardCiphertext`, written beside every cast and audited
entry, instead of reading the audits on the board.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from omov.ballots.models import Ballot, BoardCiphertext


def key(choice: dict[str, Any]) -> str:
    """A ciphertext as the index holds it: `alpha:beta`, as written on the board."""
    return f"{choice['alpha']}:{choice['beta']}"


def of_ballot(body: Any) -> frozenset[str]:
    """The ciphertexts of a cast ballot's answers (7.2), once it is verified."""
    return frozenset(key(choice) for answer in body["answers"] for choice in answer["choices"])


def of_audit(reveal: Any) -> frozenset[str]:
    """The ciphertexts an audited ballot (7.6) opens, once it is checked."""
    return frozenset(key(choice) for row in reveal["choices"] for choice in row)


def audited_among(ballot: Ballot, held: frozenset[str]) -> frozenset[str]:
    """Those of `held` that an audited ballot on the board opened (plain SQL: every cast
    batch asks, omov.web.rawsql)."""
    from omov.web import rawsql

    if not held:
        return frozenset()
    marks = ", ".join(["%s"] * len(held))
    found = rawsql.rows(
        f"SELECT ciphertext FROM {BoardCiphertext._meta.db_table} WHERE ballot_id = %s "
        f"AND audited = %s AND ciphertext IN ({marks})", [ballot.pk, True, *sorted(held)])
    return frozenset(row[0] for row in found)


def first_holder(ballot: Ballot, held: frozenset[str]) -> BoardCiphertext | None:
    """The earliest cast or audited ballot's row holding one of `held`, or None."""
    return (BoardCiphertext.objects.filter(ballot=ballot, ciphertext__in=held)
            .order_by("index").first())


def record(ballot: Ballot, entries: Iterable[tuple[int, frozenset[str]]], *,
           audited: bool) -> None:
    """Indexes the ciphertexts of entries just appended (board index, ciphertexts)."""
    from omov.web import rawsql

    rawsql.insert(BoardCiphertext, ("ballot", "ciphertext", "audited", "index"), [
        (ballot.pk, ciphertext, audited, index)
        for index, held in entries for ciphertext in sorted(held)])
