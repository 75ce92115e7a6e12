"""Nomination rules at their edges: support once per post, the N-or-M threshold, the
eligibility months, word limits, frozen statements, acceptance and withdrawal."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from omov.audit.models import AuditEvent
from omov.elections import rules
from omov.elections.actions import nominations
from omov.elections.errors import ElectionError, NotAllowed
from omov.elections.models import Ruling
from omov.members.models import Status, today

from .election_helpers import after_close, election, post
from .helpers import local_group, member, organiser


def test_a_nomination_of_oneself_is_accepted_and_of_another_waits_for_the_nominee() -> None:
    the_post = post(election())
    ana, ben = member("Ana Silva"), member("Ben Ode")
    own = nominations.nominate(the_post, ana, by=ana, statement="I stand.")
    other = nominations.nominate(the_post, member("Cy Ray"), by=ben)
    assert own.accepted_at is not None and own.statement == "I stand."
    assert other.accepted_at is None
    asked = mail.outbox[-1]
    assert asked.to == [other.nominee.email]
    assert f"/nominations/{other.pk}/" in str(asked.body) and "Ben Ode" in str(asked.body)
    assert len(mail.outbox) == 1  # nominating oneself sends nothing
    with pytest.raises(NotAllowed, match="Only Cy Ray, the nominee"):
        nominations.accept_nomination(other, by=ben)
    nominations.accept_nomination(other, by=other.nominee, statement="Yes.")
    other.refresh_from_db()
    assert other.accepted_at is not None and other.statement == "Yes."


def test_a_nomination_not_accepted_cannot_be_ruled_valid() -> None:
    the_post = post(election(), supporters=0, groups=0)
    nominee = member("Dee Nom")
    nomination = nominations.nominate(the_post, nominee, by=member("Eve Nominator"))
    with pytest.raises(ElectionError, match="has not accepted"):
        nominations.rule_on_nomination(nomination, valid=True, reason="ok", by=organiser())
    nominations.accept_nomination(nomination, by=nominee)
    ruled = nominations.rule_on_nomination(nomination, valid=True, reason="ok", by=organiser())
    assert ruled.ruling == Ruling.VALID


def test_each_member_supports_one_nomination_per_post_but_may_support_on_another_post() -> None:
    of = election()
    north, south = post(of), post(of, title="South region seats")
    a, b, c = member("Al Ant"), member("Bo Bee"), member("Ca Cat")
    first = nominations.nominate(north, a, by=a)
    second = nominations.nominate(north, b, by=b)
    elsewhere = nominations.nominate(south, c, by=c)
    supporter = member("Sue Porter")
    nominations.support_nomination(first, by=supporter)
    with pytest.raises(ElectionError, match="already supports Al Ant for North region seats"):
        nominations.support_nomination(second, by=supporter)
    with pytest.raises(ElectionError, match="already supports"):
        nominations.support_nomination(first, by=supporter)
    nominations.support_nomination(elsewhere, by=supporter)
    with pytest.raises(NotAllowed, match="cannot support their own"):
        nominations.support_nomination(first, by=a)


def test_nominating_another_member_uses_the_nominators_one_support() -> None:
    the_post = post(election())
    nominator = member("Nia Nominator")
    nominations.nominate(the_post, member("Xi One"), by=nominator)
    with pytest.raises(ElectionError, match="already supports Xi One"):
        nominations.nominate(the_post, member("Yu Two"), by=nominator)


def test_withdrawal_frees_the_supporters_for_another_nomination() -> None:
    the_post = post(election())
    a, b, supporter = member("Wen A"), member("Wen B"), member("Wen S")
    first = nominations.nominate(the_post, a, by=a)
    second = nominations.nominate(the_post, b, by=b)
    nominations.support_nomination(first, by=supporter)
    nominations.withdraw_nomination(first, by=a)
    nominations.support_nomination(second, by=supporter)
    assert nominations.support_counts(second) == (1, 0)
    assert nominations.support_counts(first) == (0, 0)


def _accepted(the_post: object, name: str) -> object:
    person = member(name)
    return nominations.nominate(the_post, person, by=person)  # type: ignore[arg-type]


def test_n_supporting_members_or_m_groups_at_the_threshold_and_one_below() -> None:
    the_post = post(election(), supporters=3, groups=2)
    by_members = _accepted(the_post, "Mo Members")
    by_groups = _accepted(the_post, "Go Groups")
    boss = organiser()
    for name in ("S1 A", "S2 B"):
        nominations.support_nomination(by_members, by=member(name))  # type: ignore[arg-type]
    with pytest.raises(ElectionError, match=r"3 supporting members \(it has 2\) or 2 supporting "
                                            r"local groups \(it has 0\)"):
        nominations.rule_on_nomination(by_members, valid=True, reason="ok", by=boss)  # type: ignore[arg-type]
    nominations.support_nomination(by_members, by=member("S3 C"))  # type: ignore[arg-type]
    nominations.rule_on_nomination(by_members, valid=True, reason="3 members", by=boss)  # type: ignore[arg-type]

    nominations.record_group_support(by_groups, local_group("Camden"), note="AGM 1 May",  # type: ignore[arg-type]
                                     by=boss)
    with pytest.raises(ElectionError, match="it has 1"):
        nominations.rule_on_nomination(by_groups, valid=True, reason="ok", by=boss)  # type: ignore[arg-type]
    nominations.record_group_support(by_groups, local_group("Hackney"), note="meeting 2 May",  # type: ignore[arg-type]
                                     by=boss)
    assert nominations.rule_on_nomination(by_groups, valid=True, reason="2 groups",  # type: ignore[arg-type]
                                          by=boss).ruling == Ruling.VALID


def test_a_local_group_supports_one_nomination_per_post_and_must_say_where_it_decided() -> None:
    the_post = post(election())
    first, second = _accepted(the_post, "Gr One"), _accepted(the_post, "Gr Two")
    boss, camden = organiser(), local_group("Camden")
    with pytest.raises(ElectionError, match="Say where the group decided"):
        nominations.record_group_support(first, camden, note=" ", by=boss)  # type: ignore[arg-type]
    nominations.record_group_support(first, camden, note="AGM", by=boss)  # type: ignore[arg-type]
    with pytest.raises(ElectionError, match="Camden already supports Gr One"):
        nominations.record_group_support(second, camden, note="AGM", by=boss)  # type: ignore[arg-type]
    with pytest.raises(NotAllowed, match="Only organisers"):
        nominations.record_group_support(second, local_group("Hackney"), note="x",  # type: ignore[arg-type]
                                         by=member("Not Organiser"))


def test_with_both_routes_zero_no_support_is_needed() -> None:
    assert rules.support_met(0, 0, 0, 0)
    assert not rules.support_met(5, 0, 0, 2)
    assert rules.support_met(0, 2, 0, 2)
    assert not rules.support_met(2, 5, 3, 0)


def test_eligibility_months_exactly_at_the_boundary_and_one_day_short() -> None:
    of = election()
    the_post = post(of, months=6)
    close_day = timezone.localdate(of.nominations_close_at)
    boundary = rules.months_before(close_day, 6)
    just = member("Just Enough", joined_days_ago=(today() - boundary).days)
    short = member("One Day Short", joined_days_ago=(today() - boundary).days - 1)
    assert nominations.nominate(the_post, just, by=just).pk
    with pytest.raises(ElectionError, match="for at least 6 months when nominations close"):
        nominations.nominate(the_post, short, by=short)


def test_a_break_in_membership_restarts_the_months() -> None:
    the_post = post(election(), months=6)
    rejoined = member("Re Joined", joined_days_ago=1000, status=Status.LAPSED)
    from omov.members import actions as member_actions

    member_actions.change_member_status(rejoined, Status.ACTIVE, effective_on=today(),
                                        reason="rejoined", by=None)
    rejoined.refresh_from_db()
    with pytest.raises(ElectionError, match="active member since"):
        nominations.nominate(the_post, rejoined, by=rejoined)
    lapsed = member("Now Lapsed", joined_days_ago=1000, status=Status.LAPSED)
    with pytest.raises(ElectionError, match="is not an active member"):
        nominations.nominate(the_post, lapsed, by=member("Their Friend"))


def test_months_before_clamps_to_the_end_of_a_shorter_month() -> None:
    assert rules.months_before(datetime.date(2027, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert rules.months_before(datetime.date(2027, 3, 15), 15) == datetime.date(2025, 12, 15)


def test_the_word_limit_at_the_limit_and_one_over() -> None:
    the_post = post(election(), words=5)
    person = member("Wordy Person")
    nomination = nominations.nominate(the_post, person, by=person,
                                      statement="one two three four five")
    with pytest.raises(ElectionError, match="has 6 words; the limit for North region seats is 5"):
        nominations.edit_statement(nomination, by=person, statement="one two three four five six")
    other = member("Other Person")
    with pytest.raises(ElectionError, match="6 words"):
        nominations.nominate(the_post, other, by=other, statement="a b c d e\n\nf")


def test_statements_freeze_when_nominations_close() -> None:
    of = election()
    the_post = post(of)
    person = member("Frozen Statement")
    nomination = nominations.nominate(the_post, person, by=person, statement="Before.")
    later = after_close(of)
    with pytest.raises(ElectionError, match="Statements are frozen"):
        nominations.edit_statement(nomination, by=person, statement="After.", now=later)
    from omov.elections.ballot import close_nominations

    close_nominations(of, by=None, now=later)
    with pytest.raises(ElectionError, match="Statements are frozen"):
        nominations.edit_statement(nomination, by=person, statement="After.")
    nomination.refresh_from_db()
    assert nomination.statement == "Before."


def test_no_nomination_support_or_acceptance_outside_the_period() -> None:
    of = election()
    the_post = post(of)
    person, nominee = member("Late Comer"), member("Late Nominee")
    waiting = nominations.nominate(the_post, nominee, by=member("Early Bird"))
    later = after_close(of)
    with pytest.raises(ElectionError, match="have closed"):
        nominations.nominate(the_post, person, by=person, now=later)
    with pytest.raises(ElectionError, match="have closed"):
        nominations.accept_nomination(waiting, by=nominee, now=later)
    with pytest.raises(ElectionError, match="have closed"):
        nominations.support_nomination(waiting, by=person, now=later)
    with pytest.raises(ElectionError, match="not opened yet"):
        nominations.nominate(the_post, person, by=person,
                             now=of.nominations_open_at - datetime.timedelta(seconds=1))


def test_only_the_electorate_nominates_and_supports() -> None:
    of = election(local_group=local_group("Camden"))
    the_post = post(of)
    camden = member("In Camden", group="Camden")
    nomination = nominations.nominate(the_post, camden, by=camden)
    outsider = member("In Hackney", group="Hackney")
    with pytest.raises(NotAllowed, match="Only members of Camden may support"):
        nominations.support_nomination(nomination, by=outsider)
    with pytest.raises(ElectionError, match="In Hackney is not a member of Camden"):
        nominations.nominate(the_post, outsider, by=member("Camden Friend", group="Camden"))
    with pytest.raises(ElectionError, match="Only Camden votes"):
        nominations.record_group_support(nomination, local_group("Hackney"), note="x",
                                         by=organiser())


def test_a_ruling_needs_a_published_reason_and_only_an_organiser_rules() -> None:
    the_post = post(election(), supporters=0, groups=0)
    nomination = _accepted(the_post, "Ruled On")
    with pytest.raises(ElectionError, match="Give the reason"):
        nominations.rule_on_nomination(nomination, valid=False, reason="", by=organiser())  # type: ignore[arg-type]
    with pytest.raises(NotAllowed, match="Only organisers"):
        nominations.rule_on_nomination(nomination, valid=False, reason="x",  # type: ignore[arg-type]
                                       by=member("Plain Member"))
    ruled = nominations.rule_on_nomination(nomination, valid=False,  # type: ignore[arg-type]
                                           reason="Not a member of the region.", by=organiser())
    assert ruled.ruling == Ruling.INVALID
    event = AuditEvent.objects.filter(action="rule_on_nomination").get()
    assert event.public and "Not a member of the region." in event.summary


def test_every_step_writes_a_public_audit_entry() -> None:
    the_post = post(election(), supporters=1, groups=0)
    nominee, nominator, supporter = member("Au Nominee"), member("Au Nominator"), member("Au S")
    nomination = nominations.nominate(the_post, nominee, by=nominator)
    nominations.accept_nomination(nomination, by=nominee, statement="Hi")
    nominations.edit_statement(nomination, by=nominee, statement="Hello")
    nominations.support_nomination(nomination, by=supporter)
    nominations.rule_on_nomination(nomination, valid=True, reason="ok", by=organiser())
    nominations.withdraw_nomination(nomination, by=nominee)
    actions = list(AuditEvent.objects.filter(object_type="elections.Nomination")
                   .order_by("id").values_list("action", "public"))
    assert actions == [("nominate", True), ("accept_nomination", True),
                       ("edit_statement", True), ("support_nomination", True),
                       ("rule_on_nomination", True), ("withdraw_nomination", True)]
    assert AuditEvent.objects.filter(action="create_election").exists()
    assert AuditEvent.objects.filter(action="add_post").exists()


def test_only_the_nominee_withdraws_and_only_once() -> None:
    the_post = post(election())
    nominee = member("With Drawer")
    nomination = nominations.nominate(the_post, nominee, by=nominee)
    with pytest.raises(NotAllowed):
        nominations.withdraw_nomination(nomination, by=member("Someone Else"))
    nominations.withdraw_nomination(nomination, by=nominee)
    with pytest.raises(ElectionError, match="already withdrawn"):
        nominations.withdraw_nomination(nomination, by=nominee)
    again = nominations.nominate(the_post, nominee, by=nominee)
    assert again.pk != nomination.pk
