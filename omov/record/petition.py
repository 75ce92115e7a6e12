"""The petition signature log: a hash-chained record of one petition.

Entries have the board's shape (`omov.record.board`): one canonical JSON line
`{"body": {...}, "index": n, "kind": "...", "previous": "<hex>"}`, hashed with
SHA-256 and chained by `previous` from 32 zero bytes. The kinds, in order:

- `petition` (entry 0, once): what the petition is and its thresholds;
- `text_version`: a frozen text; signatures count for the latest version only;
- `signature` / `withdrawal`: a signer's receipt, pseudonym and visibility;
- `threshold_reached`: a target met, with the count and the time;
- `close` (last, once): the final count.

A signer's `pseudonym` is HMAC-SHA256 under a per-server key of the petition
id and the member id, so a public entry proves that no member signed twice
without naming anyone; only signers who chose `public` have a `name`.
The count is derived from the log, never stored apart from it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from omov.crypto.canonical import canonical_json
from omov.record.board import (
    GENESIS,
    Entry,
    is_utc_time,
    make_chained_entry,
    parse_chained_line,
)
from omov.record.errors import RecordError

RECORD_KIND = "petition"
"""The kind of entry 0, by which `omov verify` knows a petition record."""

KINDS = ("petition", "text_version", "signature", "withdrawal", "threshold_reached", "close")
VISIBILITIES = ("public", "members", "counted")
"""Named publicly, named to members only, or counted without a name shown."""



def signer_pseudonym(server_key: bytes, petition_id: str, member_id: str) -> str:
    """The signer's pseudonym on this petition: unlinkable across petitions without the key."""
    message = canonical_json({"member": member_id, "petition": petition_id})
    return hmac.new(server_key, message, hashlib.sha256).hexdigest()


PetitionEntry = Entry
"""A petition entry has the board's form: position, kind, link, body, line and hash."""


def make_petition_entry(
    index: int, kind: str, previous_hash: bytes, body: dict[str, Any]
) -> PetitionEntry:
    """Build entry `index` of `kind` holding `body`, chained to `previous_hash`."""
    return make_chained_entry(index, kind, previous_hash, body, kinds=KINDS, record="petition")


@dataclass
class PetitionState:
    """What the log says so far: versions, live signatures, thresholds, closing."""

    petition: dict[str, Any] = field(default_factory=dict)
    version: int = 0
    signatures: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Live signatures on the current version, by pseudonym."""
    receipts: set[str] = field(default_factory=set)
    reached: dict[str, str] = field(default_factory=dict)
    """Threshold name to the time it was reached."""
    closed: bool = False

    @property
    def count(self) -> int:
        """The number of live signatures on the current text version."""
        return len(self.signatures)

    def find_receipt(self, receipt: str) -> dict[str, Any] | None:
        """The live signature with this receipt code, if any."""
        return next((s for s in self.signatures.values() if s["receipt"] == receipt), None)


class PetitionLog:
    """Appends entries to a petition log, checking each against the rules of the format.

    The same checks run when the platform appends and when the verifier
    replays a downloaded record (`verify_petition_lines`).
    """

    def __init__(self) -> None:
        self.entries: list[PetitionEntry] = []
        self.state = PetitionState()

    @property
    def head(self) -> bytes:
        """The hash of the last entry, or the genesis hash."""
        return self.entries[-1].hash if self.entries else GENESIS

    def append(self, kind: str, body: dict[str, Any]) -> PetitionEntry:
        """Check and append one entry; raise `RecordError` (nothing appended) on a broken rule."""
        entry = make_petition_entry(len(self.entries), kind, self.head, body)
        self.accept(entry)
        return entry

    def accept(self, entry: PetitionEntry) -> None:
        """Check `entry` against the chain and the state; append it if it is sound."""
        if entry.previous != self.head:
            raise RecordError("previous is not the hash of the entry before: the chain is "
                              "broken (an entry was removed, inserted, reordered or altered)",
                              entry=entry.index, field="previous")
        _apply(self.state, entry)
        self.entries.append(entry)


def _require(body: dict[str, Any], index: int, keys: Iterable[str]) -> None:
    missing = sorted(set(keys) - set(body))
    extra = sorted(set(body) - set(keys))
    if missing or extra:
        raise RecordError(f"body must hold exactly {', '.join(sorted(keys))}", entry=index)
    if "at" in body and not is_utc_time(body["at"]):
        raise RecordError("at must be a UTC time such as 2026-12-01T09:00:00Z",
                          entry=index, field="at")


def _apply(state: PetitionState, entry: PetitionEntry) -> None:
    index, kind, body = entry.index, entry.kind, entry.body
    if not isinstance(body, dict):
        raise RecordError("body must be an object", entry=index)
    if (index == 0) != (kind == "petition"):
        raise RecordError("entry 0, and only entry 0, is the petition", entry=index, field="kind")
    if state.closed:
        raise RecordError("nothing may follow the close", entry=index, field="kind")
    _APPLY[kind](state, index, body)


def _apply_petition(state: PetitionState, index: int, body: dict[str, Any]) -> None:
    _require(body, index, ("id", "kind", "title", "target", "thresholds", "at"))
    thresholds = body["thresholds"]
    if not isinstance(thresholds, dict) or not all(
        isinstance(name, str) and type(value) is int and value > 0
        for name, value in thresholds.items()
    ):
        raise RecordError("thresholds must map names to positive integers",
                          entry=index, field="thresholds")
    state.petition = body


def _apply_text(state: PetitionState, index: int, body: dict[str, Any]) -> None:
    _require(body, index, ("version", "text", "at"))
    if body["version"] != state.version + 1:
        raise RecordError(f"version must be {state.version + 1}", entry=index, field="version")
    if state.reached:
        raise RecordError("the text may not change once a threshold is reached", entry=index)
    state.version = body["version"]
    # Signatures do not carry over to a new version of the text.
    state.signatures = {}


def _apply_signature(state: PetitionState, index: int, body: dict[str, Any]) -> None:
    visibility = body.get("visibility")
    keys = ("receipt", "pseudonym", "visibility", "version", "at")
    _require(body, index, (*keys, "name") if visibility == "public" else keys)
    if visibility not in VISIBILITIES:
        raise RecordError(f"visibility must be one of {', '.join(VISIBILITIES)}",
                          entry=index, field="visibility")
    if state.version == 0 or body["version"] != state.version:
        raise RecordError(f"a signature must be on the current text version {state.version}",
                          entry=index, field="version")
    if body["pseudonym"] in state.signatures:
        raise RecordError("this signer has already signed (same pseudonym)",
                          entry=index, field="pseudonym")
    if body["receipt"] in state.receipts:
        raise RecordError("a receipt code is used twice", entry=index, field="receipt")
    state.receipts.add(body["receipt"])
    state.signatures[body["pseudonym"]] = body


def _apply_withdrawal(state: PetitionState, index: int, body: dict[str, Any]) -> None:
    _require(body, index, ("receipt", "pseudonym", "at"))
    signed = state.signatures.get(body["pseudonym"])
    if signed is None or signed["receipt"] != body["receipt"]:
        raise RecordError("withdraws no live signature (pseudonym and receipt must match one)",
                          entry=index, field="receipt")
    del state.signatures[body["pseudonym"]]


def _apply_threshold(state: PetitionState, index: int, body: dict[str, Any]) -> None:
    _require(body, index, ("threshold", "target", "count", "at"))
    name = body["threshold"]
    if state.petition["thresholds"].get(name) != body["target"]:
        raise RecordError("names no threshold of the petition with this target",
                          entry=index, field="threshold")
    if name in state.reached:
        raise RecordError(f"threshold {name} was already reached", entry=index, field="threshold")
    if body["count"] != state.count or state.count < body["target"]:
        raise RecordError(f"the log holds {state.count} signatures here, not {body['count']} "
                          f"of the target {body['target']}", entry=index, field="count")
    state.reached[name] = body["at"]


def _apply_close(state: PetitionState, index: int, body: dict[str, Any]) -> None:
    _require(body, index, ("count", "at"))
    if body["count"] != state.count:
        raise RecordError(f"the log holds {state.count} signatures, not {body['count']}",
                          entry=index, field="count")
    state.closed = True


_APPLY = {
    "petition": _apply_petition, "text_version": _apply_text, "signature": _apply_signature,
    "withdrawal": _apply_withdrawal, "threshold_reached": _apply_threshold, "close": _apply_close,
}


def parse_petition_line(line: bytes, index: int) -> PetitionEntry:
    """Parse line `index` of a petition record; raise `RecordError` if it is not canonical."""
    return parse_chained_line(line, index, kinds=KINDS, record="petition")


@dataclass
class PetitionReport:
    """The verifier's verdict on a petition record."""

    log: PetitionLog
    failure: RecordError | None = None

    @property
    def ok(self) -> bool:
        """True when every entry checked."""
        return self.failure is None

    def render(self) -> str:
        """The verdict in plain words."""
        state = self.log.state
        lines = [f"petition {state.petition.get('id', '?')}: {len(self.log.entries)} entries, "
                 f"{state.count} live signatures on text version {state.version}"]
        lines += [f"threshold {name} reached at {at}" for name, at in state.reached.items()]
        if self.failure is not None:
            lines += [f"✗ {self.failure.describe()}", "INVALID"]
        else:
            lines += [f"✓ chain and counts; {'closed' if state.closed else 'open'}; "
                      f"head {self.log.head.hex()}", "VALID"]
        return "\n".join(lines)


def verify_petition_lines(lines: Iterable[bytes]) -> PetitionReport:
    """Replay a petition record line by line; stop at the first entry that fails."""
    report = PetitionReport(PetitionLog())
    try:
        for index, line in enumerate(lines):
            report.log.accept(parse_petition_line(line, index))
    except RecordError as error:
        report.failure = error
    return report


def verify_petition_file(path: str) -> PetitionReport:
    """Check the petition record at `path` (JSON Lines, one entry a line)."""
    with open(path, "rb") as file:
        return verify_petition_lines(line.rstrip(b"\n") for line in file if line.strip())
