"""The bulletin board (protocol section 10): entry lines, hashes and the chain.

Each board entry is one canonical JSON line
`{"body": {...}, "index": n, "kind": "...", "previous": "<hex>", "time": "<UTC>"}`;
`entry_hash` is the SHA-256 of the line without its newline, `previous`
links each entry to the one before, and `time` is when the server appended it
(section 10.1). This module builds entry lines for the
platform and the simulator, and parses and checks them for the verifier.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from omov.crypto.canonical import canonical_json, parse_canonical, parse_json
from omov.crypto.errors import InvalidEncoding
from omov.record.errors import RecordError, RecordUnreadable

GENESIS = bytes(32)
"""The `previous` of entry 0: 32 zero bytes (64 zeros in hex)."""

MAX_LINE = 8 * 1024 * 1024
"""The longest line allowed for any entry but the credential roll."""

MAX_ROLL_LINE = 256 * 1024 * 1024
"""The longest `credential_roll` line (room for about 3.9 million credentials)."""

PHASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("setup", ("manifest", "trustee_commitment", "trustee_shares", "trustee_complaint",
               "joint_key")),
    ("credentials", ("credential_roll", "open")),
    ("voting", ("ballot", "audited_ballot", "revocation")),
    ("closing", ("close", "tally", "partial_decryption", "result")),
    ("mix", ("shuffle", "ranked_decryption")),
)
"""The phases of an election and the entry kinds each holds. The mix's entries
(section 16) come after the tally and may interleave with the partial
decryptions; the result closes both."""

KIND_RANK: dict[str, int] = {
    "manifest": 0,
    "trustee_commitment": 1,
    # Shares and complaints may interleave: a complaint follows the shares it is about.
    "trustee_shares": 2,
    "trustee_complaint": 2,
    "joint_key": 3,
    "credential_roll": 4,
    "open": 5,
    "ballot": 6,
    "audited_ballot": 6,
    "revocation": 6,
    "close": 7,
    "tally": 8,
    # The mix (16) and the partial decryptions may interleave, by the rules of 16.
    "partial_decryption": 9,
    "shuffle": 9,
    "ranked_decryption": 9,
    "result": 10,
}
"""Entries must appear with non-decreasing rank; equal ranks may interleave."""

SINGLE_KINDS = frozenset(
    {"manifest", "joint_key", "credential_roll", "open", "close", "tally", "result"}
)
"""Kinds that appear exactly once in a complete record."""

PHASE_OF_KIND = {kind: phase for phase, kinds in PHASES for kind in kinds}

_ENTRY_KEYS = frozenset({"body", "index", "kind", "previous", "time"})
_ENTRY_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
_UTC_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z")
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Entry:
    """One board entry: its position, kind, link, body, canonical line and hash."""

    index: int
    kind: str
    previous: bytes
    body: Any
    line: bytes
    hash: bytes
    time: str = ""

    @property
    def body_json(self) -> bytes:
        """The canonical JSON of `body`: the part of the canonical `line` that holds it."""
        return self.line[8:self.line.rindex(b',"index":')]


def is_utc_time(value: Any) -> bool:
    """Whether `value` is an ISO 8601 UTC time such as `2026-12-01T09:00:00Z`."""
    if not isinstance(value, str) or not _UTC_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value[:19])
    except ValueError:
        return False
    return True


def is_entry_time(value: Any) -> bool:
    """Whether `value` is an entry's time stamp (10.1): `YYYY-MM-DDTHH:MM:SS.ffffffZ`,
    exactly six fractional digits, a real calendar date and time in UTC."""
    if type(value) is not str or not _ENTRY_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value[:26])
    except ValueError:
        return False
    return True


def entry_time(moment: datetime) -> str:
    """The time stamp (10.1) of an aware datetime, in UTC to the microsecond."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def instant(value: str) -> datetime:
    """The aware UTC datetime of a time the record holds (an entry's `time`, a
    manifest's `opens_at`, an `opened_at`), already checked for its form; digits
    past the microsecond are dropped (so 9 digits compare as their first 6)."""
    whole, _, fraction = value[:-1].partition(".")
    moment = datetime.fromisoformat(whole).replace(tzinfo=UTC)
    if fraction:
        moment = moment.replace(microsecond=int(fraction[:6].ljust(6, "0")))
    return moment


def entry_hash(line: bytes) -> bytes:
    """SHA-256 of an entry's canonical line (without its newline)."""
    return hashlib.sha256(line).digest()


def make_entry(index: int, kind: str, previous_hash: bytes, body: Any, time: str) -> Entry:
    """Build board entry `index` of `kind` holding `body`, chained to `previous_hash`.

    `previous_hash` is the hash of entry `index - 1`, or `GENESIS` for entry 0;
    `time` is the entry's time stamp (`entry_time`, 10.1). The returned `line`
    (no newline) is what the board stores and publishes.
    """
    line = entry_line(index, kind, previous_hash, canonical_json(body), time)
    return Entry(index, kind, previous_hash, body, line, entry_hash(line), time)


def make_chained_entry(
    index: int, kind: str, previous_hash: bytes, body: Any, *, kinds: Collection[str],
    record: str,
) -> Entry:
    """Build entry `index` of another hash-chained record (a committee register, a
    petition log): the same line form and chain as the board, with that record's kinds."""
    if kind not in kinds:
        raise ValueError(f"unknown {record} entry kind {kind!r}")
    line = canonical_json(
        {"body": body, "index": index, "kind": kind, "previous": previous_hash.hex()}
    )
    return Entry(index, kind, previous_hash, body, line, entry_hash(line))


_CHAINED_ENTRY_KEYS = frozenset({"body", "index", "kind", "previous"})


def parse_chained_line(line: bytes, index: int, *, kinds: Collection[str], record: str) -> Entry:
    """Parse line `index` of another hash-chained record (see `make_chained_entry`):
    canonical JSON of an entry with exactly its four members and one of `kinds`."""
    def fail(message: str, field: str | None = None) -> RecordError:
        return RecordError(message, entry=index, field=field)

    try:
        obj = parse_json(line, field="entry")
    except InvalidEncoding as error:
        raise RecordUnreadable(f"not a JSON line: {error}", line=index) from None
    if not isinstance(obj, dict) or set(obj) != _CHAINED_ENTRY_KEYS:
        raise fail("an entry must be an object with exactly body, index, kind and previous")
    try:
        canonical = canonical_json(obj)
    except InvalidEncoding as error:
        raise fail(f"the line is not canonical JSON (2.3): {error.reason}") from None
    if canonical != line:
        raise fail("the line is not canonical JSON (2.3)")
    if type(obj["index"]) is not int or obj["index"] != index:
        raise fail(f"index is {obj['index']!r} but this is line {index}: the chain is broken "
                   "(an entry was removed or inserted)", "index")
    if obj["kind"] not in kinds:
        raise fail(f"unknown {record} entry kind {obj['kind']!r}", "kind")
    try:
        previous = bytes.fromhex(obj["previous"])
    except (TypeError, ValueError):
        previous = b""
    if len(previous) != 32 or previous.hex() != obj["previous"]:
        raise fail("previous must be 64 lowercase hex", "previous")
    return Entry(index, obj["kind"], previous, obj["body"], line, entry_hash(line))


def entry_line(index: int, kind: str, previous_hash: bytes, canonical_body: bytes,
               time: str) -> bytes:
    """The canonical line of an entry whose body is already canonical JSON bytes.

    Lets a caller that serialised a ballot once (to hash it) chain it without
    serialising it again; the keys body < index < kind < previous < time are in
    order.
    """
    return b'{"body":' + canonical_body + entry_tail(index, kind, previous_hash, time)


def entry_tail(index: int, kind: str, previous_hash: bytes, time: str) -> bytes:
    """What follows the body in an entry's canonical line (`entry_line`): from the
    comma before `index` to the closing brace, for a writer that streams the body."""
    if kind not in KIND_RANK:
        raise ValueError(f"unknown entry kind {kind!r}")
    if not is_entry_time(time):
        raise ValueError(f"not an entry time (YYYY-MM-DDTHH:MM:SS.ffffffZ): {time!r}")
    return b"".join((
        b',"index":', str(index).encode(), b',"kind":"', kind.encode(), b'","previous":"',
        previous_hash.hex().encode(), b'","time":"', time.encode(), b'"}',
    ))


def parse_entry(line: bytes, index: int) -> Entry:
    """Parse board line `index` (without its newline) and check its own form.

    Checks that the line is canonical JSON of an entry object whose `index`
    is `index` and whose kind is known. The `previous` link and kind order are
    checked by `ChainChecker`. Raises `RecordError` naming the entry, or
    `RecordUnreadable` if the line is not JSON at all.
    """
    entry = _well_formed_entry(line, index)
    if entry is not None:
        return entry
    # Something is wrong with the line: parse it again, slowly, to say what.
    try:
        obj = parse_json(line, field="entry")
    except InvalidEncoding as error:
        if not _is_plain_json(line):
            raise RecordUnreadable(f"not a JSON line: {error}", line=index) from None
        raise RecordError(f"the line is not canonical JSON (section 2.3): {error.reason}",
                          entry=index, field=error.field) from None
    if not isinstance(obj, dict) or set(obj) != _ENTRY_KEYS:
        raise RecordError(
            "an entry must be an object with exactly body, index, kind, previous and time",
            entry=index,
        )
    try:
        canonical = canonical_json(obj)
    except InvalidEncoding as error:
        raise RecordError(f"the line is not canonical JSON (section 2.3): {error.reason}",
                          entry=index, field=error.field) from None
    if canonical != line:
        raise RecordError("the line is not canonical JSON (section 2.3)", entry=index)
    if type(obj["index"]) is not int or obj["index"] != index:
        raise RecordError(
            f"index is {obj['index']!r} but this is line {index}", entry=index, field="index"
        )
    kind = obj["kind"]
    if not isinstance(kind, str) or kind not in KIND_RANK:
        raise RecordError(f"unknown entry kind {kind!r}", entry=index, field="kind")
    previous = obj["previous"]
    if not isinstance(previous, str) or not _HEX64.fullmatch(previous):
        raise RecordError("previous must be 64 lowercase hex", entry=index, field="previous")
    if not is_entry_time(obj["time"]):
        raise RecordError("must be a real UTC time written YYYY-MM-DDTHH:MM:SS.ffffffZ "
                          "(six fractional digits, section 10.1)", entry=index, field="time")
    return Entry(index, kind, bytes.fromhex(previous), obj["body"], line, entry_hash(line),
                 obj["time"])


def _is_plain_json(line: bytes) -> bool:
    """Whether `line` parses as JSON (RFC 8259) at all, ignoring the limits of 2.3.

    Section 12: JSON that parses but breaks 2.3 (a float, a duplicate key, a
    large integer, a byte order mark) makes the record invalid; only a line
    that is not JSON at all makes it unreadable.
    """
    try:
        json.loads(line.decode("utf-8").removeprefix("\ufeff"), parse_constant=_not_json)
    except (ValueError, RecursionError):
        return False
    return True


def _not_json(text: str) -> None:
    raise ValueError(f"{text} is not JSON")


def _well_formed_entry(line: bytes, index: int) -> Entry | None:
    """The entry, if line `index` passes every check of `parse_entry`; else None.

    The verifier's hot path: one parse and one re-encoding per line.
    """
    obj = parse_canonical(line)
    if type(obj) is not dict or obj.keys() != _ENTRY_KEYS:
        return None
    kind, previous, time = obj["kind"], obj["previous"], obj["time"]
    if (type(obj["index"]) is not int or obj["index"] != index or type(kind) is not str
            or kind not in KIND_RANK or type(previous) is not str
            or not _HEX64.fullmatch(previous) or not is_entry_time(time)):
        return None
    return Entry(index, kind, bytes.fromhex(previous), obj["body"], line, entry_hash(line),
                 time)


class ChainChecker:
    """Checks, entry by entry, the `previous` links and the order of kinds."""

    def __init__(self) -> None:
        self.head = GENESIS
        self.count = 0
        self.rank = -1
        self.last_kind: str | None = None
        self.kinds_seen: dict[str, int] = {}

    def skip(self, index: int, line_hash: bytes) -> None:
        """Move past line `index`, whose form is broken, so later links still check."""
        self.head = line_hash
        self.count = index + 1

    def check(self, index: int, kind: str, previous: bytes, line_hash: bytes) -> None:
        """Accept entry `index` or raise `RecordError` saying what breaks the chain.

        The entry becomes the head either way, so one missing or extra entry
        is reported once, not at every later entry.
        """
        if kind == self.last_kind and previous == self.head and kind not in SINGLE_KINDS:
            # Another linked entry of the kind just accepted (ballot after ballot):
            # nothing in the order of kinds can break.
            self.skip(index, line_hash)
            return
        expected = self.head
        self.skip(index, line_hash)
        try:
            self._check_kind(index, kind)
        except RecordError as order_error:
            if previous == expected:
                raise
            raise self._broken(index) from order_error
        if previous != expected:
            raise self._broken(index)

    @staticmethod
    def _broken(index: int) -> RecordError:
        which = "the zero hash" if index == 0 else f"the hash of entry {index - 1}"
        return RecordError(
            f"previous is not {which}: the chain is broken "
            "(an entry was removed, inserted, reordered or altered)",
            entry=index,
            field="previous",
        )

    def _check_kind(self, index: int, kind: str) -> None:
        rank = KIND_RANK[kind]
        if index == 0 and kind != "manifest":
            raise RecordError("entry 0 must be the manifest", entry=index, field="kind")
        if self.last_kind == "result":
            raise RecordError("nothing may follow the result", entry=index, field="kind")
        if rank < self.rank:
            raise RecordError(
                f"a {kind} entry may not follow a {self.last_kind} entry (section 10 order)",
                entry=index,
                field="kind",
            )
        if kind in SINGLE_KINDS and kind in self.kinds_seen:
            raise RecordError(
                f"a second {kind} entry (the first is entry {self.kinds_seen[kind]})",
                entry=index,
                field="kind",
            )
        self.kinds_seen.setdefault(kind, index)
        self.rank = rank
        self.last_kind = kind

    @property
    def phase(self) -> str:
        """The phase of the last entry accepted ("empty" before any)."""
        return PHASE_OF_KIND[self.last_kind] if self.last_kind else "empty"
