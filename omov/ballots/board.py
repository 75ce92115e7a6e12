"""Appending to and reading the bulletin board (docs/protocol.md section 10).

Every append happens inside the calling action's transaction with the
ballot's row locked, so entries get consecutive indices, a correct
`previous` link and time stamps that never go backwards (10.1) even with
several app processes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from omov.ballots.models import Ballot, BoardEntry
from omov.record.board import GENESIS, entry_time, instant, make_entry

_simulated_now: ContextVar[datetime.datetime | None] = ContextVar("simulated_now", default=None)


@contextmanager
def simulated_clock(moment: datetime.datetime) -> Iterator[None]:
    """Stamps entries appended without a time of their own at `moment` (or after the
    last entry), for the demo's election in the past; never used in production."""
    token = _simulated_now.set(moment)
    try:
        yield
    finally:
        _simulated_now.reset(token)


def now() -> datetime.datetime:
    """The server's time, which the board stamps on an entry (the demo's clock while
    `simulated_clock` runs)."""
    return _simulated_now.get() or timezone.now()


def time_of(entry: BoardEntry) -> datetime.datetime:
    """An entry's time stamp: the fixed-width `time` member that ends its line."""
    return instant(entry.line[-29:-2])


def head(ballot: Ballot) -> BoardEntry | None:
    """The last entry on the board, or None if it is empty."""
    return BoardEntry.objects.filter(ballot=ballot).order_by("-index").first()


def with_ballot_hash(ballot: Ballot, hash_hex: str) -> QuerySet[BoardEntry]:
    """The cast or audited ballot with this hash (hex), if it is on the board.

    The query repeats the unique index's condition (`ballot_hash` not empty):
    SQLite uses a partial index only then, and would otherwise read the whole
    board on every cast.
    """
    return (BoardEntry.objects.filter(ballot=ballot, ballot_hash=hash_hex)
            .exclude(ballot_hash="").order_by())


@dataclass(frozen=True)
class NewEntry:
    """An entry to append: its kind and body, and for a cast or audited ballot the
    `ballot_hash`, `tracker` and `credential` that index it (see `append`)."""

    kind: str
    body: dict[str, Any]
    ballot_hash: str = ""
    tracker: str = ""
    credential: str = ""
    at: datetime.datetime | None = None


def append(
    ballot: Ballot,
    kind: str,
    body: dict[str, Any],
    *,
    ballot_hash: str = "",
    tracker: str = "",
    credential: str = "",
    at: datetime.datetime | None = None,
) -> BoardEntry:
    """Appends one entry; the caller holds the ballot's row lock in a transaction.

    `ballot_hash`, `tracker` and `credential` index cast and audited ballots
    for the board page, turnout and idempotent casting. The entry's time is
    `at` (the moment the action acted at), else `now()`; if that is earlier
    than the last entry's (the clock stepped back) it is the last entry's.
    """
    (entry,) = append_many(ballot, [NewEntry(kind, body, ballot_hash, tracker, credential, at)])
    return entry


def append_many(ballot: Ballot, new: list[NewEntry]) -> list[BoardEntry]:
    """Appends entries in the order given, as `append` does each, in one insert.

    The head is read and the rows are written as plain SQL (omov.web.rawsql): every
    cast batch does both, and the ORM's compiler would cost more than the statements.
    """
    from django.db import connection

    from omov.web import rawsql

    last = rawsql.rows(
        f'SELECT "index", entry_hash, line FROM {BoardEntry._meta.db_table} '
        'WHERE ballot_id = %s ORDER BY "index" DESC LIMIT 1', [ballot.pk])
    index = last[0][0] + 1 if last else 0
    previous = bytes.fromhex(last[0][1]) if last else GENESIS
    latest = instant(last[0][2][-29:-2]) if last else None
    appended_at = timezone.now()
    rows = []
    for item in new:
        moment = item.at or now()
        if latest is not None:
            moment = max(moment, latest)
        entry = make_entry(index, item.kind, previous, item.body, entry_time(moment))
        rows.append(BoardEntry(
            ballot=ballot, index=index, kind=item.kind, line=entry.line.decode(),
            entry_hash=entry.hash.hex(), ballot_hash=item.ballot_hash, tracker=item.tracker,
            credential=item.credential, appended_at=appended_at,
        ))
        index, previous, latest = index + 1, entry.hash, moment
    names = ("ballot", "index", "kind", "line", "entry_hash", "ballot_hash", "tracker",
             "credential", "appended_at")
    ids = {position: pk for pk, position in rawsql.insert(
        BoardEntry, names,
        [(ballot.pk, row.index, row.kind, row.line, row.entry_hash, row.ballot_hash,
          row.tracker, row.credential, row.appended_at) for row in rows],
        returning='id, "index"')}
    for row in rows:
        row.pk = ids[row.index]
        row._state.adding = False
        row._state.db = connection.alias
    return rows


def lines(ballot: Ballot) -> Iterator[bytes]:
    """The record file, line by line (each ending in a newline), for streaming."""
    entries = BoardEntry.objects.filter(ballot=ballot).order_by("index")
    for line in entries.values_list("line", flat=True).iterator(chunk_size=2000):
        yield line.encode() + b"\n"


def bodies(ballot: Ballot, kind: str) -> list[dict[str, Any]]:
    """The bodies of every entry of `kind`, in board order."""
    from omov.crypto.canonical import parse_json

    found = BoardEntry.objects.filter(ballot=ballot, kind=kind).order_by("index")
    result = []
    for line in found.values_list("line", flat=True):
        entry = parse_json(line)
        result.append(entry["body"])
    return result


def count_code(ballot: Ballot) -> str | None:
    """The count code (protocol 9.4) of the board's tally entry, or None before the tally.

    Computed from the stored line itself (its hash and its `counted`), so the
    board page shows what the trustees' pages and `omov trustee decrypt`
    compute from the record; the trustees must not take it from here alone.
    """
    from omov.crypto.canonical import parse_json
    from omov.record.board import entry_hash
    from omov.record.count_code import count_code as code_of

    tally = BoardEntry.objects.filter(ballot=ballot, kind="tally").only("line").first()
    if tally is None:
        return None
    counted = parse_json(tally.line)["body"].get("counted")
    if type(counted) is not int or counted < 0:
        return None
    return code_of(entry_hash(tally.line.encode()), counted)
