"""A cast ballot is found by its hash through the board's unique index, not a scan."""

from __future__ import annotations

import pytest
from django.db import connection

from omov.ballots import board, simulation
from omov.ballots.models import BoardEntry

from .test_ballots_helpers import opened


def test_a_ballot_is_found_by_its_hash_and_only_that_ballot() -> None:
    election = opened(voters=2)
    voter = election.voters[0]
    cast = simulation.vote(election.ballot, voter, election.code(voter), [[1, 0]], election.rng)
    entry = BoardEntry.objects.get(ballot=election.ballot, index=cast.index)
    assert board.with_ballot_hash(election.ballot, entry.ballot_hash).get() == entry
    assert not board.with_ballot_hash(election.ballot, "00" * 32).exists()
    assert not board.with_ballot_hash(election.ballot, "").exists()


def test_on_sqlite_the_lookup_uses_the_unique_index() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the partial index question is SQLite's; PostgreSQL infers the condition")
    election = opened(voters=1)
    plan = board.with_ballot_hash(election.ballot, "ab" * 32).explain()
    assert "board_ballot_hash_unique" in plan, plan
