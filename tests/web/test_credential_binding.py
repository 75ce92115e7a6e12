"""One account, one credential per ballot (issue 6, item 5): the first cast binds them.

These tests play the attacker who holds other members' codes (a vote buyer, or the
credential authority with its own elector account) and casts with them from one
account, and the thief who casts with a victim's code from their own account.
"""

from __future__ import annotations

from django.urls import reverse

from omov.audit.models import AuditEvent
from omov.ballots import simulation
from omov.ballots.models import BoardEntry, CredentialBinding
from omov.crypto.canonical import canonical_json
from omov.members.models import Member

from .helpers import client_for
from .test_ballots_helpers import Election, closed, opened
from .test_revocation import replacement, upload

YES, NO = [[1, 0]], [[0, 1]]


def cast_over_http(election: Election, account: Member, code: str,
                   selections: list[list[int]]) -> tuple[int, dict[str, object]]:
    """`account` signs in and casts a ballot made with `code`, as the booth would."""
    prepared = simulation.prepare(election.ballot, code, selections, election.rng)
    response = client_for(account).post(reverse("ballots:cast", args=[election.ballot.slug]),
                                        canonical_json(prepared.ballot),
                                        content_type="application/json")
    return response.status_code, response.json()


def ballots_on_board(election: Election) -> int:
    return BoardEntry.objects.filter(ballot=election.ballot, kind="ballot").count()


def test_one_account_cannot_cast_with_a_second_members_code() -> None:
    election = opened(voters=3)
    buyer, seller, abstainer = election.voters
    status, _ = cast_over_http(election, buyer, election.code(buyer), YES)
    assert status == 200
    for victim in (seller, abstainer):
        status, reply = cast_over_http(election, buyer, election.code(victim), YES)
        assert status == 400, reply
        assert "already voted in this ballot with a different voting code" in str(reply)
    assert ballots_on_board(election) == 1
    refused = AuditEvent.objects.filter(action="refuse_cast_binding")
    assert refused.count() == 2
    assert all(event.actor == buyer for event in refused)
    assert all("different credential" in event.summary for event in refused)


def test_an_account_that_starts_with_someone_elses_code_is_held_to_it() -> None:
    election = opened(voters=2)
    authority_account, victim = election.voters
    status, _ = cast_over_http(election, authority_account, election.code(victim), YES)
    assert status == 200  # nothing yet tells the server that this code is not theirs
    status, reply = cast_over_http(election, authority_account, election.code(authority_account),
                                   YES)
    assert status == 400 and "different voting code" in str(reply)
    status, reply = cast_over_http(election, victim, election.code(victim), NO)
    assert status == 400, reply
    assert "already used from another member's account" in str(reply)
    assert "ask the credential authority to revoke it" in str(reply)
    event = AuditEvent.objects.filter(action="refuse_cast_binding", actor=victim).get()
    assert "used from another account first" in event.summary
    assert ballots_on_board(election) == 1


def test_the_log_of_a_refused_cast_names_no_credential_tracker_or_choice() -> None:
    election = opened(voters=2)
    voter, other = election.voters
    cast_over_http(election, voter, election.code(voter), YES)
    cast_over_http(election, voter, election.code(other), NO)
    event = AuditEvent.objects.get(action="refuse_cast_binding")
    entry = BoardEntry.objects.get(ballot=election.ballot, kind="ballot")
    logged = f"{event.summary} {event.details}"
    assert entry.credential not in logged and entry.tracker not in logged
    assert not event.public


def test_the_same_account_and_code_may_vote_again() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    assert cast_over_http(election, voter, election.code(voter), YES)[0] == 200
    assert cast_over_http(election, voter, election.code(voter), NO)[0] == 200
    assert ballots_on_board(election) == 2
    assert CredentialBinding.objects.filter(ballot=election.ballot).count() == 1


def test_a_revoked_code_frees_its_account_for_the_replacement() -> None:
    election = opened(voters=2)
    voter = election.voters[0]
    lost = election.code(voter)
    assert cast_over_http(election, voter, lost, YES)[0] == 200
    fresh, body = replacement(election, lost)
    upload(client_for(election.authority), election, body)
    assert not CredentialBinding.objects.filter(ballot=election.ballot, member=voter).exists()
    status, reply = cast_over_http(election, voter, fresh, NO)
    assert status == 200, reply


def test_bindings_are_per_ballot_and_deleted_at_close() -> None:
    election = opened(voters=2)
    voter = election.voters[0]
    cast_over_http(election, voter, election.code(voter), YES)
    assert CredentialBinding.objects.filter(ballot=election.ballot).exists()
    closed(election)
    assert not CredentialBinding.objects.filter(ballot=election.ballot).exists()
