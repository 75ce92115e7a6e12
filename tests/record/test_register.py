"""The committee register's verifier: a valid register passes; each tampering is named."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from omov.cli import main
from omov.record.board import GENESIS
from omov.record.register import make_register_entry, verify_register_lines

AT = "2026-12-01T09:00:00Z"
SEATS = {str(n): f"Member {n}" for n in range(1, 13)}


def _bodies() -> list[tuple[str, dict[str, Any]]]:
    attendance = {key: ("present" if int(key) <= 7 else "absent") for key in SEATS}
    votes = {key: ("for" if int(key) <= 5 else "against" if int(key) <= 7 else "absent")
             for key in SEATS}
    return [
        ("register", {"time": AT, "committee": "national", "name": "National Committee"}),
        ("meeting", {"time": AT, "kind": "full", "held_on": "2026-11-30",
                     "notice_sent_on": "2026-11-20", "rules_version": 1, "quorum_percent": 50,
                     "seats": SEATS, "attendance": attendance, "quorum": 7, "present": 7,
                     "quorate": True}),
        ("motion", {"time": AT, "meeting": 1, "mover": "1", "seconder": "2", "text": "Endorse",
                    "votes": votes, "counts": {"for": 5, "against": 2, "abstain": 0},
                    "carried": True}),
        ("decision", {"time": AT, "meeting": 1, "motion": 2, "text": "Endorse",
                      "kind": "endorsement", "effective_on": "2026-12-01", "rules_version": 1,
                      "call_in_ends": "2026-12-08", "needs_ratification": False}),
        ("status", {"time": AT, "decision": 3, "status": "in_call_in", "cause": "published",
                    "cause_url": ""}),
        ("correction", {"time": AT, "corrects": 2, "text": "Member 2 seconded"}),
    ]


def _lines(bodies: list[tuple[str, dict[str, Any]]]) -> list[bytes]:
    lines, head = [], GENESIS
    for index, (kind, body) in enumerate(bodies):
        entry = make_register_entry(index, kind, head, body)
        lines.append(entry.line)
        head = entry.hash
    return lines


def test_a_valid_register_passes() -> None:
    report = verify_register_lines(_lines(_bodies()))
    assert report.ok, report.render()
    assert "✓ register of national: 6 entries" in report.render()


def _tampered(index: int, change: dict[str, Any]) -> str:
    bodies = copy.deepcopy(_bodies())
    bodies[index][1].update(change)
    report = verify_register_lines(_lines(bodies))
    assert not report.ok
    return report.render()


@pytest.mark.parametrize(("index", "change", "message"), [
    (1, {"quorum": 6}, "entry 1, field quorum: quorum is 6 but 50% of 12 seats is 7"),
    (1, {"present": 8}, "present is 8 but the attendance has 7 present"),
    (1, {"quorate": False}, "quorate is False but 7 of 12 present"),
    (1, {"kind": "officer_group"}, "at a officer_group meeting with quorum 7 is False"),
    (1, {"seats": {"1": "a"}}, "attendance lists 12 people but the committee has 1 seats"),
    (2, {"counts": {"for": 6, "against": 1, "abstain": 0}}, "do not match the roll call"),
    (2, {"votes": {**{k: "absent" for k in SEATS}, "1": "for", "99": "for"}},
     "the roll call names 99, who were not entitled to attend"),
    (2, {"mover": "9"}, "the mover '9' was not present"),
    (2, {"carried": False}, "carried is False but the counts are 5 for, 2 against"),
    (3, {"meeting": 7}, "meeting 7 is not the index of an earlier meeting entry"),
    (4, {"status": "forgotten"}, "status 'forgotten' is not one of"),
    (5, {"corrects": 9}, "entry 5, field corrects: corrects 9, which is not an earlier entry"),
    (1, {"quorum_percent": "half"}, "quorum_percent must be a whole number"),
    (1, {"time": "yesterday"}, "time must be a UTC time"),
])
def test_each_tampering_is_caught_with_its_message(
    index: int, change: dict[str, Any], message: str
) -> None:
    assert message in _tampered(index, change)


def test_an_edited_line_breaks_the_chain() -> None:
    lines = _lines(_bodies())
    lines[2] = lines[2].replace(b'"Endorse"', b'"Withdraw"', 1)
    report = verify_register_lines(lines)
    assert "entry 3, field previous: previous is not the hash of the entry before" in (
        report.render())


def test_a_dropped_entry_is_caught() -> None:
    lines = _lines(_bodies())
    del lines[4]
    assert "index is 5 but this is line 4" in verify_register_lines(lines).render()


def test_omov_verify_dispatches_on_the_register_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "register.jsonl"
    lines = _lines(_bodies())
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    assert main(["verify", str(path)]) == 0
    assert "✓ register of national" in capsys.readouterr().out
    bodies = _bodies()
    bodies[1][1]["quorum"] = 5
    path.write_bytes(b"".join(line + b"\n" for line in _lines(bodies)))
    assert main(["verify", str(path)]) == 1
    assert "quorum is 5" in capsys.readouterr().out
