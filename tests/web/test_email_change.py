"""A member changes their own email address, confirmed by a link sent to the new one."""

from __future__ import annotations

import datetime
import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from omov.audit.models import AuditEvent
from omov.members.models import EmailChange

from .helpers import client_for, member


def _link() -> str:
    match = re.search(r"https?://[^/\s]+(/me/email/confirm/[^/\s]+/)", str(mail.outbox[-1].body))
    assert match
    return match.group(1)


def test_the_address_changes_only_when_the_link_sent_to_it_is_used() -> None:
    person = member("Sam Mover")
    client = client_for(person)
    mail.outbox.clear()
    client.post(reverse("members:change_email"), {"new_email": "sam.new@example.org"})
    assert mail.outbox[-1].to == ["sam.new@example.org"]
    person.refresh_from_db()
    assert person.email != "sam.new@example.org", "nothing changes before the link is used"
    link = _link()
    assert "Confirm the new address" in Client().get(link).content.decode()
    person.refresh_from_db()
    assert person.email != "sam.new@example.org", "opening the link changes nothing"
    assert Client().post(link).status_code == 302
    person.refresh_from_db()
    assert person.email == "sam.new@example.org"
    assert AuditEvent.objects.filter(action="confirm_email_change").exists()
    assert Client().post(link).status_code == 400, "the link works once"


def test_an_address_already_on_the_roll_or_an_old_link_is_refused() -> None:
    person, other = member("Sam One"), member("Sam Two")
    client = client_for(person)
    mail.outbox.clear()
    client.post(reverse("members:change_email"), {"new_email": other.email})
    assert not mail.outbox
    client.post(reverse("members:change_email"), {"new_email": "fresh@example.org"})
    EmailChange.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    page = Client().post(_link())
    assert page.status_code == 400 and "expired" in page.content.decode()
    person.refresh_from_db()
    assert person.email != "fresh@example.org"
