"""Drafting ballots: the organiser's pages, role checks, clear messages, frozen rules."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from omov.audit.models import AuditEvent
from omov.ballots.actions import drafting
from omov.ballots.errors import RulesFrozen
from omov.ballots.models import Ballot, BoardEntry, Phase

from .ballot_forms import ballot_form, local
from .helpers import client_for, member, organiser
from .test_ballots_helpers import drafted, published


def test_an_organiser_drafts_a_ballot_and_the_trustees_are_invited() -> None:
    client = client_for(organiser())
    mail.outbox.clear()
    response = client.post(reverse("ballots:create"), ballot_form())
    assert response.status_code == 302
    ballot = Ballot.objects.get(slug="reverse-withdrawal")
    assert ballot.phase == Phase.DRAFT
    assert [t.name for t in ballot.trustees.all()] == ["North", "South"]
    subjects = [message.subject for message in mail.outbox]
    assert any("trustee 1" in subject for subject in subjects)
    assert any("credential authority" in subject for subject in subjects)
    assert all("/sign-in/link/" in message.body for message in mail.outbox)
    assert AuditEvent.objects.filter(action="create_ballot", public=True).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"closes_at": local(0.5)}, "must close after it opens"),
        ({"threshold": "3"}, "between 1 and the number of trustees (2)"),
        ({"trustees": "North without an email"}, "should be “name, email”"),
        ({"trustees": "North, nobody@example.org", "threshold": "1"}, "No one on the roll has"),
        ({"opens_at": "tomorrow"}, "Enter a valid date/time"),
        ({"title": "Reverse\nthe withdrawal?"}, "Keep this on one line"),
        ({"title": "Reverse\r\nthe withdrawal?"}, "Keep this on one line"),
        ({"authority_name": "Independent\nscrutineer"}, "Keep this on one line"),
        ({"trustees": "N" * 201 + ", ann@example.org"}, "at most 200 characters (this has 201)"),
        ({"trustees": "North\x07, ann@example.org"}, "Keep this on one line"),
    ],
)
def test_bad_ballot_input_gets_a_clear_message(changes: dict[str, str], message: str) -> None:
    client = client_for(organiser())
    response = client.post(reverse("ballots:create"), ballot_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_member_cannot_reach_the_organiser_pages() -> None:
    election = drafted()
    client = client_for(member("Plain Member"))
    assert client.get(reverse("ballots:create")).status_code == 403
    slug = election.ballot.slug
    assert client.get(reverse("ballots:add_question", args=[slug])).status_code == 403
    assert client.post(reverse("ballots:publish", args=[election.ballot.slug])).status_code == 403
    assert client.get(reverse("ballots:detail", args=[election.ballot.slug])).status_code == 404


def test_anonymous_visitors_reach_only_public_pages() -> None:
    election = published()
    client = Client()
    slug = election.ballot.slug
    for name in ("detail", "board", "record", "results", "manifest"):
        assert client.get(reverse(f"ballots:{name}", args=[slug])).status_code == 200, name
    for name in ("booth", "trustee", "authority", "add_question"):
        response = client.get(reverse(f"ballots:{name}", args=[slug]))
        assert response.status_code == 302 and "/sign-in" in response["Location"], name
    assert client.get(reverse("ballots:create")).status_code == 302


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kind": "choose", "options": "A\nB\nC", "minimum": "2", "maximum": "1"}, "Choose needs"),
        ({"kind": "choose", "options": "Only one"}, "between 2 and 100 options"),
        ({"kind": "approval", "options": "A\nA"}, "must be different"),
        ({"kind": "block", "options": "A\nB\nC", "maximum": "3"}, "number of seats must be"),
    ],
)
def test_bad_question_input_gets_a_clear_message(form: dict[str, str], message: str) -> None:
    election = drafted()
    client = client_for(election.organiser)
    response = client.post(reverse("ballots:add_question", args=[election.ballot.slug]),
                           {"text": "Which?", **form})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_yes_no_questions_get_their_fixed_options() -> None:
    election = drafted(kinds=("yes_no", "yes_no_abstain", "choose", "approval", "block"))
    rows = [(q.kind, q.options, q.min_choices, q.max_choices)
            for q in election.ballot.questions.all()]
    assert rows[0] == ("yes_no", ["Yes", "No"], 1, 1)
    assert rows[1] == ("yes_no_abstain", ["Yes", "No", "Abstain"], 1, 1)
    assert rows[2] == ("choose", ["Ann", "Bo", "Cy", "Di"], 1, 2)
    assert rows[3] == ("approval", ["Ann", "Bo", "Cy", "Di"], 0, 4)
    assert rows[4] == ("block", ["Ann", "Bo", "Cy", "Di"], 0, 2)


def test_publishing_puts_the_manifest_on_the_board_and_freezes_the_rules() -> None:
    election = drafted()
    client = client_for(election.organiser)
    response = client.post(reverse("ballots:publish", args=[election.ballot.slug]))
    assert response.status_code == 302
    ballot = election.refresh()
    assert ballot.phase == Phase.KEY_CEREMONY
    (entry,) = BoardEntry.objects.filter(ballot=ballot)
    assert entry.kind == "manifest" and entry.index == 0
    assert ballot.electors.count() == len(election.voters) + 1 + 3 + 1  # everyone active
    with pytest.raises(RulesFrozen):
        drafting.add_question(ballot, kind="yes_no", text="Late?", case_for="", case_against="",
                              options=[], minimum=1, maximum=1, by=election.organiser)
    with pytest.raises(RulesFrozen):
        drafting.remove_question(ballot.questions.first(), by=election.organiser)  # type: ignore[arg-type]
    response = client.post(reverse("ballots:add_question", args=[ballot.slug]),
                           {"kind": "yes_no", "text": "Late?"}, follow=True)
    assert "can no longer change" in response.content.decode()
    assert ballot.questions.count() == 1


def test_the_manifest_cannot_be_published_twice_or_without_the_authority_key() -> None:
    election = drafted()
    election.ballot.authority_public_key = ""
    election.ballot.save()
    client = client_for(election.organiser)
    response = client.post(reverse("ballots:publish", args=[election.ballot.slug]), follow=True)
    assert "has not published its key" in response.content.decode()
    assert election.refresh().phase == Phase.DRAFT


def test_the_timeline_shows_where_the_ballot_is() -> None:
    election = published()
    page = Client().get(reverse("ballots:detail", args=[election.ballot.slug])).content.decode()
    assert 'aria-current="step">Key ceremony' in page
    assert "timeline-done" in page


def test_a_ballot_whose_electors_overflow_the_roll_line_is_refused_and_stays_a_draft(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The credential roll is one board line of at most 256 MiB (protocol 10); a ballot
    # with more electors than it holds could never get its codes, so it is not published.
    election = drafted()
    monkeypatch.setattr(drafting, "MAX_ROLL_CREDENTIALS", 2)
    client = client_for(election.organiser)
    page = client.post(reverse("ballots:publish", args=[election.ballot.slug]),
                       follow=True).content.decode()
    assert "members are eligible, but one ballot&#x27;s credential roll holds at most 2" in page
    ballot = election.refresh()
    assert ballot.phase == Phase.DRAFT
    assert not BoardEntry.objects.filter(ballot=ballot).exists()
    assert not ballot.electors.exists()
