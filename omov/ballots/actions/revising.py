"""Changing a ballot before anyone votes: editing a draft, withdrawing, re-issuing.

A draft is fully editable. Once its manifest is published the rules are fixed,
so a published ballot that has not opened can only be withdrawn (with a reason,
on the public audit log) or re-issued: withdrawn and replaced by a new ballot
with new times, whose new manifest needs a new key ceremony and new credentials.
Nothing on the old ballot's board changes.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from omov.accounts.models import GrantedRole
from omov.audit.log import record
from omov.ballots.actions.ceremony import locked
from omov.ballots.actions.drafting import (
    DraftFields,
    TrusteeInvite,
    _check_draft,
    _invite,
    _on_roll,
    draft_problems,
    publish_manifest,
    question_problems,
    ranked_cells,
    ranked_count,
)
from omov.ballots.errors import BallotError, InvalidDraft
from omov.ballots.models import UNOPENED, Ballot, Phase, Question, Trustee
from omov.ballots.ranked_draft import CountDraft
from omov.members.models import Member
from omov.organisation.models import LocalGroup
from omov.web.times import human_time


@dataclass(frozen=True)
class DraftChanges:
    """Everything an organiser may change in a draft (the ballot id stays)."""

    title: str
    description: str
    cut_off: datetime.date
    local_group: LocalGroup | None
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    threshold: int
    trustees: Sequence[TrusteeInvite]
    authority_email: str
    authority_name: str


@transaction.atomic
def update_draft(
    ballot: Ballot, changes: DraftChanges, *, by: Member, now: datetime.datetime | None
) -> Ballot:
    """Changes a draft's title, times, eligibility, trustees or authority; new trustees
    and a new authority are invited (a new authority must publish its own key)."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    _check_draft(ballot)
    fields = DraftFields(opens_at=changes.opens_at, closes_at=changes.closes_at,
                         cut_off=changes.cut_off, threshold=changes.threshold,
                         trustees=changes.trustees, authority_email=changes.authority_email)
    problems = draft_problems(fields, now=now, ballot=ballot)
    if problems:
        raise InvalidDraft(problems)
    before = {t.member_id: t for t in ballot.trustees.all()}
    members = [_on_roll(invite.email, "trustees") for invite in changes.trustees]
    authority = _on_roll(changes.authority_email, "authority_email")
    ballot.trustees.all().delete()
    for index, (invite, member) in enumerate(zip(changes.trustees, members, strict=True),
                                             start=1):
        Trustee.objects.create(ballot=ballot, index=index, name=invite.name, member=member)
        if member.pk not in before:
            _invite(member, GrantedRole.TRUSTEE, ballot, f"trustee {index}", by)
    if authority.pk != ballot.authority_id:
        ballot.authority = authority
        ballot.authority_public_key = ""
        _invite(authority, GrantedRole.CREDENTIAL_AUTHORITY, ballot,
                "the credential authority", by)
    for name in ("title", "description", "cut_off", "local_group", "opens_at", "closes_at",
                 "threshold", "authority_name"):
        setattr(ballot, name, getattr(changes, name))
    ballot.save()
    record("update_draft", actor=by, subject=ballot, public=True,
           summary=f"Changed the draft “{ballot.title}” (opens {human_time(ballot.opens_at)}, "
           f"{len(members)} trustees, {ballot.threshold} needed)")
    return ballot


@transaction.atomic
def edit_question(
    question: Question, *, kind: str, text: str, case_for: str, case_against: str,
    options: Sequence[str], minimum: int | None, maximum: int | None, by: Member,
    count: CountDraft | None = None,
) -> Question:
    """Rewrites one question of a draft; raises InvalidDraft naming every problem."""
    ballot = Ballot.objects.select_for_update().get(pk=question.ballot_id)
    _check_draft(ballot)
    names, low, high, problems = question_problems(kind, text, options, minimum, maximum,
                                                   count, ranked_cells(ballot, question))
    if problems:
        raise InvalidDraft(problems)
    question.count = ranked_count(kind, names, count)
    question.kind, question.text = kind, text.strip()
    question.case_for, question.case_against = case_for.strip(), case_against.strip()
    question.options, question.min_choices, question.max_choices = names, low, high
    question.save()
    record("edit_question", actor=by, subject=ballot, public=True,
           summary=f"Changed question {question.position + 1} of “{ballot.title}”")
    return question


@transaction.atomic
def move_question(question: Question, *, up: bool, by: Member) -> None:
    """Swaps a draft's question with the one before (`up`) or after it."""
    ballot = Ballot.objects.select_for_update().get(pk=question.ballot_id)
    _check_draft(ballot)
    other_position = question.position - 1 if up else question.position + 1
    other = ballot.questions.filter(position=other_position).first()
    if other is None:
        raise BallotError("That question is already " + ("first." if up else "last."))
    old = question.position
    parked = ballot.questions.count() + 1000  # the positions are unique: park one first
    question.position = parked
    question.save(update_fields=["position"])
    other.position = old
    other.save(update_fields=["position"])
    question.position = other_position
    question.save(update_fields=["position"])
    record("move_question", actor=by, subject=ballot, public=True,
           summary=f"Moved question {old + 1} of “{ballot.title}” to {other_position + 1}")


def _withdraw(ballot: Ballot, reason: str, by: Member, replaced_by: Ballot | None) -> Ballot:
    if not reason.strip():
        raise BallotError("Say why the ballot is withdrawn: members read it.", field="reason")
    ballot.phase = Phase.WITHDRAWN
    ballot.withdrawn_reason = reason.strip()
    ballot.replaced_by = replaced_by
    ballot.save(update_fields=["phase", "withdrawn_reason", "replaced_by"])
    summary = f"Withdrew the ballot “{ballot.title}” before it opened: {ballot.withdrawn_reason}"
    if replaced_by is not None:
        summary += f" It is re-issued as {replaced_by.slug}."
    record("withdraw_ballot", actor=by, subject=ballot, public=True, summary=summary,
           details={"reason": ballot.withdrawn_reason,
                    "replaced_by": replaced_by.slug if replaced_by else None})
    return ballot


@transaction.atomic
def withdraw_ballot(ballot: Ballot, *, reason: str, by: Member) -> Ballot:
    """Withdraws a ballot nobody has voted in (a draft, or published but not open)."""
    ballot = locked(ballot, *UNOPENED)
    return _withdraw(ballot, reason, by, None)


def _next_slug(slug: str) -> str:
    stem = slug.rsplit("-r", 1)[0] if slug.rsplit("-r", 1)[-1].isdigit() else slug
    for number in itertools.count(2):
        candidate = f"{stem}-r{number}"[:100]
        if not Ballot.objects.filter(slug=candidate).exists():
            return candidate
    raise AssertionError("unreachable")


@transaction.atomic
def reissue_ballot(
    ballot: Ballot, *, opens_at: datetime.datetime, closes_at: datetime.datetime,
    reason: str, by: Member, now: datetime.datetime | None,
) -> Ballot:
    """Withdraws a published, unopened ballot and publishes the same questions, trustees
    and authority again with new times, as a new ballot: a new manifest, so a new key
    ceremony and new credentials. Returns the new ballot."""
    ballot = locked(ballot, Phase.KEY_CEREMONY, Phase.CREDENTIALS, Phase.READY)
    problems = draft_problems(DraftFields(opens_at=opens_at, closes_at=closes_at,
                                          cut_off=ballot.cut_off), now=now)
    if problems:
        raise InvalidDraft(problems)
    fresh = Ballot.objects.create(
        slug=_next_slug(ballot.slug), title=ballot.title, description=ballot.description,
        cut_off=ballot.cut_off, local_group=ballot.local_group, opens_at=opens_at,
        closes_at=closes_at, threshold=ballot.threshold, authority=ballot.authority,
        authority_name=ballot.authority_name,
        authority_public_key=ballot.authority_public_key, created_by=by,
    )
    for trustee in ballot.trustees.order_by("index"):
        Trustee.objects.create(ballot=fresh, index=trustee.index, name=trustee.name,
                               member=trustee.member)
        _invite(trustee.member, GrantedRole.TRUSTEE, fresh, f"trustee {trustee.index}", by)
    for question in ballot.questions.order_by("position"):
        Question.objects.create(
            ballot=fresh, position=question.position, kind=question.kind, text=question.text,
            case_for=question.case_for, case_against=question.case_against,
            options=question.options, min_choices=question.min_choices,
            max_choices=question.max_choices, count=question.count,
        )
    _withdraw(ballot, reason or "Re-issued with new times.", by, fresh)
    record("reissue_ballot", actor=by, subject=fresh, public=True,
           summary=f"Re-issued “{fresh.title}” as {fresh.slug}, opening "
           f"{human_time(opens_at)} and closing {human_time(closes_at)}")
    return publish_manifest(fresh, by=by)
