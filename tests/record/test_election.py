"""What the platform runs at cast time: `accept_ballot` and the board's rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from omov.crypto.errors import InvalidBallot, InvalidProof
from omov.crypto.group import Scalar, base_mult
from omov.record.election import CastingRules, accept_ballot, close_body, open_body
from omov.record.roll import CredentialRoll
from omov.record.simulation import simulate
from tests.record.tamper_kit import PLAN, context_of, load, new_ballot, positions, voter_secret


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    path: Path = tmp_path_factory.mktemp("election") / "r.omov.jsonl"
    simulate(path, PLAN)
    return load(path)


@pytest.fixture
def rules(entries: list[dict[str, Any]]) -> CastingRules:
    roll = entries[positions(entries, "credential_roll")[0]]["body"]["credentials"]
    return CastingRules(CredentialRoll.from_credentials(roll))


def test_accepts_a_ballot_from_a_credential_on_the_roll(entries: list[dict[str, Any]],
                                                         rules: CastingRules) -> None:
    prepared = new_ballot(entries, voter_secret(entries, 4), b"ok")
    verified = accept_ballot(context_of(entries), rules, prepared.ballot)
    assert verified.hash == prepared.hash
    assert verified.credential == base_mult(voter_secret(entries, 4))


def test_rejects_what_the_board_forbids(entries: list[dict[str, Any]],
                                        rules: CastingRules) -> None:
    context = context_of(entries)
    prepared = new_ballot(entries, voter_secret(entries, 4), b"again")
    rules.cast_hashes.add(prepared.hash)
    with pytest.raises(InvalidBallot, match="already cast"):
        accept_ballot(context, rules, prepared.ballot)
    rules.cast_hashes.clear()
    rules.audited_hashes.add(prepared.hash)
    with pytest.raises(InvalidBallot, match="audited"):
        accept_ballot(context, rules, prepared.ballot)
    rules.audited_hashes.clear()
    rules.revoked.add(bytes.fromhex(prepared.ballot["credential"]))
    with pytest.raises(InvalidBallot, match="revoked"):
        accept_ballot(context, rules, prepared.ballot)
    stranger = new_ballot(entries, Scalar.from_int(77), b"stranger")
    with pytest.raises(InvalidBallot, match="not on the credential roll") as raised:
        accept_ballot(context, rules, stranger.ballot)
    assert raised.value.field == "credential"


def test_rejects_a_ballot_with_a_broken_proof(entries: list[dict[str, Any]],
                                              rules: CastingRules) -> None:
    prepared = new_ballot(entries, voter_secret(entries, 6), b"broken")
    prepared.ballot["answers"][1]["proofs"][0]["responses"][0] = Scalar.from_int(1).hex()
    with pytest.raises(InvalidProof) as raised:
        accept_ballot(context_of(entries), rules, prepared.ballot)
    assert raised.value.field == "answers[1].proofs[0]"


def test_entry_bodies() -> None:
    assert open_body(b"\x01" * 32, "2026-12-01T09:00:00Z") == {
        "fingerprint": "01" * 32, "opened_at": "2026-12-01T09:00:00Z"}
    assert close_body("2026-12-02T21:00:00Z", 7) == {
        "closed_at": "2026-12-02T21:00:00Z", "ballots": 7}
