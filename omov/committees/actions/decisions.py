"""Decisions, their status with its cause, and corrections of the register."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from omov.audit import log
from omov.committees.actions.meetings import require_secretary
from omov.committees.errors import CommitteeError
from omov.committees.models import Correction, Decision, Meeting, Motion, RegisterEntry
from omov.committees.register import append, utc_time
from omov.constitution.queries import rules_in_force, rules_of_version
from omov.constitution.rules import DECISION_KINDS
from omov.members.models import Member
from omov.organisation.models import Committee
from omov.record.register import STATUSES
from omov.web.times import human_date


def _check_decision(meeting: Meeting, kind: str, motion: Motion | None) -> bool:
    """Refuses what the meeting may not decide; says whether it needs ratification."""
    if kind not in DECISION_KINDS:
        raise CommitteeError(f"A decision's kind is one of {', '.join(DECISION_KINDS)}.")
    rules = rules_of_version(meeting.rules_version)
    if meeting.kind == "full" and not meeting.quorate:
        raise CommitteeError(f"The meeting was not quorate ({meeting.quorum_words()}); "
                             "it cannot decide.")
    if meeting.kind == "officer_group" and kind not in rules.officer_group_may_decide:
        raise CommitteeError(f"The officer group may not decide {kind} matters alone "
                             f"(rules version {rules.version}).")
    if motion is not None and (motion.meeting_id != meeting.pk or not motion.carried):
        raise CommitteeError("The decision's motion must be a carried motion of this meeting.")
    return meeting.kind == "emergency" and rules.emergency_needs_ratification


@transaction.atomic
def record_decision(
    meeting: Meeting, *, text: str, kind: str, effective_on: datetime.date,
    motion: Motion | None = None, actor: Member | None,
) -> Decision:
    """Publishes a decision of `meeting`; its call-in window opens now, under the
    rules in force now."""
    require_secretary(actor, meeting.committee)
    if not text.strip():
        raise CommitteeError("Give the decision's text.")
    needs_ratification = _check_decision(meeting, kind, motion)
    rules, now = rules_in_force(), timezone.now()
    ends = rules.call_in_ends(timezone.localdate(now))
    entry = append(meeting.committee, "decision", {
        "time": utc_time(now), "meeting": meeting.entry.index,
        "motion": motion.entry.index if motion else None, "text": text.strip(), "kind": kind,
        "effective_on": effective_on.isoformat(), "rules_version": rules.version,
        "call_in_ends": ends.isoformat(), "needs_ratification": needs_ratification,
    }, actor=actor)
    decision = Decision.objects.create(
        committee=meeting.committee, meeting=meeting, motion=motion, text=text.strip(),
        kind=kind, effective_on=effective_on, published_at=now, rules_version=rules.version,
        call_in_ends=ends, needs_ratification=needs_ratification, status="published",
        status_cause="published", entry=entry,
    )
    log.record("record_decision", actor=actor, subject=decision, public=True,
               summary=f"{meeting.committee.name} decided: {decision.text[:200]}")
    return set_decision_status(
        decision, "in_call_in", cause_text=f"members may call it in until {human_date(ends)}",
        actor=actor,
    )


@transaction.atomic
def set_decision_status(
    decision: Decision, status: str, *, cause_text: str, cause_url: str = "",
    actor: Member | None,
) -> Decision:
    """Changes a decision's status, saying what caused it (a petition, a ballot, a
    meeting), as an entry in the register. For other apps too (call-in, ballots)."""
    if status not in STATUSES:
        raise CommitteeError(f"A decision's status is one of {', '.join(STATUSES)}.")
    if not cause_text.strip():
        raise CommitteeError("Say what caused the change of status.")
    append(decision.committee, "status", {
        "time": utc_time(), "decision": decision.entry.index, "status": status,
        "cause": cause_text.strip(), "cause_url": cause_url,
    }, actor=actor)
    decision.status, decision.status_cause = status, cause_text.strip()[:500]
    decision.status_cause_url = cause_url[:500]
    decision.save(update_fields=["status", "status_cause", "status_cause_url"])
    log.record("set_decision_status", actor=actor, subject=decision, public=True,
               summary=f"Decision now {status.replace('_', ' ')}: {cause_text[:200]}",
               details={"status": status, "cause_url": cause_url})
    return decision


@transaction.atomic
def correct_entry(
    committee: Committee, corrects: int, text: str, *, actor: Member | None
) -> Correction:
    """A correction is a new entry pointing at the entry it corrects; nothing is edited."""
    require_secretary(actor, committee)
    target = RegisterEntry.objects.filter(committee=committee, index=corrects).first()
    if target is None or corrects == 0:
        raise CommitteeError(f"The register of {committee.name} has no entry {corrects} "
                             "to correct.")
    if not text.strip():
        raise CommitteeError("Say what the correction is.")
    entry = append(committee, "correction", {
        "time": utc_time(), "corrects": corrects, "text": text.strip(),
    }, actor=actor)
    correction = Correction.objects.create(
        committee=committee, corrects=target, text=text.strip(), entry=entry
    )
    log.record("correct_entry", actor=actor, subject=correction, public=True,
               summary=f"{committee.name}: entry {corrects} corrected: {text[:200]}")
    return correction


def close_call_in_windows(today: datetime.date | None = None) -> list[Decision]:
    """Decisions still in call-in whose window ended before `today` become effective.

    A decision called in meanwhile has another status and is left alone.
    """
    today = today or timezone.localdate()
    due = Decision.objects.filter(status="in_call_in", call_in_ends__lt=today)
    return [
        set_decision_status(
            decision, "effective", actor=None,
            cause_text="no call-in by the end of the window on "
                       f"{human_date(decision.call_in_ends)}",
        )
        for decision in due.select_related("committee")
    ]


def call_in_round(now: datetime.datetime) -> list[str]:
    """The schedule's step: decisions whose call-in window has passed take effect."""
    closed = close_call_in_windows(timezone.localdate(now))
    return [f"Decision {decision.pk} of {decision.committee} is effective: no call-in "
            f"by {human_date(decision.call_in_ends)}." for decision in closed]
