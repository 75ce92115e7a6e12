"""Organisers set up an election and its posts through the pages; the rules of a post
are checked when it is added."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from omov.audit.models import AuditEvent
from omov.elections.actions import setup
from omov.elections.errors import ElectionError
from omov.elections.models import Election, Post

from .election_helpers import election, post
from .helpers import client_for, member, organiser


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_an_organiser_sets_up_an_election_and_adds_its_posts() -> None:
    boss = client_for(organiser())
    now = timezone.now()
    response = boss.post(reverse("elections:new"), {
        "title": "Officer elections", "slug": "officers-2027", "description": "",
        "nominations_open_at": _local(now + datetime.timedelta(days=1)),
        "nominations_close_at": _local(now + datetime.timedelta(days=15)),
        "candidate_order": "alphabetical"})
    assert response.status_code == 302
    assert response["Location"] == reverse("elections:add_post", args=["officers-2027"])
    response = boss.post(response["Location"], {
        "title": "Chair", "seats": "1", "method": "", "eligibility_months": "12",
        "supporters_needed": "5", "groups_needed": "2", "word_limit": "300",
        "balance_label": "", "balance_at_least": "0"})
    assert response.status_code == 302
    chair = Post.objects.get()
    assert (chair.method, chair.seats, chair.supporters_needed) == ("irv", 1, 5)
    page = boss.get(reverse("elections:add_post", args=["officers-2027"])).content.decode()
    assert "Chair: 1 seat, Instant-runoff (one seat)" in page
    election_page = boss.get(reverse("elections:detail", args=["officers-2027"])).content.decode()
    assert "Add a post" in election_page
    assert AuditEvent.objects.filter(action="create_election", public=True).exists()


def test_an_opening_time_in_the_past_is_refused_on_the_form() -> None:
    boss = client_for(organiser())
    now = timezone.now()
    response = boss.post(reverse("elections:new"), {
        "title": "Late", "slug": "late", "nominations_open_at": _local(now - datetime.timedelta(
            hours=2)), "nominations_close_at": _local(now + datetime.timedelta(days=2)),
        "candidate_order": "lot"})
    assert "has passed" in response.content.decode()
    assert not Election.objects.exists()


def test_posts_are_fixed_once_nominations_open() -> None:
    of = election()
    with pytest.raises(ElectionError, match="Posts are fixed once nominations open"):
        setup.add_post(of, title="Late post", seats=1, eligibility_months=0,
                       supporters_needed=0, groups_needed=0, word_limit=10, by=None)


@pytest.mark.parametrize(("changes", "message"), [
    ({"seats": 2, "method": "irv"}, "Instant-runoff fills one seat"),
    ({"balance_at_least": 1, "balance_label": "women", "seats": 1}, "needs an stv count"),
    ({"balance_at_least": 4, "balance_label": "women"}, "at most the post's 3 seats"),
    ({"balance_at_least": 1}, "Name the group"),
    ({"word_limit": 0}, "at least one word"),
])
def test_a_post_with_rules_that_do_not_fit_is_refused(changes: dict[str, object],
                                                      message: str) -> None:
    of = election()
    fields: dict[str, object] = {"title": "Seats", "seats": 3, "method": None,
                                 "eligibility_months": 0, "supporters_needed": 0,
                                 "groups_needed": 0, "word_limit": 10, "balance_label": "",
                                 "balance_at_least": 0}
    fields.update(changes)
    with pytest.raises(ElectionError, match=message):
        setup.add_post(of, by=None, now=of.nominations_open_at - datetime.timedelta(hours=1),
                       **fields)  # type: ignore[arg-type]


def test_setting_up_is_for_organisers() -> None:
    plain = client_for(member("Not Organiser"))
    assert plain.get(reverse("elections:new")).status_code == 403
    of = election()
    post(of)
    assert plain.post(reverse("elections:add_post", args=[of.slug]), {}).status_code == 403
