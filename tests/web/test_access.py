"""Who reaches which page: anonymous visitors, members, organisers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from omov.members.models import Status

from .helpers import client_for, member, organiser

PUBLIC_PAGES = ["home", "accounts:sign_in", "accounts:sign_in_sent"]
MEMBER_PAGES = ["members:me", "audit:public_log", "organisation:committees"]
ORGANISER_PAGES = [
    "members:roster",
    "members:export",
    "members:import_upload",
    "members:rejoin_requests",
    "organisation:manage_groups",
    "organisation:manage_committees",
]


@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_anonymous_visitor_reaches_public_pages(url_name: str) -> None:
    assert Client().get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", MEMBER_PAGES + ORGANISER_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(url_name: str) -> None:
    response = Client().get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in") + "?next=")


@pytest.mark.parametrize("url_name", MEMBER_PAGES)
def test_member_reaches_member_pages(url_name: str) -> None:
    assert client_for(member()).get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", ORGANISER_PAGES)
def test_member_cannot_reach_organiser_pages(url_name: str) -> None:
    assert client_for(member()).get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", ORGANISER_PAGES)
def test_organiser_reaches_organiser_pages(url_name: str) -> None:
    assert client_for(organiser()).get(reverse(url_name)).status_code == 200


def test_member_cannot_open_another_members_record() -> None:
    sam, other = member("Sam Okafor"), member("Jo Bloggs")
    client = client_for(sam)
    other_record = reverse("members:member_detail", args=[other.membership_number])
    assert client.get(other_record).status_code == 403
    page = client.get(reverse("members:me")).content.decode()
    assert "Sam Okafor" in page and "Jo Bloggs" not in page


def test_member_cannot_change_anyones_status() -> None:
    other = member("Jo Bloggs")
    response = client_for(member()).post(
        reverse("members:change_status", args=[other.membership_number]),
        {"status": "suspended", "effective_on": "2020-01-01", "reason": "x"},
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == Status.ACTIVE


def test_cancelled_member_still_reaches_their_own_page_but_is_not_in_good_standing() -> None:
    client = client_for(member(status=Status.CANCELLED))
    assert client.get(reverse("members:me")).status_code == 200
    assert "My membership" in client.get(reverse("home")).content.decode()


def test_navigation_shows_organiser_links_only_to_organisers() -> None:
    members_link = reverse("members:roster")
    assert members_link not in client_for(member()).get(reverse("home")).content.decode()
    assert members_link in client_for(organiser()).get(reverse("home")).content.decode()


def test_forms_without_a_csrf_token_are_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:sign_in"), {"email": "a@example.org"})
    assert response.status_code == 403
