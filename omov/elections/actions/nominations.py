"""Nominations: nominate, accept, support, statements, rulings and withdrawal."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from omov.audit.log import record
from omov.ballots.models import Phase
from omov.elections import permissions, rules
from omov.elections.errors import ElectionError, NotAllowed
from omov.elections.models import Election, Nomination, Post, Ruling, Stage, Support
from omov.members.models import Member
from omov.organisation.models import LocalGroup
from omov.web.mail import absolute_url, send_email
from omov.web.times import human_time_in


def _locked(nomination: Nomination) -> Nomination:
    return Nomination.objects.select_for_update().select_related(
        "post__election", "nominee").get(pk=nomination.pk)


def eligibility_problem(member: Member, post: Post, now: datetime.datetime) -> str | None:
    election = post.election
    return rules.eligibility_problem(member, post.eligibility_months,
                                     timezone.localdate(election.nominations_close_at),
                                     timezone.localdate(now))


def _check_statement(statement: str, post: Post) -> str:
    words = rules.word_count(statement)
    if words > post.word_limit:
        raise ElectionError(f"The statement has {words} words; the limit for {post.title} is "
                            f"{post.word_limit}.", field="statement")
    return statement.strip()


@transaction.atomic
def nominate(post: Post, nominee: Member, *, by: Member, statement: str = "",
             now: datetime.datetime | None = None) -> Nomination:
    """`by` nominates `nominee` (themself or another member) for `post`. A nomination of
    oneself is accepted at once; another member must accept it. Nominating someone else
    counts as supporting them, so it uses the nominator's one support on this post."""
    now = now or timezone.now()
    post = Post.objects.select_related("election").get(pk=post.pk)
    election = Election.objects.select_for_update().get(pk=post.election_id)
    permissions.require_nominations_open(election, now)
    permissions.require_electorate(by, election, "nominate")
    problem = eligibility_problem(nominee, post, now)
    if problem:
        raise ElectionError(problem, field="nominee")
    if not permissions.in_electorate(nominee, election):
        raise ElectionError(f"{nominee.name} is not a member of {election.local_group}, whose "
                            "members elect these posts.", field="nominee")
    if Nomination.objects.filter(post=post, nominee=nominee, withdrawn_at__isnull=True).exists():
        raise ElectionError(f"{nominee.name} is already nominated for {post.title}.",
                            field="nominee")
    own = nominee.pk == by.pk
    if not own:
        _require_free_supporter(post, by)
    nomination = Nomination.objects.create(
        post=post, nominee=nominee, nominated_by=by, nominated_at=now,
        accepted_at=now if own else None,
        statement=_check_statement(statement, post) if own else "",
    )
    if not own:
        Support.objects.create(nomination=nomination, post=post, member=by, recorded_by=by)
        _ask_to_accept(nomination)
    who = "themself" if own else nominee.name
    record("nominate", actor=by, subject=nomination, public=True,
           summary=f"{by.name} nominated {who} for {post.title} in “{election.title}”")
    return nomination


def _ask_to_accept(nomination: Nomination) -> None:
    post, nominee = nomination.post, nomination.nominee
    page = absolute_url(reverse("elections:nomination", args=[nomination.pk]))
    send_email(
        nominee.email, f"You are nominated for {post.title}",
        f"Hello {nominee.name},\n\n{nomination.nominated_by.name} has nominated you for "
        f"{post.title} in “{post.election.title}”.\n\nIf you want to stand, accept the "
        f"nomination and write your statement (at most {post.word_limit} words) before "
        f"nominations close, {human_time_in(post.election.nominations_close_at, nominee.time_zone)}"
        f":\n\n{page}\n\nIf you do not accept, you will not be a candidate.\n")


def _require_free_supporter(post: Post, member: Member) -> None:
    taken = Support.objects.filter(post=post, member=member, released_at__isnull=True).first()
    if taken is not None:
        raise ElectionError(f"{member.name} already supports {taken.nomination.nominee.name} "
                            f"for {post.title}: each member supports one nomination per post.")


@transaction.atomic
def accept_nomination(nomination: Nomination, *, by: Member, statement: str = "",
                      declares_balance: bool = False,
                      now: datetime.datetime | None = None) -> Nomination:
    """The nominee accepts, with their statement (within the post's word limit)."""
    now = now or timezone.now()
    nomination = _locked(nomination)
    post = nomination.post
    permissions.require_nominee(by, nomination, "accept this nomination")
    permissions.require_nominations_open(post.election, now)
    if nomination.withdrawn_at is not None:
        raise ElectionError("This nomination was withdrawn.")
    if nomination.accepted_at is not None:
        raise ElectionError("You have already accepted this nomination.")
    nomination.statement = _check_statement(statement, post)
    nomination.declares_balance = declares_balance and bool(post.balance_label)
    nomination.accepted_at = now
    nomination.save(update_fields=["statement", "declares_balance", "accepted_at"])
    record("accept_nomination", actor=by, subject=nomination, public=True,
           summary=f"{by.name} accepted the nomination for {post.title}")
    return nomination


@transaction.atomic
def edit_statement(nomination: Nomination, *, by: Member, statement: str,
                   declares_balance: bool | None = None,
                   now: datetime.datetime | None = None) -> Nomination:
    """The candidate changes their statement while nominations are open; frozen after."""
    now = now or timezone.now()
    nomination = _locked(nomination)
    permissions.require_nominee(by, nomination, "change the statement")
    if nomination.post.election.stage != Stage.NOMINATIONS or (
            now >= nomination.post.election.nominations_close_at):
        raise ElectionError("Statements are frozen: nominations have closed.",
                            field="statement")
    permissions.require_nominations_open(nomination.post.election, now)
    if nomination.withdrawn_at is not None:
        raise ElectionError("This nomination was withdrawn.")
    nomination.statement = _check_statement(statement, nomination.post)
    fields = ["statement"]
    if declares_balance is not None:
        nomination.declares_balance = declares_balance and bool(nomination.post.balance_label)
        fields.append("declares_balance")
    nomination.save(update_fields=fields)
    record("edit_statement", actor=by, subject=nomination, public=True,
           summary=f"{by.name} changed their statement for {nomination.post.title}",
           details={"words": rules.word_count(nomination.statement)})
    return nomination


@transaction.atomic
def support_nomination(nomination: Nomination, *, by: Member,
                       now: datetime.datetime | None = None) -> Support:
    """A member in the electorate supports one nomination per post (not their own)."""
    now = now or timezone.now()
    nomination = _locked(nomination)
    post = nomination.post
    permissions.require_nominations_open(post.election, now)
    permissions.require_electorate(by, post.election, "support a nomination")
    if nomination.withdrawn_at is not None:
        raise ElectionError("This nomination was withdrawn.")
    if by.pk == nomination.nominee_id:
        raise NotAllowed("A nominee cannot support their own nomination.")
    _require_free_supporter(post, by)
    support = Support.objects.create(nomination=nomination, post=post, member=by,
                                     recorded_by=by)
    record("support_nomination", actor=by, subject=nomination, public=True,
           summary=f"{by.name} supports the nomination of {nomination.nominee.name} for "
                   f"{post.title}")
    return support


@transaction.atomic
def record_group_support(nomination: Nomination, group: LocalGroup, *, note: str,
                         by: Member, now: datetime.datetime | None = None) -> Support:
    """An organiser records that a local group supports a nomination, saying where the
    group decided it; each group supports one nomination per post."""
    now = now or timezone.now()
    permissions.require_organiser(by, "record a local group's support")
    nomination = _locked(nomination)
    post = nomination.post
    permissions.require_nominations_open(post.election, now)
    if not note.strip():
        raise ElectionError("Say where the group decided to support (meeting and date).",
                            field="note")
    if nomination.withdrawn_at is not None:
        raise ElectionError("This nomination was withdrawn.")
    election = post.election
    if election.local_group_id is not None and group.pk != election.local_group_id:
        raise ElectionError(f"Only {election.local_group} votes in this election.",
                            field="local_group")
    taken = Support.objects.filter(post=post, local_group=group, released_at__isnull=True).first()
    if taken is not None:
        raise ElectionError(f"{group.name} already supports {taken.nomination.nominee.name} for "
                            f"{post.title}: each group supports one nomination per post.",
                            field="local_group")
    support = Support.objects.create(nomination=nomination, post=post, local_group=group,
                                     note=note.strip(), recorded_by=by)
    record("record_group_support", actor=by, subject=nomination, public=True,
           summary=f"{group.name} supports the nomination of {nomination.nominee.name} for "
                   f"{post.title} ({note.strip()[:200]})")
    return support


def support_counts(nomination: Nomination) -> tuple[int, int]:
    """(supporting members, supporting local groups) of a live nomination."""
    live = nomination.supports.filter(released_at__isnull=True)
    return (live.filter(member__isnull=False).count(),
            live.filter(local_group__isnull=False).count())


def validity_problems(nomination: Nomination, now: datetime.datetime) -> list[str]:
    """Every reason the nomination cannot be ruled valid."""
    post = nomination.post
    problems = []
    if nomination.withdrawn_at is not None:
        problems.append("The nomination was withdrawn.")
    if nomination.accepted_at is None:
        problems.append(f"{nomination.nominee.name} has not accepted the nomination.")
    members, groups = support_counts(nomination)
    if not rules.support_met(members, groups, post.supporters_needed, post.groups_needed):
        needs = []
        if post.supporters_needed:
            needs.append(f"{post.supporters_needed} supporting members (it has {members})")
        if post.groups_needed:
            needs.append(f"{post.groups_needed} supporting local groups (it has {groups})")
        problems.append(f"The nomination needs {' or '.join(needs)}.")
    problem = eligibility_problem(nomination.nominee, post, now)
    if problem:
        problems.append(problem)
    return problems


@transaction.atomic
def rule_on_nomination(nomination: Nomination, *, valid: bool, reason: str, by: Member,
                       now: datetime.datetime | None = None) -> Nomination:
    """An organiser rules a nomination valid or invalid, with a reason published on the
    post's page and in the audit log. Valid needs acceptance, the support and the
    eligibility; rulings may be revised until the ballot is drafted."""
    now = now or timezone.now()
    permissions.require_organiser(by, "rule on nominations")
    nomination = _locked(nomination)
    if nomination.post.election.stage == Stage.BALLOT:
        raise ElectionError("The ballot is drafted: its candidates are fixed.")
    if not reason.strip():
        raise ElectionError("Give the reason for the ruling: it is published.", field="reason")
    if valid:
        problems = validity_problems(nomination, now)
        if problems:
            raise ElectionError("It cannot be ruled valid: " + " ".join(problems))
    nomination.ruling = Ruling.VALID if valid else Ruling.INVALID
    nomination.ruling_reason, nomination.ruled_by, nomination.ruled_at = reason.strip(), by, now
    nomination.save(update_fields=["ruling", "ruling_reason", "ruled_by", "ruled_at"])
    record("rule_on_nomination", actor=by, subject=nomination, public=True,
           summary=f"Ruled the nomination of {nomination.nominee.name} for "
                   f"{nomination.post.title} {nomination.ruling}: {reason.strip()[:300]}")
    return nomination


@transaction.atomic
def withdraw_nomination(nomination: Nomination, *, by: Member,
                        now: datetime.datetime | None = None) -> Nomination:
    """The nominee withdraws, at any time before the ballot opens. Their supporters may
    then support another nomination. If the ballot is still a draft their name leaves
    it; once its rules are published the name stays on the ballot paper, and the
    election's pages say that they withdrew."""
    from omov.elections.ballot import rebuild_draft_questions

    now = now or timezone.now()
    nomination = _locked(nomination)
    permissions.require_nominee(by, nomination, "withdraw this nomination")
    if nomination.withdrawn_at is not None:
        raise ElectionError("This nomination is already withdrawn.")
    election = Election.objects.select_for_update().get(pk=nomination.post.election_id)
    ballot = election.ballot
    if not permissions.before_ballot_opens(election):
        raise ElectionError("The ballot has opened: a candidate can no longer withdraw.")
    nomination.withdrawn_at = now
    nomination.save(update_fields=["withdrawn_at"])
    nomination.supports.filter(released_at__isnull=True).update(released_at=now)
    record("withdraw_nomination", actor=by, subject=nomination, public=True,
           summary=f"{by.name} withdrew from the election for {nomination.post.title}")
    if ballot is not None and ballot.phase == Phase.DRAFT:
        rebuild_draft_questions(election, by=by)
    return nomination
