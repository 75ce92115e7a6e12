"""`omov verify RECORD`: check a whole election record (protocol section 12)."""

from __future__ import annotations

import argparse
import sys
import time

from omov.record.errors import RecordUnreadable
from omov.record.parallel import default_jobs
from omov.record.verifier import verify_record

NAME = "verify"
HELP = "Check every signature, proof, the chain, eligibility, tally and result of a record."

EXIT_VALID = 0
EXIT_INVALID = 1
EXIT_UNREADABLE = 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("record", help="the election record (.omov.jsonl)")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="processes that check ballots (default: every core)")
    parser.add_argument("--progress", action="store_true",
                        help="show progress on stderr even when it is not a terminal")


def run(args: argparse.Namespace) -> int:
    show = args.progress or sys.stderr.isatty()
    started = time.monotonic()
    last_shown = [0.0]

    def progress(entries: int) -> None:
        now = time.monotonic()
        if now - last_shown[0] >= 0.5:
            last_shown[0] = now
            rate = entries / max(now - started, 1e-9)
            print(f"\rverifying: {entries:,} entries ({rate:,.0f}/s)", end="",
                  file=sys.stderr, flush=True)

    try:
        report = verify_record(args.record, jobs=args.jobs, progress=progress if show else None)
    except RecordUnreadable as error:
        if show:
            print(file=sys.stderr)
        print(f"✗ cannot read the record: {error}")
        return EXIT_UNREADABLE
    if show:
        print(f"\rverified {report.entries:,} entries in {time.monotonic() - started:.1f} s",
              file=sys.stderr)
    print(report.render())
    return EXIT_VALID if report.ok else EXIT_INVALID
