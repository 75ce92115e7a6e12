"""Backing up and restoring the database that DATABASE_URL names.

SQLite is copied through its online backup API, page by page under a read
lock, so the copy is one consistent moment, includes what is still in the
write-ahead log (a copy of the file alone loses it), and may be taken while
`omov serve` runs; the copy is a single file (journal mode DELETE), checked
with `PRAGMA integrity_check`. PostgreSQL goes through `pg_dump` in its
custom format, checked by listing it with `pg_restore --list`, and back with
`pg_restore` in one transaction.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def _engine(settings_dict: dict[str, Any]) -> str:
    engine = str(settings_dict["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"omov backs up SQLite and PostgreSQL only, not {engine}")


def _aside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.partial")


def backup(path: Path, *, replace: bool = False) -> str:
    """Writes a backup of the database to `path`; returns a line saying what was written."""
    from django.db import connection

    if path.exists() and not replace:
        raise BackupError(f"{path} already exists; choose another name or pass --replace")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a directory")
    draft = _aside(path)
    try:
        if _engine(connection.settings_dict) == "sqlite":
            _sqlite_backup(draft)
        else:
            _pg_dump(connection.settings_dict, draft)
        draft.replace(path)
    finally:
        draft.unlink(missing_ok=True)
    return f"Backed up the database to {path} ({path.stat().st_size:,} bytes)"


def _sqlite_backup(draft: Path) -> None:
    from django.db import connection

    connection.ensure_connection()
    source = connection.connection
    target = sqlite3.connect(draft)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        (verdict,) = target.execute("PRAGMA integrity_check").fetchone()
        if verdict != "ok":
            raise BackupError(f"the copy failed SQLite's integrity check: {verdict}")
    finally:
        target.close()


def _pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(command: list[str], settings_dict: dict[str, Any]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt install postgresql-client)")
    result = subprocess.run(command, env=_pg_environment(settings_dict), capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.returncode}")


def _pg_dump(settings_dict: dict[str, Any], draft: Path) -> None:
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={draft}"],
         settings_dict)
    _run(["pg_restore", "--list", str(draft)], settings_dict)


def _kind_of_file(path: Path) -> str:
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    with path.open("rb") as handle:
        start = handle.read(len(SQLITE_MAGIC))
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not an omov backup (neither an SQLite database nor a pg_dump "
                      "custom-format archive)")


def _holds_data() -> bool:
    from django.db import connection

    return "django_migrations" in connection.introspection.table_names()


def restore(path: Path, *, replace: bool = False) -> str:
    """Replaces the database's contents with the backup at `path`.

    Refuses a database that already holds a site unless `replace`, and a
    backup of the other kind of database.
    """
    from django.db import connection

    engine = _engine(connection.settings_dict)
    kind = _kind_of_file(path)
    if kind != engine:
        raise BackupError(f"{path} is a {kind} backup, but DATABASE_URL names a {engine} "
                          "database")
    if _holds_data() and not replace:
        raise BackupError("the database already holds a site; pass --replace to overwrite it "
                          "(stop omov serve first)")
    if engine == "sqlite":
        _sqlite_restore(path)
    else:
        connection.close()
        name = connection.settings_dict["NAME"]
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={name}", str(path)],
             connection.settings_dict)
    return f"Restored the database from {path}"


def _sqlite_restore(path: Path) -> None:
    from django.db import connection

    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            (verdict,) = source.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} cannot be read: {error}") from error
        if verdict != "ok":
            raise BackupError(f"{path} fails SQLite's integrity check: {verdict}")
        if "django_migrations" not in tables:
            raise BackupError(f"{path} is an SQLite database but not an omov one")
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()
