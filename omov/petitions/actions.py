"""Every state change of a petition: start, edit, sign, withdraw, close, hide.

Each runs in one transaction under the petition's row lock, appends to the
signature log (checked as the verifier checks it) and writes the audit log.
"""

from __future__ import annotations

import dataclasses
import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from omov.audit.log import record
from omov.ballots.actions.drafting import question_bounds
from omov.ballots.errors import BallotError
from omov.ballots.models import UNRANKED_KINDS, QuestionKind
from omov.discussion import actions as discussion
from omov.members.models import Member
from omov.organisation.models import Committee
from omov.petitions import call_in, forced_ballot, notices, permissions, signature_log
from omov.petitions.errors import PetitionClosed, PetitionError
from omov.petitions.models import Kind, Petition, Signature, ThresholdReached, Visibility
from omov.petitions.rules import terms_for
from omov.petitions.thresholds import Progress
from omov.record.errors import RecordError


@transaction.atomic
def start_petition(
    *, by: Member, kind: Kind, title: str, text: str, committee: Committee,
    thresholds: dict[str, int], roll_date: datetime.date, denominator: int,
    closes_at: datetime.datetime, answer_days: int = 0, rules_version: int = 0,
    question: Question | None = None,
) -> Petition:
    """Start a petition on explicit terms; its text is editable until the first signature.

    A ballot petition's `question` (yes/no by default) is checked as the ballots
    app checks a question, so the forced ballot can always be drafted from it.
    """
    permissions.require_active(by, "start a petition")
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise PetitionError("A petition needs a title and a text.")
    question = _checked_question(kind, question)
    if closes_at <= timezone.now():
        raise PetitionError("The closing time must be in the future.")
    if not thresholds or any(type(n) is not int or n < 1 for n in thresholds.values()):
        raise PetitionError("Every threshold must be a positive number of signatures.")
    petition = Petition.objects.create(
        kind=kind, slug=_unique_slug(title), title=title, text=text, committee=committee,
        started_by=by, thresholds=thresholds, roll_date=roll_date, denominator=denominator,
        closes_at=closes_at, answer_days=answer_days, rules_version=rules_version,
        question_kind=question.kind, question_options=list(question.options),
        question_minimum=question.minimum, question_maximum=question.maximum,
    )
    log = signature_log.load(petition)
    signature_log.append(petition, log, "petition", {
        "id": petition.slug, "kind": kind, "title": title, "target": committee.slug,
        "thresholds": thresholds, "at": signature_log.stamp(timezone.now()),
    })
    record("start_petition", actor=by, subject=petition, public=True,
           summary=f"{by.name} started “{title}” to {committee.name}")
    return petition


def open_petition(
    *, by: Member, kind: Kind, title: str, text: str, committee: Committee,
    question: Question | None = None,
) -> Petition:
    """Start a petition on the terms the rules in force give it now (`rules.terms_for`)."""
    terms = terms_for(kind, timezone.now())
    return start_petition(
        by=by, kind=kind, title=title, text=text, committee=committee,
        thresholds=terms.thresholds, roll_date=terms.roll_date, denominator=terms.denominator,
        closes_at=terms.closes_at, answer_days=terms.answer_days,
        rules_version=terms.rules_version, question=question,
    )


@dataclasses.dataclass(frozen=True)
class Question:
    """The question a ballot petition proposes: any kind a ballot supports."""

    kind: str = QuestionKind.YES_NO
    options: tuple[str, ...] = ()
    minimum: int = 1
    maximum: int = 1


def _checked_question(kind: Kind, question: Question | None) -> Question:
    """The question with its options and bounds as the ballot will hold them; refused with
    the ballots app's own message if a ballot could not carry it."""
    question = question or Question()
    if kind != Kind.BALLOT_PETITION:
        if question != Question():
            raise PetitionError("Only a petition for a member ballot proposes a question kind.")
        return question
    if question.kind not in dict(UNRANKED_KINDS):
        raise PetitionError("A question is one of: "
                            f"{', '.join(label for _, label in UNRANKED_KINDS)}.")
    try:
        options, low, high = question_bounds(question.kind, question.options, question.minimum,
                                             question.maximum)
    except BallotError as refused:
        raise PetitionError(str(refused)) from None
    if question.kind in (QuestionKind.YES_NO, QuestionKind.YES_NO_ABSTAIN):
        return Question(question.kind)  # the ballot gives these their fixed options
    return Question(question.kind, tuple(options), low, high)


def _unique_slug(title: str) -> str:
    return f"{slugify(title)[:60] or 'petition'}-{secrets.token_hex(3)}"


@transaction.atomic
def edit_text(petition: Petition, *, by: Member, text: str) -> Petition:
    """Change the text: in place before any signature, else as a new version (signatures reset)."""
    petition = _locked_open(petition)
    if by.pk != petition.started_by_id:
        raise PetitionError("Only the person who started the petition may edit its text.")
    if petition.reached.exists():
        raise PetitionError("The text cannot change once a threshold is reached.")
    petition.text = text.strip()
    if petition.version:
        _freeze(petition)
        Signature.objects.filter(petition=petition, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now())
    petition.save(update_fields=["text", "version"])
    record("edit_petition_text", actor=by, subject=petition, public=True,
           summary=f"{by.name} edited the text of “{petition.title}” (version "
                   f"{petition.version or 'not yet frozen'})")
    return petition


def _freeze(petition: Petition) -> None:
    log = signature_log.load(petition)
    petition.version += 1
    signature_log.append(petition, log, "text_version", {
        "version": petition.version, "text": petition.text,
        "at": signature_log.stamp(timezone.now()),
    })


def _locked_open(petition: Petition) -> Petition:
    current = Petition.objects.select_for_update().get(pk=petition.pk)
    if current.closed_at is not None or timezone.now() >= current.closes_at:
        raise PetitionClosed(f"“{current.title}” is closed: nothing more can be signed, "
                             "withdrawn or edited.")
    return current


@transaction.atomic
def sign_petition(petition: Petition, *, by: Member, visibility: Visibility) -> Signature:
    """Sign once; the first signature freezes the text. Returns the signature with its receipt."""
    permissions.require_active(by, "sign a petition")
    petition = _locked_open(petition)
    if Signature.objects.filter(petition=petition, member=by, withdrawn_at__isnull=True,
                                version=max(petition.version, 1)).exists():
        raise PetitionError("You have already signed this petition.")
    if not petition.version:
        _freeze(petition)
        petition.save(update_fields=["version"])
    log = signature_log.load(petition)
    receipt = secrets.token_hex(8)
    now = timezone.now()
    body = {"receipt": receipt, "pseudonym": signature_log.pseudonym(petition, by.pk),
            "visibility": str(visibility), "version": petition.version,
            "at": signature_log.stamp(now)}
    if visibility == Visibility.PUBLIC:
        body["name"] = by.name
    try:
        signature_log.append(petition, log, "signature", body)
    except RecordError as error:
        raise PetitionError(f"The signature log refused this signature: {error.reason}") from None
    signature = Signature.objects.create(petition=petition, member=by, version=petition.version,
                                         visibility=visibility, receipt=receipt, signed_at=now)
    record("sign_petition", actor=None, subject=petition,
           summary=f"A signature was added to “{petition.title}” (receipt {receipt})")
    _note_thresholds(petition, log)
    discussion.follow(by, petition)
    return signature


def _note_thresholds(petition: Petition, log: signature_log.PetitionLog) -> None:
    for name, target in petition.thresholds.items():
        if name in log.state.reached or log.state.count < target:
            continue
        now = timezone.now()
        signature_log.append(petition, log, "threshold_reached", {
            "threshold": name, "target": target, "count": log.state.count,
            "at": signature_log.stamp(now)})
        ThresholdReached.objects.create(petition=petition, threshold=name, reached_at=now,
                                        count=log.state.count)
        record("threshold_reached", actor=None, subject=petition, public=True,
               summary=f"“{petition.title}” reached its {name} threshold of {target}")
        if name == "answer":
            _start_answer_duty(petition, now)
        elif name == "ballot":
            forced_ballot.owe_ballot(petition, now)
        elif name == "call_in":
            call_in.call_in(petition, log.state.count, now)


def _start_answer_duty(petition: Petition, now: datetime.datetime) -> None:
    petition.answer_due = now + datetime.timedelta(days=petition.answer_days)
    petition.save(update_fields=["answer_due"])
    notices.answer_due(petition)


@transaction.atomic
def record_answer(petition: Petition, *, by: Member, text: str) -> Petition:
    """The committee's recorded answer: closes its answer duty; shown on the petition."""
    permissions.require_committee_member(by, petition.committee)
    text = text.strip()
    if not text:
        raise PetitionError("An answer needs a text.")
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.answered_at is not None:
        raise PetitionError("The committee has already answered this petition.")
    petition.answer_text, petition.answered_at, petition.answered_by = text, timezone.now(), by
    petition.save(update_fields=["answer_text", "answered_at", "answered_by"])
    record("record_answer", actor=by, subject=petition, public=True,
           summary=f"{petition.committee.name} answered “{petition.title}”")
    return petition


@transaction.atomic
def record_case_against(petition: Petition, *, by: Member, text: str) -> Petition:
    """The addressed committee's case against a ballot petition, put beside the case for."""
    permissions.require_committee_member(by, petition.committee, "state its case against")
    text = text.strip()
    if not text:
        raise PetitionError("The case against needs a text.")
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.kind != Kind.BALLOT_PETITION:
        raise PetitionError("Only a petition for a member ballot has a case against.")
    if petition.forced_ballot_id is not None:
        raise PetitionError("The forced ballot is already drafted; its case against is fixed.")
    petition.case_against = text
    petition.save(update_fields=["case_against"])
    record("record_case_against", actor=by, subject=petition, public=True,
           summary=f"{petition.committee.name} stated its case against “{petition.title}”")
    return petition


def overdue_ballots(now: datetime.datetime | None = None) -> list[Petition]:
    """Petitions whose forced ballot has not opened by its deadline."""
    moment = now or timezone.now()
    owed = Petition.objects.filter(ballot_due__lt=moment, hidden_reason="").select_related(
        "forced_ballot", "committee")
    return [petition for petition in owed if petition.ballot_overdue(moment)]


def overdue_answers(now: datetime.datetime | None = None) -> list[Petition]:
    """Petitions whose committee answer is overdue (for the petition, committee and home pages)."""
    moment = now or timezone.now()
    return list(Petition.objects.filter(answer_due__lt=moment, answered_at__isnull=True,
                                        hidden_reason=""))


@transaction.atomic
def withdraw_signature(petition: Petition, *, by: Member) -> Signature:
    """Withdraw one's own live signature, until the petition closes."""
    petition = _locked_open(petition)
    signature = Signature.objects.filter(petition=petition, member=by, version=petition.version,
                                         withdrawn_at__isnull=True).first()
    if signature is None:
        raise PetitionError("You have no signature on this petition to withdraw.")
    log = signature_log.load(petition)
    now = timezone.now()
    signature_log.append(petition, log, "withdrawal", {
        "receipt": signature.receipt, "pseudonym": signature_log.pseudonym(petition, by.pk),
        "at": signature_log.stamp(now)})
    signature.withdrawn_at = now
    signature.save(update_fields=["withdrawn_at"])
    record("withdraw_signature", actor=None, subject=petition,
           summary=f"A signature was withdrawn from “{petition.title}”")
    return signature


@transaction.atomic
def close_petition(petition: Petition, *, by: Member | None) -> Petition:
    """Close the log with its final count (at the closing time, by the schedule or a person)."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.closed_at is not None:
        raise PetitionClosed(f"“{petition.title}” is already closed.")
    log = signature_log.load(petition)
    now = timezone.now()
    signature_log.append(petition, log, "close", {"count": log.state.count,
                                                  "at": signature_log.stamp(now)})
    petition.closed_at = now
    petition.save(update_fields=["closed_at"])
    record("close_petition", actor=by, subject=petition, public=True,
           summary=f"“{petition.title}” closed with {log.state.count} signatures")
    return petition


def close_due_petitions(now: datetime.datetime | None = None) -> list[Petition]:
    """Closes every petition whose closing time has passed, each in its own transaction."""
    moment = now or timezone.now()
    due = Petition.objects.filter(closed_at__isnull=True, closes_at__lte=moment)
    closed = []
    for petition in due.order_by("closes_at", "pk"):
        try:
            closed.append(close_petition(petition, by=None))
        except PetitionClosed:  # another round closed it meanwhile
            continue
    return closed


def close_round(now: datetime.datetime) -> list[str]:
    """The schedule's step: petitions close at their closing time, with their final count."""
    return [f"Petition “{petition.title}” closed at its closing time."
            for petition in close_due_petitions(now)]


@transaction.atomic
def hide_petition(petition: Petition, *, by: Member, reason: str) -> Petition:
    """An organiser hides an abusive petition, only with a reason that is published."""
    permissions.require_organiser(by, "hide a petition")
    reason = reason.strip()
    if not reason:
        raise PetitionError("Hiding a petition needs a reason; it is published.")
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    petition.hidden_reason = reason
    petition.save(update_fields=["hidden_reason"])
    record("hide_petition", actor=by, subject=petition, public=True,
           summary=f"{by.name} hid “{petition.title}” as abusive: {reason}")
    return petition


def progress(petition: Petition) -> list[Progress]:
    """Progress toward each threshold, counted from the signature log."""
    count = signature_log.load(petition).state.count
    return [Progress(name, count, target) for name, target in petition.thresholds.items()]
