"""The credential roll line read as a stream: every alteration is caught, and named
exactly as when the line is read whole.

`read_roll` follows the canonical shape of the roll line piece by piece; a line
that departs from it is read whole and checked as any other line. These tests
alter the roll line of a small record and compare the two ways of reading it.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from omov.crypto.canonical import canonical_json
from omov.crypto.credentials import TAG_ROLL_SIGNATURE, roll_digest, sign_roll
from omov.crypto.group import Point, Scalar, base_mult
from omov.crypto.proofs import SchnorrProof
from omov.crypto.transcript import TestRng
from omov.record import reader, verifier
from omov.record.errors import RecordUnreadable
from omov.record.manifest import parse_manifest
from omov.record.report import Report
from omov.record.roll_stream import signed_roll, sorted_credentials
from omov.record.simulation import SimulationPlan, simulate
from tests.record.tamper_kit import authority_secret, check, positions, problems, save

Entries = list[dict[str, Any]]
SMALL = SimulationPlan(voters=12, trustees=2, threshold=1, questions="yes_no",
                       seed=b"tamper-suite", revote_rate=0.2, audit_rate=0.0)


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roll") / "valid.omov.jsonl"
    simulate(path, SMALL)
    return path


def roll_at(entries: Entries) -> int:
    return positions(entries, "credential_roll")[0]


def resign(entries: Entries) -> None:
    """Sign the roll's credentials again with the authority's key, as a dishonest
    authority would: only the content checks can then catch what it lists."""
    at = roll_at(entries)
    body = entries[at]["body"]
    digest = parse_manifest(entries[0]["body"]).digest
    body["signature"] = SchnorrProof.prove(
        TAG_ROLL_SIGNATURE, (digest, roll_digest(body["credentials"])), authority_secret(),
        TestRng(b"resign")).to_json()


def rewrite(lines: list[bytes], path: Path) -> Path:
    """Write raw lines, re-linking every line after the first altered one (which
    may not be JSON any more: it is written as it is)."""
    previous = None
    written = []
    for line in lines:
        if previous is not None:
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
            if entry is not None and canonical_json(entry) == line:
                entry["previous"] = previous.hex()
                line = canonical_json(entry)
        previous = hashlib.sha256(line).digest()
        written.append(line + b"\n")
    path.write_bytes(b"".join(written))
    return path


def raw_lines(entries: Entries) -> list[bytes]:
    return [canonical_json(entry) for entry in entries]


def read_whole(monkeypatch: pytest.MonkeyPatch, path: Path) -> tuple[str, Report | str]:
    """The outcome of verifying `path` with the roll line read whole (the slow path)."""
    with monkeypatch.context() as patched:
        patched.setattr(verifier, "read_roll", lambda line: None)
        return outcome(path)


def outcome(path: Path) -> tuple[str, Report | str]:
    try:
        report = check(path)
    except RecordUnreadable as error:
        return "unreadable", str(error)
    return ("valid" if report.ok else "invalid"), report


def same_outcome(monkeypatch: pytest.MonkeyPatch, path: Path,
                 streamed_only: bool | None = None) -> str:
    """Assert the streamed and whole readings agree; return what they say.

    With `streamed_only` True (False), assert that the streamed reading did not
    (did) fall back to reading the roll line whole.
    """
    read_again = []
    whole_line = reader.RollLine.whole

    def counted(line: reader.RollLine) -> bytes:
        read_again.append(line.index)
        return whole_line(line)

    with monkeypatch.context() as patched:
        patched.setattr(reader.RollLine, "whole", counted)
        streamed = outcome(path)
    if streamed_only is not None:
        assert (not read_again) == streamed_only, read_again
    whole = read_whole(monkeypatch, path)
    assert streamed[0] == whole[0]
    if isinstance(streamed[1], Report) and isinstance(whole[1], Report):
        said = problems(streamed[1])
        assert said == problems(whole[1])
        assert streamed[1].checks.keys() == whole[1].checks.keys()
        return said
    assert streamed[1] == whole[1]
    return str(streamed[1])


def test_the_untouched_roll_streams_in_small_pieces(
        original: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "PIECE", 61)
    monkeypatch.setattr(reader.RollLine, "whole", None)  # never read whole
    report = check(original)
    assert report.ok and report.complete, problems(report)
    assert "credential roll: 12 credentials" in report.checks[5].passed


def test_a_roll_line_over_the_line_limit_streams(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A roll line longer than any other line may be (the 8 MiB limit scaled down to
    this record) passes, read as a stream; the same line that is not a roll fails."""
    path = tmp_path / "long-roll.omov.jsonl"
    simulate(path, SimulationPlan(voters=150, trustees=1, threshold=1, seed=b"long",
                                  audit_rate=0.0))
    lines = path.read_bytes().splitlines()
    at = next(n for n, line in enumerate(lines) if b'"kind":"credential_roll"' in line)
    longest_other = max(len(line) for n, line in enumerate(lines) if n != at)
    assert len(lines[at]) > longest_other
    monkeypatch.setattr(reader, "MAX_LINE", longest_other)
    monkeypatch.setattr(reader, "PIECE", 4096)
    said = same_outcome(monkeypatch, path, streamed_only=True)
    assert said == ""
    lines[at] = lines[at].replace(b'"kind":"credential_roll"', b'"kind":"ballot"')
    said = same_outcome(monkeypatch, rewrite(lines, tmp_path / "not-a-roll.omov.jsonl"),
                        streamed_only=False)
    assert f"entry {at}: the line is longer than 8 MiB" in said


def test_duplicate_credentials(entries: Entries, out: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    at = roll_at(entries)
    credentials = entries[at]["body"]["credentials"]
    credentials.insert(5, credentials[4])
    resign(entries)
    said = same_outcome(monkeypatch, save(entries, out), streamed_only=True)
    assert (f"entry {at}, field credentials[5]: credentials must be sorted ascending "
            "without duplicates") in said


def test_a_bad_signature(entries: Entries, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = roll_at(entries)
    signature = entries[at]["body"]["signature"]
    signature["response"] = Scalar.from_hex(signature["response"]).value.__add__(1).to_bytes(
        32, "little").hex()
    said = same_outcome(monkeypatch, save(entries, out), streamed_only=True)
    assert f"entry {at}, field signature: the credential authority's signature" in said


def test_a_signature_scalar_out_of_range(entries: Entries, out: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    at = roll_at(entries)
    entries[at]["body"]["signature"]["challenge"] = "ff" * 32
    said = same_outcome(monkeypatch, save(entries, out), streamed_only=True)
    assert f"entry {at}, field signature.challenge" in said


@pytest.mark.parametrize(("credential", "reason"), [
    ("ff" * 32, "not a canonical ristretto255 point encoding"),
    ("00" * 32, "the identity point is not allowed here"),
    ("AB" * 32, "a point must be 64 lowercase hexadecimal characters"),
    ("ab" * 31, "a point must be 64 lowercase hexadecimal characters"),
])
def test_a_credential_that_is_not_a_point(entries: Entries, out: Path, credential: str,
                                          reason: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = roll_at(entries)
    credentials = entries[at]["body"]["credentials"]
    credentials[3] = credential
    resign(entries)
    said = same_outcome(monkeypatch, save(entries, out), streamed_only=re.fullmatch(
                            "[0-9a-f]{64}", credential) is not None)
    assert f"entry {at}, field credentials[3]: {reason}" in said


@pytest.mark.parametrize(("old", "new"), [
    (b'","', b'", "'),  # white space
    (b'":["', b'":[ "'),
    (b'"signature":{"challenge"', b'"signature":{"response":"00","challenge"'),
])
def test_a_roll_line_that_is_not_canonical(entries: Entries, out: Path, old: bytes, new: bytes,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    at = roll_at(entries)
    lines = raw_lines(entries)
    assert old in lines[at]
    lines[at] = lines[at].replace(old, new, 1)
    said = same_outcome(monkeypatch, rewrite(lines, out), streamed_only=False)
    assert f"entry {at}" in said and "canonical" in said


def test_an_escaped_digit_in_a_credential(entries: Entries, out: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    at = roll_at(entries)
    lines = raw_lines(entries)
    start = lines[at].index(b'["') + 2
    digit = lines[at][start:start + 1]
    lines[at] = lines[at][:start] + b"\\u00%02x" % digit[0] + lines[at][start + 1:]
    said = same_outcome(monkeypatch, rewrite(lines, out))
    assert f"entry {at}: the line is not canonical JSON" in said


def test_a_trailing_comma(entries: Entries, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = roll_at(entries)
    lines = raw_lines(entries)
    lines[at] = lines[at].replace(b'"],"signature"', b'",],"signature"', 1)
    said = same_outcome(monkeypatch, rewrite(lines, out))
    assert f"line {at}: not a JSON line" in said


def test_a_roll_line_cut_short(entries: Entries, out: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    at = roll_at(entries)
    lines = raw_lines(entries)
    lines[at] = lines[at][:len(lines[at]) // 2]
    said = same_outcome(monkeypatch, rewrite(lines, out))
    assert f"line {at}: not a JSON line" in said


def test_a_file_that_ends_inside_the_roll_line(entries: Entries, out: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    at = roll_at(entries)
    lines = raw_lines(entries)
    out.write_bytes(b"".join(line + b"\n" for line in lines[:at]) + lines[at][:2000])
    monkeypatch.setattr(reader, "PIECE", 300)
    said = same_outcome(monkeypatch, out)
    assert f"line {at}: the last line has no newline" in said


@pytest.mark.parametrize(("member", "value", "message"), [
    ("index", 99, "field index: index is 99 but this is line"),
    ("time", "2026-02-30T08:00:00.000000Z", "field time: must be a real UTC time"),
    ("previous", "ab" * 32, "field previous: previous is not the hash of entry"),
])
def test_a_wrong_entry_member(entries: Entries, out: Path, member: str, value: Any,
                              message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = roll_at(entries)
    lines = raw_lines(entries)
    lines[at] = canonical_json({**entries[at], member: value})
    said = same_outcome(monkeypatch, rewrite(lines, out) if member != "previous"
                        else _without_relink(lines, at, out))
    assert f"entry {at}, {message}" in said


def _without_relink(lines: list[bytes], at: int, out: Path) -> Path:
    """Lines written as they are but for the links after entry `at`."""
    rewrite(lines[at:], out)
    out.write_bytes(b"".join(line + b"\n" for line in lines[:at]) + out.read_bytes())
    return out


def test_random_alterations_are_named_as_when_read_whole(
        entries: Entries, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Any byte of the roll line changed: the stream and the whole line agree."""
    at = roll_at(entries)
    line = raw_lines(entries)[at]
    chooser = random.Random(6)
    monkeypatch.setattr(reader, "PIECE", 97)
    for _ in range(40):
        position = chooser.randrange(len(line))
        altered = bytearray(line)
        altered[position] = chooser.choice(b'0123456789abcdef",[]{}: \\Az\xff')
        lines = raw_lines(entries)
        lines[at] = bytes(altered)
        same_outcome(monkeypatch, rewrite(lines, out))


def test_the_streamed_roll_body_is_the_signed_roll() -> None:
    """`signed_roll` writes byte for byte what `sign_roll` gives, from sorted bytes."""
    points = [base_mult(Scalar.from_int(n * 7919 + 3)) for n in range(40)]
    encodings = b"".join(point.to_bytes() for point in points + points[:5])
    credentials = sorted_credentials(encodings)
    assert len(credentials) == 40 * 32
    digest, body = signed_roll(b"m" * 32, Scalar.from_int(5), credentials, TestRng(b"r"))
    expected = sign_roll(b"m" * 32, Scalar.from_int(5), points, TestRng(b"r"))
    assert b"".join(body) == canonical_json(expected)
    assert digest == roll_digest(expected["credentials"])
    empty_digest, empty = signed_roll(b"m" * 32, Scalar.from_int(5), b"", TestRng(b"r"))
    assert b"".join(empty) == canonical_json(
        sign_roll(b"m" * 32, Scalar.from_int(5), [], TestRng(b"r")))
    assert empty_digest == roll_digest([])
    assert Point.from_bytes(credentials[:32]).hex() == expected["credentials"][0]
