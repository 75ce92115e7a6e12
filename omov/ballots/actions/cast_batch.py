"""What a batch of casts reads with the ballot's row locked (`voting._append_casts`).

Plain SQL (omov.web.rawsql): every batch runs these, and the ORM's compiler
would cost more than the statements. The common batch, of first ballots on a
board with no revocation or audit touching them, reads the lock and one
statement saying so (`present`); the others read only what exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omov.ballots.errors import WrongPhase
from omov.ballots.models import Ballot, BoardCiphertext, BoardEntry, CredentialBinding, Phase
from omov.crypto.canonical import parse_json
from omov.web import rawsql


def marks(values: list[Any]) -> str:
    """Placeholders for an IN list; `IN (NULL)`, which holds for nothing, when empty."""
    return ", ".join(["%s"] * len(values)) or "NULL"


def locked_open(ballot: Ballot) -> Ballot:
    """The ballot's row, locked for this transaction (as `ceremony.locked`, in plain
    SQL: every batch takes it); raises WrongPhase unless voting is open."""
    (current,) = rawsql.select(Ballot, "id = %s", [ballot.pk], for_update=True)
    if current.phase != Phase.OPEN:
        raise WrongPhase("This step belongs to the open phase; the ballot is "
                         f"{Phase(current.phase).label.lower()}.")
    return current


def bound_condition(members: list[int], credentials: list[str]) -> str:
    return f"member_id IN ({marks(members)}) OR credential IN ({marks(credentials)})"


@dataclass(frozen=True)
class Present:
    """Which of a batch's reads would find anything (`present`)."""

    known: bool
    revocations: bool
    audited: bool
    bound: bool


def present(ballot: Ballot, members: set[int], credentials: set[str], hashes: set[str],
            held: frozenset[str]) -> Present:
    """Whether the board holds any of the batch's ballot hashes or any revocation,
    whether any of its ciphertexts was audited, and whether any of its accounts or
    credentials is bound: one statement, read with the row locked. Usually all four
    are no and the batch reads nothing else; where one is yes, its rows follow.
    """
    accounts, codes = sorted(members), sorted(credentials)
    entries, ciphers = BoardEntry._meta.db_table, BoardCiphertext._meta.db_table
    sql = (
        f"SELECT EXISTS (SELECT 1 FROM {entries} WHERE ballot_id = %s "
        f"AND ballot_hash IN ({marks(sorted(hashes))}) AND ballot_hash <> ''), "
        f"EXISTS (SELECT 1 FROM {entries} WHERE ballot_id = %s AND kind = 'revocation'), "
        f"EXISTS (SELECT 1 FROM {ciphers} WHERE ballot_id = %s AND audited = %s "
        f"AND ciphertext IN ({marks(sorted(held))})), "
        f"EXISTS (SELECT 1 FROM {CredentialBinding._meta.db_table} WHERE ballot_id = %s "
        f"AND ({bound_condition(accounts, codes)}))"
    )
    ((known, revoked, audited, bound),) = rawsql.rows(sql, [
        ballot.pk, *sorted(hashes), ballot.pk, ballot.pk, True, *sorted(held),
        ballot.pk, *accounts, *codes])
    return Present(bool(known), bool(revoked), bool(audited), bool(bound))


def on_board(ballot: Ballot, hashes: set[str]) -> dict[str, tuple[str, str, int]]:
    """The kind, tracker and index of the entries with these ballot hashes (the
    condition on an empty hash lets SQLite use the partial unique index)."""
    found = sorted(hashes)
    return {row[0]: (row[1], row[2], row[3]) for row in rawsql.rows(
        f'SELECT ballot_hash, kind, tracker, "index" FROM {BoardEntry._meta.db_table} '
        f"WHERE ballot_id = %s AND ballot_hash IN ({marks(found)}) AND ballot_hash <> ''",
        [ballot.pk, *found])}


def revocations(ballot: Ballot) -> list[dict[str, Any]]:
    """The revocation bodies on the board in order, as `state.revocations` reads them."""
    lines = rawsql.rows(
        f"SELECT line FROM {BoardEntry._meta.db_table} WHERE ballot_id = %s "
        "AND kind = 'revocation' ORDER BY \"index\"", [ballot.pk])
    return [parse_json(line)["body"] for (line,) in lines]
