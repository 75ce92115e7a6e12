"""The secretary records minutes, their approval and corrections from pages; members read
them on the meeting's page, the decision's page and the register; all are register entries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from omov.audit.models import AuditEvent
from omov.committees import actions
from omov.committees.models import Correction, Meeting, RegisterEntry
from omov.committees.register import register_lines
from omov.record.register import verify_register_lines
from omov.web.times import human_date

from .committee_helpers import National, national, present
from .helpers import client_for, days_ago, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def nc() -> National:
    return national()


def _meeting(nc: National, days: int) -> Meeting:
    return actions.record_meeting(
        nc.committee, kind="full", held_on=days_ago(days), notice_sent_on=None,
        attendance=present(nc.seats[:8]), actor=nc.secretary)


def test_the_secretary_records_and_approves_minutes_that_members_read(nc: National) -> None:
    earlier, later = _meeting(nc, 30), _meeting(nc, 2)
    url = reverse("committees:record_minutes", args=[earlier.pk])
    reader = client_for(member("Rank And File"))
    assert reader.get(url).status_code == 403
    assert reader.post(url, {"text": "Forged minutes"}).status_code == 403
    seat = client_for(nc.seats[4])
    assert seat.post(url, {"text": "A committee member is not the secretary"}).status_code == 403

    secretary = client_for(nc.secretary)
    meeting_page = secretary.get(reverse("committees:meeting", args=[earlier.pk])).content
    assert url in meeting_page.decode()
    empty = secretary.post(url, {"text": "   "})
    assert empty.status_code == 400 and "The minutes are empty." in empty.content.decode()
    entries = RegisterEntry.objects.count()
    assert secretary.post(url, {"text": "1. Apologies.\n2. The endorsement."}).status_code == 302
    assert RegisterEntry.objects.count() == entries + 1
    page = reader.get(reverse("committees:meeting", args=[earlier.pk])).content.decode()
    assert "1. Apologies.<br>2. The endorsement." in page and "Not yet approved." in page
    assert url not in page

    form = secretary.get(url).content.decode()
    assert "Approved at the meeting of" in form
    assert f'<option value="{later.pk}">' in form
    assert f'<option value="{earlier.pk}">' not in form  # not approved at itself
    refused = secretary.post(url, {"approve": "1", "at": earlier.pk})
    assert "Choose the later meeting" in refused.content.decode()
    assert secretary.post(url, {"approve": "1", "at": later.pk}).status_code == 302
    earlier.refresh_from_db()
    assert earlier.minutes_approved_at == later
    page = reader.get(reverse("committees:meeting", args=[earlier.pk])).content.decode()
    assert f"Approved at the meeting of {human_date(later.held_on)}." in page
    register = reader.get(reverse("committees:committee", args=[nc.committee.slug]))
    assert f"minutes approved {human_date(later.held_on)}" in register.content.decode()
    assert "no minutes yet" in register.content.decode()  # the later meeting's
    kinds = list(RegisterEntry.objects.filter(committee=nc.committee).values_list("kind",
                                                                                  flat=True))
    assert kinds.count("minutes") == 1 and kinds.count("minutes_approved") == 1
    assert AuditEvent.objects.filter(action__in=("record_minutes", "approve_minutes")).count() == 2
    assert verify_register_lines(register_lines(nc.committee)).ok


def test_the_secretary_corrects_an_entry_and_members_see_it_everywhere(nc: National) -> None:
    held = _meeting(nc, 5)
    decision = actions.record_decision(held, text="Adopt the budget", kind="financial",
                                       effective_on=days_ago(0), actor=nc.secretary)
    url = reverse("committees:record_correction", args=[nc.committee.slug])
    reader = client_for(member("Rank And File"))
    assert reader.get(url).status_code == 403
    assert reader.post(url, {"corrects": held.entry.index, "text": "x"}).status_code == 403
    assert not Correction.objects.exists()

    secretary = client_for(nc.secretary)
    form = secretary.get(f"{url}?entry={held.entry.index}").content.decode()
    assert f'<option value="{held.entry.index}" selected>' in form
    assert "Entry 1, meeting:" in form and "Adopt the budget" in form
    for bad, message in (({"corrects": "", "text": "x"}, "Choose the register entry"),
                         ({"corrects": "99", "text": "x"}, "has no entry 99 to correct"),
                         ({"corrects": held.entry.index, "text": " "}, "Say what the correction")):
        response = secretary.post(url, bad)
        assert response.status_code == 400 and message in response.content.decode(), message
    assert not Correction.objects.exists()

    response = secretary.post(url, {"corrects": held.entry.index,
                                    "text": "Hal Member sent apologies; he was not absent."})
    assert response["Location"] == reverse("committees:meeting", args=[held.pk])
    response = secretary.post(url, {"corrects": decision.entry.index,
                                    "text": "The budget is the revised one of 3 March."})
    assert response["Location"] == reverse("committees:meeting", args=[held.pk])
    first, second = Correction.objects.order_by("entry__index")

    meeting_page = reader.get(reverse("committees:meeting", args=[held.pk])).content.decode()
    assert f"Register entry {first.entry.index} corrects entry {held.entry.index}, meeting" in (
        meeting_page)
    assert "Hal Member sent apologies" in meeting_page and "revised one of 3 March" in meeting_page
    decision_page = reader.get(reverse("committees:decision", args=[decision.pk])).content
    assert "revised one of 3 March" in decision_page.decode()
    assert "Hal Member sent apologies" not in decision_page.decode()
    register = reader.get(reverse("committees:committee", args=[nc.committee.slug])).content
    assert f"Entry {second.entry.index} corrects entry {decision.entry.index}, decision" in (
        register.decode())
    report = verify_register_lines(register_lines(nc.committee))
    assert report.ok, report.render()
    assert AuditEvent.objects.filter(action="correct_entry").count() == 2
