"""Check 13: the board's time stamps (section 10.1).

Every entry carries the server's time. They never go backwards along the
chain; the `open` and `close` entries agree with the manifest's `opens_at`
and `closes_at`; and every ballot, audited ballot and revocation lies between
the opening and the closing. The form of each stamp is checked with the entry
itself (`board.parse_entry`, check 2).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from omov.record.board import entry_time, is_utc_time
from omov.record.errors import RecordError
from omov.record.report import Report

CHECK = 13
VOTING_KINDS = frozenset({"ballot", "audited_ballot", "revocation"})


def nanoseconds(value: str) -> int:
    """A time the record holds (an entry's `time`, `opens_at`, `opened_at`, ...), already
    checked for its form, as nanoseconds since 1970 UTC: exact for every allowed form."""
    whole, _, fraction = value[:-1].partition(".")
    seconds = int(datetime.fromisoformat(whole + "+00:00").timestamp())
    return seconds * 1_000_000_000 + int(fraction.ljust(9, "0"))


class TimeChecks:
    """Follows every entry's time in board order and reports check 13."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.last = ""
        self.last_index = -1
        self.entries = 0
        self.opens_at: str | None = None
        self.closes_at: str | None = None
        self._closes: int | None = None
        self._opened: int | None = None
        self.opened_at: str | None = None
        self.closed_at: str | None = None
        self.voting = 0
        self.last_voting: tuple[int, str] | None = None
        self._inside = ("", "~")
        """Entry stamps `s` with `low <= s < high` (as strings) lie between the opening
        and `closes_at`: the check of `_voting` without a date parse per entry."""

    def entry(self, index: int, kind: str, time: str, body: Any) -> None:
        """Entry `index` of `kind`, stamped `time` (already of the right form)."""
        self.entries += 1
        # Entry times have one fixed width, so they order as strings.
        if time < self.last:
            self._fail(index, f"the entry's time {time} is earlier than entry "
                              f"{self.last_index}'s time {self.last}: times never go backwards")
        else:
            self.last, self.last_index = time, index
        if kind == "manifest" and isinstance(body, dict):
            self.opens_at = _time(body.get("opens_at"))
            self.closes_at = _time(body.get("closes_at"))
            self._closes = None if self.closes_at is None else nanoseconds(self.closes_at)
            self._inside = (self._inside[0],
                            "~" if self._closes is None else _first_stamp(self._closes))
        elif kind == "open" and isinstance(body, dict):
            self._open(index, time, _time(body.get("opened_at")))
        elif kind in VOTING_KINDS:
            self._voting(index, kind, time)
            requested = _time(body.get("requested_at")) if isinstance(body, dict) else None
            if requested is not None and _after(requested, time):
                self._fail(index, f"requested_at {requested} is later than the revocation's "
                                  f"own time {time}: a request comes before it", "requested_at")
        elif kind == "close" and isinstance(body, dict):
            self._close(index, time, _time(body.get("closed_at")))

    def _open(self, index: int, time: str, opened_at: str | None) -> None:
        if opened_at is None:
            return  # check 6 reports the missing or malformed opened_at
        self.opened_at = opened_at
        self._opened = nanoseconds(opened_at)
        self._inside = (_first_stamp(self._opened), self._inside[1])
        if _after(opened_at, time):
            self._fail(index, f"opened_at {opened_at} is later than the entry's own time {time}",
                       "opened_at")
        if self.opens_at is not None and _after(self.opens_at, opened_at):
            self._fail(index, f"opened_at {opened_at} is earlier than the manifest's opens_at "
                              f"{self.opens_at}", "opened_at")
        if self.closes_at is not None and not _after(self.closes_at, opened_at):
            self._fail(index, f"opened_at {opened_at} is not earlier than the manifest's "
                              f"closes_at {self.closes_at}", "opened_at")

    def _voting(self, index: int, kind: str, time: str) -> None:
        self.voting += 1
        self.last_voting = (index, time)
        low, high = self._inside
        if low <= time < high:
            return
        stamp = nanoseconds(time)
        if self._opened is not None and self._opened > stamp:
            self._fail(index, f"a {kind.replace('_', ' ')} stamped {time}, before the election "
                              f"opened at {self.opened_at}")
        if self._closes is not None and stamp >= self._closes:
            what = kind.replace("_", " ")
            self._fail(index, f"a {what} stamped {time}, not before the manifest's closes_at "
                              f"{self.closes_at}: accepted after voting closed")

    def _close(self, index: int, time: str, closed_at: str | None) -> None:
        if closed_at is None:
            return  # check 9 reports the missing or malformed closed_at
        self.closed_at = closed_at
        if _after(closed_at, time):
            self._fail(index, f"closed_at {closed_at} is later than the entry's own time {time}",
                       "closed_at")
        if self.closes_at is not None and _after(self.closes_at, closed_at):
            self._fail(index, f"closed_at {closed_at} is earlier than the manifest's closes_at "
                              f"{self.closes_at}", "closed_at")
        if self.opened_at is not None and _after(self.opened_at, closed_at):
            self._fail(index, f"closed_at {closed_at} is earlier than opened_at "
                              f"{self.opened_at}", "closed_at")
        if self.last_voting is not None and _after(self.last_voting[1], closed_at):
            where, stamp = self.last_voting
            self._fail(where, f"stamped {stamp}, after the election closed at {closed_at}")

    def finish(self) -> None:
        """Report check 13 over the entries seen."""
        if not self.entries:
            return
        parts = [f"time stamps: {self.entries:,} entries, never going backwards"]
        if self.opened_at is not None:
            parts.append(f"opened {self.opened_at}" + (
                f" (opens_at {self.opens_at})" if self.opens_at else ""))
        if self.closed_at is not None:
            parts.append(f"closed {self.closed_at}" + (
                f" (closes_at {self.closes_at})" if self.closes_at else ""))
        if self.voting:
            parts.append(f"all {self.voting:,} ballots, audits and revocations between the "
                         "opening and the closing")
        self.report.check(CHECK, "; ".join(parts))

    def _fail(self, index: int, message: str, field: str | None = "time") -> None:
        self.report.fail(CHECK, RecordError(message, entry=index, field=field))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _first_stamp(moment: int) -> str:
    """The earliest entry stamp (10.1, whole microseconds) at or after `moment`
    (nanoseconds since 1970): for such stamps, `stamp >= moment` exactly when the
    strings compare so, since stamps have one fixed width."""
    return entry_time(_EPOCH + timedelta(microseconds=-(-moment // 1000)))


def _time(value: Any) -> str | None:
    return value if is_utc_time(value) else None


def _after(a: str, b: str) -> bool:
    """Whether time `a` is strictly later than time `b`."""
    return nanoseconds(a) > nanoseconds(b)
