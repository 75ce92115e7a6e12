"""`omov demo --no-serve` seeds a fresh demo database and exits."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from omov.commands import demo


def test_a_new_demo_removes_the_last_ones_database_and_its_logs(tmp_path: Path) -> None:
    names = ["demo.sqlite3", "demo.sqlite3-journal", "demo.sqlite3-wal", "demo.sqlite3-shm"]
    for name in names:
        (tmp_path / name).write_bytes(b"stale")
    assert demo._fresh_database(tmp_path) == f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert not any((tmp_path / name).exists() for name in names)


@pytest.mark.slow
def test_demo_seeds_a_believable_organisation_and_prints_sign_in_links(tmp_path: Path) -> None:
    environment = {
        **{key: value for key, value in os.environ.items() if key != "DATABASE_URL"},
        "OMOV_VAR_DIR": str(tmp_path),
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "omov.cli", "demo", "--no-serve"],
        env=environment, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Sign in as a member" in result.stdout
    assert "Sign in as an organiser" in result.stdout
    assert "Sign in as a discussion moderator" in result.stdout
    assert "/sign-in/link/" in result.stdout
    authority = result.stdout.index("Sign in as the credential authority")
    assert "/ballots/2026-conference-delegates/authority/" in result.stdout[authority:]

    database = sqlite3.connect(tmp_path / "demo.sqlite3")
    count = database.execute
    assert count("select count(*) from discussion_comment").fetchone()[0] >= 30
    assert count("select count(*) from discussion_comment where parent_id is not null"
                 ).fetchone()[0] >= 15
    assert count("select hidden_reason from discussion_comment where hidden_at is not null"
                 ).fetchone()[0].startswith("Personal attack")
    assert count("select count(*) from discussion_revision").fetchone()[0] >= 1
    assert count("select count(*) from discussion_reaction").fetchone()[0] >= 30
    assert count("select count(*) from members_member").fetchone()[0] == 300
    statuses = dict(count("select status, count(*) from members_member group by status"))
    assert statuses["active"] > 200 and statuses["lapsed"] > 0 and statuses["cancelled"] > 0
    groups = {row[0] for row in count("select name from organisation_localgroup")}
    assert "Camden" in groups and len(groups) == 5
    officer_parent = count(
        "select p.name from organisation_committee c join organisation_committee p "
        "on c.parent_id = p.id where c.name = 'Officer Group'"
    ).fetchone()
    assert officer_parent == ("National Coordinating Committee",)
    assert count("select count(*) from members_rejoinrequest where outcome='pending'").fetchone()


def test_the_demo_warns_that_its_mailbox_is_public_and_louder_off_loopback() -> None:
    from omov.commands.demo import mailbox_warning

    assert "/dev/mailbox/" in mailbox_warning("127.0.0.1", 8000)
    assert "only this machine" in mailbox_warning("127.0.0.1", 8000)
    assert "ANYONE WHO CAN REACH" in mailbox_warning("0.0.0.0", 8000)
