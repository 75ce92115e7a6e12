"""`omov serve`: bring the database schema up to date, then serve the site.

Unless `--no-schedule`, a background thread also runs the ballot schedule
(`omov schedule`'s round) every `--schedule-every` seconds.
"""

from __future__ import annotations

import argparse

NAME = "serve"
HELP = ("Migrate the database, then serve omov with waitress (default 127.0.0.1:8000), "
        "opening and closing ballots on time.")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--no-schedule", dest="schedule", action="store_false",
                        help="do not run the schedule (run `omov schedule` elsewhere instead)")
    parser.add_argument("--schedule-every", type=float, default=30.0, metavar="SECONDS",
                        help="seconds between schedule rounds (default 30)")


def run(args: argparse.Namespace) -> int:
    from omov.web.bootstrap import migrate, serve, setup_django, start_schedule

    if args.schedule_every <= 0:
        print("omov serve: --schedule-every needs a positive number of seconds")
        return 2
    setup_django()
    migrate(verbose=True)
    if args.schedule:
        start_schedule(args.schedule_every)
    serve(args.host, args.port)
    return 0
