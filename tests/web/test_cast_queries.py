"""The cast path's queries: a ballot found by its hash through the board's unique
index (not a scan), one upsert for the member's receipt, one lookup of the account's
credential binding, a bounded number in all."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from omov.ballots import board, simulation
from omov.ballots.actions import voting
from omov.ballots.models import BoardEntry, VoteReceipt
from omov.crypto.canonical import canonical_json

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


def test_a_vote_again_keeps_one_receipt_with_the_latest_tracker() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    first = simulation.vote(election.ballot, voter, election.code(voter), [[1, 0]], election.rng)
    second = simulation.vote(election.ballot, voter, election.code(voter), [[0, 1]], election.rng)
    assert first.tracker != second.tracker
    receipt = VoteReceipt.objects.get(ballot=election.ballot, member=voter)
    assert receipt.tracker == second.tracker


def test_a_cast_makes_a_bounded_number_of_queries(django_assert_max_num_queries: Any) -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    simulation.vote(election.ballot, voter, election.code(voter), [[1, 0]], election.rng)
    prepared = simulation.prepare(election.ballot, election.code(voter), [[0, 1]], election.rng)
    raw = canonical_json(prepared.ballot)
    # Before the lock: the cast's standing (eligibility, attempts, the ballot by hash) in
    # one statement. In the batch's transaction (savepoint and release here): the lock,
    # one statement saying which of the batch's hashes, revocations, audited ciphertexts
    # and bindings exist, the rows of those that do (here the binding), the head, and
    # three inserts (entries, ciphertexts, receipts); a member's first cast inserts the
    # binding instead of reading it, and production mail adds one outbox row per batch.
    with django_assert_max_num_queries(10):
        voting.cast_ballot(election.ballot, voter, raw)
