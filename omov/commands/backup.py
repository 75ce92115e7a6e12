"""`omov backup FILE`: see omov.web.backup."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "backup"
HELP = ("Back up the database DATABASE_URL names to FILE (SQLite: its online backup API, "
        "safe while serving; PostgreSQL: pg_dump).")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="the backup to write")
    parser.add_argument("--replace", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    from omov.web.backup import BackupError, backup
    from omov.web.bootstrap import setup_django

    setup_django()
    try:
        print(backup(args.file, replace=args.replace))
    except BackupError as error:
        print(f"omov backup: {error}")
        return 1
    return 0
