"""The election code the credential authority gives each member next to their
voting code: the first 10 bytes of the election fingerprint (7.1) as a tracker.

The authority computes it itself, from a record it has checked with the
verifier (manifest and joint key) and from its own public roll, so a server
that shows one member another key cannot also show them the matching code."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from omov.crypto.ballot import fingerprint, tracker
from omov.crypto.credentials import roll_digest, verify_roll
from omov.crypto.errors import ProtocolError
from omov.crypto.group import Point
from omov.record.errors import RecordError, RecordUnreadable
from omov.record.manifest import Manifest, parse_manifest
from omov.record.roll import check_streamed_roll
from omov.record.roll_stream import read_roll_body
from omov.record.setup_reader import RecordSetup, read_setup
from omov.record.verifier import verify_record
from omov.trustee_files import CommandError, body_of, read_json

COMPARE = ("Before you cast your ballot, check that the booth shows this same election "
           "code; if it shows another, do not vote and tell the credential authority.")


def election_code(record_path: str, roll_path: str | None) -> str:
    """The election code from the checked record and the authority's own roll:
    the file ``roll_path``, else the roll on the record, which only the
    authority's key can have signed."""
    return election_code_and_close(record_path, roll_path)[0]


def election_code_and_close(record_path: str, roll_path: str | None,
                            zone: str = "UTC") -> tuple[str, str]:
    """The election code, and the manifest's closing time in words in `zone` (the
    organisation's, as its site shows times), for the letter that tells each member
    when voting closes."""
    setup = _checked_setup(record_path)
    if roll_path is None and setup.roll is None:
        raise CommandError("the record holds no public roll yet: give --public-roll")
    try:
        manifest = parse_manifest(setup.bodies["manifest"], 0)
        digest = (setup.roll_digest if roll_path is None
                  else _own_roll_digest(roll_path, manifest))
        public_key = Point.from_hex(setup.bodies["joint_key"]["public_key"])
    except (RecordError, ProtocolError) as error:
        raise CommandError(f"the public roll does not belong to this record: {error}") from None
    election = fingerprint(manifest.digest, public_key, digest)
    return tracker(election), time_words(str(manifest.body["closes_at"]), zone)


def _own_roll_digest(roll_path: str, manifest: Manifest) -> bytes:
    """The roll digest of the authority's own public roll file, checked against the
    manifest's authority key: read in pieces when it is canonical JSON, as
    `omov credentials generate` writes it, else whole."""
    try:
        with open(roll_path, "rb") as handle:
            streamed = read_roll_body(handle)
    except OSError as error:
        raise CommandError(f"cannot read public roll {roll_path}: {error.strerror}") from None
    if streamed is not None:
        return check_streamed_roll(streamed, manifest.digest, manifest.authority_key, 0)[1]
    roll = body_of(read_json(roll_path, "public roll"), "credential_roll")
    verify_roll(manifest.digest, manifest.authority_key, roll)
    return roll_digest(roll["credentials"])


def time_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(f"unknown time zone {name!r}: give one such as Europe/London "
                           "or UTC") from None


def time_words(stamp: str, zone: str = "UTC") -> str:
    """A manifest time (``2026-12-02T14:00:00Z``) in `zone`, in the site's one format:
    "Wed 2 Dec 2026, 14:00 GMT" (Europe/London in winter), "… 14:00 UTC"."""
    moment = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    moment = moment.astimezone(time_zone(zone))
    return f"{moment:%a} {moment.day} {moment:%b %Y}, {moment:%H:%M} {moment.tzname()}"


def _checked_setup(record_path: str) -> RecordSetup:
    """The setup of a record the verifier accepts, which has a joint key."""
    try:
        report = verify_record(record_path, jobs=1)
        setup = read_setup(record_path)
    except (RecordUnreadable, RecordError, OSError) as error:
        raise CommandError(f"cannot read the record {record_path}: {error}") from None
    if not report.ok:
        raise CommandError(f"the record {record_path} does not verify:\n" + report.render())
    if "joint_key" not in setup.bodies:
        raise CommandError(f"the record {record_path} has no joint key yet: "
                           "mail the codes after the key ceremony")
    return setup
