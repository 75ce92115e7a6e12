"""A member's own page, cancelling, asking to rejoin, and organisers deciding."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from omov.audit.models import AuditEvent
from omov.members import actions
from omov.members.errors import MemberActionError
from omov.members.models import Member, RejoinRequest, Status, StatusChange

from .helpers import client_for, days_ago, member, organiser
from .rendered_form import submitted_as_rendered


def history_of(person: Member) -> list[tuple[str, str]]:
    changes = StatusChange.objects.filter(member=person).order_by("effective_on", "id")
    return [(change.from_status, change.to_status) for change in changes]


def test_member_page_shows_their_own_status_history() -> None:
    sam = member(joined_days_ago=400, status=Status.LAPSED)
    page = client_for(sam).get(reverse("members:me")).content.decode()
    assert "joined as active" in page
    assert "active → lapsed" in page


def test_member_cancels_with_a_reason_and_the_history_keeps_it() -> None:
    sam = member()
    client = client_for(sam)
    response = client.post(
        reverse("members:cancel"), {"reason": "I disagree with the decision", "confirm": "on"}
    )
    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.status == Status.CANCELLED
    assert history_of(sam) == [("", "active"), ("active", "cancelled")]
    last = StatusChange.objects.filter(member=sam).last()
    assert last is not None and last.reason == "I disagree with the decision"
    assert last.recorded_by == sam
    assert "cancelled" in client.get(reverse("members:me")).content.decode()


def test_cancelling_needs_a_reason_and_confirmation() -> None:
    sam = member()
    response = client_for(sam).post(reverse("members:cancel"), {"reason": ""})
    assert response.status_code == 400
    sam.refresh_from_db()
    assert sam.status == Status.ACTIVE


def test_cancel_then_rejoin_keeps_the_whole_history() -> None:
    sam, priya = member(), organiser()
    sam_client = client_for(sam)
    sam_client.post(reverse("members:cancel"), {"reason": "protest", "confirm": "on"})
    sam_client.post(reverse("members:rejoin"), {"message": "I want to vote"})
    request = RejoinRequest.objects.get(member=sam)
    assert request.outcome == RejoinRequest.Outcome.PENDING

    organiser_client = client_for(priya)
    assert "I want to vote" in organiser_client.get(
        reverse("members:rejoin_requests")
    ).content.decode()
    organiser_client.post(reverse("members:decide_rejoin", args=[request.pk, "approve"]))

    sam.refresh_from_db()
    request.refresh_from_db()
    assert sam.status == Status.ACTIVE
    assert request.outcome == RejoinRequest.Outcome.APPROVED and request.decided_by == priya
    assert history_of(sam) == [("", "active"), ("active", "cancelled"), ("cancelled", "active")]
    assert Member.objects.filter(pk=sam.pk).exists()


def test_a_member_cannot_ask_to_rejoin_twice_or_while_active() -> None:
    sam = member(status=Status.CANCELLED)
    client = client_for(sam)
    client.post(reverse("members:rejoin"), {"message": ""})
    client.post(reverse("members:rejoin"), {"message": "again"})
    assert RejoinRequest.objects.filter(member=sam).count() == 1
    active = member("Jo Bloggs")
    client_for(active).post(reverse("members:rejoin"), {"message": ""})
    assert not RejoinRequest.objects.filter(member=active).exists()


def test_organiser_declines_with_a_reason_and_status_stays() -> None:
    sam = member(status=Status.LAPSED)
    client_for(sam).post(reverse("members:rejoin"), {"message": ""})
    request = RejoinRequest.objects.get(member=sam)
    client_for(organiser()).post(
        reverse("members:decide_rejoin", args=[request.pk, "decline"]),
        {"reason": "Subscription still unpaid"},
    )
    request.refresh_from_db()
    sam.refresh_from_db()
    assert request.outcome == RejoinRequest.Outcome.DECLINED
    assert sam.status == Status.LAPSED


def test_organiser_changes_a_status_and_members_can_read_it_on_the_audit_log() -> None:
    sam, priya = member(joined_days_ago=100), organiser()
    client_for(priya).post(
        reverse("members:change_status", args=[sam.membership_number]),
        {"status": "suspended", "effective_on": days_ago(2).isoformat(), "reason": "hearing"},
    )
    sam.refresh_from_db()
    assert sam.status == Status.SUSPENDED
    event = AuditEvent.objects.get(action="change_member_status")
    assert event.actor == priya and event.public
    log = client_for(member("Jo Bloggs")).get(reverse("audit:public_log")).content.decode()
    assert f"Changed member {sam.membership_number} from active to suspended" in log


def test_a_status_change_cannot_be_dated_before_the_last_one() -> None:
    sam = member(joined_days_ago=10)
    response = client_for(organiser()).post(
        reverse("members:change_status", args=[sam.membership_number]),
        {"status": "lapsed", "effective_on": days_ago(20).isoformat(), "reason": "late"},
    )
    assert response.status_code == 400
    assert "before the last recorded change" in response.content.decode()
    sam.refresh_from_db()
    assert sam.status == Status.ACTIVE


def test_sign_ins_are_audited_but_not_public() -> None:
    sam = member()
    client_for(sam)
    event = AuditEvent.objects.get(action="redeem_login_link")
    assert event.actor == sam and not event.public
    log = client_for(member("Jo Bloggs")).get(reverse("audit:public_log")).content.decode()
    assert f"Member {sam.membership_number} signed in" not in log


def test_an_email_or_number_already_on_the_roll_cannot_be_added_again() -> None:
    sam = member(email="sam@example.org")
    with pytest.raises(MemberActionError, match="already on the roll"):
        actions.add_member(membership_number="NEW", name="Sam Two", email="SAM@example.org",
                           local_group=None, joined_on=days_ago(1), by=None)
    with pytest.raises(MemberActionError, match="already on the roll"):
        actions.add_member(membership_number=sam.membership_number, name="Sam Three",
                           email="other@example.org", local_group=None, joined_on=days_ago(1),
                           by=None)


def test_the_date_fields_show_today_in_the_form_a_browser_keeps() -> None:
    """A date input drops a value such as "02/12/2026": the status change and the new
    member's joining day start at today, in ISO form, and go through as shown."""
    sam, priya = member(joined_days_ago=100), organiser()
    client = client_for(priya)
    url = reverse("members:change_status", args=[sam.membership_number])
    page = client.get(reverse("members:member_detail", args=[sam.membership_number]))
    fields = submitted_as_rendered(page.content.decode(), url)
    assert fields["effective_on"] == timezone.localdate().isoformat()
    client.post(url, {**fields, "status": "suspended", "reason": "hearing"})
    sam.refresh_from_db()
    assert sam.status == Status.SUSPENDED
    add = client.get(reverse("members:add")).content.decode()
    assert submitted_as_rendered(add)["joined_on"] == timezone.localdate().isoformat()
