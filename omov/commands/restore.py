"""`omov restore FILE`: see omov.web.backup."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "restore"
HELP = ("Restore the database DATABASE_URL names from a backup FILE made by omov backup "
        "(stop omov serve first).")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="the backup to read")
    parser.add_argument("--replace", action="store_true",
                        help="overwrite a database that already holds a site")


def run(args: argparse.Namespace) -> int:
    from omov.web.backup import BackupError, restore
    from omov.web.bootstrap import setup_django

    setup_django()
    try:
        print(restore(args.file, replace=args.replace))
    except BackupError as error:
        print(f"omov restore: {error}")
        return 1
    return 0
