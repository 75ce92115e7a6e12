"""The work `omov serve` does outside web requests, in one process of its own.

The web workers only answer requests; with several of them, anything they
started would run once per worker. So the master, before it forks the
workers, forks this one background process, which runs each round (the ballot
schedule; further rounds, such as mail delivery, are one more `Round` in the
list `omov serve` passes) every so often, one after another, until the master
goes away.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess


@dataclass(frozen=True)
class Round:
    """A piece of background work: `run` every `every` seconds, a failure reported."""

    name: str
    every: float
    run: Callable[[], object]


def schedule_round() -> None:
    """The ballot schedule's round (opening, closing, verifying, digests)."""
    from omov.web.bootstrap import run_schedule_round

    run_schedule_round(report=lambda line: print(line, flush=True))


def run_round(round_: Round) -> bool:
    """Runs one round; a failure is printed, not raised, so the next round retries."""
    from django.db import close_old_connections

    try:
        round_.run()
        return True
    except Exception:
        print(f"{round_.name}: the round failed:", file=sys.stderr, flush=True)
        traceback.print_exc()
        return False
    finally:
        close_old_connections()


def run_rounds(rounds: Sequence[Round], keep_going: Callable[[], bool],
               clock: Callable[[], float] = time.monotonic,
               sleep: Callable[[float], object] = time.sleep) -> None:
    """Runs each round when it is due, until `keep_going()` is false (checked each second)."""
    due = [clock()] * len(rounds)
    while keep_going():
        for position, round_ in enumerate(rounds):
            if clock() >= due[position]:
                run_round(round_)
                due[position] = clock() + round_.every
        sleep(max(0.0, min(1.0, min(due) - clock())))


def _background_main(rounds: Sequence[Round], master: int) -> None:
    names = ", ".join(f"{r.name} every {r.every:g} s" for r in rounds)
    print(f"Background process {os.getpid()}: {names}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        run_rounds(rounds, keep_going=lambda: os.getppid() == master)


def start_background(rounds: Sequence[Round]) -> BaseProcess:
    """Forks the one background process; it stops by itself if this process dies.

    Call it with no database connection open (the child must not share one).
    """
    process = multiprocessing.get_context("fork").Process(
        target=_background_main, args=(list(rounds), os.getpid()), name="omov-background",
        daemon=True)
    process.start()
    return process


def stop_background(process: BaseProcess, grace: float = 10.0) -> None:
    """Stops the background process after its current round (or kills it after `grace`)."""
    try:
        process.terminate()
        process.join(grace)
        if process.is_alive():
            process.kill()
            process.join(grace)
    except (ProcessLookupError, ChildProcessError):
        pass  # already gone (and reaped by gunicorn's master)
