"""Secretaries, meetings with their attendance, motions with their votes, minutes."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from omov.audit import log
from omov.committees.errors import CommitteeError
from omov.committees.models import Attendance, Meeting, Motion, Secretary, Vote
from omov.committees.permissions import is_secretary
from omov.committees.register import append, member_id, utc_time
from omov.constitution.queries import rules_in_force, rules_of_version
from omov.members.models import Member
from omov.organisation.models import Committee, CommitteeMembership
from omov.record.register import ATTENDANCE, MEETING_KINDS, VOTES
from omov.web.times import human_date


def seat_holders(committee: Committee, day: datetime.date) -> list[Member]:
    """Who held a seat on `day`: joined on or before it and not yet left."""
    seats = CommitteeMembership.objects.filter(committee=committee, joined_on__lte=day).exclude(
        left_on__lte=day
    )
    return [seat.member for seat in seats.select_related("member").order_by("member__name")]


def require_secretary(actor: Member | None, committee: Committee) -> None:
    if not is_secretary(actor, committee):
        raise CommitteeError(f"Only the secretary of {committee.name} records its register.")


@transaction.atomic
def appoint_secretary(committee: Committee, member: Member, *, actor: Member | None) -> Secretary:
    if Secretary.objects.filter(committee=committee, member=member, ended_at=None).exists():
        raise CommitteeError(f"{member.name} is already a secretary of {committee.name}.")
    secretary = Secretary.objects.create(committee=committee, member=member)
    log.record("appoint_secretary", actor=actor, subject=secretary, public=True,
               summary=f"{member.name} is a secretary of {committee.name}.")
    return secretary


@transaction.atomic
def end_secretary(secretary: Secretary, *, actor: Member | None) -> None:
    secretary.ended_at = timezone.now()
    secretary.save(update_fields=["ended_at"])
    log.record("end_secretary", actor=actor, subject=secretary, public=True,
               summary=f"{secretary.member.name} is no longer a secretary of "
                       f"{secretary.committee.name}.")


def _check_attendance(
    committee: Committee, kind: str, held_on: datetime.date, attendance: dict[Member, str]
) -> tuple[list[Member], dict[Member, str]]:
    seats = seat_holders(committee, held_on)
    if len(attendance) > len(seats):
        raise CommitteeError(f"{len(attendance)} attendees listed, but {committee.name} had "
                             f"{len(seats)} seats on {human_date(held_on)}.")
    strangers = sorted(person.name for person in attendance if person not in seats)
    if strangers:
        raise CommitteeError(f"{', '.join(strangers)} held no seat on {committee.name} on "
                             f"{human_date(held_on)}.")
    if any(status not in ATTENDANCE for status in attendance.values()):
        raise CommitteeError("Attendance is present, apologies or absent.")
    if kind == "full":
        attendance = {person: attendance.get(person, "absent") for person in seats}
    if not attendance:
        raise CommitteeError("Say who was entitled to attend.")
    return seats, attendance


@transaction.atomic
def record_meeting(
    committee: Committee, *, kind: str, held_on: datetime.date,
    notice_sent_on: datetime.date | None, attendance: dict[Member, str], actor: Member | None,
) -> Meeting:
    """Records a meeting and who attended. For a full meeting every seat is entitled
    (anyone not listed is absent); for an officer group or emergency meeting the
    listed members are the ones entitled."""
    require_secretary(actor, committee)
    if kind not in MEETING_KINDS:
        raise CommitteeError("A meeting is full, officer_group or emergency.")
    if notice_sent_on is not None and notice_sent_on > held_on:
        raise CommitteeError("Notice cannot be sent after the meeting.")
    seats, attendance = _check_attendance(committee, kind, held_on, attendance)
    rules = rules_in_force()
    quorum = rules.committee_quorum(len(seats))
    present = sum(1 for status in attendance.values() if status == "present")
    quorate = kind == "full" and present >= quorum
    body = {
        "time": utc_time(), "kind": kind, "held_on": held_on.isoformat(),
        "notice_sent_on": notice_sent_on.isoformat() if notice_sent_on else None,
        "rules_version": rules.version, "quorum_percent": rules.committee_quorum_percent,
        "seats": {member_id(person): person.name for person in seats},
        "attendance": {member_id(person): status for person, status in attendance.items()},
        "quorum": quorum, "present": present,
        "quorate": quorate,
    }
    entry = append(committee, "meeting", body, actor=actor)
    meeting = Meeting.objects.create(
        committee=committee, kind=kind, held_on=held_on, notice_sent_on=notice_sent_on,
        rules_version=rules.version, seats=len(seats), quorum=quorum, present=present,
        quorate=quorate, entry=entry,
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=person, status=status)
        for person, status in attendance.items()
    )
    log.record("record_meeting", actor=actor, subject=meeting, public=True,
               summary=f"{committee.name}, {human_date(held_on)}: {meeting.quorum_words()}.")
    return meeting


def _roll_call(meeting: Meeting, votes: dict[Member, str]) -> dict[Member, str]:
    attendance = {row.member: row.status for row in meeting.attendance.select_related("member")}
    for person, vote in votes.items():
        if person not in attendance:
            on_committee = person in seat_holders(meeting.committee, meeting.held_on)
            where = "was not entitled to attend this meeting" if on_committee else (
                f"is not a member of {meeting.committee.name}")
            raise CommitteeError(f"The roll call names {person.name}, who {where}.")
        if vote not in VOTES:
            raise CommitteeError("A vote is for, against, abstain or absent.")
        if (vote == "absent") != (attendance[person] != "present"):
            raise CommitteeError(f"{person.name} was {attendance[person]} and cannot vote "
                                 f"{vote}.")
    missing = [p.name for p, s in attendance.items() if s == "present" and p not in votes]
    if missing:
        raise CommitteeError(f"Say how {', '.join(sorted(missing))} voted.")
    return {person: votes.get(person, "absent") for person in attendance}


@transaction.atomic
def record_motion(
    meeting: Meeting, *, mover: Member, seconder: Member, text: str,
    votes: dict[Member, str] | None = None, counts: tuple[int, int, int] | None = None,
    actor: Member | None,
) -> Motion:
    """A motion and its vote: a roll call (`votes`), or `counts` (for, against,
    abstain) where the rules in force at the meeting allow no roll call."""
    require_secretary(actor, meeting.committee)
    present = {row.member for row in meeting.attendance.filter(status="present")}
    for role, person in (("mover", mover), ("seconder", seconder)):
        if person not in present:
            raise CommitteeError(f"The {role}, {person.name}, was not present.")
    if not text.strip():
        raise CommitteeError("Give the motion's text.")
    if (votes is None) == (counts is None):
        raise CommitteeError("Give either a roll call or the counts.")
    if votes is not None:
        votes = _roll_call(meeting, votes)
        counts = tuple(sum(1 for v in votes.values() if v == key)  # type: ignore[assignment]
                       for key in ("for", "against", "abstain"))
    elif not rules_of_version(meeting.rules_version).counts_only_votes_allowed:
        raise CommitteeError("The rules require a roll call: record each member's vote.")
    assert counts is not None
    if any(count < 0 for count in counts) or sum(counts) > len(present):
        raise CommitteeError(f"{sum(counts)} votes counted but {len(present)} present.")
    entry = append(meeting.committee, "motion", {
        "time": utc_time(), "meeting": meeting.entry.index, "mover": member_id(mover),
        "seconder": member_id(seconder), "text": text.strip(),
        "votes": None if votes is None else {member_id(p): v for p, v in votes.items()},
        "counts": dict(zip(("for", "against", "abstain"), counts, strict=True)),
        "carried": counts[0] > counts[1],
    }, actor=actor)
    motion = Motion.objects.create(
        meeting=meeting, mover=mover, seconder=seconder, text=text.strip(),
        roll_call=votes is not None, votes_for=counts[0], votes_against=counts[1],
        abstentions=counts[2], carried=counts[0] > counts[1], entry=entry,
    )
    Vote.objects.bulk_create(
        Vote(motion=motion, member=person, vote=vote) for person, vote in (votes or {}).items()
    )
    log.record("record_motion", actor=actor, subject=motion, public=True,
               summary=f"{meeting.committee.name}: motion {'carried' if motion.carried else 'lost'}"
                       f": {counts[0]} for, {counts[1]} against, {counts[2]} abstaining.")
    return motion


@transaction.atomic
def record_minutes(meeting: Meeting, text: str, *, actor: Member | None) -> Meeting:
    require_secretary(actor, meeting.committee)
    if not text.strip():
        raise CommitteeError("The minutes are empty.")
    append(meeting.committee, "minutes", {"time": utc_time(), "meeting": meeting.entry.index,
                                          "text": text.strip()}, actor=actor)
    meeting.minutes = text.strip()
    meeting.save(update_fields=["minutes"])
    log.record("record_minutes", actor=actor, subject=meeting, public=True,
               summary=f"Minutes of {meeting.committee.name}, {human_date(meeting.held_on)}.")
    return meeting


@transaction.atomic
def approve_minutes(meeting: Meeting, *, at: Meeting, actor: Member | None) -> Meeting:
    """The minutes of `meeting` approved at the later meeting `at`."""
    require_secretary(actor, meeting.committee)
    if at.committee_id != meeting.committee_id or at.held_on <= meeting.held_on:
        raise CommitteeError("Minutes are approved at a later meeting of the same committee.")
    if not meeting.minutes:
        raise CommitteeError("There are no minutes to approve yet.")
    append(meeting.committee, "minutes_approved", {
        "time": utc_time(), "meeting": meeting.entry.index, "at_meeting": at.entry.index,
    }, actor=actor)
    meeting.minutes_approved_at = at
    meeting.save(update_fields=["minutes_approved_at"])
    log.record("approve_minutes", actor=actor, subject=meeting, public=True,
               summary=f"Minutes of {human_date(meeting.held_on)} approved on "
                       f"{human_date(at.held_on)}.")
    return meeting
