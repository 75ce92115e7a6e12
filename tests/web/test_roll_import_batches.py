"""A roll import writes in batches, each audited; one that stops part way says so and resumes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from omov.audit.models import AuditEvent
from omov.members import actions
from omov.members.errors import ImportInterrupted
from omov.members.models import Member, Status
from omov.members.roll_csv import plan_import

from .helpers import days_ago, local_group, member
from .test_roll_import import HEADER

ROOT = Path(__file__).resolve().parents[2]


def roll_file(count: int) -> str:
    return HEADER + "".join(
        f"B{number},Member {number},b{number}@example.org,Camden,active,,\n"
        for number in range(1, count + 1)
    )


def staged(content: str) -> Any:
    local_group("Camden")
    return actions.stage_member_import(file_name="roll.csv", content=content, by=None)


def test_each_batch_is_a_transaction_with_its_audit_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(actions, "IMPORT_BATCH_ROWS", 2)
    upload = staged(roll_file(5))
    actions.import_members(upload, by=None)
    assert Member.objects.filter(membership_number__startswith="B").count() == 5
    batches = AuditEvent.objects.filter(action="import_members_batch").order_by("id")
    assert [(event.details["batch"], event.details["new"]) for event in batches] == [
        (1, 2), (2, 2), (3, 1)]
    final = AuditEvent.objects.get(action="import_members")
    assert final.public and final.details["batches"] == 3 and final.details["new"] == 5
    upload.refresh_from_db()
    assert upload.committed_at is not None
    with pytest.raises(ImportInterrupted, match="already been imported"):
        actions.import_members(upload, by=None)


def test_a_batch_refused_midway_is_reported_and_the_import_resumes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(actions, "IMPORT_BATCH_ROWS", 2)
    upload = staged(roll_file(5))
    real_batch = actions._apply_batch

    def batch_then_someone_adds_b3(*args: Any, number: int, **kwargs: Any) -> None:
        real_batch(*args, number=number, **kwargs)
        if number == 1:  # another organiser adds B3's email under another number
            actions.add_member(membership_number="X3", name="Member 3",
                               email="b3@example.org", local_group=local_group("Camden"),
                               joined_on=days_ago(10), by=None)

    monkeypatch.setattr(actions, "_apply_batch", batch_then_someone_adds_b3)
    with pytest.raises(ImportInterrupted) as stopped:
        actions.import_members(upload, by=None)
    assert "batch 2 of 3" in str(stopped.value)
    assert "1 batches before it were imported" in str(stopped.value)
    assert sorted(Member.objects.filter(membership_number__startswith="B")
                  .values_list("membership_number", flat=True)) == ["B1", "B2"]
    event = AuditEvent.objects.get(action="import_members_interrupted")
    assert event.public and event.details["batches_done"] == 1
    upload.refresh_from_db()
    assert upload.committed_at is None

    # The organiser sees the clash in the preview; once the row is fixed the import
    # finishes, and the rows of batch 1 are unchanged the second time.
    monkeypatch.setattr(actions, "_apply_batch", real_batch)
    fixed = actions.stage_member_import(
        file_name="roll.csv", content=roll_file(5).replace("B3,", "X3,"), by=None)
    plan = actions.import_members(fixed, by=None)
    assert (plan.count("new"), plan.count("unchanged")) == (2, 3)
    assert Member.objects.filter(membership_number__startswith="B").count() == 4


def test_writers_get_the_sqlite_lock_during_a_long_import(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("sqlite_import_writer.py")),
         str(tmp_path / "omov.sqlite3"), "3000"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "writes during the import:" in done.stdout, done.stdout


def test_a_status_change_applied_twice_at_once_makes_one_history_row() -> None:
    """Two organisers confirming one file at once: the second update finds it done."""
    local_group("Camden")
    sam = member("Sam Okafor", email="sam@example.org", joined_days_ago=300)
    plan = plan_import(HEADER + f"{sam.membership_number},Sam Okafor,sam@example.org,,lapsed,"
                       f"{days_ago(20)},\n")
    (row,) = plan.rows
    assert row.status_changed
    before = sam.status_history.count()
    for _ in range(2):
        actions._apply_update(row, "Roll import: roll.csv", None)
    sam.refresh_from_db()
    assert sam.status == Status.LAPSED
    assert sam.status_history.count() == before + 1
