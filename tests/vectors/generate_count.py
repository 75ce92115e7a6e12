"""Write tests/vectors/count_code.json and tests/vectors/count_record.omov.jsonl.

    .venv/bin/python tests/vectors/generate_count.py

count_code.json
  codes: {tally_entry_hash (hex), counted, code}: the count code of 9.4.
  record: {file, entries, ballots, audited, counted, tally_index,
    tally_entry_hash, code, ciphertexts}: what a trustee's own count
    (9.4) of count_record.omov.jsonl gives: the counted ballots by 9.1, the
    tally entry's hash and its count code; ciphertexts is the tally
    recomputed from the ballots (equal to the tally entry's).

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
from omov.record.board import entry_hash
from omov.record.count_code import count_code
from omov.record.simulation import SimulationPlan, simulate

HERE = Path(__file__).resolve().parent
RECORD_NAME = "count_record.omov.jsonl"
PLAN = SimulationPlan(voters=6, trustees=3, threshold=2, questions="mixed",
                      seed=b"omov count vector", revote_rate=0.5, audit_rate=0.35)
CODES = [(bytes(32), 0), (bytes(range(32)), 100_000), (hashlib.sha256(b"a tally").digest(), 1),
         (b"\xff" * 32, 2**53 - 1)]


def record_text() -> str:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / RECORD_NAME
        simulate(path, PLAN, jobs=1)
        return path.read_text(encoding="utf-8")


def vectors(text: str) -> dict[str, Any]:
    lines = text.splitlines()
    entries = [parse_json(line) for line in lines]
    tally_index = next(e["index"] for e in entries if e["kind"] == "tally")
    tally = entries[tally_index]["body"]
    head = entry_hash(lines[tally_index].encode())
    return {
        "codes": [{"tally_entry_hash": h.hex(), "counted": n, "code": count_code(h, n)}
                  for h, n in CODES],
        "record": {
            "file": RECORD_NAME,
            "entries": len(lines),
            "ballots": sum(e["kind"] == "ballot" for e in entries),
            "audited": sum(e["kind"] == "audited_ballot" for e in entries),
            "counted": tally["counted"],
            "tally_index": tally_index,
            "tally_entry_hash": head.hex(),
            "code": count_code(head, tally["counted"]),
            "ciphertexts": tally["ciphertexts"],
        },
    }


def render(value: dict[str, Any]) -> str:
    return json.dumps(value, indent=2, sort_keys=True) + "\n"


def main() -> int:
    text = record_text()
    (HERE / RECORD_NAME).write_text(text, encoding="utf-8")
    (HERE / "count_code.json").write_text(render(vectors(text)), encoding="utf-8")
    print(f"wrote {HERE / RECORD_NAME} and {HERE / 'count_code.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
