"""Committee, petition, constitution and discussion pages show times in the one human
format ("Wed 2 Dec 2026, 14:00 GMT") in the viewer's zone, and dates as "Wed 2 Dec
2026"; none shows a raw ISO time or Django's default date formats."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from omov.accounts.actions import grant_role
from omov.accounts.models import GrantedRole
from omov.committees import actions as committee_actions
from omov.constitution.actions import amend_rules
from omov.constitution.queries import rules_in_force
from omov.discussion import actions as discussion_actions
from omov.members.actions import set_time_zone
from omov.petitions import actions as petition_actions
from omov.petitions.models import Kind, Visibility
from omov.web.mail import send_email

from .committee_helpers import national, present
from .helpers import client_for, organiser

pytestmark = pytest.mark.django_db

DAY = (r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} "
       r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}")
NEW_YORK_TIME = re.compile(DAY + r", \d{2}:\d{2} E[SD]T\b")
LONDON_TIME = re.compile(DAY + r", \d{2}:\d{2} (GMT|BST)\b")
HUMAN_DAY = re.compile(DAY)
RAW = [
    re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"),  # ISO 8601
    re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September"
               r"|October|November|December) \d{4}\b"),  # Django's "j F Y"
    re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\. \d{1,2}, \d{4}\b"),
    re.compile(r"\b[ap]\.m\."),  # Django's default DATETIME_FORMAT
]


def visible_text(client: Client, url: str) -> str:
    """The page's text as a reader sees it: no tags, so no machine-readable attributes."""
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_in_words(text: str, url: str, *, shows: re.Pattern[str] | None) -> None:
    """No raw format anywhere on the page; and `shows`, the human form the page must hold."""
    for raw in RAW:
        found = raw.search(text)
        assert found is None, f"{url} shows {found.group(0)!r}" if found else ""
    if shows is not None:
        assert shows.search(text), f"{url} shows nothing like {shows.pattern}"


def test_accountability_pages_show_times_in_words_in_the_viewers_zone() -> None:
    body = national()
    seats = body.seats
    today = timezone.localdate()
    meeting = committee_actions.record_meeting(
        body.committee, kind="full", held_on=today, notice_sent_on=today - datetime.timedelta(7),
        attendance=present(seats), actor=body.secretary)
    decision = committee_actions.record_decision(
        meeting, text="Withdraw the endorsement", kind="endorsement", effective_on=today,
        actor=body.secretary)
    committee_actions.record_minutes(meeting, "All present; carried.", actor=body.secretary)
    rules = rules_in_force().to_data()
    amend_rules(rules, reason="Adopted at the annual meeting", actor=None)
    petition = petition_actions.open_petition(
        by=seats[1], kind=Kind.OPEN_LETTER, title="Restore the endorsement",
        text="Reverse the withdrawal.", committee=body.committee)
    viewer = seats[8]
    set_time_zone(viewer, "America/New_York")
    mail.outbox.clear()
    for signer in seats[2:5]:
        petition_actions.sign_petition(petition, by=signer, visibility=Visibility.COUNTED)
    petition.refresh_from_db()
    assert petition.answer_due is not None
    moderator = seats[6]
    grant_role(moderator, GrantedRole.MODERATOR, by=None)
    comment = discussion_actions.post_comment(decision, author=seats[7], body="Was it full?")
    discussion_actions.hide_comment(comment, by=moderator, reason="Off topic")

    reader = client_for(viewer)
    pages = {
        reverse("committees:committee", args=[body.committee.slug]): HUMAN_DAY,
        reverse("committees:meeting", args=[meeting.pk]): HUMAN_DAY,
        reverse("committees:decision", args=[decision.pk]): NEW_YORK_TIME,
        reverse("constitution:rules"): NEW_YORK_TIME,
        reverse("constitution:history"): NEW_YORK_TIME,
        reverse("petitions:list"): None,
        reverse("petitions:detail", args=[petition.slug]): NEW_YORK_TIME,
        reverse("discussion:comment", args=[comment.pk]): NEW_YORK_TIME,
        reverse("discussion:moderation_log"): NEW_YORK_TIME,
    }
    for url, shows in pages.items():
        assert_in_words(visible_text(reader, url), url, shows=shows)

    url = reverse("organisation:committee_detail", args=[body.committee.slug])
    assert_in_words(visible_text(client_for(organiser()), url), url, shows=HUMAN_DAY)

    notices = {m.to[0]: m for m in mail.outbox if "must answer" in m.subject}
    assert len(notices) == len(seats)
    for email, notice in notices.items():
        zone = NEW_YORK_TIME if email == viewer.email else LONDON_TIME
        assert zone.search(notice.subject) and zone.search(notice.body), notice.body


def test_the_outbox_shows_its_times_in_words(durable_outbox: None) -> None:
    send_email("someone@example.org", "A notice", "Text")
    url = reverse("outbox")
    assert_in_words(visible_text(client_for(organiser()), url), url, shows=LONDON_TIME)
