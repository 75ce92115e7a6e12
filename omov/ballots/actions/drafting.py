"""Drafting a ballot and publishing its manifest: the organiser's actions.

Once the manifest is on the board the rules are frozen; every action here
that changes the rules refuses with RulesFrozen after that.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

from omov.accounts.actions import create_login_link, sign_in_url
from omov.accounts.models import GrantedRole
from omov.audit.log import record
from omov.ballots import board
from omov.ballots.errors import BallotError, RulesFrozen
from omov.ballots.manifest import FIXED_OPTIONS, build_manifest
from omov.ballots.models import Ballot, Elector, Phase, Question, QuestionKind, Trustee
from omov.crypto.canonical import digest
from omov.members.eligibility import eligible_members
from omov.members.models import Member
from omov.organisation.models import LocalGroup
from omov.record.errors import RecordError
from omov.record.manifest import parse_manifest
from omov.web.mail import absolute_url, send_email

MAX_QUESTIONS = 20
MAX_TRUSTEES = 50


@dataclass(frozen=True)
class TrusteeInvite:
    """A trustee as the organiser names them: shown name and email on the roll."""

    name: str
    email: str


def _on_roll(email: str, field: str) -> Member:
    member = Member.objects.filter(email__iexact=email.strip()).first()
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


def trustee_duties(ballot: Ballot, trustees: int) -> str:
    """What a trustee does and roughly when, for the invitation."""
    opens = f"{ballot.opens_at.astimezone(datetime.UTC):%-d %B %Y}"
    closes = f"{ballot.closes_at.astimezone(datetime.UTC):%-d %B %Y, %H:%M} UTC"
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


def _check_schedule(opens_at: datetime.datetime, closes_at: datetime.datetime) -> None:
    if closes_at <= opens_at:
        raise BallotError("The ballot must close after it opens.", field="closes_at")


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
) -> Ballot:
    """Creates a draft ballot and invites its trustees and credential authority by email."""
    if Ballot.objects.filter(slug=slug).exists():
        raise BallotError(f"A ballot with the id {slug} already exists.", field="slug")
    _check_schedule(opens_at, closes_at)
    if not 1 <= len(trustees) <= MAX_TRUSTEES:
        raise BallotError(f"Name between 1 and {MAX_TRUSTEES} trustees.", field="trustees")
    if not 1 <= threshold <= len(trustees):
        raise BallotError(
            f"The threshold must be between 1 and the number of trustees ({len(trustees)}).",
            field="threshold",
        )
    members = [_on_roll(invite.email, "trustees") for invite in trustees]
    if len({member.pk for member in members}) != len(members):
        raise BallotError("Each trustee must be a different person.", field="trustees")
    authority = _on_roll(authority_email, "authority_email")
    if authority in members:
        raise BallotError(
            "The credential authority cannot also be a trustee.", field="authority_email"
        )
    ballot = Ballot.objects.create(
        slug=slug, title=title, description=description, cut_off=cut_off,
        local_group=local_group, opens_at=opens_at, closes_at=closes_at, threshold=threshold,
        authority=authority, authority_name=authority_name, created_by=by,
    )
    for index, (invite, member) in enumerate(zip(trustees, members, strict=True), start=1):
        Trustee.objects.create(ballot=ballot, index=index, name=invite.name, member=member)
        _invite(member, GrantedRole.TRUSTEE, ballot, f"trustee {index}", by,
                trustee_duties(ballot, len(trustees)))
    _invite(authority, GrantedRole.CREDENTIAL_AUTHORITY, ballot, "the credential authority", by)
    record("create_ballot", actor=by, subject=ballot, public=True,
           summary=f"Drafted the ballot “{title}” ({len(trustees)} trustees, {threshold} needed)")
    return ballot


def _check_draft(ballot: Ballot) -> None:
    if ballot.rules_frozen:
        raise RulesFrozen("The manifest is published: the ballot's rules can no longer change.")


def question_bounds(kind: str, options: Sequence[str], minimum: int, maximum: int) -> tuple[
    list[str], int, int
]:
    """The options and (min, max) a question of `kind` has; raises BallotError if not allowed."""
    if kind in FIXED_OPTIONS:
        return list(FIXED_OPTIONS[kind]), 1, 1
    names = [option.strip() for option in options if option.strip()]
    if not 2 <= len(names) <= 100:
        raise BallotError("Give between 2 and 100 options, one per line.", field="options")
    if len(set(names)) != len(names):
        raise BallotError("Each option must be different.", field="options")
    if any(len(name) > 500 for name in names):
        raise BallotError("An option is longer than 500 characters.", field="options")
    m = len(names)
    if kind == QuestionKind.APPROVAL:
        return names, 0, m
    if kind == QuestionKind.BLOCK:
        if not 1 <= maximum < m:
            raise BallotError(f"The number of seats must be between 1 and {m - 1}.", field="max")
        return names, 0, maximum
    if kind != QuestionKind.CHOOSE:
        raise BallotError(f"Unknown question kind {kind}.", field="kind")
    if not (0 <= minimum <= maximum <= m and maximum >= 1):
        raise BallotError(
            f"Choose needs 0 ≤ minimum ≤ maximum ≤ {m} (the number of options), maximum ≥ 1.",
            field="max",
        )
    return names, minimum, maximum


@transaction.atomic
def add_question(
    ballot: Ballot,
    *,
    kind: str,
    text: str,
    case_for: str,
    case_against: str,
    options: Sequence[str],
    minimum: int,
    maximum: int,
    by: Member,
) -> Question:
    """Adds a question at the end of a draft ballot."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    _check_draft(ballot)
    if not text.strip():
        raise BallotError("Write the question.", field="text")
    count = ballot.questions.count()
    if count >= MAX_QUESTIONS:
        raise BallotError(f"A ballot has at most {MAX_QUESTIONS} questions.")
    names, low, high = question_bounds(kind, options, minimum, maximum)
    question = Question.objects.create(
        ballot=ballot, position=count, kind=kind, text=text.strip(), case_for=case_for.strip(),
        case_against=case_against.strip(), options=names, min_choices=low, max_choices=high,
    )
    record("add_question", actor=by, subject=ballot, public=True,
           summary=f"Added the question “{question.text[:200]}” to “{ballot.title}”")
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
