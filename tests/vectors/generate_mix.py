"""Write tests/vectors/mix_record.omov.jsonl and mix_record.json: a whole ranked
election with its mix (protocol 16), small enough to read.

    .venv/bin/python tests/vectors/generate_mix.py

mix_record.omov.jsonl is a seeded `omov simulate --questions ranked` (the test
generator of 2.5) of 4 voters, one of whom votes again, with parts of at most
1,500 bytes, so that every shuffle and ranked decryption of 4 rows is split
in two. mix_record.json lists, per ranked question, what a verifier derives
from it: the mix input (16.1), each shuffle's trustee, entries and output
rows, each ranked decryption's trustee and entries, and the rankings that
combining the result's decrypted_by gives (16.4), in row order.
tests/record/test_mix_vectors.py regenerates both files and compares.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from omov.crypto.canonical import canonical_json, parse_json
from omov.crypto.elgamal import Ciphertext
from omov.crypto.group import Point
from omov.record.manifest import parse_manifest
from omov.record.mix import combine_rankings, join_shuffle, mix_input_rows
from omov.record.simulation import SimulationPlan, simulate

HERE = Path(__file__).resolve().parent
RECORD_NAME = "mix_record.omov.jsonl"
PLAN = SimulationPlan(voters=4, trustees=3, threshold=2, questions="ranked",
                      seed=b"omov mix vector", revote_rate=0.3, audit_rate=0.0,
                      mix_part_bytes=1500)


def record_text() -> str:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / RECORD_NAME
        simulate(path, PLAN, jobs=1)
        return path.read_text(encoding="utf-8")


def _rows(rows: Any) -> list[list[dict[str, str]]]:
    return [[ct.to_json() if isinstance(ct, Ciphertext) else ct for ct in row] for row in rows]


def vectors(text: str) -> dict[str, Any]:
    entries = [parse_json(line) for line in text.splitlines()]
    manifest = parse_manifest(entries[0]["body"])
    latest: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry["kind"] == "ballot":
            latest.pop(entry["body"]["credential"], None)
            latest[entry["body"]["credential"]] = entry["body"]
    counted = list(latest.values())
    result = entries[-1]["body"]
    questions = []
    for count in result["counts"]:
        qid = count["question"]
        rule = next(q.rule for q in manifest.questions if q.id == qid)

        def groups(kind: str, qid: str = qid) -> list[list[dict[str, Any]]]:
            found: list[list[dict[str, Any]]] = []
            for entry in entries:
                if entry["kind"] == kind and entry["body"]["question"] == qid:
                    if entry["body"]["part"] == 0:
                        found.append([])
                    found[-1].append(entry)
            return found

        shuffles = []
        last: Any = None
        for parts in groups("shuffle"):
            last, _ = join_shuffle([p["body"] for p in parts])
            shuffles.append({"trustee": parts[0]["body"]["trustee"],
                             "entries": [p["index"] for p in parts],
                             "output": _rows(last)})
        decryptions = {}
        for parts in groups("ranked_decryption"):
            shares = [row for p in parts for row in p["body"]["shares"]]
            decryptions[parts[0]["body"]["trustee"]] = [[Point.from_hex(d) for d in row]
                                                        for row in shares]
        rankings = combine_rankings(rule, last, {i: decryptions[i]
                                                  for i in count["decrypted_by"]})
        questions.append({
            "question": qid,
            "input": _rows(mix_input_rows(manifest, counted, qid)),
            "shuffles": shuffles,
            "decryptions": [{"trustee": t, "entries": [p["index"] for p in parts]}
                            for parts in groups("ranked_decryption")
                            for t in [parts[0]["body"]["trustee"]]],
            "decrypted_by": count["decrypted_by"],
            "rankings": rankings,
        })
    return {"file": RECORD_NAME, "entries": len(entries), "questions": questions}


def render(value: dict[str, Any]) -> str:
    return json.dumps(json.loads(canonical_json(value)), indent=1, ensure_ascii=False) + "\n"


def main() -> None:
    text = record_text()
    (HERE / RECORD_NAME).write_text(text, encoding="utf-8")
    (HERE / "mix_record.json").write_text(render(vectors(text)), encoding="utf-8")
    print(f"wrote {HERE / RECORD_NAME} and {HERE / 'mix_record.json'}")


if __name__ == "__main__":
    main()
