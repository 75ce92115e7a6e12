"""The election pages: members nominate, accept, support and withdraw through the forms;
organisers rule with a published reason; each page says who may use it."""

from __future__ import annotations

import re

from django.urls import reverse

from omov.audit.models import AuditEvent
from omov.elections.models import Nomination, Ruling, Support
from omov.web.times import human_time

from .election_helpers import election, post
from .helpers import client_for, member, organiser


def test_a_member_nominates_another_who_accepts_with_a_statement_through_the_forms() -> None:
    of = election()
    the_post = post(of, words=10)
    nominator, nominee = member("Form Nominator"), member("Form Nominee")
    url = reverse("elections:nominate", args=[of.slug, the_post.pk])
    response = client_for(nominator).post(url, {"nominee": nominee.membership_number})
    nomination = Nomination.objects.get(nominee=nominee)
    assert response.status_code == 302
    assert response["Location"] == reverse("elections:nomination", args=[nomination.pk])
    page = client_for(nominee).get(response["Location"]).content.decode()
    assert "Accept the nomination" in page and "At most 10 words" in page
    own = client_for(nominee)
    own.post(reverse("elections:accept", args=[nomination.pk]),
             {"statement": "one two three four five six seven eight nine ten eleven"})
    nomination.refresh_from_db()
    assert nomination.accepted_at is None
    response = own.post(reverse("elections:accept", args=[nomination.pk]),
                        {"statement": "I will report back every month."}, follow=True)
    assert "You have accepted the nomination." in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.accepted_at is not None


def test_the_nominate_form_says_when_no_one_has_that_number() -> None:
    of = election()
    the_post = post(of)
    response = client_for(member("Typo Member")).post(
        reverse("elections:nominate", args=[of.slug, the_post.pk]), {"nominee": "X99999"})
    assert "No one on the roll has the email address or membership number X99999" in (
        response.content.decode())
    assert not Nomination.objects.exists()


def test_support_once_per_post_through_the_post_page() -> None:
    of = election()
    the_post = post(of)
    a, b = member("Page One"), member("Page Two")
    first = Nomination.objects.create(post=the_post, nominee=a, nominated_by=a,
                                      nominated_at=of.nominations_open_at,
                                      accepted_at=of.nominations_open_at)
    second = Nomination.objects.create(post=the_post, nominee=b, nominated_by=b,
                                       nominated_at=of.nominations_open_at,
                                       accepted_at=of.nominations_open_at)
    supporter = client_for(member("Page Supporter"))
    supporter.post(reverse("elections:support", args=[first.pk]))
    response = supporter.post(reverse("elections:support", args=[second.pk]), follow=True)
    page = response.content.decode()
    assert "already supports Page One for North region seats" in page
    assert "You support the nomination of Page One for this post." in page
    assert Support.objects.filter(nomination=second).count() == 0


def test_an_organiser_rules_and_the_reason_and_time_are_published_on_the_post_page() -> None:
    of = election()
    the_post = post(of, supporters=0, groups=0)
    nominee = member("Ruled Candidate")
    client_for(nominee).post(reverse("elections:nominate", args=[of.slug, the_post.pk]),
                             {"statement": "Hello members."})
    nomination = Nomination.objects.get()
    plain = client_for(member("Plain Member"))
    assert plain.post(reverse("elections:rule", args=[nomination.pk]),
                      {"valid": "valid", "reason": "x"}).status_code == 403
    boss = client_for(organiser())
    boss.post(reverse("elections:rule", args=[nomination.pk]),
              {"valid": "invalid", "reason": "Not a member of the North region."})
    nomination.refresh_from_db()
    assert nomination.ruling == Ruling.INVALID
    page = plain.get(reverse("elections:post", args=[of.slug, the_post.pk])).content.decode()
    assert "Invalid: Not a member of the North region." in page
    assert human_time(nomination.ruled_at) in page  # type: ignore[arg-type]
    assert "Hello members." in page
    assert "Organisers: rule" not in page


def test_each_nominations_ruling_buttons_have_their_own_ids_on_the_post_page() -> None:
    """A label of one nomination's ruling must not check another nomination's radio."""
    of = election()
    the_post = post(of, supporters=0, groups=0)
    made = []
    for name in ("Ruling One", "Ruling Two"):
        nominee = member(name)
        made.append(Nomination.objects.create(post=the_post, nominee=nominee,
                                              nominated_by=nominee,
                                              nominated_at=of.nominations_open_at,
                                              accepted_at=of.nominations_open_at))
    page = client_for(organiser()).get(
        reverse("elections:post", args=[of.slug, the_post.pk])).content.decode()
    ids = re.findall(r'<input type="radio" name="valid"[^>]* id="([^"]+)"', page)
    assert len(ids) == 4 and len(set(ids)) == 4, ids
    for nomination in made:
        for value in ("valid", "invalid"):
            assert f'<label for="ruling-{nomination.pk}-{value}">' in page


def test_withdrawal_through_the_nomination_page() -> None:
    of = election()
    the_post = post(of)
    nominee = member("Page Withdrawer")
    own = client_for(nominee)
    own.post(reverse("elections:nominate", args=[of.slug, the_post.pk]), {})
    nomination = Nomination.objects.get()
    assert client_for(member("Stranger")).post(
        reverse("elections:withdraw", args=[nomination.pk]), follow=True
    ).content.decode().count("Only Page Withdrawer, the nominee, may withdraw")
    own.post(reverse("elections:withdraw", args=[nomination.pk]))
    nomination.refresh_from_db()
    assert nomination.withdrawn_at is not None
    assert AuditEvent.objects.filter(action="withdraw_nomination", actor=nominee).exists()


def test_a_candidate_declares_a_slate_and_another_joins_it_through_the_form() -> None:
    of = election()
    the_post = post(of)
    a, b = member("Slate Founder"), member("Slate Joiner")
    for person in (a, b):
        client_for(person).post(reverse("elections:nominate", args=[of.slug, the_post.pk]), {})
    first, second = Nomination.objects.get(nominee=a), Nomination.objects.get(nominee=b)
    client_for(a).post(reverse("elections:slate", args=[first.pk]), {"new_slate": "Renewal"})
    first.refresh_from_db()
    assert first.slate is not None
    client_for(b).post(reverse("elections:slate", args=[second.pk]),
                       {"slate": str(first.slate.pk)})
    second.refresh_from_db()
    assert second.slate == first.slate
    page = client_for(b).get(reverse("elections:detail", args=[of.slug])).content.decode()
    assert "Renewal" in page and "Slate Joiner for North region seats" in page


def test_anyone_reads_the_list_election_and_post_pages() -> None:
    of = election()
    the_post = post(of)
    from django.test import Client

    anonymous = Client()
    assert of.title in anonymous.get(reverse("elections:list")).content.decode()
    page = anonymous.get(reverse("elections:detail", args=[of.slug])).content.decode()
    assert of.lot_commitment in page and of.lot_seed not in page
    assert human_time(of.nominations_close_at) in page
    assert anonymous.get(reverse("elections:post", args=[of.slug, the_post.pk])).status_code == 200
    assert anonymous.get(reverse("elections:nominate", args=[of.slug, the_post.pk])
                         ).status_code == 302


def test_organiser_pages_are_for_organisers() -> None:
    of = election()
    plain = client_for(member("Not An Organiser"))
    assert plain.get(reverse("elections:make_ballot", args=[of.slug])).status_code == 403
    assert plain.post(reverse("elections:close", args=[of.slug])).status_code == 403
    boss = client_for(organiser())
    response = boss.post(reverse("elections:close", args=[of.slug]), follow=True)
    assert "Nominations close at" in response.content.decode()
