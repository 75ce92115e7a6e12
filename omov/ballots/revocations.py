"""What the pages show of revocations (6.4): each one with its time and published reason,
and which cast ballots they removed from the count. Reads the board only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from omov.ballots import board
from omov.ballots.manifest import utc_timestamp
from omov.ballots.models import Ballot, BoardEntry
from omov.crypto.canonical import parse_json


@dataclass(frozen=True)
class Revocation:
    """A revocation entry as people read it."""

    index: int
    time: str
    reason: str
    requested_at: str | None
    revoked: tuple[str, ...]
    added: int


def on_board(ballot: Ballot) -> list[Revocation]:
    """Every revocation on the board, in board order (a ballot normally has none)."""
    found = []
    for entry in BoardEntry.objects.filter(ballot=ballot, kind="revocation").order_by("index"):
        body = parse_json(entry.line)["body"]
        found.append(Revocation(entry.index, utc_timestamp(board.time_of(entry)), body["reason"],
                                body["requested_at"], tuple(body["revoked"]), len(body["added"])))
    return found


def removed_by(entry: BoardEntry, revocations: Iterable[Revocation]) -> Revocation | None:
    """The revocation after cast ballot `entry` that revoked its credential, if any.

    Such a ballot is not counted (9.1), whether or not it was its credential's last.
    """
    if entry.kind != "ballot":
        return None
    return next((r for r in revocations
                 if r.index > entry.index and entry.credential in r.revoked), None)


def removal_of_tracker(ballot: Ballot, tracker: str) -> Revocation | None:
    """The revocation that removed the cast ballot with this tracker, if any."""
    entry = BoardEntry.objects.filter(ballot=ballot, tracker=tracker, kind="ballot").first()
    return None if entry is None else removed_by(entry, on_board(ballot))
