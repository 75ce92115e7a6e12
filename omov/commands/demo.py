"""`omov demo`: a believable organisation on a fresh SQLite database, in debug mode.

Prints sign-in links for a member and an organiser; outgoing mail appears on
the development mailbox page instead of being sent.
"""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "demo"
HELP = "Seed a demo organisation on a fresh SQLite database and serve it (debug mode)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--members", type=int, default=300, help="how many members to seed")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the demo data")
    parser.add_argument(
        "--no-serve", action="store_true", help="seed, print the links, and exit"
    )


def _fresh_database(var_dir: Path) -> str:
    """Removes the last demo's database with its journal and write-ahead log (a stale
    log would be replayed into the new file); returns the new database's URL."""
    database = var_dir / "demo.sqlite3"
    for suffix in ("", "-journal", "-wal", "-shm"):
        (var_dir / f"demo.sqlite3{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{database}"


def run(args: argparse.Namespace) -> int:
    import os

    from omov.web.bootstrap import (
        migrate,
        serve,
        setup_django,
        start_mail_worker,
        start_schedule,
    )

    var_dir = Path(os.environ.get("OMOV_VAR_DIR", "var")).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("OMOV_BASE_URL", f"http://{args.host}:{args.port}")
    setup_django(debug=True, database_url=_fresh_database(var_dir))
    migrate()

    from omov.demo.seed import DemoOptions, seed_demo

    report = seed_demo(DemoOptions(members=args.members, random_seed=args.seed))
    from omov.web.outbox import run_delivery_round

    run_delivery_round()  # the seed's mail, into the development mailbox before serving
    for line in report.lines:
        print(line)
    if args.no_serve:
        return 0
    print(mailbox_warning(args.host, args.port))
    start_schedule(30.0)
    start_mail_worker(1.0)
    serve(args.host, args.port)
    return 0


def mailbox_warning(host: str, port: int) -> str:
    """The notice printed before serving: the mailbox shows every link and code."""
    reach = ("only this machine" if host in ("127.0.0.1", "localhost", "::1")
             else "ANYONE WHO CAN REACH THIS ADDRESS")
    return (
        "WARNING: the development mailbox at "
        f"http://{host}:{port}/dev/mailbox/ shows every sign-in link and voting code "
        f"to {reach}. It is for a demo on your own machine, never for real members."
    )
