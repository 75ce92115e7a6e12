"""Invalid ballots count toward the cast limit: each costs a full verification (issue: 300
bad-signature casts were never limited)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from omov.ballots import simulation
from omov.ballots.actions import voting
from omov.ballots.models import BoardEntry

from .helpers import client_for
from .test_ballots_helpers import opened
from .test_booth import YES, cast_url, post_json


def forged(ballot: dict[str, Any], number: int) -> dict[str, Any]:
    """The ballot with its first proof replaced: a new hash each time, never valid."""
    copy = json.loads(json.dumps(ballot))
    copy["answers"][0]["proofs"][0] = {"challenges": [f"{number:02x}" * 32] * 2,
                                       "responses": ["00" * 32] * 2}
    return copy


def test_invalid_ballots_use_up_the_limit_and_a_limited_one_is_not_verified(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    client = client_for(voter)
    prepared = simulation.prepare(election.ballot, election.code(voter), YES, election.rng)
    for number in range(voting.CAST_LIMIT):
        status, reply = post_json(client, cast_url(election), forged(prepared.ballot, number))
        assert status == 400, reply
    verified: list[object] = []
    real = voting.verify_ballot
    monkeypatch.setattr(voting, "verify_ballot",
                        lambda *args: verified.append(1) or real(*args))
    status, reply = post_json(client, cast_url(election), forged(prepared.ballot, 99))
    assert status == 429
    assert "Too many attempts" in str(reply["error"])
    status, _ = post_json(client, cast_url(election), prepared.ballot)
    assert status == 429, "the member's own good ballot waits too: the limit is per member"
    assert verified == [], "a limited request costs no verification"
    assert not BoardEntry.objects.filter(ballot=election.ballot, kind="ballot").exists()


def test_a_resent_ballot_already_on_the_board_costs_nothing() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    client = client_for(voter)
    prepared = simulation.prepare(election.ballot, election.code(voter), YES, election.rng)
    for _ in range(voting.CAST_LIMIT + 5):
        status, _ = post_json(client, cast_url(election), prepared.ballot)
        assert status == 200
