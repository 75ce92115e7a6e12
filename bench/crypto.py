"""Benchmark of the protocol's hot paths and of `omov verify` (figures, not a test).

Prints, in one run:
  * per-option encrypt+prove and verify times (exponential ElGamal, 0/1 proof);
  * yes/no ballots verified per second on one core and on every core;
  * the floor ratio: measured verification time divided by the time of the
    libsodium operations that verification performs (counted with
    `group.count_operations`, each priced at its unit cost measured here);
  * the wall time, CPU time and peak memory of `omov simulate` and `omov verify`
    on a simulated yes/no record, and the record's CPU time over its floor.

Peak memory is the largest sum, sampled every 20 ms, of the resident set sizes
of this process and every process it started (the worker processes), read from
/proc; pages that forked workers share with the main process count once per
process, so the figure is an upper bound. The sampling thread's own CPU time
is printed apart and left out of the main process's CPU time.

The record's floor counts the operations in a second, parallel run of
`omov verify` (each worker counts its own and sends the counts back), so a
large record takes two parallel runs, not one parallel and one on one core.

Run `omov bench` or `python bench/crypto.py [--voters N] [--ballots M] [--jobs J] [--repeat R]`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import rbcl

from omov.crypto import group
from omov.crypto.ballot import ElectionContext, encrypt_ballot, verify_ballot
from omov.crypto.canonical import canonical_json
from omov.crypto.elgamal import encrypt
from omov.crypto.group import Scalar, base_mult
from omov.crypto.proofs import ValueSetProof
from omov.crypto.questions import QuestionRule
from omov.crypto.transcript import SystemRng
from omov.record.board import GENESIS, make_entry, parse_entry
from omov.record.parallel import default_jobs
from omov.record.simulation import SimulationPlan, simulate
from omov.record.verifier import verify_record

YES_NO = (QuestionRule(2, 1, 1),)
UNIT_REPEATS = 3000


def _timed(function: Callable[[], Any], repeats: int) -> float:
    """CPU seconds per call of `function`, the best of three runs of `repeats` calls.

    CPU time of this process, not wall time, so that other processes on the
    machine do not inflate one side of the floor ratio; unit costs and
    verification are both timed this way so that their ratio is fair.
    """
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for _ in range(repeats):
            function()
        best = min(best, time.process_time() - started)
    return best / repeats


def unit_costs() -> dict[str, float]:
    """Seconds per libsodium operation, in the names `count_operations` uses."""
    scalar = Scalar.from_int(int.from_bytes(os.urandom(32), "little") % group.L).to_bytes()
    point = rbcl.crypto_core_ristretto255_random()
    other = rbcl.crypto_core_ristretto255_random()
    return {
        "mult": _timed(lambda: rbcl.crypto_scalarmult_ristretto255(scalar, point), UNIT_REPEATS),
        "base": _timed(lambda: rbcl.crypto_scalarmult_ristretto255_base(scalar), UNIT_REPEATS),
        "add": _timed(lambda: rbcl.crypto_core_ristretto255_add(point, other), UNIT_REPEATS),
        "sub": _timed(lambda: rbcl.crypto_core_ristretto255_sub(point, other), UNIT_REPEATS),
        "valid": _timed(lambda: rbcl.crypto_core_ristretto255_is_valid_point(point),
                        UNIT_REPEATS),
    }


def _context() -> tuple[ElectionContext, Scalar]:
    rng = SystemRng()
    public_key = base_mult(rng.scalar())
    return ElectionContext(os.urandom(32), public_key, YES_NO), rng.scalar()


def option_times(count: int) -> tuple[float, float]:
    """Seconds to encrypt and prove one 0/1 option, and to verify its proof."""
    context, _ = _context()
    rng = SystemRng()
    ctx = (context.fingerprint, base_mult(rng.scalar()), 0, 0)
    made = []
    started = time.perf_counter()
    for n in range(count):
        randomness = rng.scalar()
        ciphertext = encrypt(context.public_key, n % 2, randomness)
        proof = ValueSetProof.prove("option", ctx, context.public_key, ciphertext, [0, 1],
                                    n % 2, randomness, rng)
        made.append((ciphertext, proof))
    prove_time = (time.perf_counter() - started) / count
    started = time.perf_counter()
    for ciphertext, proof in made:
        proof.verify("option", ctx, context.public_key, ciphertext, [0, 1])
    return prove_time, (time.perf_counter() - started) / count


def ballot_lines(context: ElectionContext, count: int) -> list[bytes]:
    """`count` yes/no ballots as board lines, each by its own credential."""
    rng = SystemRng()
    lines = []
    for n in range(count):
        prepared = encrypt_ballot(context, rng.scalar(), [[n % 2, 1 - n % 2]], rng)
        lines.append(make_entry(n, "ballot", GENESIS, prepared.ballot,
                                "2026-12-01T09:00:00.000000Z").line)
    return lines


_bench_context: ElectionContext | None = None


def _verify_lines(lines: Sequence[tuple[int, bytes]]) -> int:
    assert _bench_context is not None
    for index, line in lines:
        verify_ballot(_bench_context, parse_entry(line, index).body)
    return len(lines)


def _install(context: ElectionContext) -> None:
    global _bench_context
    _bench_context = context


def verify_rates(context: ElectionContext, lines: list[bytes], jobs: int) -> tuple[float, float]:
    """Ballots (board lines: parse, canonical check, verify) per second, 1 core and `jobs`."""
    numbered = list(enumerate(lines))
    _install(context)
    started = time.perf_counter()
    _verify_lines(numbered)
    one = len(lines) / (time.perf_counter() - started)
    chunks = [numbered[n:n + 64] for n in range(0, len(lines), 64)]
    pool_context = multiprocessing.get_context("fork")
    with pool_context.Pool(jobs, _install, (context,)) as pool:
        pool.map(_verify_lines, chunks[:jobs])
        started = time.perf_counter()
        done = sum(pool.map(_verify_lines, chunks))
        every = done / (time.perf_counter() - started)
    return one, every


def floor_ratio(context: ElectionContext, lines: list[bytes],
                units: dict[str, float]) -> tuple[float, float, Counter[str]]:
    """Measured time over the libsodium floor, for verify_ballot alone and whole lines.

    Also returns the operations one ballot needs.
    """
    bodies = [parse_entry(line, n).body for n, line in enumerate(lines)]
    with group.count_operations() as counts:
        for body in bodies:
            verify_ballot(context, body)
    floor = sum(units[name] * number for name, number in counts.items())

    def verify_bodies() -> None:
        for body in bodies:
            verify_ballot(context, body)

    numbered = list(enumerate(lines))
    _install(context)
    crypto_time = _timed(verify_bodies, 1)
    line_time = _timed(lambda: _verify_lines(numbered), 1)
    per_ballot = Counter({name: number // len(lines) for name, number in counts.items()})
    return crypto_time / floor, line_time / floor, per_ballot


def _cpu_seconds() -> tuple[float, float]:
    """CPU time of this process, and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime


class TreeMemory:
    """Samples the resident memory of this process and its descendants (Linux /proc).

    Use as a context manager; `peak` is the largest sum seen, in bytes.
    """

    PAGE = os.sysconf("SC_PAGE_SIZE")

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak = 0
        self.cpu = 0.0
        """The sampling thread's own CPU seconds."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self.peak = self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.sample())

    def _run(self) -> None:
        started = time.thread_time()
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self.sample())
        self.cpu = time.thread_time() - started

    def sample(self) -> int:
        """The resident bytes of this process and its descendants now."""
        total = 0
        pending = [os.getpid()]
        while pending:
            pid = pending.pop()
            try:
                with open(f"/proc/{pid}/statm") as statm:
                    total += int(statm.read().split()[1]) * self.PAGE
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as children:
                        pending.extend(int(child) for child in children.read().split())
            except (FileNotFoundError, ProcessLookupError, ValueError):
                continue  # a worker that ended between two reads
        return total


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


def record_timing(voters: int, jobs: int, units: dict[str, float], repeat: int = 1) -> None:
    """Simulate a yes/no record of `voters` voters, then time `omov verify` on it `repeat` times.

    The record's floor is every libsodium operation that verifying it makes
    (counted in a second parallel run) priced at `units`; the ratios compare
    each parallel run's CPU time (main process and workers), and its wall time
    spread over `jobs` cores, with it. The unit costs are measured again after
    the runs and the ratio priced at those too: on a loaded machine they drift.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.omov.jsonl"
        main_before, workers_before = _cpu_seconds()
        started = time.perf_counter()
        with TreeMemory() as memory:
            summary = simulate(path, SimulationPlan(voters=voters, questions="yes_no"),
                               jobs=jobs)
        simulated = time.perf_counter() - started
        main_after, workers_after = _cpu_seconds()
        print(f"simulate: {voters:,} voters, {summary.ballots:,} ballots in {simulated:.1f} s "
              f"({summary.ballots / simulated:,.0f} ballots/s, {jobs} processes, "
              f"{path.stat().st_size / 1e6:,.0f} MB); CPU "
              f"{main_after - main_before - memory.cpu:.1f} s main, "
              f"{workers_after - workers_before:.1f} s workers; peak memory "
              f"{_mib(memory.peak)} (all processes)")
        runs = []
        for _ in range(repeat):
            main_before, workers_before = _cpu_seconds()
            started = time.perf_counter()
            with TreeMemory() as memory:
                report = verify_record(path, jobs=jobs)
            elapsed = time.perf_counter() - started
            main_after, workers_after = _cpu_seconds()
            main_cpu = main_after - main_before - memory.cpu
            workers_cpu = workers_after - workers_before
            runs.append((elapsed, main_cpu + workers_cpu, memory.peak))
            verdict = "valid" if report.ok else "INVALID"
            print(f"omov verify: {summary.ballots:,} ballots ({report.entries:,} entries, "
                  f"{verdict}) in {elapsed:.1f} s = {summary.ballots / elapsed:,.0f} ballots/s "
                  f"with {jobs} processes; CPU {main_cpu:.1f} s main, {workers_cpu:.1f} s "
                  f"workers (memory sampling {memory.cpu:.1f} s, not counted); peak memory "
                  f"{_mib(memory.peak)} (all processes)")
        counts: Counter[str] = Counter()
        started = time.perf_counter()
        verify_record(path, jobs=jobs, operations=counts)
        print(f"operations counted in {time.perf_counter() - started:.1f} s: " + ", ".join(
            f"{name} {number:,}" for name, number in sorted(counts.items())))
    floor = sum(units[name] * number for name, number in counts.items())
    walls, cpus = [run[0] for run in runs], [run[1] for run in runs]
    for label, elapsed, cpu in (("best", min(walls), min(cpus)),
                                ("worst", max(walls), max(cpus))):
        print(f"omov verify against the libsodium floor of the whole record ({floor:.1f} s of "
              f"operations), {label} of {repeat} run(s): wall {elapsed:.1f} s, CPU time "
              f"{cpu:.1f} s = {cpu / floor:.2f} of the floor (target <= 1.25); wall time over "
              f"{jobs} cores = {elapsed / (floor / jobs):.2f}; peak memory "
              f"{_mib(max(run[2] for run in runs))}")
        if repeat == 1:
            break
    after = unit_costs()
    floor_after = sum(after[name] * number for name, number in counts.items())
    print("libsodium unit costs again after the runs: " + ", ".join(
        f"{name} {seconds * 1e6:.1f} µs" for name, seconds in after.items())
        + f"; floor {floor_after:.1f} s, best CPU time {min(cpus) / floor_after:.2f} of it")
    load = os.getloadavg()
    print(f"machine load (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on "
          f"{os.cpu_count()} cores")


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark and print the figures."""
    parser = argparse.ArgumentParser(prog="omov bench", description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=10_000,
                        help="voters in the simulated record for `omov verify` (default 10,000)")
    parser.add_argument("--ballots", type=int, default=400,
                        help="ballots for the per-ballot figures (default 400)")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--repeat", type=int, default=1,
                        help="times to run `omov verify` on the record (default 1)")
    args = parser.parse_args(argv)
    units = unit_costs()
    print("libsodium unit costs: " + ", ".join(
        f"{name} {seconds * 1e6:.1f} µs" for name, seconds in units.items()))
    prove, verify = option_times(args.ballots)
    print(f"per option: encrypt+prove {prove * 1e3:.3f} ms, verify {verify * 1e3:.3f} ms")
    context, _ = _context()
    lines = ballot_lines(context, args.ballots)
    print(f"yes/no ballot line: {len(lines[0]):,} bytes; canonical body "
          f"{len(canonical_json(parse_entry(lines[0], 0).body)):,} bytes")
    one, every = verify_rates(context, lines, args.jobs)
    print(f"yes/no ballots verified: {one:,.0f}/s on one core, {every:,.0f}/s on "
          f"{args.jobs} cores")
    crypto_ratio, line_ratio, per_ballot = floor_ratio(context, lines, units)
    print("libsodium operations per yes/no ballot: " + ", ".join(
        f"{name} {number}" for name, number in sorted(per_ballot.items())))
    print(f"floor ratio: {crypto_ratio:.2f} (verify_ballot), {line_ratio:.2f} (whole board "
          "line: parse, canonical check, verify); target <= 1.25")
    record_timing(args.voters, args.jobs, units, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
