"""Benchmark of the verifiable shuffle (docs/protocol.md section 14): figures, not a test.

For N rows of width w (a ranked question with w ranks) it prints, per trustee:
shuffle (re-encryption), prove and verify, on each number of processes given,
as wall time and CPU time; the libsodium unit costs measured in the same run
and how much of verification they explain; and the machine's load average.
Then the time for a whole ranked election's mix: `--trustees` shuffles, one
after another, each proved, and all of them verified.

    .venv/bin/python bench/shuffle.py [--rows 10000] [--width 10] [--jobs 1,2] [--trustees 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Callable
from typing import Any

import rbcl

from omov.crypto.elgamal import Ciphertext
from omov.crypto.group import L, Point, Scalar, base_mult
from omov.crypto.shuffle import ShuffleContext, prove_shuffle, shuffle_rows, verify_shuffle
from omov.crypto.transcript import SystemRng

UNIT_REPEATS = 3000


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(function: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds of this process and its workers)."""
    wall, cpu = time.perf_counter(), _cpu()
    result = function()
    return result, time.perf_counter() - wall, _cpu() - cpu


def unit_costs() -> dict[str, float]:
    """CPU seconds of one libsodium operation, the best of three runs."""
    scalar = os.urandom(31) + b"\x00"
    point = rbcl.crypto_scalarmult_ristretto255_base(scalar)
    operations = {
        "mult": lambda: rbcl.crypto_scalarmult_ristretto255(scalar, point),
        "base": lambda: rbcl.crypto_scalarmult_ristretto255_base(scalar),
        "add": lambda: rbcl.crypto_core_ristretto255_add(point, point),
    }
    costs = {}
    for name, operation in operations.items():
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            for _ in range(UNIT_REPEATS):
                operation()
            best = min(best, time.process_time() - started)
        costs[name] = best / UNIT_REPEATS
    return costs


def ballots(secret: Scalar, rows: int, width: int) -> list[list[Ciphertext]]:
    """Rows of ciphertexts of rankings 1..w, made quickly with the secret key:
    (r·G, (r·y + v)·G), two fixed-base multiplications each."""
    out = []
    for j in range(rows):
        row = []
        for k in range(width):
            r = int.from_bytes(os.urandom(64), "little") % L
            v = (j + k) % (width + 1)
            row.append(Ciphertext(base_mult(Scalar(r)),
                                  base_mult(Scalar((r * secret.value + v) % L))))
        out.append(row)
    return out


def one_trustee(key: Point, rows: list[list[Ciphertext]], jobs: int) -> dict[str, float]:
    """Shuffle, prove and verify once, printing each step's times as it ends."""
    rng = SystemRng()
    context = ShuffleContext(bytes(32), "ranked", 1)
    figures: dict[str, float] = {}

    def step(name: str, run: Callable[[], Any]) -> Any:
        result, figures[name], figures[f"{name}_cpu"] = _timed(run)
        print(f"  {name}: {figures[name]:.1f} s (CPU {figures[f'{name}_cpu']:.1f} s); {_load()}",
              flush=True)
        return result

    out, permutation, randomness = step("shuffle", lambda: shuffle_rows(key, rows, rng, jobs))
    proof = step("prove", lambda: prove_shuffle(
        key, rows, out, permutation, randomness, context, rng, jobs))
    step("verify", lambda: verify_shuffle(key, rows, out, proof, context, jobs))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--width", type=int, default=10)
    parser.add_argument("--jobs", default="1,2", help="numbers of processes, comma-separated")
    parser.add_argument("--trustees", type=int, default=3)
    args = parser.parse_args()
    rows, width = args.rows, args.width
    print(f"shuffle benchmark: {rows:,} rows of width {width}; {_load()}")
    units = unit_costs()
    print("libsodium per operation (CPU): " + ", ".join(
        f"{name} {cost * 1e6:.1f} us" for name, cost in units.items()), flush=True)
    secret = SystemRng().scalar()
    key = base_mult(secret)
    started = time.perf_counter()
    inputs = ballots(secret, rows, width)
    print(f"made {rows:,} input rows in {time.perf_counter() - started:.1f} s", flush=True)
    # Variable-base multiplications per row (section 14.7): 3w+3 to shuffle and
    # prove, 4w+4 to verify; additions about as many.
    floor_verify = rows * (4 * width + 4) * (units["mult"] + units["add"])
    floor_prove = rows * ((3 * width + 3) * (units["mult"] + units["add"])
                          + (width + 3) * units["base"])
    for jobs in (int(j) for j in args.jobs.split(",")):
        print(f"{jobs} process{'es' if jobs > 1 else ''}:", flush=True)
        figures = one_trustee(key, inputs, jobs)
        total = figures["shuffle"] + figures["prove"]
        total_cpu = figures["shuffle_cpu"] + figures["prove_cpu"]
        print(f"{jobs} process{'es' if jobs > 1 else ''}, per trustee: "
              f"shuffle {figures['shuffle']:.1f} s, prove {figures['prove']:.1f} s "
              f"(shuffle+prove {total:.1f} s, CPU {total_cpu:.1f} s), "
              f"verify {figures['verify']:.1f} s (CPU {figures['verify_cpu']:.1f} s); "
              f"{rows / figures['verify']:,.0f} rows verified per second; {_load()}")
        if jobs == 1:
            print(f"  floor from unit costs: shuffle+prove {floor_prove:.1f} s, "
                  f"verify {floor_verify:.1f} s (verify CPU / floor "
                  f"{figures['verify_cpu'] / floor_verify:.2f})")
        mix = args.trustees * (total + figures["verify"])
        print(f"  a mix by {args.trustees} trustees of these {rows:,} rows, every shuffle "
              f"proved and verified: {mix / 60:.1f} min of wall time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
