"""A committee's decision register: a hash-chained record of meetings and decisions.

Entries have the board's shape (`omov.record.board`): one canonical JSON line
`{"body": {...}, "index": n, "kind": "...", "previous": "<hex>"}`, hashed with
SHA-256 and chained by `previous` from 32 zero bytes. Entry 0 is `register`
(which committee); then, in any order, `meeting`, `motion`, `decision`,
`status`, `minutes`, `minutes_approved` and `correction`. Every body has a
`time` (UTC). docs/register.md is the precise format; `verify_register_lines`
checks the chain, the quorum arithmetic, that counts match roll calls, that
attendance does not exceed the seats and that every reference (a motion's
meeting, a correction's entry) points at an earlier entry.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from omov.record.board import (
    GENESIS,
    Entry,
    is_utc_time,
    make_chained_entry,
    parse_chained_line,
)
from omov.record.errors import RecordError, RecordUnreadable

RECORD_KIND = "register"
"""The kind of entry 0, by which `omov verify` knows a committee register."""

KINDS = (
    "register", "meeting", "motion", "decision", "status", "minutes", "minutes_approved",
    "correction",
)
MEETING_KINDS = ("full", "officer_group", "emergency")
ATTENDANCE = ("present", "apologies", "absent")
VOTES = ("for", "against", "abstain", "absent")
STATUSES = ("published", "in_call_in", "called_in", "effective", "upheld", "overturned")

_BODY_KEYS: dict[str, frozenset[str]] = {
    "register": frozenset({"time", "committee", "name"}),
    "meeting": frozenset({
        "time", "kind", "held_on", "notice_sent_on", "rules_version",
        "quorum_percent", "seats", "attendance", "quorum", "present", "quorate",
    }),
    "motion": frozenset({
        "time", "meeting", "mover", "seconder", "text", "votes", "counts", "carried",
    }),
    "decision": frozenset({
        "time", "meeting", "motion", "text", "kind", "effective_on",
        "rules_version", "call_in_ends", "needs_ratification",
    }),
    "status": frozenset({"time", "decision", "status", "cause", "cause_url"}),
    "minutes": frozenset({"time", "meeting", "text"}),
    "minutes_approved": frozenset({"time", "meeting", "at_meeting"}),
    "correction": frozenset({"time", "corrects", "text"}),
}


def committee_quorum(seats: int, percent: int) -> int:
    """Members present for a quorate full meeting of a committee of `seats`.

    50% means a majority (more than half: 7 of 12, 7 of 13); any other share
    is at least that share of the seats, rounded up; never fewer than 1.
    """
    if seats <= 0:
        return 1
    if percent == 50:
        return seats // 2 + 1
    return max(1, math.ceil(seats * percent / 100))


RegisterEntry = Entry
"""A register entry has the board's form: position, kind, link, body, line and hash."""


def make_register_entry(
    index: int, kind: str, previous_hash: bytes, body: dict[str, Any]
) -> RegisterEntry:
    """Build entry `index` of `kind` holding `body`, chained to `previous_hash`."""
    return make_chained_entry(index, kind, previous_hash, body, kinds=KINDS, record="register")


@dataclass
class RegisterState:
    """What the register says so far, by id: meetings, motions, decisions."""

    committee: str = ""
    meetings: dict[int, dict[str, Any]] = field(default_factory=dict)
    motions: dict[int, dict[str, Any]] = field(default_factory=dict)
    decisions: dict[int, dict[str, Any]] = field(default_factory=dict)
    statuses: dict[int, str] = field(default_factory=dict)
    entries: int = 0


def _fail(message: str, index: int, field_name: str | None = None) -> RecordError:
    return RecordError(message, entry=index, field=field_name)


def _check_meeting(state: RegisterState, index: int, body: dict[str, Any]) -> None:
    if body["kind"] not in MEETING_KINDS:
        raise _fail(f"meeting kind {body['kind']!r} is not one of full, officer_group, "
                    "emergency", index, "kind")
    seats, attendance = body["seats"], body["attendance"]
    if not isinstance(seats, dict) or not isinstance(attendance, dict):
        raise _fail("seats and attendance must be objects keyed by member id", index)
    if len(attendance) > len(seats):
        raise _fail(f"attendance lists {len(attendance)} people but the committee has "
                    f"{len(seats)} seats", index, "attendance")
    strangers = sorted(set(attendance) - set(seats))
    if strangers:
        raise _fail(f"attendance names {', '.join(strangers)}, who hold no seat", index,
                    "attendance")
    if any(value not in ATTENDANCE for value in attendance.values()):
        raise _fail("attendance must be present, apologies or absent", index, "attendance")
    if type(body["quorum_percent"]) is not int or not 1 <= body["quorum_percent"] <= 100:
        raise _fail("quorum_percent must be a whole number from 1 to 100", index,
                    "quorum_percent")
    present = sum(1 for value in attendance.values() if value == "present")
    quorum = committee_quorum(len(seats), body["quorum_percent"])
    if body["quorum"] != quorum:
        raise _fail(f"quorum is {body['quorum']} but {body['quorum_percent']}% of "
                    f"{len(seats)} seats is {quorum}", index, "quorum")
    if body["present"] != present:
        raise _fail(f"present is {body['present']} but the attendance has {present} present",
                    index, "present")
    quorate = body["kind"] == "full" and present >= quorum
    if body["quorate"] is not quorate:
        raise _fail(f"quorate is {body['quorate']} but {present} of {len(seats)} present "
                    f"at a {body['kind']} meeting with quorum {quorum} is {quorate}",
                    index, "quorate")
    state.meetings[index] = body


def _meeting(state: RegisterState, key: Any, index: int, name: str = "meeting") -> dict[str, Any]:
    meeting = state.meetings.get(key) if type(key) is int else None
    if meeting is None:
        raise _fail(f"{name} {key!r} is not the index of an earlier meeting entry", index, name)
    return meeting


def _check_motion(state: RegisterState, index: int, body: dict[str, Any]) -> None:
    meeting = _meeting(state, body["meeting"], index)
    attendance = meeting["attendance"]
    for role in ("mover", "seconder"):
        if attendance.get(body[role]) != "present":
            raise _fail(f"the {role} {body[role]!r} was not present at the meeting", index, role)
    counts = body["counts"]
    if not isinstance(counts, dict) or set(counts) != {"for", "against", "abstain"} or any(
        type(value) is not int or value < 0 for value in counts.values()
    ):
        raise _fail("counts must be whole numbers for, against and abstain", index, "counts")
    if sum(counts.values()) > meeting["present"]:
        raise _fail(f"{sum(counts.values())} votes counted but only {meeting['present']} "
                    "present", index, "counts")
    if body["votes"] is not None:
        _check_roll_call(body["votes"], attendance, counts, index)
    if body["carried"] is not (counts["for"] > counts["against"]):
        raise _fail(f"carried is {body['carried']} but the counts are {counts['for']} for, "
                    f"{counts['against']} against", index, "carried")
    state.motions[index] = body


def _check_roll_call(
    votes: Any, attendance: dict[str, str], counts: dict[str, int], index: int
) -> None:
    if not isinstance(votes, dict):
        raise _fail("votes must be an object keyed by member id, or null", index, "votes")
    strangers = sorted(set(votes) - set(attendance))
    if strangers:
        raise _fail(f"the roll call names {', '.join(strangers)}, who were not entitled to "
                    "attend", index, "votes")
    if set(votes) != set(attendance):
        missing = sorted(set(attendance) - set(votes))
        raise _fail(f"the roll call leaves out {', '.join(missing)}", index, "votes")
    for member, vote in votes.items():
        if vote not in VOTES:
            raise _fail(f"vote {vote!r} is not for, against, abstain or absent", index,
                        f"votes.{member}")
        if (vote == "absent") != (attendance[member] != "present"):
            raise _fail(f"{member} voted {vote} but was {attendance[member]}", index,
                        f"votes.{member}")
    tally = {key: sum(1 for vote in votes.values() if vote == key) for key in counts}
    if tally != counts:
        raise _fail(f"the counts {counts} do not match the roll call {tally}", index, "counts")


def _check_decision(state: RegisterState, index: int, body: dict[str, Any]) -> None:
    _meeting(state, body["meeting"], index)
    if body["motion"] is not None:
        motion = state.motions.get(body["motion"]) if type(body["motion"]) is int else None
        if motion is None or motion["meeting"] != body["meeting"]:
            raise _fail(f"motion {body['motion']!r} is not an earlier motion entry of this meeting",
                        index, "motion")
        if not motion["carried"]:
            raise _fail(f"motion {body['motion']!r} was not carried", index, "motion")
    state.decisions[index] = body
    state.statuses[index] = "published"


def _check_status(state: RegisterState, index: int, body: dict[str, Any]) -> None:
    if type(body["decision"]) is not int or body["decision"] not in state.decisions:
        raise _fail(f"decision {body['decision']!r} is not the index of an earlier decision "
                    "entry", index, "decision")
    if body["status"] not in STATUSES:
        raise _fail(f"status {body['status']!r} is not one of {', '.join(STATUSES)}", index,
                    "status")
    state.statuses[body["decision"]] = body["status"]


def _check_minutes_approved(state: RegisterState, index: int, body: dict[str, Any]) -> None:
    meeting = _meeting(state, body["meeting"], index)
    later = _meeting(state, body["at_meeting"], index, "at_meeting")
    if later is meeting or later["held_on"] <= meeting["held_on"]:
        raise _fail("minutes are approved at a later meeting", index, "at_meeting")


def _check_correction(state: RegisterState, index: int, body: dict[str, Any]) -> None:
    target = body["corrects"]
    if type(target) is not int or not 0 < target < index:
        raise _fail(f"corrects {target!r}, which is not an earlier entry", index, "corrects")


_CHECKS = {
    "meeting": _check_meeting,
    "motion": _check_motion,
    "decision": _check_decision,
    "status": _check_status,
    "minutes": lambda state, index, body: _meeting(state, body["meeting"], index),
    "minutes_approved": _check_minutes_approved,
    "correction": _check_correction,
}


def apply_entry(state: RegisterState, entry: RegisterEntry) -> None:
    """Check one entry against what came before and add it to `state`."""
    index, body = entry.index, entry.body
    if not isinstance(body, dict) or set(body) != _BODY_KEYS[entry.kind]:
        expected = ", ".join(sorted(_BODY_KEYS[entry.kind]))
        raise _fail(f"a {entry.kind} body has exactly {expected}", index, "body")
    if not is_utc_time(body["time"]):
        raise _fail("time must be a UTC time such as 2026-12-01T09:00:00Z", index, "time")
    if (index == 0) != (entry.kind == RECORD_KIND):
        raise _fail("entry 0, and only entry 0, is the register entry", index, "kind")
    if entry.kind == RECORD_KIND:
        state.committee = str(body["committee"])
    else:
        try:
            _CHECKS[entry.kind](state, index, body)
        except (TypeError, KeyError, AttributeError, ValueError) as error:
            raise _fail(f"a {entry.kind} entry has a value of the wrong type ({error})",
                        index) from None
    state.entries = index + 1


def parse_register_line(line: bytes, index: int) -> RegisterEntry:
    """Parse line `index`: canonical JSON of an entry with a known kind."""
    return parse_chained_line(line, index, kinds=KINDS, record="register")


@dataclass
class RegisterReport:
    state: RegisterState
    failure: RecordError | None = None
    head: bytes = GENESIS

    @property
    def ok(self) -> bool:
        return self.failure is None

    def render(self) -> str:
        state = self.state
        if self.failure is not None:
            return f"✗ register of {state.committee or 'a committee'}: {self.failure.describe()}"
        return "\n".join((
            f"✓ register of {state.committee}: {state.entries} entries, chain intact "
            f"(head {self.head.hex()})",
            f"✓ {len(state.meetings)} meetings: quorum arithmetic and attendance check",
            f"✓ {len(state.motions)} motions: counts match their roll calls",
            f"✓ {len(state.decisions)} decisions, each from an earlier meeting",
        ))


def verify_register_lines(lines: Iterable[bytes]) -> RegisterReport:
    """Check a whole register, line by line; stops at the first fault."""
    report = RegisterReport(RegisterState())
    try:
        for index, line in enumerate(lines):
            entry = parse_register_line(line, index)
            if entry.previous != report.head:
                raise _fail("previous is not the hash of the entry before: the chain is broken",
                            index, "previous")
            apply_entry(report.state, entry)
            report.head = entry.hash
        if report.state.entries == 0:
            raise RecordUnreadable("the register is empty")
    except RecordError as error:
        report.failure = error
    return report


def verify_register_file(path: str) -> RegisterReport:
    """Check the register at `path` (JSON Lines, one entry a line)."""
    with open(path, "rb") as file:
        return verify_register_lines(line.rstrip(b"\n") for line in file if line.strip())
