"""Petition pages: signing over HTTP, clear refusals, and names shown only as chosen."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from omov.organisation import actions as organisation_actions
from omov.petitions import actions
from omov.petitions.models import Kind, LogEntry, Petition, Visibility
from omov.record.petition import verify_petition_lines

from .helpers import client_for, member, organiser

pytestmark = pytest.mark.django_db


def _petition() -> Petition:
    committee = organisation_actions.create_committee("National committee", by=None)
    return actions.start_petition(
        by=member("Asha"), kind=Kind.OPEN_LETTER, title="Camden's letter",
        text="Reverse it.", committee=committee, thresholds={"answer": 2},
        roll_date=timezone.now().date(), denominator=40,
        closes_at=timezone.now() + datetime.timedelta(days=10))


def test_sign_over_http_then_a_second_signature_is_refused_clearly() -> None:
    petition = _petition()
    client = client_for(member("Ben"))
    url = reverse("petitions:sign", args=[petition.slug])
    response = client.post(url, {"visibility": "counted"}, follow=True)
    assert "Your receipt code is" in response.content.decode()
    entries = LogEntry.objects.count()
    response = client.post(url, {"visibility": "public"}, follow=True)
    assert "already signed" in response.content.decode()
    assert LogEntry.objects.count() == entries
    response = client.post(url, {"visibility": "everyone"}, follow=True)
    assert "Choose how your signature is shown" in response.content.decode()


def test_names_are_shown_only_as_each_signer_chose_even_to_organisers() -> None:
    petition = _petition()
    actions.sign_petition(petition, by=member("Pat Public"), visibility=Visibility.PUBLIC)
    actions.sign_petition(petition, by=member("Mo Members"), visibility=Visibility.MEMBERS)
    actions.sign_petition(petition, by=member("Cy Counted"), visibility=Visibility.COUNTED)
    url = reverse("petitions:detail", args=[petition.slug])
    anonymous = Client().get(url).content.decode()
    assert "Pat Public" in anonymous and "Mo Members" not in anonymous
    as_organiser = client_for(organiser()).get(url).content.decode()
    assert "Pat Public" in as_organiser and "Mo Members" in as_organiser
    assert "Cy Counted" not in as_organiser
    assert "<strong>3</strong> of 2" in anonymous


def test_the_downloaded_log_verifies_and_a_receipt_is_found() -> None:
    petition = _petition()
    signature = actions.sign_petition(petition, by=member("Ben"), visibility=Visibility.COUNTED)
    body = Client().get(reverse("petitions:record", args=[petition.slug])).content
    assert verify_petition_lines(body.splitlines()).ok
    page = Client().get(reverse("petitions:detail", args=[petition.slug]),
                        {"receipt": signature.receipt}).content.decode()
    assert "Your signature is in the log and counted." in page
    page = Client().get(reverse("petitions:detail", args=[petition.slug]),
                        {"receipt": "nope"}).content.decode()
    assert "No live signature" in page


def test_signing_needs_a_signed_in_member() -> None:
    petition = _petition()
    response = Client().post(reverse("petitions:sign", args=[petition.slug]),
                             {"visibility": "counted"})
    assert response.status_code == 302
    assert LogEntry.objects.filter(kind="signature").count() == 0
