"""Checks 5 and 6 and revocations: the credential roll (6.3, 6.4) and the `open` entry (7.1).

The roll is kept as one sorted byte string of 32-byte credentials
(`CredentialRoll`), so a roll of a million members takes 32 MB (and 8 MB of index) and lookups
are a binary search; worker processes share it after a fork.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from typing import Any

from omov.crypto.canonical import digest
from omov.crypto.credentials import TAG_ROLL_SIGNATURE, roll_digest, verify_roll
from omov.crypto.errors import ProtocolError
from omov.crypto.group import Point
from omov.crypto.proofs import SchnorrProof
from omov.record.board import is_utc_time
from omov.record.errors import RecordError, from_protocol
from omov.record.roll_stream import StreamedRoll

TAG_REVOCATION_SIGNATURE = "revocation-signature"
CREDENTIAL_BYTES = 32
MAX_ROLL_CREDENTIALS = 4_006_494
"""The most credentials a `credential_roll` line of at most 256 MiB holds (section 10):
each takes 67 bytes (64 hex digits, two quotes and a comma) and the rest of the line
about 347, so (268,435,456 - 347) // 67."""


class CredentialRoll:
    """The published public credentials, sorted, as one compact byte string.

    A lookup is a binary search over the first 8 bytes of each credential,
    held as big-endian integers in an array (8 bytes per credential) so that
    `bisect` compares them in C; the whole credential is compared after.
    """

    def __init__(self, blob: bytes) -> None:
        self.blob = blob
        self._prefixes = array("Q", blob)[::CREDENTIAL_BYTES // 8]
        if sys.byteorder == "little":
            self._prefixes.byteswap()

    @classmethod
    def from_credentials(cls, credentials: list[str]) -> CredentialRoll:
        """The roll from a checked roll body's sorted hex `credentials`."""
        return cls(b"".join(bytes.fromhex(credential) for credential in credentials))

    def __len__(self) -> int:
        return len(self._prefixes)

    def position(self, credential: bytes) -> int:
        """The credential's position on the roll, or -1 if it is not on it."""
        prefixes = self._prefixes
        prefix = int.from_bytes(credential[:8], "big")
        position = bisect_left(prefixes, prefix)
        while position < len(prefixes) and prefixes[position] == prefix:
            start = position * CREDENTIAL_BYTES
            if self.blob[start:start + CREDENTIAL_BYTES] == credential:
                return position
            position += 1
        return -1


def check_roll(body: Any, manifest_digest: bytes, authority_key: Point, entry: int) -> (
    tuple[CredentialRoll, bytes]
):
    """Check a `credential_roll` body (6.3); return the roll and `roll_digest`.

    `verify_roll` checks that every credential is a valid non-identity point,
    the list sorted without duplicates, and the signature the credential
    authority's (`authority_key`, from the manifest). Raises `RecordError`.
    """
    try:
        credentials = verify_roll(manifest_digest, authority_key, body)
    except ProtocolError as error:
        raise _roll_failure(error, entry) from None
    roll = CredentialRoll(b"".join(credential.to_bytes() for credential in credentials))
    return roll, roll_digest(body["credentials"])


def check_streamed_roll(streamed: StreamedRoll, manifest_digest: bytes, authority_key: Point,
                        entry: int) -> tuple[CredentialRoll, bytes]:
    """`check_roll` for a roll line read as a stream (`roll_stream`), whose form is
    canonical: the first bad credential, if any, then the signature."""
    try:
        if streamed.problem is not None:
            raise streamed.problem
        signature = SchnorrProof.from_json(streamed.signature, "signature")
        signature.verify(TAG_ROLL_SIGNATURE, (manifest_digest, streamed.digest), authority_key,
                         "signature")
    except ProtocolError as error:
        raise _roll_failure(error, entry) from None
    return CredentialRoll(streamed.credentials), streamed.digest


def _roll_failure(error: ProtocolError, entry: int) -> RecordError:
    failed = from_protocol(error, entry)
    if failed.field == "signature":
        failed.reason = f"the credential authority's signature on the roll: {failed.reason}"
    return failed


def check_open(body: Any, fingerprint: bytes, entry: int) -> None:
    """Check the `open` entry: its fingerprint must be the election's (7.1)."""
    if not isinstance(body, dict) or set(body) != {"fingerprint", "opened_at"}:
        raise RecordError("the open entry holds exactly fingerprint and opened_at", entry=entry)
    if not is_utc_time(body["opened_at"]):
        raise RecordError("must be an ISO 8601 UTC time such as 2026-12-01T09:00:00Z",
                          entry=entry, field="opened_at")
    if body["fingerprint"] != fingerprint.hex():
        raise RecordError(
            f"the fingerprint is not the election's: SHA-256 of manifest digest, joint key "
            f"and roll digest is {fingerprint.hex()}",
            entry=entry, field="fingerprint",
        )


REVOCATION_MEMBERS = frozenset({"revoked", "added", "reason", "requested_at", "signature"})
MAX_REASON = 500


def _check_reason(reason: Any, requested_at: Any, entry: int) -> None:
    """`reason`: 1-500 characters (code points), not only white space; `requested_at`: a
    time of section 5 (the member's request) or null (6.4)."""
    if type(reason) is not str or not reason.strip() or len(reason) > MAX_REASON:
        raise RecordError(f"must be a published reason: a string of 1-{MAX_REASON} characters, "
                          "not only white space", entry=entry, field="reason")
    if requested_at is not None and not is_utc_time(requested_at):
        raise RecordError("must be null or the time of the member's request, such as "
                          "2026-12-01T09:00:00Z", entry=entry, field="requested_at")


def check_revocation(
    body: Any, fingerprint: bytes, authority_key: Point, entry: int
) -> tuple[list[bytes], list[bytes]]:
    """Check a `revocation` body's form and signature (6.4); return (revoked, added).

    Whether each revoked credential was eligible and each added one new is
    decided by the caller, which knows the roll and earlier revocations.
    """
    if not isinstance(body, dict) or set(body) != REVOCATION_MEMBERS:
        raise RecordError("a revocation holds exactly revoked, added, reason, requested_at "
                          "and signature", entry=entry)
    lists: dict[str, list[bytes]] = {}
    try:
        for name in ("revoked", "added"):
            if not isinstance(body[name], list):
                raise RecordError("must be a list", entry=entry, field=name)
            lists[name] = [
                Point.from_hex(item, field=f"{name}[{n}]").to_bytes()
                for n, item in enumerate(body[name])
            ]
        if not lists["revoked"] and not lists["added"]:
            raise RecordError("a revocation names at least one credential", entry=entry,
                              field="revoked")
        _check_reason(body["reason"], body["requested_at"], entry)
        statement = digest({k: body[k] for k in ("added", "reason", "requested_at", "revoked")})
        signature = SchnorrProof.from_json(body["signature"], field="signature")
        signature.verify(
            TAG_REVOCATION_SIGNATURE, (fingerprint, statement), authority_key, field="signature"
        )
    except ProtocolError as error:
        raise from_protocol(error, entry) from None
    return lists["revoked"], lists["added"]
