"""Roll import: what the preview accepts, the commit stores (hypothesis), and a table of the
rows the preview must refuse (issue: a number with “/” was imported, then broke the roster)."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import transaction
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omov.members.actions import import_members, stage_member_import
from omov.members.models import Member
from omov.members.roll_csv import LENGTH_LIMITS, plan_import

HEADER = ["membership_number", "name", "email", "local_group", "status", "status_since",
          "joined_on"]


def roll(*rows: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


awkward = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from("aZ09./?#% _-'=+@\x00\t\n\r\x7fé/"), max_size=12),
    st.sampled_from(["", ".", "..", "a/b", "M%2F1", "x" * 41, "y" * 201, "z" * 5000]),
)
emails = st.one_of(st.emails(), awkward,
                   st.builds(lambda n: "a" * n + "@example.org", st.integers(240, 260)))
rows = st.lists(st.tuples(awkward, awkward, emails, st.sampled_from(["active", "lapsed", "x"])),
                min_size=1, max_size=4)


@pytest.mark.slow
@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows)
def test_a_clean_preview_always_commits_and_every_member_stays_reachable(
    cells: list[tuple[str, str, str, str]],
) -> None:
    content = roll(*[[number, name, email, "", status, "", ""]
                     for number, name, email, status in cells])
    with transaction.atomic():
        plan = plan_import(content)
        if plan.is_clean:
            upload = stage_member_import(file_name="fuzz.csv", content=content, by=None)
            import_members(upload, by=None)
            for member in Member.objects.all():
                for column, limit in LENGTH_LIMITS.items():
                    assert len(getattr(member, column)) <= limit
                for value in (member.membership_number, member.name, member.email):
                    assert "\x00" not in value
                url = reverse("members:member_detail", args=[member.membership_number])
                assert resolve(url).kwargs["number"] == member.membership_number
        transaction.set_rollback(True)


REFUSED = [
    (["M/1", "Sam", "sam@example.org", "", "active", "", ""], "membership_number"),
    (["M?1", "Sam", "sam@example.org", "", "active", "", ""], "membership_number"),
    (["..", "Sam", "sam@example.org", "", "active", "", ""], "membership_number"),
    (["M 1", "Sam", "sam@example.org", "", "active", "", ""], "membership_number"),
    (["M" * 41, "Sam", "sam@example.org", "", "active", "", ""], "membership_number"),
    (["M1", "S" * 201, "sam@example.org", "", "active", "", ""], "name"),
    (["M1", "Sam\x00", "sam@example.org", "", "active", "", ""], "name"),
    (["M1", "Sam\nOkafor", "sam@example.org", "", "active", "", ""], "name"),
    (["M1", "Sam", "s" * 250 + "@example.org", "", "active", "", ""], "email"),
    (["M1", "Sam", "sam@example.org", "x" * 5000, "active", "", ""], "local_group"),
]


@pytest.mark.parametrize(("row", "column"), REFUSED)
def test_the_preview_names_each_row_the_commit_would_refuse(row: list[str], column: str) -> None:
    plan = plan_import(roll(row))
    assert not plan.is_clean
    assert [problem.column for problem in plan.problems] == [column]
    assert plan.problems[0].line == 2 + sum(cell.count("\n") for cell in row)


def test_a_cell_past_the_csv_field_limit_is_a_clear_file_problem() -> None:
    plan = plan_import(roll(["M1", "S" * 200_000, "sam@example.org", "", "active", "", ""]))
    assert not plan.is_clean
    assert "field larger than field limit" in plan.file_problems[0]
