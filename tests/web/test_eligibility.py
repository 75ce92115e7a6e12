"""Eligibility follows the status history as it stood on the cut-off date."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from omov.members import actions
from omov.members.eligibility import eligible_members, status_on
from omov.members.models import Member, Status

from .helpers import days_ago, local_group, member

CUT_OFF = days_ago(30)


def change(person: Member, status: Status, days: int) -> None:
    actions.change_member_status(
        person, status, effective_on=days_ago(days), reason="test", by=None
    )


def names(cut_off: datetime.date, **filters: object) -> set[str]:
    return {person.name for person in eligible_members(cut_off, **filters)}  # type: ignore[arg-type]


def test_eligibility_follows_the_history_at_the_cut_off() -> None:
    member("Active throughout", joined_days_ago=400)
    lapsed_after = member("Lapsed after cut-off", joined_days_ago=400)
    change(lapsed_after, Status.LAPSED, 10)
    lapsed_before = member("Lapsed before cut-off", joined_days_ago=400)
    change(lapsed_before, Status.LAPSED, 60)
    rejoined_after = member("Rejoined after cut-off", joined_days_ago=400)
    change(rejoined_after, Status.CANCELLED, 60)
    change(rejoined_after, Status.ACTIVE, 5)
    rejoined_before = member("Rejoined before cut-off", joined_days_ago=400)
    change(rejoined_before, Status.CANCELLED, 60)
    change(rejoined_before, Status.ACTIVE, 40)
    member("Joined after cut-off", joined_days_ago=10)
    member("Joined on the cut-off", joined_days_ago=30)
    suspended = member("Suspended before cut-off", joined_days_ago=400)
    change(suspended, Status.SUSPENDED, 31)

    assert names(CUT_OFF) == {
        "Active throughout",
        "Lapsed after cut-off",
        "Rejoined before cut-off",
        "Joined on the cut-off",
    }


def test_two_changes_on_one_day_count_in_the_order_recorded() -> None:
    person = member("Same day", joined_days_ago=400)
    change(person, Status.LAPSED, 30)
    change(person, Status.ACTIVE, 30)
    assert names(CUT_OFF) == {"Same day"}


def test_eligibility_by_local_group() -> None:
    member("In Camden", group="Camden", joined_days_ago=400)
    member("In Hackney", group="Hackney", joined_days_ago=400)
    assert names(CUT_OFF, local_group=local_group("Hackney")) == {"In Hackney"}


_STEPS = st.lists(
    st.tuples(st.sampled_from(list(Status)), st.integers(min_value=0, max_value=5)),
    max_size=5,
)


@settings(max_examples=25, deadline=None)
@given(steps=_STEPS, cut_off_days=st.integers(min_value=0, max_value=60))
def test_eligible_members_agrees_with_each_members_status_on_the_day(
    steps: list[tuple[Status, int]], cut_off_days: int
) -> None:
    person = member("Property", joined_days_ago=60)
    days = 60
    for status, gap in steps:
        days = max(0, days - gap)
        if status != person.status:
            change(person, status, days)
            person.refresh_from_db()
    cut_off = days_ago(cut_off_days)
    in_list = eligible_members(cut_off).filter(pk=person.pk).exists()
    assert in_list == (status_on(person, cut_off) == Status.ACTIVE)
