"""`omov serve`: bring the database schema up to date, then serve the site."""

from __future__ import annotations

import argparse

NAME = "serve"
HELP = "Migrate the database, then serve omov with waitress (default 127.0.0.1:8000)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")


def run(args: argparse.Namespace) -> int:
    from omov.web.bootstrap import migrate, serve, setup_django

    setup_django()
    migrate(verbose=True)
    serve(args.host, args.port)
    return 0
