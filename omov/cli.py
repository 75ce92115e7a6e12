"""The `omov` command: one subcommand per module in `omov.commands`.

Each command module exposes `NAME`, `HELP`, `configure(parser)` and
`run(args) -> int`. Keeping each command in its own module lets the protocol
commands (verify, simulate, trustee, credentials) stay free of Django, while
the web commands (demo, serve) import it only when they run.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "demo",
    "serve",
    "schedule",
    "mailworker",
    "organiser",
    "backup",
    "restore",
    "verify",
    "simulate",
    "trustee",
    "credentials",
    "vote",
    "bench",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="omov", description="One member, one vote: verifiable ballots."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"omov.commands.{module_name}")
        except ModuleNotFoundError as missing:
            if missing.name != f"omov.commands.{module_name}":
                raise
            continue
        sub = subparsers.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.configure(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
