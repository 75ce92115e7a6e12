"""What the trustee page says between steps, the emails that tell a trustee what to do
and when, and the audit log naming the ballot of every entry about one."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from omov.audit.models import AuditEvent
from omov.ballots import simulation, state
from omov.ballots.actions import ceremony, schedule
from omov.ballots.models import Ballot, Trustee
from omov.crypto.dkg import commit, complain, deal_shares
from omov.trustee_files import backup_file_name
from omov.web.times import human_date, human_time

from .helpers import client_for
from .test_ballots_helpers import closed, opened, published


def page(election: Any, n: int) -> str:
    response = client_for(election.trustees[n - 1]).get(
        reverse("ballots:trustee", args=[election.ballot.slug]))
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_page_follows_the_board_through_every_step_of_the_ceremony() -> None:
    election = published(trustees=2, threshold=2)
    ballot = election.ballot
    digest = state.manifest_digest(ballot)
    first = page(election, 1)
    assert 'id="commit"' in first and "Now: step 1 of 3" in first
    assert "after voting closes" in first

    states, bodies = {}, {}
    states[1], bodies[1] = commit(digest, 1, 2, election.rng)
    ceremony.submit_commitment(ballot, Trustee.objects.get(ballot=ballot, index=1), bodies[1])
    after_one = page(election, 1)
    assert 'id="commit"' not in after_one, "no key generation once the commitment is on the board"
    assert "You have done step 1" in after_one and "1 of 2 trustees" in after_one
    assert backup_file_name(ballot.slug, 1, bodies[1]) in after_one

    states[2], bodies[2] = commit(digest, 2, 2, election.rng)
    ceremony.submit_commitment(ballot, Trustee.objects.get(ballot=ballot, index=2), bodies[2])
    assert "Now: step 2" in page(election, 1)
    known = state.commitments(ballot)
    ceremony.submit_shares(ballot, Trustee.objects.get(ballot=ballot, index=1),
                           deal_shares(states[1], known, election.rng))
    dealt = page(election, 1)
    assert '<div id="step-deal" hidden>' in dealt and "Do not" not in dealt
    assert "1 of 2 trustees have sent theirs" in dealt
    ceremony.submit_shares(ballot, Trustee.objects.get(ballot=ballot, index=2),
                           deal_shares(states[2], known, election.rng))
    assert "check the shares sent to you now" in page(election, 1)
    ceremony.confirm_shares(ballot, Trustee.objects.get(ballot=ballot, index=1))
    done = page(election, 1)
    assert "Your part of the key ceremony is done" in done
    assert "the same backup file" in done and "You will be emailed then" in done


def test_the_invitation_says_what_a_trustee_does_and_roughly_when() -> None:
    mail.outbox.clear()
    election = published()
    invitation = next(m for m in mail.outbox if m.to == [election.trustees[0].email])
    text = invitation.body
    assert "any 2 of the 3 trustees" in text
    assert "make your keys" in text and "ceremony code" in text
    assert f"After voting closes ({human_time(election.ballot.closes_at)})" in text
    assert f"Before voting opens ({human_date(timezone.localdate(election.ballot.opens_at))})" \
        in text
    assert "same backup file and passphrase" in text


def _asked(ballot: Ballot) -> list[Any]:
    return [m for m in mail.outbox if "please decrypt your part" in m.subject
            and ballot.title in m.subject]


def test_every_qualified_trustee_is_emailed_once_when_it_is_time_to_decrypt() -> None:
    election = opened()
    mail.outbox.clear()
    closed(election)
    ballot = election.refresh()
    assert _asked(ballot) == [], "nothing is sent inside the closing transaction"
    done = schedule.run_round(timezone.now())
    asked = _asked(ballot)
    assert sorted(m.to[0] for m in asked) == sorted(p.email for p in election.trustees)
    assert len([line for line in done if "to decrypt" in line]) == 3
    body = asked[0].body
    assert reverse("ballots:trustee", args=[ballot.slug]) in body
    assert "omov trustee decrypt --record" in body and "count code" in body
    schedule.run_round(timezone.now() + datetime.timedelta(minutes=1))
    assert len(_asked(ballot)) == 3, "sent once per trustee"
    assert all(t.decryption_asked_at for t in ballot.trustees.all())


def test_closing_by_hand_emails_the_trustees_straight_after_the_close(
    django_capture_on_commit_callbacks: Any,
) -> None:
    election = opened()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        closed(election)
    assert len(_asked(election.ballot)) == 3
    schedule.run_round(timezone.now())
    assert len(_asked(election.ballot)) == 3


def test_a_trustee_who_already_decrypted_is_not_asked() -> None:
    election = opened()
    closed(election)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[1])
    mail.outbox.clear()
    schedule.run_round(timezone.now())
    assert sorted(m.to[0] for m in _asked(election.ballot)) == sorted(
        p.email for p in election.trustees[1:])


def test_every_audit_entry_about_a_ballot_names_it() -> None:
    election = opened()
    for person in (*election.trustees, election.authority):
        invited = AuditEvent.objects.filter(object_type="members.Member", object_id=str(person.pk),
                                            action__in=("grant_role", "create_login_link"))
        assert invited.count() == 2
        for event in invited:
            assert f"“{election.ballot.title}”" in event.summary, event.summary
    ballot = election.ballot
    trustee = Trustee.objects.get(ballot=ballot, index=1)
    AuditEvent.objects.filter(object_type="ballots.Ballot").delete()
    # A second ceremony, to log the complaint and the confirmation too.
    other = published(trustees=2, threshold=1)
    digest = state.manifest_digest(other.ballot)
    keepers = list(Trustee.objects.filter(ballot=other.ballot).order_by("index"))
    states = {}
    for keeper in keepers:
        states[keeper.index], body = commit(digest, keeper.index, 1, other.rng)
        ceremony.submit_commitment(other.ballot, keeper, body)
    known = state.commitments(other.ballot)
    for keeper in keepers:
        ceremony.submit_shares(other.ballot, keeper,
                               deal_shares(states[keeper.index], known, other.rng))
    dealt = state.shares(other.ballot, known)
    ceremony.submit_complaint(other.ballot, keepers[0], complain(states[1], dealt[2], other.rng))
    ceremony.confirm_shares(other.ballot, keepers[0])
    closed(election)
    schedule.run_round(timezone.now())
    simulation.decrypt(ballot, election.states, election.rng, trustees=[trustee.index, 2])
    events = list(AuditEvent.objects.filter(object_type="ballots.Ballot"))
    actions = {event.action for event in events}
    assert {"submit_trustee_complaint", "confirm_trustee_shares", "close_ballot",
            "ask_trustee_to_decrypt", "submit_partial_decryption"} <= actions
    titles = {str(b.pk): b.title for b in Ballot.objects.all()}
    for event in events:
        assert f"“{titles[event.object_id]}”" in event.summary, (event.action, event.summary)
