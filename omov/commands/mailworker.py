"""`omov mailworker`: send the mail waiting in the outbox.

Once (for cron), or with `--every SECONDS` as a long-running service. `omov
serve` runs the same worker in a thread unless told not to; several workers
may run at once (each message is claimed by one).
"""

from __future__ import annotations

import argparse
import signal
import threading
from types import FrameType

NAME = "mailworker"
HELP = ("Send the mail waiting in the outbox, retrying failures with backoff "
        "(once, or every SECONDS with --every).")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--every", type=float, metavar="SECONDS",
                        help="keep running, one round every SECONDS (default: one round)")


def run(args: argparse.Namespace) -> int:
    if args.every is not None and args.every <= 0:
        print("omov mailworker: --every needs a positive number of seconds")
        return 2
    from omov.web.bootstrap import setup_django

    setup_django()
    from omov.web import outbox

    if args.every is None:
        print(f"mail: delivered {outbox.run_delivery_round()} message(s)")
        return 0
    stop = threading.Event()

    def finish(signum: int, frame: FrameType | None) -> None:
        stop.set()
        outbox.wake()

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    outbox.deliver_until(stop, args.every, report=lambda line: print(line, flush=True))
    return 0
