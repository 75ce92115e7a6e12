"""The tamper suite for revocations (6.4): the body's exact form, its published reason
and recorded request, and the report of every counted ballot a revocation removed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from omov.crypto.canonical import digest
from omov.crypto.group import base_mult
from omov.crypto.proofs import SchnorrProof
from omov.crypto.transcript import TestRng
from omov.record.election import revocation_body
from omov.record.roll import TAG_REVOCATION_SIGNATURE
from omov.record.simulation import simulate
from tests.record.tamper_kit import (
    PLAN,
    authority_secret,
    check,
    context_of,
    positions,
    problems,
    save,
    voter_secret,
)

Entries = list[dict[str, Any]]


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("record") / "valid.omov.jsonl"
    simulate(path, PLAN)
    return path


def voter_with_a_counted_ballot(entries: Entries) -> tuple[int, int]:
    """A voter (by number) and the entry of their last ballot."""
    for voter in range(PLAN.voters):
        credential = base_mult(voter_secret(entries, voter)).hex()
        cast = [n for n in positions(entries, "ballot")
                if entries[n]["body"]["credential"] == credential]
        if cast:
            return voter, cast[-1]
    raise AssertionError("no voter cast a ballot")


def insert_revocation(entries: Entries, body: dict[str, Any]) -> int:
    at = positions(entries, "ballot")[-1] + 1
    entries.insert(at, {"body": body, "index": 0, "kind": "revocation", "previous": "0" * 64})
    return at


def signed(entries: Entries, statement: dict[str, Any]) -> dict[str, Any]:
    """`statement` signed by the authority as 6.4 says, whatever it holds."""
    fingerprint = context_of(entries).fingerprint
    signature = SchnorrProof.prove(TAG_REVOCATION_SIGNATURE, (fingerprint, digest(statement)),
                                   authority_secret(), TestRng(b"sign"))
    return {**statement, "signature": signature.to_json()}


def test_every_counted_ballot_a_revocation_removed_is_reported(entries: Entries,
                                                               tmp_path: Path) -> None:
    voter, ballot = voter_with_a_counted_ballot(entries)
    body = revocation_body(context_of(entries).fingerprint,
                           [base_mult(voter_secret(entries, voter))], [], "code reported lost",
                           authority_secret(), TestRng(b"r"),
                           requested_at="2026-12-01T09:00:00Z")
    at = insert_revocation(entries, body)
    report = check(save(entries, tmp_path / "r.jsonl"))
    warnings = [error.describe() for error in report.warnings()]
    removed = [line for line in warnings if "removed by the revocation" in line]
    assert len(removed) == 1, warnings
    assert removed[0].startswith(f"entry {ballot}, ballot ")
    assert (f"removed by the revocation at entry {at} ({entries[at - 1]['time']}, at the "
            "member's request of 2026-12-01T09:00:00Z); reason: “code reported lost”"
            ) in removed[0]
    assert "! entry" in report.render()


def test_a_revocation_without_the_members_request_says_so(entries: Entries,
                                                          tmp_path: Path) -> None:
    voter, _ = voter_with_a_counted_ballot(entries)
    body = revocation_body(context_of(entries).fingerprint,
                           [base_mult(voter_secret(entries, voter))], [], "sold their code",
                           authority_secret(), TestRng(b"r"))
    insert_revocation(entries, body)
    said = "\n".join(e.describe() for e in check(save(entries, tmp_path / "r.jsonl")).warnings())
    assert "without a request by the member); reason: “sold their code”" in said


@pytest.mark.parametrize(("change", "expected"), [
    ({"reason": "changed after signing"}, "field signature: the revocation-signature"),
    ({"requested_at": "2026-12-01T09:30:00Z"}, "field signature: the revocation-signature"),
])
def test_a_reason_or_request_changed_after_signing(entries: Entries, tmp_path: Path,
                                                   change: dict[str, Any],
                                                   expected: str) -> None:
    voter, _ = voter_with_a_counted_ballot(entries)
    body = revocation_body(context_of(entries).fingerprint,
                           [base_mult(voter_secret(entries, voter))], [], "lost",
                           authority_secret(), TestRng(b"r"))
    at = insert_revocation(entries, {**body, **change})
    assert f"entry {at}, {expected}" in problems(check(save(entries, tmp_path / "r.jsonl")))


@pytest.mark.parametrize(("statement", "expected"), [
    ({"reason": "", "requested_at": None}, "field reason: must be a published reason"),
    ({"reason": "   ", "requested_at": None}, "field reason: must be a published reason"),
    ({"reason": "x" * 501, "requested_at": None}, "field reason: must be a published reason"),
    ({"reason": 7, "requested_at": None}, "field reason: must be a published reason"),
    ({"reason": "lost", "requested_at": "yesterday"}, "field requested_at: must be null or"),
    ({"reason": "lost", "requested_at": "2026-12-03T00:00:00Z"},
     "field requested_at: requested_at 2026-12-03T00:00:00Z is later than the revocation's"),
])
def test_a_signed_revocation_of_the_wrong_form(entries: Entries, tmp_path: Path,
                                               statement: dict[str, Any], expected: str) -> None:
    voter, _ = voter_with_a_counted_ballot(entries)
    body = signed(entries, {"added": [], "revoked": [base_mult(voter_secret(entries, voter)).hex()],
                            **statement})
    at = insert_revocation(entries, body)
    assert f"entry {at}, {expected}" in problems(check(save(entries, tmp_path / "r.jsonl")))


def test_an_empty_revocation_is_invalid(entries: Entries, tmp_path: Path) -> None:
    at = insert_revocation(entries, signed(entries, {"added": [], "revoked": [],
                                                     "reason": "nothing", "requested_at": None}))
    said = problems(check(save(entries, tmp_path / "r.jsonl")))
    assert f"entry {at}, field revoked: a revocation names at least one credential" in said


def test_a_credential_revoked_twice_in_one_entry_is_invalid(entries: Entries,
                                                            tmp_path: Path) -> None:
    voter, _ = voter_with_a_counted_ballot(entries)
    credential = base_mult(voter_secret(entries, voter)).hex()
    at = insert_revocation(entries, signed(entries, {
        "added": [], "revoked": [credential, credential], "reason": "lost", "requested_at": None}))
    said = problems(check(save(entries, tmp_path / "r.jsonl")))
    assert f"entry {at}, field revoked[1]: not an eligible credential, or already revoked" in said


def test_a_revocation_without_requested_at_is_invalid(entries: Entries, tmp_path: Path) -> None:
    voter, _ = voter_with_a_counted_ballot(entries)
    body = signed(entries, {"added": [], "reason": "lost",
                            "revoked": [base_mult(voter_secret(entries, voter)).hex()]})
    at = insert_revocation(entries, body)
    said = problems(check(save(entries, tmp_path / "r.jsonl")))
    assert (f"entry {at}: a revocation holds exactly revoked, added, reason, requested_at and "
            "signature") in said
