"""Slates candidates declare, and the endorsements the organisation makes or withdraws."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from omov.audit.log import record
from omov.ballots.models import AFTER_VOTING, Phase
from omov.committees.models import Decision
from omov.elections import permissions
from omov.elections.errors import ElectionError
from omov.elections.models import Endorsement, Nomination, Slate
from omov.members.models import Member

SLATE_MARK = " (slate: "
"""How a slate is written after a candidate's name on the ballot: “Ana Silva (slate:
Members First)”. The booth reads it back to offer “start from this slate”."""

_STANDING_DECISIONS = ("published", "in_call_in", "called_in", "effective", "upheld")


def _candidate(nomination: Nomination, by: Member, now: datetime.datetime) -> Nomination:
    nomination = Nomination.objects.select_for_update().select_related(
        "post__election", "nominee").get(pk=nomination.pk)
    permissions.require_nominee(by, nomination, "declare a slate on this nomination")
    permissions.require_nominations_open(nomination.post.election, now)
    if nomination.withdrawn_at is not None:
        raise ElectionError("This nomination was withdrawn.")
    return nomination


@transaction.atomic
def declare_slate(nomination: Nomination, *, name: str, by: Member,
                  now: datetime.datetime | None = None) -> Slate:
    """A candidate names a slate and stands on it; other candidates may then join it."""
    now = now or timezone.now()
    nomination = _candidate(nomination, by, now)
    election = nomination.post.election
    name = " ".join(name.split())
    if not name:
        raise ElectionError("Give the slate a name.", field="name")
    if len(name) > 100 or "(" in name or ")" in name:
        raise ElectionError("A slate's name has at most 100 characters and no brackets.",
                            field="name")
    if election.slates.filter(name__iexact=name).exists():
        raise ElectionError(f"There is already a slate called {name}: join it instead.",
                            field="name")
    slate = Slate.objects.create(election=election, name=name, created_by=by)
    nomination.slate = slate
    nomination.save(update_fields=["slate"])
    record("declare_slate", actor=by, subject=slate, public=True,
           summary=f"{by.name} declared the slate “{name}” in “{election.title}”")
    return slate


@transaction.atomic
def join_slate(nomination: Nomination, slate: Slate | None, *, by: Member,
               now: datetime.datetime | None = None) -> Nomination:
    """The candidate stands on `slate` (None: on no slate), until nominations close."""
    now = now or timezone.now()
    nomination = _candidate(nomination, by, now)
    if slate is not None and slate.election_id != nomination.post.election_id:
        raise ElectionError("That slate belongs to another election.", field="slate")
    nomination.slate = slate
    nomination.save(update_fields=["slate"])
    said = f"joined the slate “{slate.name}”" if slate else "stands on no slate"
    record("join_slate", actor=by, subject=nomination, public=True,
           summary=f"{by.name} {said} for {nomination.post.title}")
    return nomination


def _standing_decision(decision: Decision) -> None:
    if decision.status not in _STANDING_DECISIONS:
        raise ElectionError(f"That decision was {decision.status}: it cannot be relied on.",
                            field="decision")


@transaction.atomic
def endorse(nomination: Nomination, *, decision: Decision, by: Member) -> Endorsement:
    """Records the organisation's endorsement of a candidate, made by a committee's
    published decision, which the candidate's page links to."""
    permissions.require_organiser(by, "record an endorsement")
    nomination = Nomination.objects.select_for_update().select_related(
        "post__election", "nominee").get(pk=nomination.pk)
    if nomination.withdrawn_at is not None:
        raise ElectionError("This nomination was withdrawn.")
    ballot = nomination.post.election.ballot
    if ballot is not None and (ballot.phase in AFTER_VOTING or ballot.phase == Phase.WITHDRAWN):
        raise ElectionError("Voting has ended: endorsements are fixed.")
    _standing_decision(decision)
    if nomination.endorsements.filter(withdrawn_at__isnull=True).exists():
        raise ElectionError(f"{nomination.nominee.name} is already endorsed.")
    endorsement = Endorsement.objects.create(nomination=nomination, decision=decision,
                                             recorded_by=by)
    record("endorse", actor=by, subject=nomination, public=True,
           summary=f"{decision.committee.name} endorsed {nomination.nominee.name} for "
                   f"{nomination.post.title}", details={"decision": decision.pk})
    return endorsement


@transaction.atomic
def withdraw_endorsement(endorsement: Endorsement, *, decision: Decision,
                         by: Member) -> Endorsement:
    """Records that the organisation withdrew an endorsement, by the decision that did."""
    permissions.require_organiser(by, "record a withdrawn endorsement")
    endorsement = Endorsement.objects.select_for_update().select_related(
        "nomination__nominee", "nomination__post").get(pk=endorsement.pk)
    if endorsement.withdrawn_at is not None:
        raise ElectionError("This endorsement is already withdrawn.")
    _standing_decision(decision)
    if decision.pk == endorsement.decision_id:
        raise ElectionError("Name the decision that withdrew the endorsement, not the one "
                            "that made it.", field="decision")
    endorsement.withdrawn_by_decision, endorsement.withdrawn_at = decision, timezone.now()
    endorsement.save(update_fields=["withdrawn_by_decision", "withdrawn_at"])
    nomination = endorsement.nomination
    record("withdraw_endorsement", actor=by, subject=nomination, public=True,
           summary=f"{decision.committee.name} withdrew its endorsement of "
                   f"{nomination.nominee.name} for {nomination.post.title}",
           details={"decision": decision.pk})
    return endorsement
