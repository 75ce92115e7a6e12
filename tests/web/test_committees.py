"""The decision register's actions: who may record, quorum, roll calls, refusals."""

from __future__ import annotations

import re

import pytest

from omov.audit.models import AuditEvent
from omov.committees import actions
from omov.committees.errors import CommitteeError
from omov.committees.models import Meeting, Motion, RegisterEntry
from omov.committees.queries import call_in_ends
from omov.committees.register import register_lines
from omov.record.register import verify_register_lines
from omov.web.times import human_date

from .committee_helpers import National, national, present
from .helpers import days_ago, member


@pytest.fixture
def nc() -> National:
    return national()


def _full(nc: National, count: int) -> Meeting:
    return actions.record_meeting(
        nc.committee, kind="full", held_on=days_ago(3), notice_sent_on=days_ago(10),
        attendance=present(nc.seats[:count]), actor=nc.secretary,
    )


@pytest.mark.parametrize(("count", "words"), [
    (7, "quorate: 7 of 12 present, quorum 7"),
    (6, "not quorate: 6 of 12 present, quorum 7"),
    (12, "quorate: 12 of 12 present, quorum 7"),
])
def test_full_meeting_quorum_at_the_edges(nc: National, count: int, words: str) -> None:
    meeting = _full(nc, count)
    assert meeting.quorum_words() == words
    assert meeting.attendance.count() == 12  # everyone not listed is absent
    assert AuditEvent.objects.filter(action="record_meeting").count() == 1


def test_officer_group_meeting_is_not_full(nc: National) -> None:
    meeting = actions.record_meeting(
        nc.committee, kind="officer_group", held_on=days_ago(2), notice_sent_on=None,
        attendance=present(nc.seats[:3], nc.seats[3:4]), actor=nc.secretary,
    )
    assert meeting.quorum_words() == "not a full meeting: 3 of 12 (officer group)"


def test_a_member_cannot_record_a_meeting(nc: National) -> None:
    with pytest.raises(CommitteeError, match="Only the secretary"):
        actions.record_meeting(nc.committee, kind="full", held_on=days_ago(1),
                               notice_sent_on=None, attendance={}, actor=nc.seats[1])
    assert not RegisterEntry.objects.exists()


def test_more_attendees_than_seats_is_refused(nc: National) -> None:
    extra = [member(f"Extra {n}") for n in range(2)]
    with pytest.raises(CommitteeError, match="14 attendees listed, but National Committee "
                                             "had 12 seats"):
        actions.record_meeting(nc.committee, kind="full", held_on=days_ago(1),
                               notice_sent_on=None, attendance=present(nc.seats + extra),
                               actor=nc.secretary)
    with pytest.raises(CommitteeError, match="Extra 0, Extra 1 held no seat on National Committee"):
        actions.record_meeting(nc.committee, kind="full", held_on=days_ago(1),
                               notice_sent_on=None, attendance=present(extra),
                               actor=nc.secretary)
    assert not Meeting.objects.exists() and not RegisterEntry.objects.exists()


def test_roll_call_counts_and_refusals(nc: National) -> None:
    meeting = _full(nc, 8)
    votes = dict.fromkeys(nc.seats[:5], "for") | dict.fromkeys(nc.seats[5:7], "against")
    votes[nc.seats[7]] = "abstain"
    motion = actions.record_motion(meeting, mover=nc.seats[1], seconder=nc.seats[2],
                                   text="Endorse the candidate", votes=votes, actor=nc.secretary)
    assert (motion.votes_for, motion.votes_against, motion.abstentions) == (5, 2, 1)
    assert motion.carried and motion.votes.filter(vote="absent").count() == 4
    stranger = member("Not On It")
    with pytest.raises(CommitteeError, match="names Not On It, who is not a member of National"):
        actions.record_motion(meeting, mover=nc.seats[1], seconder=nc.seats[2], text="x",
                              votes={**votes, stranger: "for"}, actor=nc.secretary)
    with pytest.raises(CommitteeError, match="was absent and cannot vote for"):
        actions.record_motion(meeting, mover=nc.seats[1], seconder=nc.seats[2], text="x",
                              votes={**votes, nc.seats[11]: "for"}, actor=nc.secretary)
    with pytest.raises(CommitteeError, match="The rules require a roll call"):
        actions.record_motion(meeting, mover=nc.seats[1], seconder=nc.seats[2], text="x",
                              counts=(5, 2, 1), actor=nc.secretary)
    assert Motion.objects.count() == 1


def test_decisions_status_and_call_in(nc: National) -> None:
    meeting = _full(nc, 7)
    decision = actions.record_decision(meeting, text="Adopt the budget", kind="financial",
                                       effective_on=days_ago(0), actor=nc.secretary)
    assert decision.status == "in_call_in" and call_in_ends(decision) > days_ago(0)
    actions.set_decision_status(decision, "called_in", cause_text="call-in petition reached",
                                cause_url="/petitions/1/", actor=None)
    decision.refresh_from_db()
    assert (decision.status, decision.status_cause_url) == ("called_in", "/petitions/1/")
    with pytest.raises(CommitteeError, match="status is one of"):
        actions.set_decision_status(decision, "vanished", cause_text="x", actor=None)
    assert verify_register_lines(register_lines(nc.committee)).ok


def test_officer_group_limits_and_emergency_ratification(nc: National) -> None:
    officers = actions.record_meeting(
        nc.committee, kind="officer_group", held_on=days_ago(2), notice_sent_on=None,
        attendance=present(nc.seats[:3]), actor=nc.secretary)
    with pytest.raises(CommitteeError, match="may not decide endorsement matters alone"):
        actions.record_decision(officers, text="Withdraw", kind="endorsement",
                                effective_on=days_ago(0), actor=nc.secretary)
    emergency = actions.record_meeting(
        nc.committee, kind="emergency", held_on=days_ago(1), notice_sent_on=None,
        attendance=present(nc.seats[:3]), actor=nc.secretary)
    decision = actions.record_decision(emergency, text="Withdraw the endorsement",
                                       kind="endorsement", effective_on=days_ago(0),
                                       actor=nc.secretary)
    assert decision.needs_ratification
    not_quorate = _full(nc, 5)
    with pytest.raises(CommitteeError, match="not quorate"):
        actions.record_decision(not_quorate, text="x", kind="ordinary",
                                effective_on=days_ago(0), actor=nc.secretary)


def test_minutes_and_corrections(nc: National) -> None:
    first = _full(nc, 7)
    later = actions.record_meeting(nc.committee, kind="full", held_on=days_ago(0),
                                   notice_sent_on=None, attendance=present(nc.seats[:9]),
                                   actor=nc.secretary)
    with pytest.raises(CommitteeError, match="no minutes to approve"):
        actions.approve_minutes(first, at=later, actor=nc.secretary)
    actions.record_minutes(first, "We met.", actor=nc.secretary)
    with pytest.raises(CommitteeError, match="later meeting"):
        actions.approve_minutes(later, at=first, actor=nc.secretary)
    actions.approve_minutes(first, at=later, actor=nc.secretary)
    with pytest.raises(CommitteeError, match="has no entry 99 to correct"):
        actions.correct_entry(nc.committee, 99, "typo", actor=nc.secretary)
    correction = actions.correct_entry(nc.committee, first.entry.index, "Bea sent apologies",
                                       actor=nc.secretary)
    assert correction.corrects == first.entry
    report = verify_register_lines(register_lines(nc.committee))
    assert report.ok, report.render()
    assert report.state.entries == RegisterEntry.objects.count()


def test_pages_members_read_and_only_the_secretary_records(nc: National) -> None:
    from django.urls import reverse

    from .helpers import client_for

    meeting = actions.record_meeting(
        nc.committee, kind="officer_group", held_on=days_ago(2), notice_sent_on=None,
        attendance=present(nc.seats[:3]), actor=nc.secretary)
    votes = dict.fromkeys(nc.seats[:2], "for") | {nc.seats[2]: "against"}
    motion = actions.record_motion(meeting, mover=nc.seats[1], seconder=nc.seats[2],
                                   text="Withdraw", votes=votes, actor=nc.secretary)
    decision = actions.record_decision(meeting, text="Withdraw the endorsement", kind="urgent",
                                       effective_on=days_ago(0), motion=motion,
                                       actor=nc.secretary)
    reader = client_for(member("Rank And File"))
    page = reader.get(reverse("committees:decision", args=[decision.pk])).content.decode()
    for words in ("Not a full meeting: 3 of 12 (officer group)", "Bea Member", "Against",
                  "rules version 0", "In call in", "members may call it in until"):
        assert words in page, words
    listing = reader.get(reverse("committees:committee", args=[nc.committee.slug]))
    assert "Withdraw the endorsement" in listing.content.decode()
    title = re.search(r"<title>(.*?)</title>", listing.content.decode(), re.S)
    assert title and title.group(1) == f"{nc.committee.name}: register · omov"
    download = reader.get(reverse("committees:register_download", args=[nc.committee.slug]))
    lines = [line for line in download.content.split(b"\n") if line]
    assert verify_register_lines(lines).ok
    url = reverse("committees:record_meeting", args=[nc.committee.slug])
    assert reader.get(url).status_code == 403
    assert reader.post(url, {"kind": "full", "held_on": "2026-11-01"}).status_code == 403
    secretary = client_for(nc.secretary)
    bad = secretary.post(url, {"kind": "full", "held_on": "soon"})
    assert bad.status_code == 400 and "give a date such as" in bad.content.decode()
    before = Meeting.objects.count()
    good = secretary.post(url, {"kind": "full", "held_on": days_ago(0).isoformat(),
                                **{f"attendance-{p.pk}": "present" for p in nc.seats[:7]}})
    assert good.status_code == 302 and Meeting.objects.count() == before + 1
    assert "Quorate: 7 of 12 present, quorum 7" in secretary.get(good["Location"]).content.decode()


def test_the_secretary_records_a_roll_call_through_the_form(nc: National) -> None:
    from django.urls import reverse

    from .helpers import client_for

    meeting = _full(nc, 7)
    url = reverse("committees:record_motion", args=[meeting.pk])
    assert client_for(nc.seats[3]).get(url).status_code == 403
    secretary = client_for(nc.secretary)
    data = {"text": "Reinstate the endorsement", "mover": nc.seats[1].pk,
            "seconder": nc.seats[2].pk,
            **{f"vote-{p.pk}": "for" for p in nc.seats[:4]},
            **{f"vote-{p.pk}": "against" for p in nc.seats[4:7]}}
    refused = secretary.post(url, {**data, "counts_only": "1", "for": "4", "against": "3",
                                   "abstain": "0"})
    assert refused.status_code == 400 and "The rules require a roll call" in (
        refused.content.decode())
    response = secretary.post(url, data)
    assert response.status_code == 302
    motion = Motion.objects.get()
    assert (motion.votes_for, motion.votes_against, motion.carried) == (4, 3, True)
    page = secretary.get(response["Location"]).content.decode()
    assert "Reinstate the endorsement" in page and "4 for, 3 against, 0 abstaining" in page


def test_an_organiser_appoints_the_secretary_who_can_then_record(nc: National) -> None:
    from django.urls import reverse

    from .helpers import client_for, organiser

    url = reverse("committees:appoint_secretary", args=[nc.committee.slug])
    assert client_for(nc.seats[5]).post(url, {"membership_number": nc.seats[5].membership_number}
                                        ).status_code == 403
    priya = client_for(organiser())
    assert priya.post(url, {"membership_number": "nope"}).status_code == 302
    priya.post(url, {"membership_number": nc.seats[5].membership_number})
    record = reverse("committees:record_meeting", args=[nc.committee.slug])
    assert client_for(nc.seats[5]).get(record).status_code == 200
    assert AuditEvent.objects.filter(action="appoint_secretary").count() == 2


def test_call_in_windows_close_into_effective(nc: National) -> None:
    import datetime

    meeting = _full(nc, 7)
    decision = actions.record_decision(meeting, text="Adopt", kind="ordinary",
                                       effective_on=days_ago(0), actor=nc.secretary)
    assert actions.close_call_in_windows(decision.call_in_ends) == []
    closed = actions.close_call_in_windows(decision.call_in_ends + datetime.timedelta(days=1))
    assert [d.status for d in closed] == ["effective"]
    assert "no call-in by the end of the window" in closed[0].status_cause
    assert verify_register_lines(register_lines(nc.committee)).ok


def test_a_schedule_round_makes_a_decision_past_its_window_effective(nc: National) -> None:
    import datetime

    from django.utils import timezone

    from omov.ballots.actions.schedule import run_round
    from omov.committees.models import Decision

    meeting = _full(nc, 7)
    decision = actions.record_decision(meeting, text="Adopt", kind="ordinary",
                                       effective_on=days_ago(0), actor=nc.secretary)

    def noon(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    assert not any("is effective" in line for line in run_round(noon(decision.call_in_ends)))
    assert Decision.objects.get(pk=decision.pk).status == "in_call_in"
    after = decision.call_in_ends + datetime.timedelta(days=1)
    assert (f"Decision {decision.pk} of National Committee is effective: no call-in by "
            f"{human_date(decision.call_in_ends)}.") in run_round(noon(after))
    assert Decision.objects.get(pk=decision.pk).status == "effective"
    assert not any("is effective" in line for line in run_round(noon(after)))
