"""Reading a checked record's setup in one streaming pass (`setup_reader`), and the
credential authority's public roll file in pieces (`roll_stream.read_roll_body`)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from omov.crypto.canonical import canonical_json
from omov.crypto.credentials import roll_digest, sign_roll
from omov.crypto.group import base_mult
from omov.crypto.transcript import TestRng
from omov.record import roll_stream, setup_reader
from omov.record.roll import CredentialRoll
from omov.record.roll_stream import read_roll_body
from omov.record.setup_reader import RecordSetup, read_setup
from omov.record.simulation import SimulationPlan, simulate
from omov.record.verifier import verify_record

PLAN = SimulationPlan(voters=30, trustees=2, threshold=1, questions="yes_no",
                      seed=b"setup-reader", revote_rate=0.2, audit_rate=0.2)


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("setup") / "r.omov.jsonl"
    simulate(path, PLAN)
    return path


def lines_of(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def test_the_setup_is_the_records_and_no_ballot_is_parsed(
        record: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entries = lines_of(record)
    parsed: list[int] = []
    real = setup_reader.parse_entry
    monkeypatch.setattr(setup_reader, "parse_entry",
                        lambda line, index: parsed.append(index) or real(line, index))
    setup = read_setup(record)
    ballots = [n for n, entry in enumerate(entries)
               if entry["kind"] in ("ballot", "audited_ballot")]
    assert ballots and not set(ballots) & set(parsed)
    roll = next(entry["body"] for entry in entries if entry["kind"] == "credential_roll")
    assert isinstance(roll, dict)
    assert setup.roll is not None and len(setup.roll) == PLAN.voters
    assert setup.roll_digest == roll_digest(roll["credentials"])
    assert setup.roll.blob == CredentialRoll.from_credentials(roll["credentials"]).blob
    first = {}
    for entry in entries:
        if entry["kind"] not in ("credential_roll", "ballot", "audited_ballot"):
            first.setdefault(entry["kind"], entry["body"])
    assert setup.bodies == first
    assert verify_record(record, jobs=1).ok


def test_the_eligible_credentials_follow_the_revocations() -> None:
    stranger = base_mult(TestRng(b"stranger").scalar()).to_bytes()
    on_roll = sorted(base_mult(TestRng(bytes([n])).scalar()).to_bytes() for n in range(3))
    added = base_mult(TestRng(b"added").scalar()).to_bytes()
    setup = RecordSetup(roll=CredentialRoll(b"".join(on_roll)), revocations=[
        {"revoked": [on_roll[1].hex()], "added": [added.hex()]}])
    eligible = setup.eligible()
    assert on_roll[0] in eligible and on_roll[2] in eligible and added in eligible
    assert on_roll[1] not in eligible
    assert stranger not in eligible and on_roll[0].hex() not in eligible


def roll_file(voters: int) -> tuple[bytes, bytes]:
    rng = TestRng(b"roll-body")
    credentials = [base_mult(rng.scalar()) for _ in range(voters)]
    body = sign_roll(bytes(32), rng.scalar(), credentials, rng)
    return canonical_json(body) + b"\n", roll_digest(body["credentials"])


@pytest.mark.parametrize("piece", [7, 100, 1 << 20])
def test_a_canonical_roll_file_is_read_in_pieces(
        piece: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roll_stream, "PIECE", piece)
    data, digest = roll_file(40)
    streamed = read_roll_body(io.BytesIO(data))
    assert streamed is not None and streamed.problem is None
    assert streamed.digest == digest
    body = json.loads(data)
    assert streamed.credentials == b"".join(bytes.fromhex(c) for c in body["credentials"])
    assert streamed.signature == body["signature"]


def test_a_roll_file_of_another_form_is_left_to_the_whole_reading() -> None:
    data, _ = roll_file(3)
    body = json.loads(data)
    for other in (data[:-1], data + b"\n", json.dumps(body, indent=1).encode() + b"\n",
                  data.replace(b'"credentials":["', b'"credentials":[ "', 1), b"",
                  canonical_json({**body, "credentials": []}).replace(b"[]", b"[,]") + b"\n"):
        assert read_roll_body(io.BytesIO(other)) is None


def test_an_empty_roll_file_is_read() -> None:
    data, _ = roll_file(1)
    body = {**json.loads(data), "credentials": []}
    streamed = read_roll_body(io.BytesIO(canonical_json(body) + b"\n"))
    assert streamed is not None and streamed.credentials == b""
    assert streamed.digest == roll_digest([])
