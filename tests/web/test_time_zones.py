"""Times in one human format with their zone: the organisation's, or the member's own."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import zoneinfo

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from omov.audit.models import AuditEvent
from omov.web.times import human_time

from .helpers import client_for, member
from .test_ballots_helpers import published

UTC = datetime.UTC


def test_one_human_format_names_the_organisations_zone_winter_and_summer() -> None:
    assert human_time(datetime.datetime(2026, 12, 3, 14, 5, tzinfo=UTC)) == (
        "Thu 3 Dec 2026, 14:05 GMT")
    assert human_time(datetime.datetime(2026, 7, 3, 14, 5, tzinfo=UTC)) == (
        "Fri 3 Jul 2026, 15:05 BST")


@override_settings(TIME_ZONE="Europe/Berlin")
def test_the_organisations_zone_is_a_setting() -> None:
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert human_time(datetime.datetime(2026, 12, 3, 14, 5, tzinfo=UTC)).endswith(
            "15:05 CET")


def test_a_zone_that_does_not_exist_stops_the_site_with_a_clear_message() -> None:
    environment = {**os.environ, "OMOV_TIME_ZONE": "Europe/Londn"}
    result = subprocess.run(
        [sys.executable, "-c", "import omov.web.settings"], env=environment,
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode != 0
    assert "OMOV_TIME_ZONE='Europe/Londn' is not a time zone name" in result.stderr


def test_a_ballots_times_are_in_words_with_the_zone() -> None:
    election = published()
    page = client_for(election.voters[0]).get(
        reverse("ballots:detail", args=[election.ballot.slug])).content.decode()
    assert human_time(election.ballot.opens_at) in page
    assert "GMT" in page or "BST" in page


def test_a_member_sees_times_in_the_zone_they_choose() -> None:
    election = published()
    voter = election.voters[0]
    client = client_for(voter)
    response = client.post(reverse("members:time_zone"), {"time_zone": "America/New_York"})
    assert response.status_code == 302
    voter.refresh_from_db()
    assert voter.time_zone == "America/New_York"
    assert AuditEvent.objects.filter(action="set_time_zone").exists()
    page = client.get(reverse("ballots:detail", args=[election.ballot.slug])).content.decode()
    local = election.ballot.opens_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert f"{local:%H:%M} EST" in page
    others = client_for(election.voters[1]).get(
        reverse("ballots:detail", args=[election.ballot.slug])).content.decode()
    assert "EST" not in others, "each member's choice is their own"
    me = client.get(reverse("members:me")).content.decode()
    assert "the zone you chose, America/New_York" in me

    client.post(reverse("members:time_zone"), {"time_zone": ""})
    voter.refresh_from_db()
    assert voter.time_zone == ""


def test_a_made_up_zone_is_refused() -> None:
    person = member()
    client = client_for(person)
    client.post(reverse("members:time_zone"), {"time_zone": "Mars/Olympus"})
    person.refresh_from_db()
    assert person.time_zone == ""
