"""`omov schedule`: open and close ballots on time and verify published results.

Run it once from cron, or with `--every SECONDS` as a long-running service
(systemd). `omov serve` runs the same round in a thread unless told not to.
"""

from __future__ import annotations

import argparse
import time

NAME = "schedule"
HELP = ("Open and close ballots whose time has come and verify published results "
        "(once, or every SECONDS with --every).")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--every", type=float, metavar="SECONDS",
                        help="keep running, one round every SECONDS (default: one round)")


def run(args: argparse.Namespace) -> int:
    from omov.web.bootstrap import run_schedule_round, setup_django

    setup_django()
    if args.every is None:
        run_schedule_round(report=print)
        return 0
    if args.every <= 0:
        print("omov schedule: --every needs a positive number of seconds")
        return 2
    try:
        while True:
            run_schedule_round(report=print)
            time.sleep(args.every)
    except KeyboardInterrupt:
        return 0
