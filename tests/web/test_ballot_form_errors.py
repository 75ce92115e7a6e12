"""The draft and question forms show every error at once and refuse impossible times."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from omov.ballots.models import Ballot

from .ballot_forms import ballot_form, local
from .helpers import client_for, organiser
from .test_ballots_helpers import Election, drafted


def _errors(page: str) -> list[str]:
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', page, re.S)


def test_four_mistakes_are_shown_together_in_one_round() -> None:
    client = client_for(organiser())
    response = client.post(reverse("ballots:create"), ballot_form(
        opens_at=local(-1), closes_at=local(-2), threshold="5",
        authority_email="nobody@example.org",
    ))
    page = response.content.decode()
    assert response.status_code == 200
    assert "has passed: choose a time from now on" in page
    assert "must close after it opens" in page
    assert "between 1 and the number of trustees (2)" in page
    assert ("No one on the roll has the email address or membership number "
            "nobody@example.org") in page
    assert len(_errors(page)) == 4
    assert not Ballot.objects.exists()


def test_a_field_that_does_not_parse_is_shown_with_the_others() -> None:
    client = client_for(organiser())
    page = client.post(reverse("ballots:create"), ballot_form(
        opens_at="tomorrow", threshold="9", slug="",
    )).content.decode()
    assert "Enter a valid date/time" in page
    assert "between 1 and the number of trustees (2)" in page
    assert "This field is required" in page


def test_an_opening_time_in_the_past_is_refused_in_words_not_iso() -> None:
    client = client_for(organiser())
    page = client.post(reverse("ballots:create"),
                       ballot_form(opens_at=local(-0.01))).content.decode()
    (error,) = _errors(page)
    assert "has passed" in error
    assert re.search(r"The opening time \w{3} \d+ \w{3} \d{4}, \d\d:\d\d (GMT|BST) has", error)
    assert not re.search(r"\d{4}-\d\d-\d\dT", error)
    assert not Ballot.objects.exists()


def test_a_cut_off_after_voting_opens_or_closes_is_refused() -> None:
    client = client_for(organiser())
    after_close = str(timezone.localdate() + datetime.timedelta(days=5))
    page = client.post(reverse("ballots:create"),
                       ballot_form(cut_off=after_close)).content.decode()
    assert "is after the opening day" in page
    assert not Ballot.objects.exists()
    on_opening_day = str(timezone.localdate(timezone.now() + datetime.timedelta(days=1)))
    response = client.post(reverse("ballots:create"), ballot_form(cut_off=on_opening_day))
    assert response.status_code == 302


def test_every_question_error_at_once() -> None:
    election = drafted()
    client = client_for(election.organiser)
    page = client.post(reverse("ballots:add_question", args=[election.ballot.slug]), {
        "kind": "choose", "text": "  ", "options": "Same\nSame", "minimum": "3", "maximum": "1",
    }).content.decode()
    assert "Write the question." in page or "This field is required" in page
    assert "Each option must be different." in page
    assert "Choose needs" in page
    assert election.ballot.questions.count() == 1


def _add(election: Election, **form: str) -> str:
    client = client_for(election.organiser)
    return client.post(reverse("ballots:add_question", args=[election.ballot.slug]),
                       {"text": "Elect three delegates", **form}).content.decode()


def test_a_block_vote_without_its_number_of_seats_is_refused_not_saved_as_one_seat() -> None:
    election = drafted()
    page = _add(election, kind="block", options="Ann\nBo\nCy\nDi\nEd", maximum="")
    assert "Give the number of seats." in page
    assert election.ballot.questions.count() == 1
    _add(election, kind="block", options="Ann\nBo\nCy\nDi\nEd", maximum="3")
    question = election.ballot.questions.get(position=1)
    assert (question.min_choices, question.max_choices) == (0, 3)


def test_choose_needs_both_bounds_and_other_kinds_refuse_bounds_they_ignore() -> None:
    election = drafted()
    page = _add(election, kind="choose", options="A\nB\nC", maximum="2")
    assert "Give the fewest options a voter must choose" in page
    page = _add(election, kind="yes_no", maximum="2", options="Maybe")
    assert "has no maximum: leave this empty" in page
    assert "has fixed options: leave this empty" in page
    page = _add(election, kind="approval", options="A\nB", minimum="1")
    assert "has no minimum: leave this empty" in page
    assert election.ballot.questions.count() == 1


def test_the_question_form_says_what_each_kind_means_and_prefills_nothing() -> None:
    election = drafted()
    page = client_for(election.organiser).get(
        reverse("ballots:add_question", args=[election.ballot.slug])).content.decode()
    assert "the candidates with the most votes fill the seats" in page
    assert "Each voter answers Yes, No or Abstain" in page
    assert "number of seats (3 for “Elect three…”)" in page
    assert re.search(r'name="maximum"[^>]*value=', page) is None
    assert re.search(r'name="minimum"[^>]*value=', page) is None
