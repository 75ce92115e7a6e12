"""Time a ranked ballot (protocol 5.2, 7.3): encrypt and prove in Node.js (the
booth's code), verify in Python (the server's and the verifier's code).

For each shape (m candidates, R ranks) it prints the proofs per ballot, the
ballot's size, the median time to encrypt, prove and sign one ballot in node,
the median time to verify it in Python, and the time to compute its rows for
the mix (ranked_rows). A 10-option approval ballot is measured in the same run
for the ratio. The machine's load average is printed with the figures.

    .venv/bin/python bench/ranked_ballot.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from omov.crypto.ballot import ElectionContext, verify_ballot
from omov.crypto.canonical import canonical_json
from omov.crypto.group import base_mult
from omov.crypto.questions import QuestionRule
from omov.crypto.ranked import ranked_rows
from omov.crypto.transcript import SystemRng

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"

# Runs in node: one ElectionContext (as the booth builds once), then `runs`
# ballots of a full ranking with system randomness, each timed.
NODE_JS = """
import { ElectionContext, Point, QuestionRule, SystemRng, cellsFromRanking, encryptBallot, fromHex }
  from './src/protocol/index.js';
const request = JSON.parse(await new Promise((done) => {
  let text = '';
  process.stdin.on('data', (c) => { text += c; });
  process.stdin.on('end', () => done(text));
}));
const rules = request.questions.map(
  (q) => new QuestionRule(q.options, q.min, q.max, q.ranked === true));
const ctx = new ElectionContext(
  fromHex(request.fingerprint), Point.fromHex(request.public_key), rules);
const rng = new SystemRng();
const selections = rules.map((rule) => (rule.ranked
  ? cellsFromRanking(rule, [...Array(rule.max).keys()].reverse())
  : Array.from({ length: rule.options }, (_, o) => o % 2)));
const times = [];
let ballot = null;
for (let n = 0; n < request.runs + 1; n++) {
  const start = performance.now();
  ballot = encryptBallot(ctx, rng.scalar(), selections, rng).ballot;
  if (n > 0) times.push(performance.now() - start);  // the first run warms the JIT
}
process.stdout.write(JSON.stringify({ times, ballot }));
"""

SHAPES = [
    ("approval, 10 options", {"options": 10, "min": 0, "max": 10}),
    ("ranked, 5 candidates, R = 5", {"options": 5, "min": 1, "max": 5, "ranked": True}),
    ("ranked, 10 candidates, R = 5", {"options": 10, "min": 1, "max": 5, "ranked": True}),
    ("ranked, 10 candidates, R = 10", {"options": 10, "min": 1, "max": 10, "ranked": True}),
    ("ranked, 20 candidates, R = 20", {"options": 20, "min": 1, "max": 20, "ranked": True}),
]


def _proofs(question: dict[str, object]) -> int:
    rule = _rule(question)
    if rule.ranked:
        return rule.options * rule.max + rule.options + rule.max
    return rule.encrypted_count + int(rule.needs_sum_proof)


def _rule(question: dict[str, object]) -> QuestionRule:
    return QuestionRule(int(question["options"]), int(question["min"]),  # type: ignore[call-overload]
                        int(question["max"]), ranked=question.get("ranked") is True)  # type: ignore[call-overload]


def measure(name: str, question: dict[str, object], runs: int, node: str) -> dict[str, float]:
    public_key = base_mult(SystemRng().scalar())
    fingerprint = os.urandom(32)
    request = {"fingerprint": fingerprint.hex(), "public_key": public_key.hex(),
               "questions": [question], "runs": runs}
    done = subprocess.run([node, "--input-type=module", "-e", NODE_JS], input=json.dumps(request),
                          capture_output=True, text=True, cwd=FRONTEND, check=True)
    answer = json.loads(done.stdout)
    ballot = answer["ballot"]
    rule = _rule(question)
    ctx = ElectionContext(fingerprint, public_key, (rule,))
    verify_times, rows_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        verified = verify_ballot(ctx, ballot)
        verify_times.append(time.perf_counter() - start)
        if rule.ranked:
            start = time.perf_counter()
            ranked_rows(rule, verified.choices[0])
            rows_times.append(time.perf_counter() - start)
    figures = {
        "encrypt_ms": statistics.median(answer["times"]),
        "verify_ms": statistics.median(verify_times) * 1000,
        "rows_ms": statistics.median(rows_times) * 1000 if rows_times else 0.0,
        "bytes": len(canonical_json(ballot)),
        "proofs": _proofs(question),
    }
    print(f"{name:32} {figures['proofs']:6} proofs {figures['bytes']:>9,} bytes   "
          f"encrypt+prove (node) {figures['encrypt_ms']:7.1f} ms   "
          f"verify (Python) {figures['verify_ms']:7.1f} ms   rows {figures['rows_ms']:5.2f} ms")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="ballots per shape (default 10)")
    args = parser.parse_args()
    node = shutil.which("node")
    if node is None:
        parser.error("node is not installed")
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"median of {args.runs} ballots each, one question per ballot")
    figures = {name: measure(name, question, args.runs, node) for name, question in SHAPES}
    base = figures[SHAPES[0][0]]
    ten = figures["ranked, 10 candidates, R = 10"]
    print(f"10 x 10 ranked vs 10-option approval: encrypt "
          f"{ten['encrypt_ms'] / base['encrypt_ms']:.1f}x, verify "
          f"{ten['verify_ms'] / base['verify_ms']:.1f}x "
          f"({ten['proofs']} proofs against {base['proofs']})")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
