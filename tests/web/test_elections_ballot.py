"""From nominations to the ballot: order by lot or alphabet, slates on the ballot, the
count rules per post, endorsements with their decisions, withdrawal before opening."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone

from omov.audit.models import AuditEvent
from omov.ballots import simulation
from omov.ballots.actions import credentials, drafting
from omov.ballots.errors import InvalidDraft
from omov.ballots.manifest import build_manifest
from omov.ballots.models import Ballot, Phase
from omov.committees import actions as committee_actions
from omov.committees.models import Decision
from omov.crypto.transcript import TestRng
from omov.elections import ballot as election_ballot
from omov.elections.actions import nominations, slates
from omov.elections.errors import ElectionError, NotAllowed
from omov.elections.models import Election, Nomination, Post
from omov.record.manifest import parse_manifest

from .committee_helpers import National, national, present
from .election_helpers import after_close, election, post
from .helpers import days_ago, member, organiser

NAMES = ("Zoe Adams", "Ali Brown", "Mia Cole", "Ben Dale", "Eva Egan")


def _stand(the_post: Post, names: tuple[str, ...] = NAMES, *, boss: object = None,
           women: tuple[str, ...] = ()) -> list[Nomination]:
    boss = boss or organiser()
    made = []
    for name in names:
        person = member(name)
        nomination = nominations.nominate(the_post, person, by=person, statement="Vote me.")
        if name in women:
            nomination = nominations.edit_statement(nomination, by=person, statement="Vote me.",
                                                    declares_balance=True)
        made.append(nominations.rule_on_nomination(nomination, valid=True, reason="In order.",
                                                   by=boss))  # type: ignore[arg-type]
    return made


def _ballot(of: Election, boss: object) -> Ballot:
    now = timezone.now()
    keepers = [member(f"Keeper {n}") for n in range(3)]
    return election_ballot.make_ballot(
        of, by=boss, opens_at=now - datetime.timedelta(minutes=5),  # type: ignore[arg-type]
        closes_at=now + datetime.timedelta(hours=2), threshold=2,
        trustees=[drafting.TrusteeInvite(f"Region {i}", p.email) for i, p in enumerate(keepers)],
        authority_email=member("Scru Tineer").email, authority_name="Scrutineer")


def _closed(of: Election) -> Election:
    election_ballot.close_nominations(of, by=None, now=after_close(of))
    of.refresh_from_db()
    return of


def test_alphabetical_order_on_the_ballot() -> None:
    boss = organiser()
    of = election(order="alphabetical", by=boss)
    the_post = post(of, supporters=0, groups=0)
    _stand(the_post, boss=boss)
    ballot = _ballot(_closed(of), boss)
    question = ballot.questions.get()
    assert question.options == sorted(NAMES, key=str.casefold)
    assert question.kind == "ranked"


def test_order_by_lot_follows_the_published_seed_and_its_commitment() -> None:
    boss = organiser()
    of = election(order="lot", by=boss)
    assert of.published_seed == ""
    the_post = post(of, supporters=0, groups=0)
    made = _stand(the_post, boss=boss)
    _closed(of)
    seed = of.published_seed
    assert hashlib.sha256(seed.encode()).hexdigest() == of.lot_commitment
    expected = sorted(made, key=lambda n: hashlib.sha256(
        f"{seed}:{n.nominee.membership_number}".encode()).hexdigest())
    ballot = _ballot(of, boss)
    assert ballot.questions.get().options == [n.nominee.name for n in expected]
    event = AuditEvent.objects.get(action="close_nominations")
    assert event.details["lot_seed"] == seed


def test_only_valid_accepted_standing_candidates_go_on_the_ballot() -> None:
    boss = organiser()
    of = election(order="alphabetical", by=boss)
    the_post = post(of, seats=1, supporters=0, groups=0)
    valid = _stand(the_post, ("Val One", "Val Two", "Val Three"), boss=boss)
    ruled_out = member("Inval Id")
    nomination = nominations.nominate(the_post, ruled_out, by=ruled_out)
    nominations.rule_on_nomination(nomination, valid=False, reason="Not eligible.", by=boss)
    nominations.nominate(the_post, member("Never Accepted"), by=member("Keen Friend"))
    nominations.withdraw_nomination(valid[2], by=valid[2].nominee)
    question = _ballot(_closed(of), boss).questions.get()
    assert question.options == ["Val One", "Val Two"]
    assert question.count == {"method": "irv", "seats": 1, "ties": "earlier-rounds-then-lot"}


def test_posts_filled_unopposed_get_no_question_and_nothing_contested_gets_no_ballot() -> None:
    boss = organiser()
    of = election(by=boss)
    unopposed = post(of, title="Treasurer", seats=1, supporters=0, groups=0)
    _stand(unopposed, ("Only One",), boss=boss)
    post(of, title="Secretary", seats=1, supporters=0, groups=0)
    _closed(of)
    words = [outcome.words for outcome in election_ballot.outcomes(of)]
    assert words == ["1 valid nomination for 1 seat: elected unopposed.",
                     "No valid nominations: the post stays vacant."]
    with pytest.raises(ElectionError, match="No post is contested"):
        _ballot(of, boss)


def test_the_balance_rule_goes_into_the_stv_count_and_the_manifest_is_valid() -> None:
    boss = organiser()
    of = election(order="alphabetical", by=boss)
    the_post = post(of, seats=3, balance=2, supporters=0, groups=0)
    _stand(the_post, boss=boss, women=("Zoe Adams", "Mia Cole", "Eva Egan"))
    assert "At least 2 of the 3 seats" in election_ballot.balance_words(
        the_post, election_ballot.candidates(the_post))
    ballot = _ballot(_closed(of), boss)
    question = ballot.questions.get()
    # alphabetical: Ali Brown, Ben Dale, Eva Egan, Mia Cole, Zoe Adams
    assert question.count == {"method": "stv", "seats": 3, "ties": "earlier-rounds-then-lot",
                              "balance": [{"label": "women", "candidates": [2, 3, 4],
                                           "at_least": 2}]}
    simulation.authority_key(ballot, TestRng(b"elections"))
    ballot.refresh_from_db()
    manifest = parse_manifest(build_manifest(ballot), entry=None)
    assert manifest.questions[0].count == question.count
    drafting.publish_manifest(ballot, by=boss)
    assert Ballot.objects.get(pk=ballot.pk).phase == Phase.KEY_CEREMONY


def test_fewer_declared_candidates_than_the_rule_reserves_reserve_as_many_as_stand() -> None:
    boss = organiser()
    of = election(order="alphabetical", by=boss)
    the_post = post(of, seats=3, balance=2, supporters=0, groups=0)
    standing = _stand(the_post, boss=boss, women=("Mia Cole",))
    count = election_ballot.count_rules(the_post, election_ballot.candidates(the_post))
    assert count["balance"] == [{"label": "women", "candidates": [3], "at_least": 1}]
    assert "only 1 such candidate" in election_ballot.balance_words(the_post, standing)


def test_a_slate_is_named_next_to_its_candidates_on_the_ballot() -> None:
    boss = organiser()
    of = election(order="alphabetical", by=boss)
    the_post = post(of, supporters=0, groups=0)
    made = _stand(the_post, boss=boss)
    slate = slates.declare_slate(made[0], name="Members  First", by=made[0].nominee)
    assert slate.name == "Members First"
    slates.join_slate(made[2], slate, by=made[2].nominee)
    with pytest.raises(ElectionError, match="already a slate called members first"):
        slates.declare_slate(made[1], name="members first", by=made[1].nominee)
    with pytest.raises(NotAllowed):
        slates.join_slate(made[1], slate, by=made[0].nominee)
    options = _ballot(_closed(of), boss).questions.get().options
    assert "Zoe Adams (slate: Members First)" in options
    assert "Mia Cole (slate: Members First)" in options
    assert "Ali Brown" in options


def test_slates_are_fixed_when_nominations_close() -> None:
    of = election()
    the_post = post(of, supporters=0, groups=0)
    made = _stand(the_post)
    with pytest.raises(ElectionError, match="have closed"):
        slates.declare_slate(made[0], name="Late", by=made[0].nominee, now=after_close(of))


def _decision(text: str) -> Decision:
    """A decision of a full, quorate meeting of the national committee, in its register."""
    body = _national.get("body") or _national.setdefault("body", national())
    meeting = committee_actions.record_meeting(
        body.committee, kind="full", held_on=days_ago(1), notice_sent_on=days_ago(15),
        attendance=present(body.seats[:9], body.seats[9:]), actor=body.secretary)
    return committee_actions.record_decision(meeting, text=text, kind="endorsement",
                                             effective_on=days_ago(0), actor=body.secretary)


_national: dict[str, National] = {}


@pytest.fixture(autouse=True)
def _fresh_national() -> None:
    _national.clear()


def test_an_endorsement_is_recorded_with_its_decision_and_withdrawn_by_another() -> None:
    boss = organiser()
    the_post = post(election(by=boss), supporters=0, groups=0)
    candidate = _stand(the_post, ("Endor Sed",), boss=boss)[0]
    made = _decision("The committee endorses Endor Sed.")
    with pytest.raises(NotAllowed):
        slates.endorse(candidate, decision=made, by=member("Not Organiser"))
    endorsement = slates.endorse(candidate, decision=made, by=boss)
    with pytest.raises(ElectionError, match="already endorsed"):
        slates.endorse(candidate, decision=made, by=boss)
    with pytest.raises(ElectionError, match="not the one that made it"):
        slates.withdraw_endorsement(endorsement, decision=made, by=boss)
    undone = _decision("The committee withdraws its endorsement of Endor Sed.")
    slates.withdraw_endorsement(endorsement, decision=undone, by=boss)
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_by_decision == undone and endorsement.withdrawn_at
    assert [e.details["decision"] for e in AuditEvent.objects.filter(
        action__in=("endorse", "withdraw_endorsement")).order_by("id")] == [made.pk, undone.pk]
    slates.endorse(candidate, decision=_decision("Endorsed again."), by=boss)


def test_an_overturned_decision_cannot_make_an_endorsement() -> None:
    boss = organiser()
    candidate = _stand(post(election(by=boss), supporters=0, groups=0), ("Over Turned",),
                       boss=boss)[0]
    decision = _decision("Endorse Over Turned.")
    Decision.objects.filter(pk=decision.pk).update(status="overturned")
    decision.refresh_from_db()
    with pytest.raises(ElectionError, match="was overturned"):
        slates.endorse(candidate, decision=decision, by=boss)


def test_withdrawal_from_a_draft_ballot_takes_the_name_off_it() -> None:
    boss = organiser()
    of = election(order="alphabetical", by=boss)
    made = _stand(post(of, seats=2, supporters=0, groups=0), boss=boss)
    ballot = _ballot(_closed(of), boss)
    nominations.withdraw_nomination(made[1], by=made[1].nominee)  # Ali Brown
    assert ballot.questions.get().options == ["Ben Dale", "Eva Egan", "Mia Cole", "Zoe Adams"]


def test_withdrawal_is_possible_until_the_ballot_opens_and_not_after() -> None:
    boss = organiser()
    of = election(order="alphabetical", by=boss)
    made = _stand(post(of, seats=2, supporters=0, groups=0), boss=boss)
    ballot = _ballot(_closed(of), boss)
    rng = TestRng(b"elections open")
    authority = simulation.authority_key(ballot, rng)
    drafting.publish_manifest(ballot, by=boss)
    nominations.withdraw_nomination(made[0], by=made[0].nominee)  # after publication: allowed
    assert len(ballot.questions.get().options) == 5  # the published ballot paper is fixed
    ballot.refresh_from_db()
    simulation.key_ceremony(ballot, rng, by=boss)
    ballot.refresh_from_db()
    simulation.issue_credentials(ballot, authority, rng, mail=False)
    ballot.refresh_from_db()
    credentials.open_ballot(ballot, by=boss, now=timezone.now())
    assert Ballot.objects.get(pk=ballot.pk).phase == Phase.OPEN
    with pytest.raises(ElectionError, match="The ballot has opened"):
        nominations.withdraw_nomination(made[1], by=made[1].nominee)


def test_the_ballot_is_made_only_once_nominations_are_closed_and_only_once() -> None:
    boss = organiser()
    of = election(by=boss)
    _stand(post(of, seats=1, supporters=0, groups=0), ("Aa One", "Bb Two"), boss=boss)
    with pytest.raises(ElectionError, match="Close nominations first"):
        _ballot(of, boss)
    with pytest.raises(ElectionError, match="Nominations close at"):
        election_ballot.close_nominations(of, by=boss)
    _ballot(_closed(of), boss)
    of.refresh_from_db()
    with pytest.raises(ElectionError, match="already drafted"):
        _ballot(of, boss)
    with pytest.raises(ElectionError, match="candidates are fixed"):
        nominations.rule_on_nomination(Nomination.objects.first(), valid=False, reason="x",  # type: ignore[arg-type]
                                       by=boss)
    assert AuditEvent.objects.filter(action="make_election_ballot").count() == 1


def test_a_ranked_question_the_record_would_refuse_is_refused_while_drafting() -> None:
    boss = organiser()
    of = election(by=boss)
    _stand(post(of, seats=1, supporters=0, groups=0), ("Rq One", "Rq Two", "Rq Three"),
           boss=boss)
    ballot = _ballot(_closed(of), boss)
    with pytest.raises(InvalidDraft, match="an irv count fills exactly 1 seat"):
        drafting.add_ranked_question(
            ballot, text="Chair", candidates=["A", "B", "C"], minimum=0, maximum=3,
            count={"method": "irv", "seats": 2, "ties": "lot"}, by=boss)  # type: ignore[arg-type]
    with pytest.raises(InvalidDraft, match="at most 400 cells"):
        drafting.add_ranked_question(
            ballot, text="Big", candidates=[f"C{n}" for n in range(21)], minimum=0,
            maximum=20, count={"method": "stv", "seats": 2, "ties": "lot"}, by=boss)  # type: ignore[arg-type]
    assert ballot.questions.count() == 1


def test_a_name_that_reads_as_a_slate_is_not_taken_for_one_and_namesakes_differ() -> None:
    boss = organiser()
    of = election(order="alphabetical", by=boss)
    made = _stand(post(of, seats=1, supporters=0, groups=0),
                  ("Bo Lee (slate: Members First)", "Sam Kay", "Sam Kay"), boss=boss)
    options = _ballot(_closed(of), boss).questions.get().options
    numbers = sorted(n.nominee.membership_number for n in made[1:])
    assert options == ["Bo Lee [slate: Members First]", f"Sam Kay [{numbers[0]}]",
                       f"Sam Kay [{numbers[1]}]"]
