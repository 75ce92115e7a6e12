"""Benchmark of a whole ranked election (protocol 14 to 16): figures, not a test.

Simulates `omov simulate --questions ranked-ten` (one STV question, ten
candidates ranked up to ten, so every mix row is 10 ciphertexts) with every
trustee shuffling and k decrypting, then verifies the record, and prints:
the simulation's wall and CPU time, the verification's wall and CPU time,
the share of that CPU spent verifying the shuffles and checking the ranked
decryptions, the peak memory of the main process and of the largest worker,
the record's size, and a linear projection to --target ballots on --jobs
cores, with the machine's load average (other work on the machine slows the
wall times, not the CPU times).

    .venv/bin/python bench/ranked_election.py [--ballots 2000] [--trustees 3]
        [--threshold 2] [--jobs 2] [--target 100000] [--keep PATH]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from omov.record import mix_checks
from omov.record.simulation import SimulationPlan, simulate
from omov.record.verifier import verify_record


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peaks() -> tuple[float, float]:
    """Peak resident memory in MiB: this process, the largest worker it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, children / 1024


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


class _Meter:
    """CPU seconds (this process and its workers) spent inside wrapped functions."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = _cpu()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + _cpu() - start
        return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ballots", type=int, default=2000, help="voters (default 2000)")
    parser.add_argument("--trustees", type=int, default=3)
    parser.add_argument("--threshold", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--target", type=int, default=100_000,
                        help="ballots to project the figures to (default 100000)")
    parser.add_argument("--keep", help="write the record here and keep it")
    args = parser.parse_args()
    plan = SimulationPlan(voters=args.ballots, trustees=args.trustees,
                          threshold=args.threshold, questions="ranked-ten", seed=b"bench")
    print(f"ranked election: {args.ballots:,} voters, 10 candidates ranked up to 10, "
          f"{args.trustees} trustees shuffle, {args.threshold} decrypt, {args.jobs} processes; "
          f"{_load()}")
    with tempfile.TemporaryDirectory() as work:
        path = Path(args.keep) if args.keep else Path(work) / "ranked.omov.jsonl"
        wall, cpu = time.perf_counter(), _cpu()
        summary = simulate(path, plan, jobs=args.jobs)
        sim_wall, sim_cpu = time.perf_counter() - wall, _cpu() - cpu
        print(f"simulate: {sim_wall:,.1f} s wall, {sim_cpu:,.1f} s CPU; {summary.entries:,} "
              f"entries, {summary.ballots:,} ballots, {summary.counted:,} counted; record "
              f"{path.stat().st_size / 2**20:,.1f} MiB")
        meter = _Meter()
        for name, label in (("verify_shuffle", "shuffles"),
                            ("check_decryption_part", "ranked decryptions"),
                            ("combine_rankings", "combining")):
            setattr(mix_checks, name, meter.wrap(label, getattr(mix_checks, name)))
        wall, cpu = time.perf_counter(), _cpu()
        report = verify_record(path, jobs=args.jobs)
        ver_wall, ver_cpu = time.perf_counter() - wall, _cpu() - cpu
    verdict = report.verdict()
    print(f"verify: {ver_wall:,.1f} s wall, {ver_cpu:,.1f} s CPU; {verdict}")
    for name, seconds in meter.seconds.items():
        print(f"  {name}: {seconds:,.1f} s CPU, {seconds / ver_cpu:.0%} of verification")
    rest = ver_cpu - sum(meter.seconds.values())
    print(f"  ballots, tally and the rest: {rest:,.1f} s CPU, {rest / ver_cpu:.0%}")
    own, child = _peaks()
    print(f"peak memory: main process {own:,.0f} MiB, largest worker {child:,.0f} MiB")
    scale = args.target / max(args.ballots, 1)
    print(f"projected to {args.target:,} ballots (linear): simulate {sim_cpu * scale / 3600:,.2f} "
          f"CPU hours; verify {ver_cpu * scale / 3600:,.2f} CPU hours, "
          f"{ver_cpu * scale / args.jobs / 60:,.0f} min on {args.jobs} idle cores "
          f"(shuffles {meter.seconds.get('shuffles', 0.0) * scale / args.jobs / 60:,.0f} min)")
    print(f"after the run: {_load()}")
    if not report.ok:
        raise SystemExit(report.render())


if __name__ == "__main__":
    main()
