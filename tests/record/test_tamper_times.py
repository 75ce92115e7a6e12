"""The tamper suite for time stamps (section 10.1, check 13): every entry's time, and the
opening and closing against the manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from omov.record.report import Report
from omov.record.simulation import simulate
from omov.record.times import TimeChecks, nanoseconds
from tests.record.tamper_kit import PLAN, check, load, positions, problems, save

Entries = list[dict[str, Any]]


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("record") / "valid.omov.jsonl"
    simulate(path, PLAN)
    return path


def caught(entries: Entries, out: Path, *expected: str) -> str:
    report = check(save(entries, out))
    said = problems(report)
    assert not report.ok, "the tampering was not caught"
    for phrase in expected:
        assert phrase in said, f"{phrase!r} not in:\n{said}"
    return said


def test_the_simulated_record_is_stamped_and_the_report_says_so(original: Path) -> None:
    entries = load(original)
    times = [entry["time"] for entry in entries]
    assert times == sorted(times)
    report = check(original)
    assert report.ok, problems(report)
    rendered = report.render()
    assert (f"✓ time stamps: {len(entries)} entries, never going backwards; opened "
            "2026-12-01T09:00:00Z (opens_at 2026-12-01T09:00:00Z); closed 2026-12-02T21:00:00Z "
            "(closes_at 2026-12-02T21:00:00Z)") in rendered
    assert "ballots, audits and revocations between the opening and the closing" in rendered


def test_the_simulated_record_is_the_same_on_every_run(original: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.omov.jsonl"
    simulate(again, PLAN)
    assert again.read_bytes() == original.read_bytes()


def test_times_out_of_order(entries: Entries, tmp_path: Path) -> None:
    first, second = positions(entries, "ballot")[2:4]
    entries[first]["time"], entries[second]["time"] = (entries[second]["time"],
                                                       entries[first]["time"])
    said = caught(entries, tmp_path / "t.jsonl", f"entry {second}",
                  "times never go backwards")
    assert f"is earlier than entry {first}'s time" in said


def test_a_ballot_stamped_after_the_close(entries: Entries, tmp_path: Path) -> None:
    last = positions(entries, "ballot")[-1]
    entries[last]["time"] = "2026-12-02T21:00:00.000000Z"
    caught(entries, tmp_path / "t.jsonl", f"entry {last}",
           "not before the manifest's closes_at 2026-12-02T21:00:00Z: accepted after voting "
           "closed")


def test_a_ballot_stamped_before_the_opening(entries: Entries, tmp_path: Path) -> None:
    opened = positions(entries, "open")[0]
    first = positions(entries, "ballot")[0]
    for entry in entries[:first]:
        entry["time"] = "2026-12-01T08:00:00.000000Z"
    entries[opened]["body"]["opened_at"] = "2026-12-01T09:30:00Z"
    entries[opened]["time"] = "2026-12-01T09:30:00.000000Z"
    caught(entries, tmp_path / "t.jsonl", f"entry {first}",
           "before the election opened at 2026-12-01T09:30:00Z")


@pytest.mark.parametrize("stamp", [
    "2026-12-01T09:00:00Z", "2026-12-01T09:00:00.000001", "2026-13-01T09:00:00.000000Z",
    "2026-12-01T09:00:00.0000001Z", 1764579600,
])
def test_a_time_stamp_of_the_wrong_form(entries: Entries, tmp_path: Path, stamp: Any) -> None:
    ballot = positions(entries, "ballot")[0]
    entries[ballot]["time"] = stamp
    caught(entries, tmp_path / "t.jsonl", f"entry {ballot}",
           "must be a real UTC time written YYYY-MM-DDTHH:MM:SS.ffffffZ")


def test_an_entry_without_a_time_stamp(entries: Entries, tmp_path: Path) -> None:
    path = save(entries, tmp_path / "t.jsonl")
    lines = path.read_bytes().splitlines(keepends=True)
    lines[1] = lines[1][:lines[1].rindex(b',"time":')] + b"}\n"
    path.write_bytes(b"".join(lines))
    assert "exactly body, index, kind, previous and time" in problems(check(path))


def test_opened_before_the_manifest_opens(entries: Entries, tmp_path: Path) -> None:
    opened = positions(entries, "open")[0]
    entries[opened]["body"]["opened_at"] = "2026-12-01T08:59:59Z"
    caught(entries, tmp_path / "t.jsonl",
           "opened_at 2026-12-01T08:59:59Z is earlier than the manifest's opens_at")


def test_opened_at_later_than_the_open_entry(entries: Entries, tmp_path: Path) -> None:
    opened = positions(entries, "open")[0]
    entries[opened]["body"]["opened_at"] = "2026-12-01T09:00:00.5Z"
    caught(entries, tmp_path / "t.jsonl", "is later than the entry's own time")


def test_closed_before_the_manifest_closes(entries: Entries, tmp_path: Path) -> None:
    close = positions(entries, "close")[0]
    entries[close]["body"]["closed_at"] = "2026-12-02T20:59:59Z"
    caught(entries, tmp_path / "t.jsonl",
           "closed_at 2026-12-02T20:59:59Z is earlier than the manifest's closes_at")


def test_closed_at_later_than_the_close_entry(entries: Entries, tmp_path: Path) -> None:
    close = positions(entries, "close")[0]
    entries[close]["body"]["closed_at"] = "2026-12-03T09:00:00Z"
    caught(entries, tmp_path / "t.jsonl", "closed_at 2026-12-03T09:00:00Z is later than")


def test_without_manifest_times_ballots_must_still_lie_between_open_and_close() -> None:
    report = Report()
    times = TimeChecks(report)
    times.entry(0, "manifest", "2026-12-01T08:00:00.000000Z", {"format": "omov-election/1"})
    times.entry(1, "open", "2026-12-01T09:00:00.000000Z",
                {"opened_at": "2026-12-01T09:00:00Z"})
    times.entry(2, "ballot", "2026-12-01T10:00:00.000000Z", None)
    times.entry(3, "close", "2026-12-01T10:00:00.000000Z", {"closed_at": "2026-12-01T09:30:00Z"})
    times.finish()
    assert [error.describe() for error in report.failures()] == [
        "entry 2, field time: stamped 2026-12-01T10:00:00.000000Z, after the election closed "
        "at 2026-12-01T09:30:00Z"]


def test_times_compare_exactly_to_the_nanosecond() -> None:
    assert nanoseconds("2026-12-01T09:00:00.000000001Z") > nanoseconds("2026-12-01T09:00:00Z")
    assert nanoseconds("2026-12-01T09:00:00.5Z") == nanoseconds("2026-12-01T09:00:00.500000Z")
    assert nanoseconds("1970-01-01T00:00:01Z") == 1_000_000_000
