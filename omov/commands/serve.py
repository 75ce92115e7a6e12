"""`omov serve`: bring the database schema up to date, then serve the site.

Unless `--no-schedule`, background threads also run the ballot schedule
(`omov schedule`'s round) every `--schedule-every` seconds and the mail worker
(`omov mailworker`) every `MAIL_EVERY` seconds. A database that
is not up yet is waited for, up to `--wait-for-db` seconds.
"""

from __future__ import annotations

import argparse

NAME = "serve"
HELP = ("Migrate the database, then serve omov with waitress (default 127.0.0.1:8000), "
        "opening and closing ballots on time and sending the mail in the outbox.")
MAIL_EVERY = 2.0


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--no-schedule", dest="schedule", action="store_false",
                        help="do not run the schedule or the mail worker (run `omov schedule` "
                        "and `omov mailworker` elsewhere instead)")
    parser.add_argument("--schedule-every", type=float, default=30.0, metavar="SECONDS",
                        help="seconds between schedule rounds (default 30)")
    parser.add_argument("--wait-for-db", type=float, default=60.0, metavar="SECONDS",
                        help="how long to wait for a database that is not up yet (default 60)")


def run(args: argparse.Namespace) -> int:
    from omov.web.bootstrap import (
        migrate,
        serve,
        setup_django,
        start_mail_worker,
        start_schedule,
        wait_for_database,
    )

    if args.schedule_every <= 0:
        print("omov serve: --schedule-every needs a positive number of seconds")
        return 2
    if args.wait_for_db < 0:
        print("omov serve: --wait-for-db needs zero or more seconds")
        return 2
    setup_django()
    if not wait_for_database(args.wait_for_db, report=lambda line: print(line, flush=True)):
        print(f"omov serve: the database did not answer within {args.wait_for_db:g} s; "
              "check DATABASE_URL and that the database is running", flush=True)
        return 1
    migrate(verbose=True)
    if args.schedule:
        start_schedule(args.schedule_every)
        start_mail_worker(MAIL_EVERY)
    serve(args.host, args.port)
    return 0
