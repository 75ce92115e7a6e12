"""The rules: versions, plain words, denominators from the roll, organisers only edit."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from omov.audit.models import AuditEvent
from omov.constitution.actions import amend_rules
from omov.constitution.errors import RulesError
from omov.constitution.models import RuleVersion
from omov.constitution.queries import active_members_on, rules_in_force, target_for
from omov.constitution.rules import DEFAULT_RULES, RuleSet, Threshold
from omov.members.models import Status

from .helpers import client_for, days_ago, member, organiser


def test_defaults_apply_as_version_0_until_a_version_is_adopted() -> None:
    rules = rules_in_force()
    assert rules.version == 0
    assert rules.answer_days == 28


def test_a_change_is_a_new_version_with_who_why_and_an_audit_event() -> None:
    priya = organiser()
    changed = {**DEFAULT_RULES, "answer_days": 21}
    first = amend_rules(DEFAULT_RULES, reason="Adopted at conference", actor=priya)
    second = amend_rules(changed, reason="Answer sooner", actor=priya)
    assert (first.number, second.number) == (1, 2)
    assert rules_in_force().answer_days == 21
    assert rules_in_force(first.made_at).version == 1
    event = AuditEvent.objects.get(action="amend_rules", object_id=str(second.pk))
    assert event.actor == priya and event.public
    assert event.details["changes"] == [[
        "Answer deadline", "within 28 days of reaching that threshold.",
        "within 21 days of reaching that threshold.",
    ]]


def test_rules_in_force_is_frozen() -> None:
    rules = rules_in_force()
    with pytest.raises(AttributeError):
        rules.answer_days = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answer_days": 0}, "Answer deadline: a whole number from 1 to 365."),
        ({"ballot_majority_percent": 40}, "Binding ballot: majority: a percentage from 50"),
        ({"answer_threshold": {"members": 10, "percent": 5, "combine": "most"}}, "lower or higher"),
        ({"officer_group_may_decide": ["everything"]}, "kinds among"),
        ({"surprise": 1}, "Unknown rules: surprise."),
    ],
)
def test_a_bad_rule_is_refused_and_nothing_changes(change: dict, message: str) -> None:
    with pytest.raises(RulesError, match=message.replace("(", r"\(")):
        amend_rules({**DEFAULT_RULES, **change}, reason="try", actor=None)
    assert not RuleVersion.objects.exists()


def test_no_reason_or_no_change_is_refused() -> None:
    with pytest.raises(RulesError, match="Say why"):
        amend_rules(DEFAULT_RULES, reason="  ", actor=None)
    amend_rules(DEFAULT_RULES, reason="adopt", actor=None)
    with pytest.raises(RulesError, match="Nothing changed"):
        amend_rules(DEFAULT_RULES, reason="again", actor=None)
    assert RuleVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("combine", "active", "needed"),
    [("lower", 100_000, 1000), ("lower", 10_000, 500), ("higher", 10_000, 1000),
     ("higher", 100_000, 5000), ("lower", 0, 0), ("lower", 19_999, 1000)],
)
def test_threshold_whichever_is_lower_or_higher(combine: str, active: int, needed: int) -> None:
    assert Threshold(1000, 5, combine).target(active) == needed  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("percent", "active", "needed"),
    [(0.07, 10_000, 7),  # a float gives 7.000000000000001 and rounds up to 8
     (0.07, 10_001, 8), (0.07, 9_999, 7), (5, 20_000, 1000), (5, 19_980, 999),
     (5, 20_001, 1001), (2.5, 40, 1), (2.5, 41, 2), (0.57, 100_000, 570), (33.3, 1000, 333),
     (33.3, 1001, 334), (100, 7, 7)],
)
def test_threshold_share_is_exact_at_the_edges(percent: float, active: int, needed: int) -> None:
    assert Threshold(10**9, percent, "lower").target(active) == needed


@pytest.mark.parametrize(("seats", "quorum"), [(12, 7), (13, 7), (4, 3), (1, 1), (0, 1)])
def test_committee_quorum_majority(seats: int, quorum: int) -> None:
    assert RuleSet.from_data(DEFAULT_RULES).committee_quorum(seats) == quorum


def test_call_in_window_counts_working_days() -> None:
    rules = RuleSet.from_data(DEFAULT_RULES)
    assert rules.call_in_ends(datetime.date(2026, 3, 5)) == datetime.date(2026, 3, 12)


def test_active_members_are_counted_on_the_roll_date_from_the_status_history() -> None:
    member("Ann")
    member("Ben", status=Status.LAPSED, joined_days_ago=400)  # lapsed 370 days ago
    member("Cat", joined_days_ago=10)
    assert active_members_on(days_ago(20)).count == 1
    assert active_members_on(timezone.localdate()).count == 2
    target = target_for(Threshold(1000, 50, "lower"), timezone.localdate())
    assert target.needed == 1
    assert "2 active members on" in target.words()


def test_members_read_the_rules_and_history_only_organisers_edit() -> None:
    priya, sam = organiser(), member("Sam")
    amend_rules(DEFAULT_RULES, reason="Adopted at conference", actor=priya)
    page = client_for(sam).get(reverse("constitution:rules")).content.decode()
    assert "Version 1" in page and "whichever is lower" in page
    assert "within 5 working days" in page
    assert client_for(sam).get(reverse("constitution:edit")).status_code == 403
    history = client_for(sam).get(reverse("constitution:history")).content.decode()
    assert "Adopted at conference" in history and "Priya Shah" in history


def test_an_organiser_changes_a_rule_through_the_form() -> None:
    priya = organiser()
    client = client_for(priya)
    form = client.get(reverse("constitution:edit")).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data.pop("emergency_needs_ratification")
    data.update(reason="Emergency decisions stand", signing_days=45)
    response = client.post(reverse("constitution:edit"), data)
    assert response.status_code == 302, response.context["form"].errors
    rules = rules_in_force()
    assert (rules.version, rules.signing_days, rules.emergency_needs_ratification) == (1, 45, False)
    bad = client.post(reverse("constitution:edit"), {**data, "answer_days": 999})
    assert "a whole number from 1 to 365" in bad.content.decode()
    assert RuleVersion.objects.count() == 1
