"""`omov bench`: run bench/crypto.py, the protocol and verifier benchmark."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

NAME = "bench"
HELP = "Time encryption, proofs, ballot verification and `omov verify` (prints figures)."

BENCH_FILE = Path(__file__).resolve().parents[2] / "bench" / "crypto.py"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--voters", type=int, default=10_000,
                        help="voters in the simulated record (100000 for the full target)")
    parser.add_argument("--ballots", type=int, default=400,
                        help="ballots for the per-ballot figures")
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: every core)")


def run(args: argparse.Namespace) -> int:
    spec = importlib.util.spec_from_file_location("omov_bench_crypto", BENCH_FILE)
    if spec is None or spec.loader is None:
        print(f"cannot find the benchmark at {BENCH_FILE} (it ships with the source tree)")
        return 2
    module = importlib.util.module_from_spec(spec)
    # Registered so that worker processes can find the benchmark's functions by name.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    argv = ["--voters", str(args.voters), "--ballots", str(args.ballots)]
    if args.jobs:
        argv += ["--jobs", str(args.jobs)]
    result: int = module.main(argv)
    return result
