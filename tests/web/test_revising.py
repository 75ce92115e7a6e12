"""Changing a ballot before it opens: drafts are fully editable; a published ballot is
withdrawn with a reason or re-issued with new times; the pages warn in time."""

from __future__ import annotations

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from omov.audit.models import AuditEvent
from omov.ballots import simulation
from omov.ballots.models import Ballot, BoardEntry, Phase
from omov.crypto.canonical import parse_json

from .ballot_forms import local
from .helpers import client_for, member
from .rendered_form import submitted_as_rendered
from .test_ballots_helpers import drafted, opened, published


def _edit_form(ballot: Ballot, **changes: str) -> dict[str, str]:
    trustees = ballot.trustees.select_related("member").order_by("index")
    form = {
        "title": ballot.title, "description": ballot.description,
        "cut_off": str(ballot.cut_off), "local_group": "",
        "opens_at": local(1), "closes_at": local(3),
        "trustees": "\n".join(f"{t.name}, {t.member.email}" for t in trustees),
        "threshold": str(ballot.threshold), "authority_name": ballot.authority_name,
        "authority_email": ballot.authority.email,
    }
    form.update(changes)
    return form


def test_a_draft_changes_its_title_times_trustees_and_authority() -> None:
    election = drafted()
    ballot = election.ballot
    newcomer, scrutineer = member("New Trustee"), member("New Scrutineer")
    keep = ballot.trustees.select_related("member").order_by("index")[0]
    client = client_for(election.organiser)
    mail.outbox.clear()
    response = client.post(reverse("ballots:edit", args=[ballot.slug]), _edit_form(
        ballot, title="A clearer title", trustees=f"North, {keep.member.email}\n"
        f"Wales, {newcomer.email}", threshold="2", authority_email=scrutineer.email,
        slug="cannot-change",
    ))
    assert response.status_code == 302, response.content.decode()
    ballot.refresh_from_db()
    assert ballot.title == "A clearer title" and ballot.slug == election.ballot.slug
    assert [(t.name, t.member) for t in ballot.trustees.order_by("index")] == [
        ("North", keep.member), ("Wales", newcomer)]
    assert ballot.authority == scrutineer and ballot.authority_public_key == "", (
        "a new authority publishes its own key")
    invited = sorted(address for message in mail.outbox for address in message.to)
    assert invited == sorted([newcomer.email, scrutineer.email]), "only newcomers are invited"
    assert abs(ballot.opens_at - (timezone.now() + datetime.timedelta(days=1))) < (
        datetime.timedelta(minutes=2))
    assert AuditEvent.objects.filter(action="update_draft", public=True).exists()


def test_editing_a_draft_shows_every_error_at_once() -> None:
    election = drafted()
    client = client_for(election.organiser)
    page = client.post(reverse("ballots:edit", args=[election.ballot.slug]), _edit_form(
        election.ballot, opens_at=local(-1), closes_at=local(-2), threshold="9",
    )).content.decode()
    assert "has passed" in page and "must close after it opens" in page
    assert "between 1 and the number of trustees (3)" in page
    election.refresh()
    assert election.ballot.threshold == 2


def test_questions_are_edited_and_reordered_and_the_manifest_keeps_the_order() -> None:
    election = drafted(kinds=("yes_no", "choose"))
    ballot = election.ballot
    client = client_for(election.organiser)
    first, second = ballot.questions.order_by("position")
    response = client.post(reverse("ballots:edit_question", args=[ballot.slug, second.pk]), {
        "kind": "block", "text": "Elect two delegates", "options": "Ann\nBo\nCy",
        "maximum": "2",
    })
    assert response.status_code == 302
    client.post(reverse("ballots:move_question", args=[ballot.slug]),
                {"question": second.pk, "direction": "up"})
    texts = list(ballot.questions.order_by("position").values_list("text", "kind"))
    assert texts == [("Elect two delegates", "block"), (first.text, "yes_no")]
    page = client.get(reverse("ballots:detail", args=[ballot.slug])).content.decode()
    assert page.index("Elect two delegates") < page.index(first.text)
    client.post(reverse("ballots:publish", args=[ballot.slug]))
    manifest = parse_json(BoardEntry.objects.get(ballot=ballot, index=0).line)["body"]
    assert [q["text"].split("\n")[0] for q in manifest["questions"]] == [
        "Elect two delegates", first.text]
    assert AuditEvent.objects.filter(action="move_question").exists()
    assert AuditEvent.objects.filter(action="edit_question").exists()


def test_a_published_unopened_ballot_is_withdrawn_with_a_reason_members_can_read() -> None:
    election = published()
    ballot = election.ballot
    client = client_for(election.organiser)
    client.post(reverse("ballots:withdraw", args=[ballot.slug]), {"reason": ""})
    assert election.refresh().phase == Phase.KEY_CEREMONY, "a reason is required"
    client.post(reverse("ballots:withdraw", args=[ballot.slug]),
                {"reason": "The question was worded unfairly."})
    assert election.refresh().phase == Phase.WITHDRAWN
    event = AuditEvent.objects.get(action="withdraw_ballot")
    assert event.public and "worded unfairly" in event.summary
    voter = client_for(election.voters[0])
    detail = voter.get(reverse("ballots:detail", args=[ballot.slug])).content.decode()
    assert "withdrawn before it opened" in detail and "worded unfairly" in detail
    listing = voter.get(reverse("ballots:list")).content.decode()
    assert "Withdrawn before it opened" in listing
    booth = voter.get(reverse("ballots:booth", args=[ballot.slug])).content.decode()
    assert "withdrawn before it opened" in booth and "booth.js" not in booth


def test_an_open_ballot_cannot_be_withdrawn() -> None:
    election = opened()
    client = client_for(election.organiser)
    client.post(reverse("ballots:withdraw", args=[election.ballot.slug]), {"reason": "No."})
    assert election.refresh().phase == Phase.OPEN


def test_a_ballot_whose_opening_passed_in_the_ceremony_is_warned_about_and_reissued() -> None:
    election = published()
    ballot = election.ballot  # opened an hour ago, on paper; the ceremony has not run
    client = client_for(election.organiser)
    page = client.get(reverse("ballots:detail", args=[ballot.slug])).content.decode()
    assert "has passed but the trustees have not finished the key ceremony" in page
    assert "re-issue it with new times" in page
    member_page = client_for(election.voters[0]).get(
        reverse("ballots:detail", args=[ballot.slug])).content.decode()
    assert "has not finished the key ceremony" not in member_page

    mail.outbox.clear()
    response = client.post(reverse("ballots:reissue", args=[ballot.slug]), {
        "opens_at": local(2), "closes_at": local(4), "reason": "The ceremony ran late.",
    })
    assert response.status_code == 302
    fresh = Ballot.objects.get(slug=f"{ballot.slug}-r2")
    assert response["Location"] == reverse("ballots:detail", args=[fresh.slug])
    old = election.refresh()
    assert old.phase == Phase.WITHDRAWN and old.replaced_by == fresh
    assert fresh.phase == Phase.KEY_CEREMONY, "a new manifest: a new key ceremony"
    assert fresh.manifest_digest and fresh.manifest_digest != old.manifest_digest
    assert list(fresh.questions.values_list("text", flat=True)) == list(
        old.questions.values_list("text", flat=True))
    assert {t.member_id for t in fresh.trustees.all()} == {t.member_id
                                                           for t in old.trustees.all()}
    assert len([m for m in mail.outbox if "trustee" in m.subject]) == 3
    assert AuditEvent.objects.filter(action="reissue_ballot", public=True).exists()
    old_page = client.get(reverse("ballots:detail", args=[old.slug])).content.decode()
    assert "re-issued with new times" in old_page and fresh.slug in old_page
    simulation.key_ceremony(fresh, election.rng, by=election.organiser)
    assert Ballot.objects.get(pk=fresh.pk).phase == Phase.CREDENTIALS


def test_a_near_opening_warns_while_the_credentials_are_missing() -> None:
    election = published()
    ballot = election.ballot
    ballot.opens_at = timezone.now() + datetime.timedelta(hours=5, minutes=10)
    ballot.closes_at = ballot.opens_at + datetime.timedelta(days=1)
    ballot.save()
    simulation.key_ceremony(ballot, election.rng, by=election.organiser)
    page = client_for(election.organiser).get(
        reverse("ballots:detail", args=[ballot.slug])).content.decode()
    assert "opens in 5 hours" in page
    assert "the credential authority has not issued the credentials" in page


def test_the_draft_form_as_shown_saves_unchanged_but_for_the_new_title() -> None:
    """The cut-off date is shown in the ISO form a date input keeps, not as "02/12/2026",
    which a browser drops (and the save would fail: "This field is required"). The
    helpers' draft opened in the past, so the times are moved on."""
    election = drafted()
    client = client_for(election.organiser)
    url = reverse("ballots:edit", args=[election.ballot.slug])
    fields = submitted_as_rendered(client.get(url).content.decode())
    assert fields["cut_off"] == election.ballot.cut_off.isoformat()
    response = client.post(url, {**fields, "title": "Only the title changes",
                                 "opens_at": local(1), "closes_at": local(3)})
    assert response.status_code == 302, response.content.decode()
    election.ballot.refresh_from_db()
    assert election.ballot.title == "Only the title changes"
