"""The ciphertexts of cast and audited ballots are indexed (protocol 7.6): the
exclusivity checks are indexed lookups, their cost does not grow with the audits on
the board, and the migration that adds the index fills it from existing boards."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from omov.ballots import ciphertexts, simulation
from omov.ballots.actions import voting
from omov.ballots.errors import RejectedSubmission
from omov.ballots.models import BoardCiphertext, BoardEntry
from omov.crypto.canonical import canonical_json, parse_json

from .test_ballots_helpers import Election, opened

YES, NO = [[1, 0]], [[0, 1]]


def _audit(election: Election, selections: list[list[int]]) -> Any:
    voter = election.voters[0]
    prepared = simulation.prepare(election.ballot, election.code(voter), selections,
                                  election.rng)
    voting.audit_ballot(election.ballot, canonical_json(prepared.audit_reveal()))
    return prepared


def _rows(election: Election) -> set[tuple[str, bool, int]]:
    return set(BoardCiphertext.objects.filter(ballot=election.ballot)
               .values_list("ciphertext", "audited", "index"))


def _from_board(election: Election) -> set[tuple[str, bool, int]]:
    """What the index must hold, read from the board lines themselves."""
    expected = set()
    for entry in BoardEntry.objects.filter(ballot=election.ballot,
                                           kind__in=["ballot", "audited_ballot"]):
        body = parse_json(entry.line)["body"]
        audited = entry.kind == "audited_ballot"
        held = ciphertexts.of_audit(body) if audited else ciphertexts.of_ballot(body)
        expected |= {(ciphertext, audited, entry.index) for ciphertext in held}
    return expected


def test_every_cast_and_audited_ciphertext_is_indexed_with_its_entry() -> None:
    election = opened(voters=2)
    first, second = election.voters
    simulation.vote(election.ballot, first, election.code(first), YES, election.rng)
    _audit(election, NO)
    simulation.vote(election.ballot, second, election.code(second), NO, election.rng)
    rows = _rows(election)
    assert rows == _from_board(election)
    assert {audited for _, audited, _ in rows} == {True, False}


def test_a_cast_of_an_audited_ballot_is_refused_through_the_index() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    prepared = _audit(election, YES)
    with pytest.raises(RejectedSubmission, match="reuses an encryption from an audited"):
        voting.cast_ballot(election.ballot, voter, canonical_json(prepared.ballot))
    # The index is what the cast consults: without its rows the same ballot would land.
    BoardCiphertext.objects.filter(ballot=election.ballot).delete()
    assert voting.cast_ballot(election.ballot, voter, canonical_json(prepared.ballot)).new


def test_an_audit_of_a_cast_ballot_is_refused_through_the_index() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    prepared = simulation.prepare(election.ballot, election.code(voter), YES, election.rng)
    voting.cast_ballot(election.ballot, voter, canonical_json(prepared.ballot))
    with pytest.raises(RejectedSubmission, match="was cast, so it cannot be audited"):
        voting.audit_ballot(election.ballot, canonical_json(prepared.audit_reveal()))


def test_two_audits_can_never_share_a_ciphertext_in_the_index() -> None:
    election = opened(voters=1)
    _audit(election, YES)
    row = BoardCiphertext.objects.get(ballot=election.ballot, audited=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardCiphertext.objects.create(ballot=election.ballot, ciphertext=row.ciphertext,
                                       audited=True, index=row.index + 1)


def test_a_cast_reads_no_more_statements_with_many_audits_on_the_board() -> None:
    election = opened(voters=2)
    first, second = election.voters

    def statements_of_a_cast(voter: Any) -> int:
        prepared = simulation.prepare(election.ballot, election.code(voter), YES,
                                      election.rng)
        with CaptureQueriesContext(connection) as queries:
            voting.cast_ballot(election.ballot, voter, canonical_json(prepared.ballot))
        return len(queries.captured_queries)

    simulation.vote(election.ballot, first, election.code(first), YES, election.rng)
    simulation.vote(election.ballot, second, election.code(second), YES, election.rng)
    before = statements_of_a_cast(first)
    for _ in range(6):
        _audit(election, NO)
    assert statements_of_a_cast(second) == before


def test_on_sqlite_the_audited_lookup_uses_the_index() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the plan is SQLite's to show; PostgreSQL picks by statistics")
    election = opened(voters=1)
    found = BoardCiphertext.objects.filter(ballot=election.ballot, audited=True,
                                           ciphertext__in=["a:b", "c:d"])
    plan = found.explain()
    assert "audited_ciphertext_unique" in plan or "board_ciphertext_idx" in plan, plan


def test_the_migration_fills_the_index_from_an_existing_board() -> None:
    election = opened(voters=2)
    first, second = election.voters
    simulation.vote(election.ballot, first, election.code(first), YES, election.rng)
    _audit(election, NO)
    _audit(election, YES)
    simulation.vote(election.ballot, second, election.code(second), NO, election.rng)
    simulation.vote(election.ballot, first, election.code(first), NO, election.rng)
    written = _rows(election)
    BoardCiphertext.objects.all().delete()  # a board from before the index existed
    migration = importlib.import_module("omov.ballots.migrations.0008_board_ciphertext")
    migration.backfill(apps, None)
    assert _rows(election) == written == _from_board(election)
    assert len(written) == 5
