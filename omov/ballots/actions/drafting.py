"""Drafting a ballot and publishing its manifest: the organiser's actions.

Once the manifest is on the board the rules are frozen; every action here
that changes the rules refuses with RulesFrozen after that.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from omov.accounts.actions import create_login_link, sign_in_url
from omov.accounts.models import GrantedRole
from omov.audit.log import record
from omov.ballots import board
from omov.ballots.errors import BallotError, InvalidDraft, RulesFrozen
from omov.ballots.manifest import FIXED_OPTIONS, build_manifest
from omov.ballots.models import Ballot, Elector, Phase, Question, QuestionKind, Trustee
from omov.ballots.ranked_draft import CountDraft, count_problems, ranked_bounds_problems
from omov.crypto.canonical import digest
from omov.members.eligibility import eligible_members
from omov.members.models import Member
from omov.organisation.models import LocalGroup
from omov.record.errors import RecordError
from omov.record.manifest import parse_manifest
from omov.record.roll import MAX_ROLL_CREDENTIALS
from omov.web.mail import absolute_url, send_email
from omov.web.times import human_date, human_date_in, human_time, human_time_in

MAX_QUESTIONS = 20
MAX_TRUSTEES = 50


@dataclass(frozen=True)
class TrusteeInvite:
    """A trustee as the organiser names them: shown name and email on the roll."""

    name: str
    email: str


def _find_on_roll(email: str) -> Member | None:
    """The member an organiser means: by email address, or by membership number."""
    text = email.strip()
    if "@" not in text:
        return Member.objects.filter(membership_number=text).first()
    return Member.objects.filter(email__iexact=text).order_by("pk").first()


def _on_roll(email: str, field: str) -> Member:
    member = _find_on_roll(email)
    if member is None:
        raise BallotError(f"No one on the roll has the email address {email}.", field=field)
    return member


def _invite(member: Member, role: GrantedRole, ballot: Ballot, what: str, by: Member,
            duties: str = "") -> None:
    from omov.accounts.actions import grant_role

    grant_role(member, role, by=by, purpose=f"as {what} for the ballot “{ballot.title}”")
    token = create_login_link(member, by=by,
                              purpose=f"to invite them as {what} for “{ballot.title}”")
    page = absolute_url(reverse("ballots:detail", args=[ballot.slug]))
    send_email(
        member.email,
        f"You are {what} for the ballot “{ballot.title}”",
        f"Hello {member.name},\n\n{by.name} has asked you to be {what} for the ballot "
        f"“{ballot.title}”.\n\n{duties}Sign in with this link (it works once):\n\n"
        f"{sign_in_url(token)}\n\nThen open the ballot's page:\n\n{page}\n",
    )


def trustee_duties(ballot: Ballot, trustees: int, zone: str = "") -> str:
    """What a trustee does and roughly when, for the invitation; times in `zone` (the
    trustee's own), else in the organisation's."""
    opens = human_date_in(ballot.opens_at, zone)
    closes = human_time_in(ballot.closes_at, zone)
    return (
        f"As a trustee you hold one share of the election key: any {ballot.threshold} of the "
        f"{trustees} trustees together can count the votes, and fewer cannot read any vote. "
        "You do three things, on your trustee page or with `omov trustee` on your own "
        "computer:\n\n"
        f"1. Before voting opens ({opens}), once the organiser publishes the ballot's rules: "
        "make your keys. Your browser saves them in an encrypted backup file, under a "
        "passphrase only you know.\n"
        "2. When every trustee has made theirs: read the ceremony code aloud to the other "
        "trustees (by phone or in person), and if every code is the same, send your shares "
        "and check the shares sent to you. Each step takes a minute.\n"
        f"3. After voting closes ({closes}): decrypt your part of the count, with the same "
        "backup file and passphrase. You will be emailed when it is time.\n\n"
        "Keep the backup file and the passphrase until the result is published: without "
        "them you cannot take part in the count.\n\n"
    )



@dataclass(frozen=True)
class DraftFields:
    """What an organiser writes when drafting a ballot; None where it did not parse."""

    slug: str | None = None
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None
    cut_off: datetime.date | None = None
    threshold: int | None = None
    trustees: Sequence[TrusteeInvite] | None = None
    authority_email: str | None = None


def draft_problems(
    fields: DraftFields, *, now: datetime.datetime | None, ballot: Ballot | None = None
) -> list[BallotError]:
    """Every reason the draft cannot be saved, each naming its field, so that a form
    shows them all at once. `now` is the moment the organiser asks: an opening time
    before it is refused (the demo and the tests, which replay a past vote, pass None).
    `ballot` is the draft being edited, if it exists."""
    problems: list[BallotError] = []
    taken = Ballot.objects.filter(slug=fields.slug)
    if fields.slug and (taken.exclude(pk=ballot.pk) if ballot else taken).exists():
        problems.append(BallotError(f"A ballot with the id {fields.slug} already exists.",
                                    field="slug"))
    problems.extend(_schedule_problems(fields, now))
    problems.extend(_people_problems(fields))
    return problems


def _schedule_problems(fields: DraftFields, now: datetime.datetime | None) -> list[BallotError]:
    problems = []
    opens, closes, cut_off = fields.opens_at, fields.closes_at, fields.cut_off
    if opens is not None and now is not None and opens < now:
        problems.append(BallotError(
            f"The opening time {human_time(opens)} has passed: choose a time from now on "
            f"(it is {human_time(now)}).", field="opens_at"))
    if opens is not None and closes is not None and closes <= opens:
        problems.append(BallotError(
            f"The ballot must close after it opens ({human_time(opens)}).", field="closes_at"))
    if cut_off is not None and opens is not None and cut_off > timezone.localdate(opens):
        problems.append(BallotError(
            f"The eligibility cut-off ({human_date(cut_off)}) is after the opening day "
            f"({human_date(timezone.localdate(opens))}): who may vote is fixed when the "
            "manifest is published, before voting opens, so the cut-off must be on or "
            "before the opening day.", field="cut_off"))
    return problems


def _people_problems(fields: DraftFields) -> list[BallotError]:
    problems = []
    trustees = fields.trustees
    members: list[Member] = []
    if trustees is not None:
        if not 1 <= len(trustees) <= MAX_TRUSTEES:
            problems.append(BallotError(f"Name between 1 and {MAX_TRUSTEES} trustees.",
                                        field="trustees"))
        for invite in trustees:
            member = _find_on_roll(invite.email)
            if member is None:
                problems.append(BallotError(
                    f"No one on the roll has the email address or membership number "
                    f"{invite.email} (trustee “{invite.name}”).", field="trustees"))
            else:
                members.append(member)
        if len({member.pk for member in members}) != len(members):
            problems.append(BallotError("Each trustee must be a different person.",
                                        field="trustees"))
        if fields.threshold is not None and not 1 <= fields.threshold <= len(trustees):
            problems.append(BallotError(
                f"The threshold must be between 1 and the number of trustees ({len(trustees)}).",
                field="threshold"))
    if fields.authority_email is not None:
        authority = _find_on_roll(fields.authority_email)
        if authority is None:
            problems.append(BallotError(
                "No one on the roll has the email address or membership number "
                f"{fields.authority_email}.",
                field="authority_email"))
        elif authority in members:
            problems.append(BallotError("The credential authority cannot also be a trustee.",
                                        field="authority_email"))
    return problems


@transaction.atomic
def create_ballot(
    *,
    slug: str,
    title: str,
    description: str,
    cut_off: datetime.date,
    local_group: LocalGroup | None,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    threshold: int,
    trustees: Sequence[TrusteeInvite],
    authority_email: str,
    authority_name: str,
    by: Member,
    now: datetime.datetime | None = None,
) -> Ballot:
    """Creates a draft ballot and invites its trustees and credential authority by email.

    Raises InvalidDraft naming every problem (see `draft_problems`)."""
    fields = DraftFields(slug=slug, opens_at=opens_at, closes_at=closes_at, cut_off=cut_off,
                         threshold=threshold, trustees=trustees,
                         authority_email=authority_email)
    problems = draft_problems(fields, now=now)
    if problems:
        raise InvalidDraft(problems)
    members = [_on_roll(invite.email, "trustees") for invite in trustees]
    authority = _on_roll(authority_email, "authority_email")
    ballot = Ballot.objects.create(
        slug=slug, title=title, description=description, cut_off=cut_off,
        local_group=local_group, opens_at=opens_at, closes_at=closes_at, threshold=threshold,
        authority=authority, authority_name=authority_name, created_by=by,
    )
    for index, (invite, member) in enumerate(zip(trustees, members, strict=True), start=1):
        Trustee.objects.create(ballot=ballot, index=index, name=invite.name, member=member)
        _invite(member, GrantedRole.TRUSTEE, ballot, f"trustee {index}", by,
                trustee_duties(ballot, len(trustees), member.time_zone))
    _invite(authority, GrantedRole.CREDENTIAL_AUTHORITY, ballot, "the credential authority", by)
    record("create_ballot", actor=by, subject=ballot, public=True,
           summary=f"Drafted the ballot “{title}” ({len(trustees)} trustees, {threshold} needed)")
    return ballot


def _check_draft(ballot: Ballot) -> None:
    if ballot.rules_frozen:
        raise RulesFrozen("The manifest is published: the ballot's rules can no longer change.")


def question_problems(
    kind: str, text: str, options: Sequence[str], minimum: int | None, maximum: int | None,
    count: CountDraft | None = None, other_cells: int = 0,
) -> tuple[list[str], int, int, list[BallotError]]:
    """The options and (min, max) a question of `kind` has, and every reason it is not
    allowed (each naming its field). Nothing is filled in: a bound a kind needs and
    that is missing is a problem, never a default. A ranked question's `count` fields
    are checked too; `other_cells` are the cells of the ballot's other ranked questions."""
    problems = [] if text.strip() else [BallotError("Write the question.", field="text")]
    if kind == QuestionKind.RANKED:
        names, option_problems = _option_problems(options)
        problems += option_problems
        problems += ranked_bounds_problems(len(names), minimum, maximum, other_cells)
        problems += count_problems(names, count or CountDraft())[1]
        return names, minimum or 0, maximum or 0, problems
    names, low, high, bound_problems = _bounds_problems(kind, options, minimum, maximum)
    return names, low, high, problems + bound_problems


def ranked_count(kind: str, names: list[str], count: CountDraft | None) -> dict[str, Any] | None:
    """The manifest's `count` member of a checked ranked question; None for other kinds."""
    if kind != QuestionKind.RANKED:
        return None
    return count_problems(names, count or CountDraft())[0]


def ranked_cells(ballot: Ballot, leaving_out: Question | None = None) -> int:
    """The candidate times preference cells of a draft's ranked questions (5.2's cap)."""
    found = ballot.questions.filter(kind=QuestionKind.RANKED)
    if leaving_out is not None:
        found = found.exclude(pk=leaving_out.pk)
    return sum(len(q.options) * q.max_choices for q in found)


def question_bounds(
    kind: str, options: Sequence[str], minimum: int | None, maximum: int | None
) -> tuple[list[str], int, int]:
    """The options and (min, max) a question of `kind` has, for callers outside the
    draft form (a petition proposing a question); raises the first BallotError."""
    names, low, high, problems = _bounds_problems(kind, options, minimum, maximum)
    if problems:
        raise problems[0]
    return names, low, high


def _option_problems(options: Sequence[str]) -> tuple[list[str], list[BallotError]]:
    problems: list[BallotError] = []
    names = [option.strip() for option in options if option.strip()]
    if not 2 <= len(names) <= 100:
        problems.append(BallotError("Give between 2 and 100 options, one per line.",
                                    field="options"))
    if len(set(names)) != len(names):
        problems.append(BallotError("Each option must be different.", field="options"))
    if any(len(name) > 500 for name in names):
        problems.append(BallotError("An option is longer than 500 characters.",
                                    field="options"))
    return names, problems


def _bounds_problems(
    kind: str, options: Sequence[str], minimum: int | None, maximum: int | None
) -> tuple[list[str], int, int, list[BallotError]]:
    problems: list[BallotError] = []
    if kind in FIXED_OPTIONS:
        return list(FIXED_OPTIONS[kind]), 1, 1, problems
    names, problems = _option_problems(options)
    m = len(names)
    if kind == QuestionKind.APPROVAL:
        return names, 0, m, problems
    if kind == QuestionKind.BLOCK:
        if maximum is None:
            problems.append(BallotError("Give the number of seats.", field="maximum"))
        elif m >= 2 and not 1 <= maximum < m:
            problems.append(BallotError(
                f"The number of seats must be between 1 and {m - 1} (one fewer than the "
                f"{m} candidates).", field="maximum"))
        return names, 0, maximum or 0, problems
    if kind != QuestionKind.CHOOSE:
        problems.append(BallotError(f"Unknown question kind {kind}.", field="kind"))
        return names, 0, 0, problems
    if minimum is None:
        problems.append(BallotError("Give the fewest options a voter must choose (0 or more).",
                                    field="minimum"))
    if maximum is None:
        problems.append(BallotError("Give the most options a voter may choose.",
                                    field="maximum"))
    if minimum is not None and maximum is not None and m >= 2 and not (
        0 <= minimum <= maximum <= m and maximum >= 1
    ):
        problems.append(BallotError(
            f"Choose needs 0 ≤ minimum ≤ maximum ≤ {m} (the number of options), maximum ≥ 1.",
            field="maximum"))
    return names, minimum or 0, maximum or 0, problems


@transaction.atomic
def add_question(
    ballot: Ballot,
    *,
    kind: str,
    text: str,
    case_for: str,
    case_against: str,
    options: Sequence[str],
    minimum: int | None,
    maximum: int | None,
    by: Member,
    count: CountDraft | None = None,
) -> Question:
    """Adds a question at the end of a draft ballot; raises InvalidDraft naming every
    problem with it. `minimum` and `maximum` matter only for "choose" (both), a
    block vote (`maximum`, the number of seats) and a ranked question (0 or 1, and
    the most preferences; its `count` says how it is counted); the other kinds fix
    their own."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    _check_draft(ballot)
    if ballot.questions.count() >= MAX_QUESTIONS:
        raise BallotError(f"A ballot has at most {MAX_QUESTIONS} questions.")
    names, low, high, problems = question_problems(kind, text, options, minimum, maximum,
                                                   count, ranked_cells(ballot))
    if problems:
        raise InvalidDraft(problems)
    question = Question.objects.create(
        ballot=ballot, position=ballot.questions.count(), kind=kind, text=text.strip(),
        case_for=case_for.strip(), case_against=case_against.strip(), options=names,
        min_choices=low, max_choices=high, count=ranked_count(kind, names, count),
    )
    record("add_question", actor=by, subject=ballot, public=True,
           summary=f"Added the question “{question.text[:200]}” to “{ballot.title}”")
    return question


def ranked_problems(
    ballot: Ballot, candidates: Sequence[str], minimum: int, maximum: int,
    count: dict[str, Any],
) -> list[BallotError]:
    """Every reason a ranked question (protocol 5.2) could not go on the manifest, checked
    by the verifier's own parser, on the draft's manifest with this question in it, so
    that the draft and the published record agree."""
    from omov.crypto.group import Scalar, base_mult

    manifest = build_manifest(ballot)
    question = {"id": f"q{len(manifest['questions']) + 1}", "kind": QuestionKind.RANKED,
                "text": "-", "options": list(candidates), "min": minimum, "max": maximum,
                "count": count}
    manifest["questions"].append(question)
    if not ballot.authority_public_key:  # not made yet; any valid key stands in for it
        manifest["credential_authority"]["public_key"] = base_mult(Scalar(1)).hex()
    try:
        parse_manifest(manifest, entry=None)
    except RecordError as error:
        return [BallotError(f"The ranked question would be invalid: {error}", field="options")]
    return []


@transaction.atomic
def add_ranked_question(
    ballot: Ballot,
    *,
    text: str,
    candidates: Sequence[str],
    minimum: int,
    maximum: int,
    count: dict[str, Any],
    by: Member,
) -> Question:
    """Adds a ranked question at the end of a draft ballot: the voter ranks up to
    `maximum` of the `candidates`, and `count` (method, seats, ties, balance) says how
    the rankings are counted. Higher apps (elections) supply the count rules."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    _check_draft(ballot)
    position = ballot.questions.count()
    if position >= MAX_QUESTIONS:
        raise BallotError(f"A ballot has at most {MAX_QUESTIONS} questions.")
    problems = [] if text.strip() else [BallotError("Write the question.", field="text")]
    problems += ranked_problems(ballot, candidates, minimum, maximum, count)
    if problems:
        raise InvalidDraft(problems)
    question = Question.objects.create(
        ballot=ballot, position=position, kind=QuestionKind.RANKED, text=text.strip(),
        options=list(candidates), min_choices=minimum, max_choices=maximum, count=count,
    )
    record("add_question", actor=by, subject=ballot, public=True,
           summary=f"Added the ranked question “{question.text[:200]}” to “{ballot.title}” "
                   f"({count.get('method')}, {count.get('seats')} seats)")
    return question


@transaction.atomic
def remove_question(question: Question, *, by: Member) -> None:
    """Removes a question from a draft ballot; later questions move up."""
    ballot = Ballot.objects.select_for_update().get(pk=question.ballot_id)
    _check_draft(ballot)
    position = question.position
    question.delete()
    for later in ballot.questions.filter(position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])
    record("remove_question", actor=by, subject=ballot, public=True,
           summary=f"Removed question {position + 1} from “{ballot.title}”")


@transaction.atomic
def set_authority_key(ballot: Ballot, public_key: str, *, by: Member) -> Ballot:
    """Stores the credential authority's public key (made on the authority's machine)."""
    from omov.crypto.errors import ProtocolError
    from omov.crypto.group import Point

    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    _check_draft(ballot)
    if by.pk != ballot.authority_id:
        raise BallotError("Only the ballot's credential authority may set its key.")
    try:
        Point.from_hex(public_key.strip(), field="public_key")
    except ProtocolError as error:
        raise BallotError(f"The public key is not valid: {error}", field="public_key") from error
    ballot.authority_public_key = public_key.strip()
    ballot.save(update_fields=["authority_public_key"])
    record("set_authority_key", actor=by, subject=ballot, public=True,
           summary=f"The credential authority published its key for “{ballot.title}”")
    return ballot


@transaction.atomic
def publish_manifest(ballot: Ballot, *, by: Member) -> Ballot:
    """Publishes the manifest as board entry 0 and fixes the electors; rules freeze."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    _check_draft(ballot)
    if not ballot.questions.exists():
        raise BallotError("Add at least one question first.")
    if not ballot.authority_public_key:
        raise BallotError("The credential authority has not published its key yet.")
    manifest = build_manifest(ballot)
    try:
        parse_manifest(manifest, entry=None)
    except RecordError as error:
        raise BallotError(f"The manifest would be invalid: {error}") from error
    electors = eligible_members(ballot.cut_off, ballot.local_group)
    eligible = electors.count()
    if eligible > MAX_ROLL_CREDENTIALS:
        raise BallotError(
            f"{eligible:,} members are eligible, but one ballot's credential roll holds at "
            f"most {MAX_ROLL_CREDENTIALS:,} (protocol section 10): hold the vote as "
            "several ballots, one per local group.")
    Elector.objects.bulk_create(
        (Elector(ballot=ballot, member=member) for member in electors.iterator()),
        batch_size=2000,
    )
    entry = board.append(ballot, "manifest", manifest)
    ballot.manifest_digest = digest(manifest).hex()
    ballot.phase = Phase.KEY_CEREMONY
    ballot.save(update_fields=["manifest_digest", "phase"])
    record("publish_manifest", actor=by, subject=ballot, public=True,
           summary=f"Published the manifest of “{ballot.title}”; its rules are now fixed",
           details={"entry_hash": entry.entry_hash, "electors": ballot.electors.count()})
    return ballot
