"""Check 7's report of revocations: every counted ballot a revocation removed (6.4).

A removal is not a fault (the authority may revoke a lost code), but a member must
be able to see it: `omov verify` prints one `!` line per removed ballot, with its
tracker, the revocation's time and its published reason.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omov.crypto.ballot import tracker
from omov.crypto.canonical import digest, parse_json
from omov.record.errors import RecordError
from omov.record.reader import read_lines_at
from omov.record.report import Report


@dataclass(frozen=True)
class Removal:
    """The counted ballot at entry `ballot`, removed by the revocation at entry `revocation`."""

    ballot: int
    revocation: int
    time: str
    reason: str
    requested_at: str | None


def removals(pairs: list[tuple[int, int]], index: int, time: str,
             body: dict[str, Any]) -> list[Removal]:
    """The removals by the revocation at entry `index` among `pairs` (revocation, ballot)."""
    return [Removal(ballot, revocation, time, body["reason"], body["requested_at"])
            for revocation, ballot in pairs if revocation == index]


def report_removals(report: Report, path: str | Path, offsets: array[int],
                    found: list[Removal]) -> None:
    """One warning per removal under check 7; the ballots' lines are read again for
    their trackers (only those lines, found by their offsets)."""
    lines = read_lines_at(path, (offsets[removal.ballot] for removal in found))
    for removal, line in zip(found, lines, strict=True):
        code = tracker(digest(parse_json(line)["body"]))
        asked = (f"at the member's request of {removal.requested_at}"
                 if removal.requested_at is not None else "without a request by the member")
        report.warn(7, RecordError(
            f"this counted ballot was removed by the revocation at entry {removal.revocation} "
            f"({removal.time}, {asked}); reason: “{removal.reason}”",
            entry=removal.ballot, tracker=code))
