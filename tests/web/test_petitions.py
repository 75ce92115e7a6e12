"""Petitions: starting, signing once, withdrawing, thresholds, closing, hiding; the log agrees."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from omov.audit.models import AuditEvent
from omov.members.models import Status
from omov.organisation import actions as organisation_actions
from omov.organisation.models import Committee
from omov.petitions import actions, signature_log
from omov.petitions.errors import NotAllowed, PetitionClosed, PetitionError
from omov.petitions.models import Kind, LogEntry, Petition, Signature, Visibility
from omov.petitions.thresholds import Progress
from omov.record.petition import verify_petition_lines

from .helpers import days_ago, member, organiser

pytestmark = pytest.mark.django_db


def _petition(threshold: int = 3, **changes: object) -> Petition:
    committee = (Committee.objects.filter(name="National committee").first()
                 or organisation_actions.create_committee("National committee", by=None))
    fields: dict[str, object] = {
        "by": member("Asha Camden"), "kind": Kind.OPEN_LETTER, "title": "Reverse it",
        "text": "We ask the committee to reverse its decision.", "committee": committee,
        "thresholds": {"answer": threshold}, "roll_date": days_ago(1), "denominator": 60,
        "closes_at": timezone.now() + datetime.timedelta(days=14),
    }
    fields.update(changes)
    return actions.start_petition(**fields)  # type: ignore[arg-type]


def _count(petition: Petition) -> int:
    return signature_log.load(petition).state.count


def test_signing_freezes_the_text_and_the_count_comes_from_the_log() -> None:
    petition = _petition()
    signature = actions.sign_petition(petition, by=member("Ben"), visibility=Visibility.COUNTED)
    petition.refresh_from_db()
    assert petition.version == 1
    assert _count(petition) == 1
    assert len(signature.receipt) == 16
    log = signature_log.load(petition)
    assert log.state.find_receipt(signature.receipt) is not None
    assert verify_petition_lines(signature_log.download(petition).splitlines()).ok


def test_a_second_signature_is_refused_and_nothing_changes() -> None:
    petition = _petition()
    ben = member("Ben")
    actions.sign_petition(petition, by=ben, visibility=Visibility.PUBLIC)
    entries = LogEntry.objects.count()
    with pytest.raises(PetitionError, match="already signed"):
        actions.sign_petition(petition, by=ben, visibility=Visibility.COUNTED)
    assert LogEntry.objects.count() == entries
    assert _count(petition) == 1


def test_only_active_members_sign() -> None:
    petition = _petition()
    lapsed = member("Lou", status=Status.LAPSED)
    with pytest.raises(NotAllowed, match="active members"):
        actions.sign_petition(petition, by=lapsed, visibility=Visibility.COUNTED)
    assert _count(petition) == 0


def test_withdraw_then_sign_again_and_nothing_after_close() -> None:
    petition = _petition()
    ben = member("Ben")
    actions.sign_petition(petition, by=ben, visibility=Visibility.MEMBERS)
    actions.withdraw_signature(petition, by=ben)
    assert _count(petition) == 0
    actions.sign_petition(petition, by=ben, visibility=Visibility.MEMBERS)
    assert _count(petition) == 1
    actions.close_petition(petition, by=None)
    entries = LogEntry.objects.count()
    with pytest.raises(PetitionClosed, match="closed"):
        actions.sign_petition(petition, by=member("Cat"), visibility=Visibility.COUNTED)
    with pytest.raises(PetitionClosed):
        actions.withdraw_signature(petition, by=ben)
    assert LogEntry.objects.count() == entries
    assert verify_petition_lines(signature_log.download(petition).splitlines()).ok


def test_threshold_is_reached_exactly_at_the_target_not_one_below() -> None:
    petition = _petition(threshold=3)
    for name in ("A", "B"):
        actions.sign_petition(petition, by=member(name), visibility=Visibility.COUNTED)
    assert not petition.reached.exists()
    assert actions.progress(petition) == [Progress("answer", 2, 3)]
    actions.sign_petition(petition, by=member("C"), visibility=Visibility.COUNTED)
    reached = petition.reached.get()
    assert reached.count == 3
    assert actions.progress(petition)[0].reached
    assert AuditEvent.objects.filter(action="threshold_reached").count() == 1


def test_a_new_text_version_drops_signatures() -> None:
    petition = _petition(threshold=5)
    actions.sign_petition(petition, by=member("A"), visibility=Visibility.COUNTED)
    actions.edit_text(petition, by=petition.started_by, text="Amended text.")
    petition.refresh_from_db()
    assert petition.version == 2
    assert _count(petition) == 0
    assert not Signature.objects.filter(petition=petition, withdrawn_at__isnull=True).exists()


def test_counted_signer_is_named_nowhere_in_the_log() -> None:
    petition = _petition()
    actions.sign_petition(petition, by=member("Zed Hidden"), visibility=Visibility.COUNTED)
    actions.sign_petition(petition, by=member("Yan Members"), visibility=Visibility.MEMBERS)
    actions.sign_petition(petition, by=member("Xia Public"), visibility=Visibility.PUBLIC)
    record = signature_log.download(petition)
    assert b"Zed Hidden" not in record and b"Yan Members" not in record
    assert b"Xia Public" in record
    summaries = " ".join(AuditEvent.objects.values_list("summary", flat=True))
    assert "Zed Hidden" not in summaries


def test_hiding_needs_an_organiser_and_a_published_reason() -> None:
    petition = _petition()
    with pytest.raises(NotAllowed):
        actions.hide_petition(petition, by=member("Ben"), reason="spam")
    boss = organiser()
    with pytest.raises(PetitionError, match="reason"):
        actions.hide_petition(petition, by=boss, reason="  ")
    actions.hide_petition(petition, by=boss, reason="Names a member with abuse")
    event = AuditEvent.objects.get(action="hide_petition")
    assert event.public and "abuse" in event.summary
    assert Petition.objects.filter(pk=petition.pk).exists()


def test_bad_input_when_starting() -> None:
    with pytest.raises(PetitionError, match="title"):
        _petition(title=" ")
    with pytest.raises(PetitionError, match="future"):
        _petition(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    assert not Petition.objects.exists()


def test_the_schedule_closes_petitions_at_their_closing_time_on_the_audit_log() -> None:
    from omov.ballots.actions.schedule import run_round

    due = _petition(closes_at=timezone.now() + datetime.timedelta(days=3))
    later = _petition(title="Another", closes_at=timezone.now() + datetime.timedelta(days=30))
    actions.sign_petition(due, by=member("Ben"), visibility=Visibility.PUBLIC)
    assert not [line for line in run_round(timezone.now()) if "Petition" in line]
    due.refresh_from_db()
    assert due.closed_at is None

    done = run_round(timezone.now() + datetime.timedelta(days=3, seconds=1))
    assert done.count(f"Petition “{due.title}” closed at its closing time.") == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.closed_at is not None and later.closed_at is None
    last = LogEntry.objects.filter(petition=due).order_by("-index").first()
    assert last is not None and last.kind == "close"
    assert b'"count":1' in bytes(last.line)
    event = AuditEvent.objects.get(action="close_petition")
    assert event.actor is None and event.public and "closed with 1 signatures" in event.summary
    assert verify_petition_lines(signature_log.download(due).splitlines()).ok
    assert not [line for line in run_round(timezone.now() + datetime.timedelta(days=4))
                if "Petition" in line]
    assert AuditEvent.objects.filter(action="close_petition").count() == 1
