"""Files for the trustee and credential-authority commands.

The commands read the board's entries either from a record file (JSON Lines,
docs/protocol.md section 10) or from one JSON file per entry, as the web
platform offers them for download; a file may hold the bare body or the whole
board entry (`{"body", "index", "kind", "previous", "time"}`). Outputs are canonical
JSON bodies, ready to upload. Nothing here imports Django.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omov.crypto.canonical import canonical_json, parse_json
from omov.crypto.errors import ProtocolError
from omov.record.board import entry_hash

# A record line is canonical, so its members are sorted and "kind", "previous"
# and "time" come last: the kind of a line can be read without parsing the
# (possibly very long) body. The verifier checks the time stamps (10.1).
_ENTRY_TAIL = re.compile(
    rb',"kind":"([a-z_]+)","previous":"[0-9a-f]{64}",'
    rb'"time":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z"\}\Z'
)
_TAIL_BYTES = 160
_ENTRY_KEYS = {"body", "index", "kind", "previous", "time"}


class CommandError(Exception):
    """A problem the person running the command must fix; the message says how."""


def read_json(path: str | Path, what: str) -> Any:
    """Read and parse the JSON file at `path`, described to the user as `what`."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {what} {path}: {error.strerror}") from None
    try:
        return parse_json(data, field=None)
    except ProtocolError as error:
        raise CommandError(f"{what} {path} is not valid JSON: {error}") from None


def write_json(path: str | Path, obj: Any, *, private: bool = False) -> None:
    """Write `obj` as canonical JSON and a newline, replacing `path` atomically.

    `private` files (backups, keys) are created readable by their owner only.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.")
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(canonical_json(obj) + b"\n")
        if not private:
            os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CommandError(f"cannot write {path}: {error.strerror}") from None


def refuse_overwrite(path: str | Path) -> None:
    """Stop before a secret (a backup, a key) replaces an existing file."""
    if Path(path).exists():
        raise CommandError(f"{path} already exists; refusing to overwrite it")


def read_passphrase(passphrase_file: str | None, *, confirm: bool) -> str:
    """The backup passphrase: the first line of `passphrase_file`, or asked for.

    With `confirm`, a typed passphrase is asked twice (when making a backup).
    """
    if passphrase_file is not None:
        try:
            text = Path(passphrase_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read passphrase file {passphrase_file}: {error}") from None
        passphrase = text.splitlines()[0] if text else ""
    else:
        passphrase = getpass.getpass("Backup passphrase: ")
        if confirm and getpass.getpass("Repeat the passphrase: ") != passphrase:
            raise CommandError("the two passphrases differ")
    if len(passphrase) < 8 and confirm:
        raise CommandError("the passphrase must be at least 8 characters")
    if not passphrase:
        raise CommandError("the passphrase is empty")
    return passphrase


def body_of(obj: Any, kind: str) -> Any:
    """The body of a board entry of `kind`, accepting a bare body or a whole entry."""
    if isinstance(obj, dict) and set(obj) == _ENTRY_KEYS:
        if obj["kind"] != kind:
            raise CommandError(f"expected a {kind} entry, found a {obj['kind']} entry")
        return obj["body"]
    return obj


@dataclass
class BoardInputs:
    """The board entries a trustee step needs, from a record or from files."""

    manifest: Any
    commitments: list[Any] = field(default_factory=list)
    shares: list[Any] = field(default_factory=list)
    complaints: list[Any] = field(default_factory=list)
    joint_key: Any = None
    tally: Any = None
    fingerprint: bytes | None = None
    tally_entry_hash: bytes | None = None


_WANTED_KINDS = {
    "manifest",
    "trustee_commitment",
    "trustee_shares",
    "trustee_complaint",
    "joint_key",
    "open",
    "tally",
}


def read_record(path: str | Path) -> BoardInputs:
    """Collect the trustee entries of a record file, skipping ballots unparsed."""
    bodies: dict[str, list[Any]] = {kind: [] for kind in _WANTED_KINDS}
    tally_entry_hash: bytes | None = None
    try:
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle):
                line = raw.rstrip(b"\n")
                tail = _ENTRY_TAIL.search(line[-_TAIL_BYTES:])
                if tail is None:
                    raise CommandError(f"{path} line {number + 1} is not a board entry")
                kind = tail.group(1).decode("ascii")
                if kind in _WANTED_KINDS:
                    entry = _parse_line(line, path, number)
                    bodies[kind].append(entry["body"])
                    if kind == "tally":
                        tally_entry_hash = entry_hash(line)
    except OSError as error:
        raise CommandError(f"cannot read record {path}: {error.strerror}") from None
    if len(bodies["manifest"]) != 1:
        raise CommandError(f"{path} must hold exactly one manifest entry")
    return BoardInputs(
        manifest=bodies["manifest"][0],
        commitments=bodies["trustee_commitment"],
        shares=bodies["trustee_shares"],
        complaints=bodies["trustee_complaint"],
        joint_key=_at_most_one(bodies["joint_key"], "joint_key", path),
        tally=_at_most_one(bodies["tally"], "tally", path),
        fingerprint=_fingerprint_of(_at_most_one(bodies["open"], "open", path), path),
        tally_entry_hash=tally_entry_hash,
    )


def _parse_line(line: bytes, path: str | Path, number: int) -> dict[str, Any]:
    try:
        entry = parse_json(line, field=None)
    except ProtocolError as error:
        raise CommandError(f"{path} line {number + 1}: {error}") from None
    if not isinstance(entry, dict) or set(entry) != _ENTRY_KEYS:
        raise CommandError(f"{path} line {number + 1} is not a board entry")
    return entry


def _at_most_one(bodies: list[Any], kind: str, path: str | Path) -> Any:
    if len(bodies) > 1:
        raise CommandError(f"{path} holds {len(bodies)} {kind} entries; at most one is allowed")
    return bodies[0] if bodies else None


def _fingerprint_of(open_body: Any, path: str | Path) -> bytes | None:
    if open_body is None:
        return None
    value = open_body.get("fingerprint") if isinstance(open_body, dict) else None
    if not isinstance(value, str):
        raise CommandError(f"the open entry of {path} has no fingerprint")
    return parse_fingerprint(value)


def parse_fingerprint(text: str) -> bytes:
    """The election fingerprint from its 64 lowercase hex characters."""
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise CommandError("a fingerprint is 64 lowercase hexadecimal characters")
    return bytes.fromhex(text)


def read_inputs(
    record: str | None,
    manifest: str | None,
    *,
    commitments: Sequence[str] = (),
    shares: Sequence[str] = (),
    complaints: Sequence[str] = (),
    tally: str | None = None,
    fingerprint: str | None = None,
) -> BoardInputs:
    """The board entries from `--record`, or from the individual files given."""
    if record is not None:
        if manifest is not None or commitments or shares or complaints or tally:
            raise CommandError("give either --record or the individual entry files, not both")
        inputs = read_record(record)
        if fingerprint is not None:
            inputs.fingerprint = parse_fingerprint(fingerprint)
        return inputs
    if manifest is None:
        raise CommandError("give --record RECORD, or --manifest MANIFEST with the entry files")
    return BoardInputs(
        manifest=body_of(read_json(manifest, "manifest"), "manifest"),
        commitments=[
            body_of(read_json(p, "commitment"), "trustee_commitment") for p in commitments
        ],
        shares=[body_of(read_json(p, "shares"), "trustee_shares") for p in shares],
        complaints=[
            body_of(read_json(p, "complaint"), "trustee_complaint") for p in complaints
        ],
        tally=None if tally is None else body_of(read_json(tally, "tally"), "tally"),
        fingerprint=None if fingerprint is None else parse_fingerprint(fingerprint),
    )


def say(message: str) -> None:
    """Progress for the person at the terminal."""
    print(message, file=sys.stdout)


def warn(message: str) -> None:
    print(message, file=sys.stderr)


def commitment_fingerprint(body: Any) -> str:
    """Eight hex characters of SHA-256 of a commitment body's canonical JSON (section 13)."""
    return hashlib.sha256(canonical_json(body)).hexdigest()[:8]


def backup_file_name(ballot: str, trustee: int, commitment_body: Any) -> str:
    """The name the trustee page gives a backup, e.g. `budget-trustee-2-3fa9c01d-backup.json`."""
    return f"{ballot}-trustee-{trustee}-{commitment_fingerprint(commitment_body)}-backup.json"
