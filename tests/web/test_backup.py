"""`omov backup` and `omov restore`: the restored site's record is byte for byte the same."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from omov.ballots import board
from omov.ballots.models import Ballot
from omov.committees.actions import record_meeting
from omov.committees.register import register_lines
from omov.demo.seed import DemoOptions, seed_demo
from omov.organisation.models import Committee
from omov.petitions import signature_log
from omov.petitions.models import Petition
from omov.web.backup import BackupError, backup, restore

from .committee_helpers import national, present
from .helpers import days_ago


def site_record() -> dict[str, bytes]:
    """Every public record: each ballot's board, each committee's register, each petition's log."""
    record = {f"ballot {b.slug}": b"".join(board.lines(b)) for b in Ballot.objects.all()}
    record.update({f"register {c.slug}": b"\n".join(register_lines(c))
                   for c in Committee.objects.all()})
    record.update({f"petition {p.slug}": signature_log.download(p)
                   for p in Petition.objects.all()})
    return record


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF="tests.web.debug_urls")  # the demo names its mailbox page
def test_a_restored_site_has_the_same_record_byte_for_byte(tmp_path: Path) -> None:
    seed_demo(DemoOptions(members=60))
    nc = national()
    record_meeting(nc.committee, kind="full", held_on=days_ago(3), notice_sent_on=days_ago(10),
                   attendance=present(nc.seats[:8]), actor=nc.secretary)
    before = site_record()
    kinds = {name.split()[0] for name, lines in before.items() if lines}
    assert kinds == {"ballot", "register", "petition"}, "the demo fills every kind of record"
    copy = tmp_path / "site.backup"
    assert "Backed up" in backup(copy)
    with pytest.raises(BackupError, match="already exists"):
        backup(copy)
    call_command("flush", interactive=False, verbosity=0)
    assert not any(site_record().values())
    with pytest.raises(BackupError, match="already holds a site"):
        restore(copy)
    restore(copy, replace=True)
    connection.close()
    assert site_record() == before


def test_a_file_that_is_no_backup_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk"
    junk.write_bytes(b"hello")
    with pytest.raises(BackupError, match="is not an omov backup"):
        restore(junk, replace=True)
    with pytest.raises(BackupError, match="is not a file"):
        restore(tmp_path / "missing", replace=True)


def omov(*argv: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update({"DATABASE_URL": f"sqlite:///{database}", "OMOV_VAR_DIR": str(database.parent)})
    return subprocess.run([sys.executable, "-m", "omov.cli", *argv], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
def test_sqlite_backup_includes_what_is_still_in_the_write_ahead_log(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # as under load: the log not yet folded in
    writer.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT)")
    writer.executemany("INSERT INTO django_migrations (app) VALUES (?)",
                       [(f"ballot {n}",) for n in range(100)])
    shutil.copy(live, tmp_path / "file-copy.sqlite3")  # what copying the file alone keeps
    copied = sqlite3.connect(tmp_path / "file-copy.sqlite3")
    assert copied.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    copied.close()

    result = omov("backup", str(tmp_path / "site.backup"), database=live)
    assert result.returncode == 0, result.stdout + result.stderr
    restored = tmp_path / "restored.sqlite3"
    result = omov("restore", str(tmp_path / "site.backup"), database=restored)
    assert result.returncode == 0, result.stdout + result.stderr
    again = sqlite3.connect(restored)
    assert list(again.iterdump()) == list(writer.iterdump())
    again.close()
    result = omov("restore", str(tmp_path / "site.backup"), database=restored)
    assert result.returncode == 1
    assert "already holds a site" in result.stdout
    writer.close()
