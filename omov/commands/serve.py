"""`omov serve`: bring the database schema up to date, then serve the site.

The site is served by gunicorn with `--workers` processes (one per core by
default). Unless `--no-schedule`, one background process (not one per
worker) also runs the ballot schedule (`omov schedule`'s round) every
`--schedule-every` seconds and the mail worker (`omov mailworker`'s round)
every `MAIL_EVERY` seconds. A database that is not up yet is waited for, up
to `--wait-for-db` seconds.
"""

from __future__ import annotations

import argparse

NAME = "serve"
HELP = ("Migrate the database, then serve omov with gunicorn (default 127.0.0.1:8000), "
        "opening and closing ballots on time and sending the mail in the outbox.")
MAIL_EVERY = 2.0


def configure(parser: argparse.ArgumentParser) -> None:
    from omov.web.server import default_workers

    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--no-schedule", dest="schedule", action="store_false",
                        help="do not run the schedule or the mail worker (run `omov schedule` "
                        "and `omov mailworker` elsewhere instead)")
    parser.add_argument("--schedule-every", type=float, default=30.0, metavar="SECONDS",
                        help="seconds between schedule rounds (default 30)")
    parser.add_argument("--wait-for-db", type=float, default=60.0, metavar="SECONDS",
                        help="how long to wait for a database that is not up yet (default 60)")
    parser.add_argument("--workers", type=int, default=default_workers(), metavar="N",
                        help="web worker processes (default: one per core)")
    parser.add_argument("--threads", type=int, default=4, metavar="N",
                        help="requests each worker serves at once (default 4)")
    parser.add_argument("--access-log", action="store_true",
                        help="print a line per request, naming the worker process")


def run(args: argparse.Namespace) -> int:
    from omov.web import background, server
    from omov.web.bootstrap import migrate, setup_django, wait_for_database

    if args.schedule_every <= 0:
        print("omov serve: --schedule-every needs a positive number of seconds")
        return 2
    if args.wait_for_db < 0:
        print("omov serve: --wait-for-db needs zero or more seconds")
        return 2
    if args.workers < 1 or args.threads < 1:
        print("omov serve: --workers and --threads need at least 1")
        return 2
    setup_django()
    if not wait_for_database(args.wait_for_db, report=lambda line: print(line, flush=True)):
        print(f"omov serve: the database did not answer within {args.wait_for_db:g} s; "
              "check DATABASE_URL and that the database is running", flush=True)
        return 1
    migrate(verbose=True)
    rounds = []
    if args.schedule:
        rounds.append(background.Round("schedule", args.schedule_every,
                                       background.schedule_round))
        from omov.web.outbox import run_delivery_round  # needs the settings set up

        rounds.append(background.Round("mail", MAIL_EVERY, run_delivery_round))
    from django.db import connections

    connections.close_all()  # the background process and the workers are forked
    worker = background.start_background(rounds) if rounds else None
    try:
        server.serve(args.host, args.port, workers=args.workers, threads=args.threads,
                     access_log=args.access_log)
    finally:
        if worker is not None:
            background.stop_background(worker)
    return 0
