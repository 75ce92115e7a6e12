"""CSV exports guard every text cell against formula injection, email included."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from omov.members.models import Member
from omov.members.roll_csv import plan_import
from omov.spreadsheet import FORMULA_PREFIXES, guard, unguard

from .helpers import client_for, member, organiser
from .test_ballots_helpers import published

HOSTILE = ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", [*HOSTILE, "plain", "'quoted", "", "a=b"])
def test_guard_round_trips_and_leaves_nothing_to_run(value: str) -> None:
    assert not guard(value).startswith(FORMULA_PREFIXES)
    assert unguard(guard(value)) == value


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_roll_export_guards_every_cell_and_imports_back_unchanged() -> None:
    boss = organiser()
    sam = member("Sam Okafor", email="sam@example.org")
    Member.objects.filter(pk=sam.pk).update(name="=HYPERLINK(\"http://evil.example\")",
                                            email="-x@example.org")
    response = client_for(boss).get(reverse("members:export"))
    exported = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    for row in cells(exported):
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES), row
    assert [row[2] for row in cells(exported) if "x@" in row[2]] == ["'-x@example.org"]
    plan = plan_import(exported)
    assert plan.is_clean, plan.problems
    assert {row.kind for row in plan.rows} == {"unchanged"}


def test_the_authority_electors_file_guards_the_email() -> None:
    election = published()
    voter = election.voters[0]
    Member.objects.filter(pk=voter.pk).update(email="=1+1@example.org")
    response = client_for(election.authority).get(
        reverse("ballots:authority_electors_csv", args=[election.ballot.slug]))
    rows = cells(response.content.decode())
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES), row
    assert "'=1+1@example.org" in [row[1] for row in rows]
