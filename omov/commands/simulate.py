"""`omov simulate`: write a complete, valid election record with simulated voters."""

from __future__ import annotations

import argparse
import sys

from omov.commands.verify import ProgressLine
from omov.record.parallel import default_jobs
from omov.record.simulated_manifest import QUESTION_SETS
from omov.record.simulation import SimulationPlan, simulate

NAME = "simulate"
HELP = ("Simulate an election (key generation, roll, ballots, tally, the mix of ranked "
        "questions, result) into a record.")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--voters", type=int, required=True, help="number of voters")
    parser.add_argument("--trustees", type=int, default=3, help="n, the number of trustees")
    parser.add_argument("--threshold", type=int, default=2, help="k, trustees needed to decrypt")
    parser.add_argument("--out", required=True, help="the record file to write")
    parser.add_argument("--questions", choices=sorted(QUESTION_SETS), default="yes_no",
                        help="yes_no: one yes/no question (default); mixed: one question of "
                             "each kind, two with sum proofs; ranked: a yes/no question and two "
                             "ranked ones (STV, IRV), shuffled by every trustee, decrypted and "
                             "counted; ranked-ten: one STV question of ten candidates ranked "
                             "up to ten")
    parser.add_argument("--seed", help="make the record reproducible (test generator)")
    parser.add_argument("--revote-rate", type=float, default=0.05,
                        help="share of voters who vote again (default 0.05)")
    parser.add_argument("--audit-rate", type=float, default=0.01,
                        help="share of voters who audit a ballot first (default 0.01)")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="processes that make ballots (default: every core)")


def run(args: argparse.Namespace) -> int:
    if args.voters < 0 or not 1 <= args.threshold <= args.trustees <= 50:
        print("need --voters >= 0 and 1 <= --threshold <= --trustees <= 50", file=sys.stderr)
        return 2
    plan = SimulationPlan(
        voters=args.voters, trustees=args.trustees, threshold=args.threshold,
        questions=args.questions, seed=args.seed.encode() if args.seed else None,
        revote_rate=args.revote_rate, audit_rate=args.audit_rate,
    )
    line = ProgressLine()

    def progress(stage: str, done: int, total: int) -> None:
        line.show(f"{stage}: {done:,} of {total:,} ({done / max(line.elapsed, 1e-9):,.0f}/s)")

    summary = simulate(args.out, plan, jobs=args.jobs, progress=progress)
    if line.shown > line.started:
        line.done(f"simulated {args.voters:,} voters in {line.elapsed:.1f} s")
    print(f"wrote {args.out}: {summary.entries:,} entries, {summary.ballots:,} ballots "
          f"({summary.audited:,} audited), {summary.counted:,} counted, totals "
          f"{summary.totals} in {line.elapsed:.1f} s")
    return 0
