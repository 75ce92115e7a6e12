"""Reading the register: a decision's call-in window, and a committee's register."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.utils import timezone

from omov.committees.models import Correction, Decision, Meeting, RegisterEntry


def call_in_ends(decision: Decision) -> datetime.date:
    """The last day members may call the decision in, per the rules in force when
    it was published (stored with the decision and in its register entry)."""
    return decision.call_in_ends


def call_in_open(decision: Decision, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return decision.status == "in_call_in" and today <= decision.call_in_ends


def entry_body(entry: RegisterEntry) -> dict[str, Any]:
    """The body of a register entry, as published in its line."""
    body = json.loads(bytes(entry.line))["body"]
    assert isinstance(body, dict)
    return body


def describe(entry: RegisterEntry) -> str:
    """A register entry in a few words, for the correction form and the register page."""
    body = entry_body(entry)
    if entry.kind == "minutes_approved":
        text = f"the minutes of entry {body['meeting']}, at entry {body['at_meeting']}"
    else:
        text = body.get("text") or body.get("status") or body.get("held_on") or ""
    return f"entry {entry.index}, {entry.kind.replace('_', ' ')}: {str(text)[:80]}"


def meeting_entries(meeting: Meeting) -> list[RegisterEntry]:
    """Every register entry about `meeting`: itself, its motions and decisions, its minutes."""
    ids = {meeting.entry_id}
    ids.update(meeting.motions.values_list("entry_id", flat=True))
    ids.update(meeting.decisions.values_list("entry_id", flat=True))
    minutes = RegisterEntry.objects.filter(committee_id=meeting.committee_id,
                                           kind__in=("minutes", "minutes_approved"))
    ids.update(entry.pk for entry in minutes if entry_body(entry)["meeting"] == meeting.entry.index)
    return list(RegisterEntry.objects.filter(pk__in=ids).order_by("index"))


def corrections_of(entries: list[RegisterEntry]) -> list[Correction]:
    """The corrections that point at any of `entries`, oldest first."""
    return list(Correction.objects.filter(corrects__in=entries).select_related(
        "corrects", "entry").order_by("entry__index"))


def meeting_of(entry: RegisterEntry) -> Meeting | None:
    """The meeting an entry is about (a meeting, its motion, decision or minutes), if any."""
    body = entry_body(entry)
    if entry.kind == "meeting":
        return Meeting.objects.filter(entry=entry).first()
    if entry.kind == "status":
        decision = Decision.objects.filter(committee_id=entry.committee_id,
                                           entry__index=int(body["decision"])).first()
        return decision.meeting if decision else None
    index = body.get("meeting")
    if not isinstance(index, int):
        return None
    return Meeting.objects.filter(committee_id=entry.committee_id, entry__index=index).first()
