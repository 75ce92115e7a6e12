"""Committee registers: members read them; the secretary records meetings and decisions."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from omov.accounts.roles import Role, current_member, has_role, on_roll_required, organiser_required
from omov.committees import actions
from omov.committees.actions.meetings import seat_holders
from omov.committees.errors import CommitteeError
from omov.committees.models import Correction, Decision, Meeting, RegisterEntry, Secretary
from omov.committees.permissions import is_secretary
from omov.committees.queries import corrections_of, describe, meeting_entries, meeting_of
from omov.committees.register import register_lines
from omov.constitution.queries import rules_of_version
from omov.constitution.rules import DECISION_KINDS
from omov.members.models import Member
from omov.organisation.models import Committee
from omov.record.register import ATTENDANCE, MEETING_KINDS
from omov.web.times import human_date


@on_roll_required
def committee(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Committee, slug=slug)
    return render(request, "committees/committee.html", {
        "committee": body,
        "meetings": Meeting.objects.filter(committee=body).select_related("minutes_approved_at"),
        "decisions": Decision.objects.filter(committee=body).select_related("meeting"),
        "corrections": [(row, describe(row.corrects), meeting_of(row.corrects)) for row in
                        Correction.objects.filter(committee=body).select_related(
                            "corrects", "entry").order_by("-entry__index")],
        "secretary": is_secretary(current_member(request), body),
        "secretaries": Secretary.objects.filter(committee=body, ended_at=None).select_related(
            "member"),
        "organiser": has_role(request, Role.ORGANISER),
    })


@on_roll_required
def register_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The register as JSON Lines, for `omov verify`."""
    body = get_object_or_404(Committee, slug=slug)
    response = HttpResponse(b"".join(line + b"\n" for line in register_lines(body)),
                            content_type="application/x-ndjson")
    response["Content-Disposition"] = f'attachment; filename="{body.slug}.register.jsonl"'
    return response


@on_roll_required
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    held = get_object_or_404(Meeting.objects.select_related("committee"), pk=meeting_id)
    return render(request, "committees/meeting.html", {
        "meeting": held,
        "attendance": held.attendance.select_related("member"),
        "motions": held.motions.prefetch_related("votes__member").select_related(
            "mover", "seconder"),
        "secretary": is_secretary(current_member(request), held.committee),
        "corrections": [(row, describe(row.corrects))
                        for row in corrections_of(meeting_entries(held))],
    })


@on_roll_required
def decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    """One screen: the meeting, full or not, who was present, who voted how, the rules, status."""
    taken = get_object_or_404(
        Decision.objects.select_related("meeting", "committee", "motion"), pk=decision_id)
    motion = taken.motion
    return render(request, "committees/decision.html", {
        "decision": taken,
        "meeting": taken.meeting,
        "attendance": taken.meeting.attendance.select_related("member"),
        "motion": motion,
        "votes": motion.votes.select_related("member") if motion else [],
        "rules": rules_of_version(taken.rules_version),
        "corrections": [(row, describe(row.corrects)) for row in corrections_of([taken.entry])],
    })


def _secretary_of(request: HttpRequest, body: Committee) -> None:
    if not is_secretary(current_member(request), body):
        raise PermissionDenied(f"Only the secretary of {body.name} records its meetings.")


def _date(value: str, name: str, *, required: bool = True) -> datetime.date | None:
    if not value and not required:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommitteeError(f"{name}: give a date such as 2026-03-12.") from None


@on_roll_required
@require_http_methods(["GET", "POST"])
def record_meeting(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Committee, slug=slug)
    _secretary_of(request, body)
    seats = seat_holders(body, timezone.localdate())
    error = ""
    if request.method == "POST":
        attendance = {
            person: request.POST.get(f"attendance-{person.pk}", "")
            for person in seats
            if request.POST.get(f"attendance-{person.pk}", "") in ATTENDANCE
        }
        try:
            held_on = _date(request.POST.get("held_on", ""), "Date")
            notice = _date(request.POST.get("notice_sent_on", ""), "Notice sent",
                           required=False)
            assert held_on is not None
            held = actions.record_meeting(
                body, kind=request.POST.get("kind", ""), held_on=held_on,
                notice_sent_on=notice, attendance=attendance, actor=current_member(request))
        except CommitteeError as refused:
            error = str(refused)
        else:
            messages.success(request, f"Recorded: {held.quorum_words()}.")
            return redirect("committees:meeting", meeting_id=held.pk)
    return render(request, "committees/record_meeting.html", {
        "committee": body, "seats": seats, "kinds": MEETING_KINDS,
        "statuses": ATTENDANCE, "error": error, "post": request.POST,
    }, status=400 if error else 200)


@on_roll_required
@require_http_methods(["GET", "POST"])
def record_decision(request: HttpRequest, meeting_id: int) -> HttpResponse:
    held = get_object_or_404(Meeting.objects.select_related("committee"), pk=meeting_id)
    _secretary_of(request, held.committee)
    error = ""
    if request.method == "POST":
        motion = held.motions.filter(pk=request.POST.get("motion") or 0).first()
        try:
            effective = _date(request.POST.get("effective_on", ""), "Effective date")
            assert effective is not None
            taken = actions.record_decision(
                held, text=request.POST.get("text", ""), kind=request.POST.get("kind", ""),
                effective_on=effective, motion=motion, actor=current_member(request))
        except CommitteeError as refused:
            error = str(refused)
        else:
            return redirect("committees:decision", decision_id=taken.pk)
    return render(request, "committees/record_decision.html", {
        "meeting": held, "kinds": DECISION_KINDS, "motions": held.motions.filter(carried=True),
        "error": error, "post": request.POST,
    }, status=400 if error else 200)


@on_roll_required
@require_http_methods(["GET", "POST"])
def record_motion(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A motion with a roll call of everyone entitled, or counts where the rules allow."""
    held = get_object_or_404(Meeting.objects.select_related("committee"), pk=meeting_id)
    _secretary_of(request, held.committee)
    attendance = list(held.attendance.select_related("member"))
    people = {str(row.member.pk): row.member for row in attendance}
    error = ""
    if request.method == "POST":
        post = request.POST
        try:
            mover = people.get(post.get("mover", ""))
            seconder = people.get(post.get("seconder", ""))
            if mover is None or seconder is None:
                raise CommitteeError("Choose a mover and a seconder who attended.")
            votes, counts = None, None
            if post.get("counts_only"):
                counts = _counts(post)
            else:
                votes = {people[key]: post.get(f"vote-{key}", "absent") for key in people}
            motion = actions.record_motion(
                held, mover=mover, seconder=seconder, text=post.get("text", ""), votes=votes,
                counts=counts, actor=current_member(request))
        except CommitteeError as refused:
            error = str(refused)
        else:
            messages.success(request, "Motion " + ("carried." if motion.carried else "lost."))
            return redirect("committees:meeting", meeting_id=held.pk)
    return render(request, "committees/record_motion.html", {
        "meeting": held, "attendance": attendance, "error": error, "post": request.POST,
        "counts_allowed": rules_of_version(held.rules_version).counts_only_votes_allowed,
    }, status=400 if error else 200)


def _counts(post: QueryDict) -> tuple[int, int, int]:
    try:
        values = tuple(int(post.get(name, "")) for name in ("for", "against", "abstain"))
    except ValueError:
        raise CommitteeError("Counts are whole numbers.") from None
    return values[0], values[1], values[2]


@organiser_required
@require_POST
def appoint_secretary(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers appoint a committee's secretary by membership number."""
    body = get_object_or_404(Committee, slug=slug)
    person = Member.objects.filter(
        membership_number=request.POST.get("membership_number", "").strip()).first()
    if person is None:
        messages.error(request, "No member has that membership number; nobody was appointed.")
    else:
        try:
            actions.appoint_secretary(body, person, actor=current_member(request))
        except CommitteeError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"{person.name} is now a secretary of {body.name}.")
    return redirect("committees:committee", slug=body.slug)


@on_roll_required
@require_http_methods(["GET", "POST"])
def record_minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The secretary records a meeting's minutes, or their approval at a later meeting."""
    held = get_object_or_404(Meeting.objects.select_related("committee"), pk=meeting_id)
    _secretary_of(request, held.committee)
    later = Meeting.objects.filter(committee=held.committee, held_on__gt=held.held_on)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("approve"):
                at = later.filter(pk=request.POST.get("at") or 0).first()
                if at is None:
                    raise CommitteeError("Choose the later meeting that approved the minutes.")
                actions.approve_minutes(held, at=at, actor=current_member(request))
                messages.success(request, f"Minutes approved at the meeting of "
                                          f"{human_date(at.held_on)}.")
            else:
                actions.record_minutes(held, request.POST.get("text", ""),
                                       actor=current_member(request))
                messages.success(request, "The minutes are recorded in the register.")
        except CommitteeError as refused:
            error = str(refused)
        else:
            return redirect("committees:meeting", meeting_id=held.pk)
    return render(request, "committees/record_minutes.html", {
        "meeting": held, "later": later, "error": error,
        "text": request.POST.get("text", held.minutes),
    }, status=400 if error else 200)


@on_roll_required
@require_http_methods(["GET", "POST"])
def record_correction(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretary corrects an entry of the register with a new entry pointing at it."""
    body = get_object_or_404(Committee, slug=slug)
    _secretary_of(request, body)
    entries = RegisterEntry.objects.filter(committee=body, index__gt=0).order_by("-index")
    error = ""
    if request.method == "POST":
        try:
            try:
                corrects = int(request.POST.get("corrects", ""))
            except ValueError:
                raise CommitteeError("Choose the register entry to correct.") from None
            correction = actions.correct_entry(body, corrects, request.POST.get("text", ""),
                                               actor=current_member(request))
        except CommitteeError as refused:
            error = str(refused)
        else:
            messages.success(request, f"Entry {correction.corrects.index} is corrected by "
                                      f"entry {correction.entry.index}.")
            meeting = meeting_of(correction.corrects)
            if meeting is not None:
                return redirect("committees:meeting", meeting_id=meeting.pk)
            return redirect("committees:committee", slug=body.slug)
    chosen = request.POST.get("corrects") or request.GET.get("entry", "")
    return render(request, "committees/record_correction.html", {
        "committee": body, "entries": [(entry.index, describe(entry)) for entry in entries],
        "chosen": chosen, "error": error, "text": request.POST.get("text", ""),
    }, status=400 if error else 200)
