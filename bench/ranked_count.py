"""Benchmark of the ranked count (protocol 15): figures, not a test.

Counts N rankings (default 100,000) of 10 candidates with Scottish STV for 3
seats (with and without a balance rule), Schulze for 3 seats and IRV, and
prints each count's time, the time to write the result as canonical JSON and
to compare a published count with a recount. To say how the count weighs
against the rest of verifying a ranked election, it also times DLEQ proof
verifications (9.2) in the same run and prints the estimated time to check
one trustee's decryption proofs of the same N rankings (N x 10 ciphertexts),
and the count's share of it.

The rankings are drawn from a fixed seed with a Plackett-Luce model (each
candidate has a popularity weight; each voter ranks 1 to 10 candidates), so
that transfers and ties look like a real election's rather than uniform noise.

Run `python bench/ranked_count.py [--rankings N] [--seed S] [--proofs P]`.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable
from typing import Any

from omov.crypto.canonical import canonical_json, parse_json
from omov.crypto.group import base_mult
from omov.crypto.proofs import DleqProof
from omov.crypto.transcript import SystemRng
from omov.record.ranked import compare_published_count, count_ranked, lot_order

CANDIDATES = [f"Candidate {n}" for n in range(1, 11)]
WEIGHTS = [9.0, 8.0, 6.5, 6.0, 5.0, 4.0, 3.5, 2.5, 2.0, 1.0]


def rankings(count: int, seed: int) -> list[list[int]]:
    """`count` rankings drawn with Plackett-Luce from WEIGHTS (fixed seed)."""
    rng = random.Random(seed)
    drawn: list[list[int]] = []
    for _ in range(count):
        length = rng.choice((1, 2, 3, 3, 4, 5, 6, 10, 10, 10))
        left = list(range(len(CANDIDATES)))
        weights = list(WEIGHTS)
        ranking: list[int] = []
        for _ in range(length):
            pick = rng.choices(range(len(left)), weights=weights)[0]
            ranking.append(left.pop(pick))
            weights.pop(pick)
        drawn.append(ranking)
    return drawn


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def dleq_seconds(proofs: int) -> float:
    """Seconds per DLEQ verification, measured on `proofs` proofs."""
    rng = SystemRng()
    secret = rng.scalar()
    base_a = base_mult(rng.scalar())
    public, result_d = base_mult(secret), secret * base_a
    proof = DleqProof.prove("partial-decryption", (b"bench",), secret, base_a, rng)
    elapsed, _ = timed(lambda: [proof.verify("partial-decryption", (b"bench",), public,
                                             base_a, result_d) for _ in range(proofs)])
    return elapsed / proofs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rankings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--proofs", type=int, default=400)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    made, papers = timed(lambda: rankings(args.rankings, args.seed))
    order = lot_order(bytes(32), "q1", CANDIDATES)
    print(f"{args.rankings:,} rankings of {len(CANDIDATES)} candidates drawn in {made:.2f} s")
    women = [{"label": "women", "candidates": [1, 3, 5, 7, 9], "at_least": 2}]
    runs = [
        ("STV (Scottish), 3 seats", {"method": "stv", "seats": 3,
                                     "ties": "earlier-rounds-then-lot"}),
        ("STV (Scottish), 3 seats, at least 2 women", {
            "method": "stv", "seats": 3, "ties": "earlier-rounds-then-lot", "balance": women}),
        ("Schulze, 3 seats", {"method": "schulze", "seats": 3, "ties": "lot"}),
        ("IRV, 1 seat", {"method": "irv", "seats": 1, "ties": "earlier-rounds-then-lot"}),
    ]
    per_proof = dleq_seconds(args.proofs)
    decryption_check = per_proof * args.rankings * len(CANDIDATES)
    print(f"DLEQ verification {per_proof * 1e3:.3f} ms each ({args.proofs} measured): one "
          f"trustee's decryption proofs of {args.rankings:,} x {len(CANDIDATES)} ciphertexts "
          f"take about {decryption_check:,.0f} s")
    for label, rule in runs:
        seconds, result = timed(lambda rule=rule: count_ranked(rule, CANDIDATES, papers, order))
        written, text = timed(lambda result=result: canonical_json(result.to_json()))
        compared, difference = timed(
            lambda text=text, result=result: compare_published_count(parse_json(text), result))
        assert difference is None
        elected = ", ".join(result.elected_names)
        print(f"{label}: {seconds:.2f} s, {len(result.rounds)} rounds, elected {elected}; "
              f"JSON {len(text):,} bytes in {written * 1e3:.1f} ms; compared in "
              f"{compared * 1e3:.1f} ms; {100 * seconds / decryption_check:.2f}% of one "
              "trustee's decryption check")


if __name__ == "__main__":
    main()
