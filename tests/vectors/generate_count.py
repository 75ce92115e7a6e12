"""Write tests/vectors/count_code.json and tests/vectors/count_record.omov.jsonl.

    .venv/bin/python tests/vectors/generate_count.py

count_code.json
  codes: {tally_entry_hash (hex), counted, code}: the count code of 9.4.
  record: {file, entries, ballots, audited, counted, tally_index,
    tally_entry_hash, code, ciphertexts}: what a trustee's own count
    (9.4) of count_record.omov.jsonl gives: the counted ballots by 9.1, the
    tally entry's hash and its count code; ciphertexts is the tally
    recomputed from the ballots (equal to the tally entry's).
  ranked_record: the same fields as record, for count_record_ranked.omov.jsonl,
    a seeded record of simulated_manifest's "ranked-preview" set (a yes/no
    question and two ranked questions, 5.2): its tally has an empty row for
    each ranked question (9.1), which the trustee's count must agree with. It
    stops its ranked questions at the tally (no mix, 16), so its result has no
    counts: the verifier accepts everything in it but that result.
  revocation: {after, time, body, added_secret, counted}: a revocation (6.4)
    with a published reason and requested_at, signed by the record's credential
    authority, to insert after entry `after` (the last ballot) stamped `time`.
    It revokes the credential of that last ballot and adds a new credential
    whose secret (a test value, like every secret of this seeded record) is
    added_secret; with it the counting rule gives `counted`. The Python
    verifier accepts the record with it inserted, except for the tally, which
    no longer is the sum (checked when generating).

The record is a seeded `omov simulate` (the test generator of 2.5) with
revotes and audits, so the counting rule has ballots to leave out. The
JavaScript count (frontend/src/pages/lib/tally.js) must reproduce every field;
tests/record/test_count_vectors.py regenerates both files and compares.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from omov.crypto.canonical import parse_json
from omov.crypto.group import Point, base_mult
from omov.crypto.transcript import TestRng
from omov.record.board import entry_hash, make_entry
from omov.record.count_code import count_code
from omov.record.election import revocation_body
from omov.record.simulation import SimulationPlan, master_secret, simulate
from omov.record.verifier import verify_record

HERE = Path(__file__).resolve().parent
RECORD_NAME = "count_record.omov.jsonl"
PLAN = SimulationPlan(voters=6, trustees=3, threshold=2, questions="mixed",
                      seed=b"omov count vector", revote_rate=0.5, audit_rate=0.35)
RANKED_RECORD_NAME = "count_record_ranked.omov.jsonl"
RANKED_PLAN = SimulationPlan(voters=5, trustees=3, threshold=2, questions="ranked-preview",
                             seed=b"omov ranked count vector", revote_rate=0.5,
                             audit_rate=0.6)
REASON = "The member reported the voting code lost and was sent a new one."
CODES = [(bytes(32), 0), (bytes(range(32)), 100_000), (hashlib.sha256(b"a tally").digest(), 1),
         (b"\xff" * 32, 2**53 - 1)]


def record_text(plan: SimulationPlan = PLAN) -> str:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / RECORD_NAME
        simulate(path, plan, jobs=1)
        return path.read_text(encoding="utf-8")


def _record(text: str, name: str) -> dict[str, Any]:
    lines = text.splitlines()
    entries = [parse_json(line) for line in lines]
    tally_index = next(e["index"] for e in entries if e["kind"] == "tally")
    tally = entries[tally_index]["body"]
    head = entry_hash(lines[tally_index].encode())
    return {
        "file": name,
        "entries": len(lines),
        "ballots": sum(e["kind"] == "ballot" for e in entries),
        "audited": sum(e["kind"] == "audited_ballot" for e in entries),
        "counted": tally["counted"],
        "tally_index": tally_index,
        "tally_entry_hash": head.hex(),
        "code": count_code(head, tally["counted"]),
        "ciphertexts": tally["ciphertexts"],
    }


def vectors(text: str, ranked_text: str) -> dict[str, Any]:
    return {
        "codes": [{"tally_entry_hash": h.hex(), "counted": n, "code": count_code(h, n)}
                  for h, n in CODES],
        "record": _record(text, RECORD_NAME),
        "ranked_record": _record(ranked_text, RANKED_RECORD_NAME),
        "revocation": revocation([parse_json(line) for line in text.splitlines()]),
    }


def revocation(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """A signed revocation of the last ballot's credential that adds a new one."""
    assert PLAN.seed is not None
    # The simulation's credential authority key is the first scalar of its generator.
    authority_secret = TestRng(master_secret(PLAN.seed)).scalar()
    manifest = entries[0]["body"]
    assert manifest["credential_authority"]["public_key"] == base_mult(authority_secret).hex()
    last = max(e["index"] for e in entries if e["kind"] == "ballot")
    opened = next(e for e in entries if e["kind"] == "open")
    fingerprint = bytes.fromhex(opened["body"]["fingerprint"])
    added_secret = TestRng(b"omov count vector: an added credential").scalar()
    body = revocation_body(
        fingerprint, [Point.from_hex(entries[last]["body"]["credential"])],
        [base_mult(added_secret)], REASON, authority_secret,
        TestRng(b"omov count vector: the revocation"),
        requested_at=manifest["opens_at"],
    )
    tally = next(e for e in entries if e["kind"] == "tally")["body"]
    return {"after": last, "time": entries[last]["time"], "body": body,
            "added_secret": added_secret.hex(), "counted": tally["counted"] - 1}


def with_revocation(entries: list[dict[str, Any]], vector: dict[str, Any]) -> str:
    """The record with the revocation inserted after entry `after`, every link redone."""
    edited = [*entries[:vector["after"] + 1],
              {"kind": "revocation", "body": vector["body"], "time": vector["time"]},
              *entries[vector["after"] + 1:]]
    previous, lines = bytes(32), []
    for index, e in enumerate(edited):
        entry = make_entry(index, e["kind"], previous, e["body"], e["time"])
        previous = entry.hash
        lines.append(entry.line.decode() + "\n")
    return "".join(lines)


def check_revocation_vector(entries: list[dict[str, Any]], vector: dict[str, Any]) -> None:
    """The Python verifier takes the revocation and refuses only the tally (check 10)."""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / RECORD_NAME
        path.write_text(with_revocation(entries, vector), encoding="utf-8")
        report = verify_record(path, jobs=1)
    failures = report.failures()
    assert [f.field for f in failures][:1] == ["counted"], [str(f) for f in failures]
    assert f"gives {vector['counted']:,}" in failures[0].reason, failures[0].reason


def render(value: dict[str, Any]) -> str:
    return json.dumps(value, indent=2, sort_keys=True) + "\n"


def main() -> int:
    text, ranked_text = record_text(), record_text(RANKED_PLAN)
    check_revocation_vector([parse_json(line) for line in text.splitlines()],
                            vectors(text, ranked_text)["revocation"])
    (HERE / RECORD_NAME).write_text(text, encoding="utf-8")
    (HERE / RANKED_RECORD_NAME).write_text(ranked_text, encoding="utf-8")
    (HERE / "count_code.json").write_text(render(vectors(text, ranked_text)),
                                          encoding="utf-8")
    print(f"wrote {HERE / RECORD_NAME}, {HERE / RANKED_RECORD_NAME} and "
          f"{HERE / 'count_code.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
