"""The setup of a record the verifier has accepted, read again in one streaming pass.

For the command-line booth and the credential authority's election code: the
first body of each entry kind, the credential roll as a `CredentialRoll` (32
bytes per credential, read with `roll_stream`, never as a JSON list), the
revocations, and which credentials may vote now. Ballot lines are recognised
by the kind at the end of their canonical line and not parsed, so reading a
record of a million ballots takes seconds and little memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omov.crypto.credentials import roll_digest
from omov.record.board import parse_entry
from omov.record.reader import RollLine, read_board
from omov.record.roll import CredentialRoll
from omov.record.roll_stream import read_roll

_KIND = b',"kind":"'
_SKIPPED = frozenset({b"ballot", b"audited_ballot"})
_TAIL = 200
"""More than `,"kind":"audited_ballot","previous":"<64 hex>","time":"<27>"}`."""


@dataclass
class RecordSetup:
    """What a checked record says about its election, ballots aside.

    `bodies` holds the first body of each kind but the roll, ballots and
    audited ballots; `roll` and `roll_digest` are those of the first roll;
    `revocations` every revocation body in board order.
    """

    bodies: dict[str, Any] = field(default_factory=dict)
    roll: CredentialRoll | None = None
    roll_digest: bytes = b""
    revocations: list[Any] = field(default_factory=list)

    def eligible(self) -> Eligible:
        """The credentials that may vote now: on the roll or added, and not revoked."""
        added: set[bytes] = set()
        revoked: set[bytes] = set()
        for body in self.revocations:
            added.update(bytes.fromhex(credential) for credential in body["added"])
            revoked.update(bytes.fromhex(credential) for credential in body["revoked"])
        return Eligible(self.roll or CredentialRoll(b""), frozenset(added),
                        frozenset(revoked))


@dataclass(frozen=True)
class Eligible:
    """Membership test for 32-byte credential encodings (6.3, 6.4).

    A revoked credential never comes back (an added credential must be new),
    so the order of the revocations does not matter here.
    """

    roll: CredentialRoll
    added: frozenset[bytes]
    revoked: frozenset[bytes]

    def __contains__(self, credential: object) -> bool:
        if not isinstance(credential, bytes) or credential in self.revoked:
            return False
        return credential in self.added or self.roll.position(credential) >= 0


def read_setup(path: str | Path) -> RecordSetup:
    """Read the record at `path`, which `verify_record` has accepted.

    Raises `RecordUnreadable` or `RecordError` as `read_lines` and
    `parse_entry` do.
    """
    setup = RecordSetup()
    for index, read in read_board(path):
        if isinstance(read, RollLine):
            streamed = read_roll(read)
            if streamed is not None:
                if setup.roll is None:
                    setup.roll = CredentialRoll(streamed.credentials)
                    setup.roll_digest = streamed.digest
                continue
            read = read.whole()
        if _kind(read) in _SKIPPED:
            continue
        entry = parse_entry(read, index)
        if entry.kind == "credential_roll":
            if setup.roll is None:
                credentials = entry.body["credentials"]
                setup.roll = CredentialRoll.from_credentials(credentials)
                setup.roll_digest = roll_digest(credentials)
        elif entry.kind == "revocation":
            setup.revocations.append(entry.body)
        elif entry.kind not in ("ballot", "audited_ballot"):
            setup.bodies.setdefault(entry.kind, entry.body)
    return setup


def _kind(line: bytes) -> bytes:
    """The kind of a canonical entry line, from its end (the body comes before it)."""
    tail = line[-_TAIL:]
    start = tail.rfind(_KIND)
    if start < 0:
        return b""
    start += len(_KIND)
    return tail[start:tail.find(b'"', start)]
