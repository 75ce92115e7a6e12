"""Vectors for board entries (protocol section 10, 10.1): board.json."""

from __future__ import annotations

from typing import Any

from omov.crypto.canonical import canonical_json
from omov.record.board import GENESIS, make_entry, parse_entry
from omov.record.errors import RecordError

_CHAIN = [
    ("manifest", {"format": "omov-election/1", "title": "Vote é / “quoted”", "n": [1, -2]}),
    ("open", {"fingerprint": "ab" * 32, "opened_at": "2026-12-01T09:00:00Z"}),
    ("ballot", {"election": "ab" * 32, "answers": [], "index": 3, "kind": "x"}),
    ("close", {"ballots": 1, "closed_at": "2026-12-02T21:00:00Z"}),
]
_TIMES = ["2026-12-01T08:59:59.999999Z", "2026-12-01T09:00:00.000000Z",
          "2026-12-01T09:00:00.000000Z", "2026-12-02T21:00:00.123456Z"]

_BAD_TIMES = [
    ("2026-12-01T09:00:00Z", "no fractional digits"),
    ("2026-12-01T09:00:00.000Z", "three fractional digits"),
    ("2026-12-01T09:00:00.0000000Z", "seven fractional digits"),
    ("2026-12-01T09:00:00.000000+00:00", "an offset instead of Z"),
    ("2026-02-29T09:00:00.000000Z", "not a calendar date (2026 is no leap year)"),
    ("2026-12-01T23:59:60.000000Z", "a leap second"),
    ("2026-12-01t09:00:00.000000z", "lowercase t and z"),
    (1764579600, "a number"),
]


def board_vectors() -> dict[str, Any]:
    entries = []
    previous = GENESIS
    for index, ((kind, body), time) in enumerate(zip(_CHAIN, _TIMES, strict=True)):
        entry = make_entry(index, kind, previous, body, time)
        entries.append({"index": index, "kind": kind, "previous": previous.hex(), "body": body,
                        "time": time, "line": entry.line.decode(), "hash": entry.hash.hex()})
        previous = entry.hash
    rejected = []
    for time, reason in _BAD_TIMES:
        line = canonical_json({"body": {}, "index": 0, "kind": "manifest",
                               "previous": "0" * 64, "time": time})
        rejected.append({"line": line.decode(), "field": _field_of(line), "reason": reason})
    missing = canonical_json({"body": {}, "index": 0, "kind": "manifest", "previous": "0" * 64})
    rejected.append({"line": missing.decode(), "field": _field_of(missing),
                     "reason": "no time member"})
    extra = canonical_json({"body": {}, "extra": 1, "index": 0, "kind": "manifest",
                            "previous": "0" * 64, "time": _TIMES[0]})
    rejected.append({"line": extra.decode(), "field": _field_of(extra),
                     "reason": "a sixth member"})
    return {"entries": entries, "rejected": rejected}


def _field_of(line: bytes) -> str | None:
    try:
        parse_entry(line, 0)
    except RecordError as error:
        return error.field
    raise AssertionError(f"parse_entry accepted {line!r}")
