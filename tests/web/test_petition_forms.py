"""Members' petition forms: starting one, and the addressed committee's answer and case against."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from omov.members.models import Member, Status
from omov.organisation import actions as organisation_actions
from omov.petitions import actions
from omov.petitions.models import Kind, Petition

from .committee_helpers import National, national
from .helpers import client_for, member, organiser
from .test_forced_ballot import _ballot_petition

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)


def test_an_active_member_starts_a_ballot_petition_from_the_list() -> None:
    body = national()
    client = client_for(member("Asha"))
    listing = client.get(reverse("petitions:list")).content.decode()
    assert reverse("petitions:start") in listing and "Start a petition" in listing
    response = client.post(reverse("petitions:start"), {
        "kind": Kind.BALLOT_PETITION, "committee": body.committee.pk,
        "title": "Reverse the withdrawal of endorsement?", "text": "Members should decide."})
    petition = Petition.objects.get()
    assert response.status_code == 302 and petition.slug in response["Location"]
    assert petition.kind == Kind.BALLOT_PETITION and petition.question_kind == "yes_no"
    assert set(petition.thresholds) == {"answer", "ballot"}


def test_every_missing_field_is_named_at_once_and_nothing_starts() -> None:
    client = client_for(member("Asha"))
    page = client.post(reverse("petitions:start"), {"kind": Kind.OPEN_LETTER}).content.decode()
    assert "Choose the committee it is addressed to." in page
    assert "Write a title" in page and "This field is required." in page
    page = client.post(reverse("petitions:start"), {"kind": Kind.CALL_IN, "text": "No."})
    assert "Choose the decision to call in." in page.content.decode()
    assert not Petition.objects.exists()


def test_a_lapsed_member_may_not_start_a_petition() -> None:
    body = national()
    client = client_for(member("Lapsed Lee", status=Status.LAPSED))
    response = client.post(reverse("petitions:start"), {
        "kind": Kind.OPEN_LETTER, "committee": body.committee.pk, "title": "A letter",
        "text": "Please answer."})
    assert response.status_code == 403
    assert not Petition.objects.exists()


def _letter(kind: Kind = Kind.OPEN_LETTER) -> tuple[Petition, National]:
    body = national()
    petition = actions.start_petition(
        by=member("Asha"), kind=kind, title="Camden's letter", text="Reverse it.",
        committee=body.committee, thresholds={"answer": 1}, roll_date=timezone.now().date(),
        denominator=40, closes_at=timezone.now() + datetime.timedelta(days=10))
    petition.answer_due = timezone.now() + datetime.timedelta(days=5)
    petition.save(update_fields=["answer_due"])
    return petition, body


def test_a_committee_member_records_the_answer_and_an_outsider_is_refused() -> None:
    petition, body = _letter()
    url = reverse("petitions:answer", args=[petition.slug])
    outsider = client_for(member("Out Sider")).post(url, {"text": "We decline."})
    assert "Only members of National Committee or its secretary" in outsider.content.decode()
    seat = client_for(body.seats[3])
    detail = seat.get(reverse("petitions:detail", args=[petition.slug])).content.decode()
    assert url in detail
    assert "This field is required." in seat.post(url, {"text": ""}).content.decode()
    seat.post(url, {"text": "We will reconsider at the next meeting."})
    petition.refresh_from_db()
    assert petition.answer_text == "We will reconsider at the next meeting."
    assert petition.answered_by == body.seats[3]


def test_the_case_against_is_only_for_a_ballot_petition_and_only_by_the_committee() -> None:
    petition, body = _letter(Kind.BALLOT_PETITION)
    url = reverse("petitions:case_against", args=[petition.slug])
    refused = client_for(member("Out Sider")).post(url, {"text": "No."}).content.decode()
    assert "may state its case against" in refused
    client_for(body.secretary).post(url, {"text": "It costs too much."})
    petition.refresh_from_db()
    assert petition.case_against == "It costs too much."
    letter, other = _other_letter()
    page = client_for(other).post(reverse("petitions:case_against", args=[letter.slug]),
                                  {"text": "No."}).content.decode()
    assert "Only a petition for a member ballot has a case against." in page


def _other_letter() -> tuple[Petition, Member]:
    petition = Petition.objects.first()
    assert petition is not None
    letter = actions.start_petition(
        by=member("Bo"), kind=Kind.OPEN_LETTER, title="Another letter", text="Answer.",
        committee=petition.committee, thresholds={"answer": 1},
        roll_date=timezone.now().date(), denominator=40,
        closes_at=timezone.now() + datetime.timedelta(days=10))
    seat = petition.committee.seats.first()
    assert seat is not None
    return letter, seat.member


def _forced_post(people: list[Member], opens_in: datetime.timedelta) -> dict[str, str]:
    opens = timezone.now() + opens_in
    return {"trustees": "\n".join(f"Region {i}, {p.email}" for i, p in enumerate(people[30:33])),
            "threshold": "2", "authority_name": "Scrutineer",
            "authority_email": people[35].email,
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (opens + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")}


def test_an_organiser_drafts_the_owed_forced_ballot_and_a_member_may_not() -> None:
    petition, people = _ballot_petition(signers=4)
    detail = reverse("petitions:detail", args=[petition.slug])
    url = reverse("petitions:draft_ballot", args=[petition.slug])
    assert url not in client_for(people[5]).get(detail).content.decode()
    assert client_for(people[5]).post(url, _forced_post(people, ONE_DAY)).status_code == 403
    boss = client_for(organiser())
    assert url in boss.get(detail).content.decode()
    page = boss.post(url, {"threshold": "0"}).content.decode()
    assert "Name at least one trustee." in page or "This field is required." in page
    assert "Ensure this value is greater than or equal to 1." in page
    late = boss.post(url, _forced_post(people, datetime.timedelta(days=400))).content.decode()
    assert "must open by" in late
    response = boss.post(url, _forced_post(people, ONE_DAY))
    petition.refresh_from_db()
    assert petition.forced_ballot is not None
    assert response["Location"] == reverse("ballots:detail", args=[petition.forced_ballot.slug])
    assert url not in boss.get(detail).content.decode()


def test_overdue_answers_and_ballots_show_on_the_committee_and_home_pages() -> None:
    letter, body = _letter()
    letter.answer_due = timezone.now() - ONE_DAY
    letter.save(update_fields=["answer_due"])
    other = organisation_actions.create_committee("Camden committee", by=None)
    forced = actions.start_petition(
        by=member("Cy"), kind=Kind.BALLOT_PETITION, title="Ballot on the levy?", text="Yes.",
        committee=other, thresholds={"ballot": 1}, roll_date=timezone.now().date(),
        denominator=40, closes_at=timezone.now() + datetime.timedelta(days=10))
    forced.ballot_due = timezone.now() - ONE_DAY
    forced.save(update_fields=["ballot_due"])
    client = client_for(body.seats[2])
    page = client.get(reverse("committees:committee", args=[body.committee.slug])).content.decode()
    assert "Camden&#x27;s letter" in page and 'data-duty="answer"' in page
    assert forced.title not in page  # addressed to another committee
    home = Client().get(reverse("home")).content.decode()
    assert 'data-duty="answer"' in home and 'data-duty="ballot"' in home
    assert forced.title in home
    actions.record_answer(letter, by=body.seats[2], text="Answered late.")
    home = Client().get(reverse("home")).content.decode()
    assert 'data-duty="answer"' not in home and 'data-duty="ballot"' in home


def _start(client: Client, body: National, **fields: object) -> str:
    data = {"kind": Kind.BALLOT_PETITION, "committee": body.committee.pk,
            "title": "Which candidate should we endorse?", "text": "Members should choose."}
    data.update(fields)  # type: ignore[arg-type]
    return client.post(reverse("petitions:start"), data).content.decode()


def test_a_ballot_petition_proposes_a_choice_and_the_forced_ballot_carries_it() -> None:
    from omov.ballots.actions.drafting import TrusteeInvite
    from omov.petitions import forced_ballot

    body = national()
    client = client_for(member("Asha"))
    _start(client, body, question_kind="choose", options="Amira Khan\n\nBen Taylor\nChloe Evans",
           minimum=1, maximum=2)
    petition = Petition.objects.get()
    assert petition.question_kind == "choose"
    assert petition.question_options == ["Amira Khan", "Ben Taylor", "Chloe Evans"]
    assert (petition.question_minimum, petition.question_maximum) == (1, 2)
    page = client.get(reverse("petitions:detail", args=[petition.slug])).content.decode()
    assert "Amira Khan; Ben Taylor; Chloe Evans (pick 1 to 2)" in page
    petition.ballot_due = timezone.now() + 21 * ONE_DAY
    petition.save(update_fields=["ballot_due"])
    now, seats = timezone.now(), body.seats
    ballot = forced_ballot.draft_forced_ballot(
        petition, by=organiser(), trustees=[TrusteeInvite("North", seats[1].email)],
        threshold=1, authority_email=seats[2].email, authority_name="Scrutineer",
        opens_at=now + ONE_DAY, closes_at=now + 3 * ONE_DAY)
    question = ballot.questions.get()
    assert question.kind == "choose" and question.options == petition.question_options
    assert (question.min_choices, question.max_choices) == (1, 2)


@pytest.mark.parametrize(("fields", "message", "field"), [
    ({"question_kind": "choose", "options": "Only one"}, "Give between 2 and 100 options",
     "options"),
    ({"question_kind": "choose", "options": "A\nB\nC", "minimum": 3, "maximum": 2},
     "Choose needs 0 ≤ minimum ≤ maximum ≤ 3", "maximum"),
    ({"question_kind": "block", "options": "A\nB\nC"}, "number of seats must be between 1 and 2",
     "maximum"),
    ({"question_kind": "block", "options": "A\nB\nC", "maximum": 3},
     "number of seats must be between 1 and 2", "maximum"),
    ({"question_kind": "approval", "options": "Same\nSame"}, "Each option must be different",
     "options"),
    ({"question_kind": "ranked"}, "Select a valid choice", "question_kind"),
    ({"question_kind": "yes_no_abstain", "options": "Maybe"}, "has no options of its own",
     "options"),
    ({"kind": Kind.OPEN_LETTER, "question_kind": "approval", "options": "A\nB"},
     "only for a petition for a member ballot", "question_kind"),
])
def test_a_question_a_ballot_could_not_carry_is_refused_and_nothing_starts(
    fields: dict[str, object], message: str, field: str
) -> None:
    body = national()
    page = _start(client_for(member("Asha")), body, **fields)
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert not Petition.objects.exists()


@pytest.mark.parametrize(("kind", "options"), [("yes_no_abstain", []), ("approval", ["A", "B"]),
                                               ("block", ["A", "B", "C"])])
def test_the_other_question_kinds_start_with_the_ballots_bounds(
    kind: str, options: list[str]
) -> None:
    body = national()
    _start(client_for(member("Asha")), body, question_kind=kind, options="\n".join(options),
           maximum=2 if kind == "block" else "")
    petition = Petition.objects.get()
    assert petition.question_kind == kind and petition.question_options == options
    expected = {"yes_no_abstain": (1, 1), "approval": (0, 2), "block": (0, 2)}[kind]
    assert (petition.question_minimum, petition.question_maximum) == expected


def test_the_question_action_refuses_a_kind_outside_a_ballot_petition() -> None:
    from omov.petitions.actions import Question
    from omov.petitions.errors import PetitionError

    body = national()
    with pytest.raises(PetitionError, match="Only a petition for a member ballot"):
        actions.open_petition(by=member("Asha"), kind=Kind.OPEN_LETTER, title="A letter",
                              text="Answer us.", committee=body.committee,
                              question=Question("approval", ("A", "B")))
    with pytest.raises(PetitionError, match="Give between 2 and 100 options"):
        actions.open_petition(by=member("Ben"), kind=Kind.BALLOT_PETITION, title="Which?",
                              text="Choose.", committee=body.committee,
                              question=Question("choose", ("A",)))
    assert not Petition.objects.exists()


@pytest.mark.parametrize(("totals", "counted", "words"), [
    ([5, 9, 2], 16, "decided by the members' ballot of"),
    ([9, 9, 2], 20, "most votes for Amira Khan (9), tied with Ben Taylor (9),"),
    ([1, 0, 0], 1, "not binding (turnout below the quorum)"),
])
def test_a_choice_ballots_outcome_names_the_most_voted_option(
    totals: list[int], counted: int, words: str
) -> None:
    from omov.ballots.actions.drafting import TrusteeInvite
    from omov.ballots.models import Ballot
    from omov.constitution.queries import active_members_on
    from omov.petitions import forced_ballot
    from omov.petitions.consequences import apply_result

    body = national()
    voters = [member(f"Voter {n}") for n in range(28)]
    _start(client_for(voters[1]), body, question_kind="choose",
           options="Amira Khan\nBen Taylor\nChloe Evans")
    petition = Petition.objects.get()
    petition.ballot_due = timezone.now() + 21 * ONE_DAY
    petition.save(update_fields=["ballot_due"])
    now = timezone.now()
    ballot = forced_ballot.draft_forced_ballot(
        petition, by=organiser(), trustees=[TrusteeInvite("North", voters[2].email)],
        threshold=1, authority_email=voters[3].email, authority_name="Scrutineer",
        opens_at=now + ONE_DAY, closes_at=now + 3 * ONE_DAY)
    ballot.totals, ballot.counted = [totals], counted  # as publish_result leaves them
    apply_result(Ballot, ballot=ballot)
    petition.refresh_from_db()
    eligible = active_members_on(ballot.cut_off).count
    assert eligible == 41
    assert words in petition.ballot_outcome
    assert f"turnout {100 * counted / eligible:.0f}% (quorum 30%)" in petition.ballot_outcome
    assert petition.ballot_carried is (counted / eligible >= 0.3)
    if totals == [5, 9, 2]:
        assert "most votes for Ben Taylor (9), turnout" in petition.ballot_outcome
