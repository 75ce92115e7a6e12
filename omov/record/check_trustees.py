"""Check 4: the trustees' key generation (sections 8.1 to 8.4) as the board shows it."""

from __future__ import annotations

from typing import Any

from omov.crypto.dkg import check_commitment, check_complaint, check_shares, qualified
from omov.crypto.dkg_messages import TrusteeCommitment, TrusteeShares
from omov.crypto.errors import ProtocolError
from omov.crypto.group import Point
from omov.crypto.threshold import joint_key, verification_keys
from omov.record.board import Entry
from omov.record.errors import RecordError, from_protocol
from omov.record.manifest import Manifest
from omov.record.report import Report

CHECK = 4


class TrusteeChecks:
    """Follows the key generation entry by entry and derives the joint key.

    After `joint_key_entry`, `public_key`, `qualified` and
    `verification_keys` hold what the rest of the record is checked against.
    """

    def __init__(self, manifest: Manifest, report: Report) -> None:
        self.manifest = manifest
        self.report = report
        self.commitments: dict[int, TrusteeCommitment] = {}
        self.shares: dict[int, TrusteeShares] = {}
        self.seen_commitments: set[int] = set()
        self.seen_shares: set[int] = set()
        self.upheld_against: set[int] = set()
        self.complaints = 0
        self.public_key: Point | None = None
        self.qualified: tuple[int, ...] = ()
        self.verification_keys: dict[int, Point] = {}

    def commitment(self, entry: Entry) -> None:
        """A `trustee_commitment` entry: its k + 1 Schnorr proofs (8.1)."""
        trustee = _trustee_of(entry.body)
        if trustee is not None and trustee in self.seen_commitments:
            self._fail(entry, f"a second commitment by trustee {trustee}", "trustee")
            return
        try:
            commitment = check_commitment(
                self.manifest.digest, entry.body, len(self.manifest.trustees),
                self.manifest.threshold,
            )
        except ProtocolError as error:
            self.report.fail(CHECK, from_protocol(error, entry.index))
            return
        self.seen_commitments.add(commitment.trustee)
        self.commitments[commitment.trustee] = commitment

    def shares_entry(self, entry: Entry) -> None:
        """A `trustee_shares` entry: one signed share per other trustee (8.2)."""
        trustee = _trustee_of(entry.body)
        if trustee is not None and trustee in self.seen_shares:
            self._fail(entry, f"a second shares entry by trustee {trustee}", "trustee")
            return
        try:
            dealt = check_shares(self.manifest.digest, entry.body, self.commitments)
        except ProtocolError as error:
            self.report.fail(CHECK, from_protocol(error, entry.index))
            return
        self.seen_shares.add(dealt.trustee)
        self.shares[dealt.trustee] = dealt

    def complaint(self, entry: Entry) -> None:
        """A `trustee_complaint` entry: upheld, or reported with no effect (8.3)."""
        self.complaints += 1
        body = entry.body
        try:
            upheld = check_complaint(self.manifest.digest, body, self.commitments, self.shares)
        except ProtocolError as error:
            reported = from_protocol(error, entry.index)
            reported.reason = f"complaint rejected, it has no effect: {reported.reason}"
            self.report.warn(CHECK, reported)
            return
        if upheld:
            self.upheld_against.add(body["against"])
        else:
            self.report.warn(CHECK, RecordError(
                f"complaint by trustee {body['trustee']} against trustee {body['against']} "
                "is not upheld (the share matches the commitments); it has no effect",
                entry=entry.index,
            ))

    def joint_key_entry(self, entry: Entry) -> None:
        """The `joint_key` entry: the qualified set and `Y` recomputed (8.4)."""
        try:
            members = qualified(
                self.commitments, self.shares, self.upheld_against, self.manifest.threshold
            )
        except ProtocolError as error:
            self.report.fail(CHECK, from_protocol(error, entry.index))
            return
        coefficients = {i: self.commitments[i].commitments for i in members}
        key = joint_key(coefficients, members)
        body = entry.body
        if not isinstance(body, dict) or set(body) != {"qualified", "public_key"}:
            self._fail(entry, "the joint key entry holds exactly qualified and public_key", None)
        elif not (isinstance(body["qualified"], list)
                  and all(type(i) is int for i in body["qualified"])
                  and body["qualified"] == list(members)):
            self._fail(entry, f"the qualified trustees are {list(members)}, "
                       f"not {body['qualified']}", "qualified")
        elif body["public_key"] != key.hex():
            self._fail(entry, "the public key is not the sum of the qualified trustees' "
                       "first commitments", "public_key")
        self.public_key = key
        self.qualified = members
        self.verification_keys = verification_keys(coefficients, members, members)
        self.report.check(CHECK, f"key generation: {len(self.commitments)} commitments, "
                          f"{len(self.shares)} share sets, {self.complaints} complaint(s); "
                          f"joint key from trustees {', '.join(map(str, members))}")

    def _fail(self, entry: Entry, message: str, field: str | None) -> None:
        self.report.fail(CHECK, RecordError(message, entry=entry.index, field=field))


def _trustee_of(body: Any) -> int | None:
    trustee = body.get("trustee") if isinstance(body, dict) else None
    return trustee if type(trustee) is int else None
