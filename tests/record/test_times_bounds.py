"""Check 13's fast path: an entry stamp compared as a string with the first stamp at
or after the opening (or closes_at) gives what comparing nanoseconds gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from omov.record.board import entry_time
from omov.record.times import _first_stamp, nanoseconds

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
NINE_DIGITS = "2026-12-01T09:00:00.{:09d}Z"


@given(st.integers(0, 3_000_000_000), st.integers(-3_000_000, 3_000_000))
def test_a_stamp_is_at_or_after_a_moment_exactly_when_its_string_is(
        fraction: int, offset_us: int) -> None:
    moment = nanoseconds(NINE_DIGITS.format(fraction % 1_000_000_000)) + (
        fraction // 1_000_000_000) * 1_000_000_000
    first = _first_stamp(moment)
    stamp = entry_time(START + timedelta(microseconds=fraction // 1000 + offset_us))
    assert (stamp >= first) == (nanoseconds(stamp) >= moment)
    assert (stamp < first) == (nanoseconds(stamp) < moment)


def test_the_first_stamp_of_a_whole_microsecond_is_itself() -> None:
    assert _first_stamp(nanoseconds("2026-12-01T09:00:00Z")) == "2026-12-01T09:00:00.000000Z"
    assert _first_stamp(nanoseconds("2026-12-01T09:00:00.000000001Z")) == (
        "2026-12-01T09:00:00.000001Z")
    assert _first_stamp(nanoseconds("2026-12-31T23:59:59.9999999Z")) == (
        "2027-01-01T00:00:00.000000Z")
