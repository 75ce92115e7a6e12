"""Check 4 on a key generation with a cheating dealer, an upheld complaint and a joint key."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from omov.crypto.dkg import check_commitment, commit, complain, deal_shares
from omov.crypto.dkg_messages import TrusteeShares
from omov.crypto.group import Scalar, base_mult
from omov.crypto.threshold import joint_key
from omov.crypto.transcript import TestRng
from omov.record.board import GENESIS, Entry, make_entry
from omov.record.check_trustees import TrusteeChecks
from omov.record.manifest import parse_manifest
from omov.record.report import Report
from omov.record.simulated_manifest import simulated_manifest

MANIFEST = parse_manifest(simulated_manifest("yes_no", 3, 2, base_mult(Scalar.from_int(9))))


def entry(index: int, kind: str, body: dict[str, Any]) -> Entry:
    return make_entry(index, kind, GENESIS, body, "2026-12-01T08:00:00.000000Z")


def key_generation(cheater: int | None) -> tuple[list[Entry], dict[int, Any]]:
    """Commitments and shares of three trustees; `cheater` deals shares off its commitments."""
    rng = TestRng(b"dkg")
    digest = MANIFEST.digest
    states, entries, commitments = {}, [], {}
    for index in (1, 2, 3):
        states[index], body = commit(digest, index, 2, rng)
        entries.append(entry(len(entries) + 1, "trustee_commitment", body))
        commitments[index] = check_commitment(digest, body, 3, 2)
    for index in (1, 2, 3):
        state = states[index]
        if index == cheater:
            state = replace(state, coefficients=(Scalar.from_int(1), Scalar.from_int(2)))
        entries.append(entry(len(entries) + 1, "trustee_shares",
                             deal_shares(state, commitments, rng)))
    return entries, states


def run(entries: list[Entry]) -> tuple[TrusteeChecks, Report]:
    report = Report()
    checks = TrusteeChecks(MANIFEST, report)
    handlers = {"trustee_commitment": checks.commitment, "trustee_shares": checks.shares_entry,
                "trustee_complaint": checks.complaint, "joint_key": checks.joint_key_entry}
    for item in entries:
        handlers[item.kind](item)
    return checks, report


def test_an_upheld_complaint_disqualifies_the_cheating_dealer() -> None:
    entries, states = key_generation(cheater=1)
    dealt = TrusteeShares.from_json(entries[3].body)
    entries.append(entry(7, "trustee_complaint", complain(states[2], dealt, TestRng(b"c"))))
    commitments = {i: check_commitment(MANIFEST.digest, e.body, 3, 2).commitments
                   for i, e in zip((1, 2, 3), entries[:3], strict=True)}
    key = joint_key(commitments, (2, 3))
    entries.append(entry(8, "joint_key", {"qualified": [2, 3], "public_key": key.hex()}))
    checks, report = run(entries)
    assert report.ok, [e.describe() for e in report.failures()]
    assert checks.qualified == (2, 3) and checks.public_key == key
    assert checks.upheld_against == {1}


def test_a_joint_key_that_ignores_an_upheld_complaint_is_caught() -> None:
    entries, states = key_generation(cheater=1)
    dealt = TrusteeShares.from_json(entries[3].body)
    entries.append(entry(7, "trustee_complaint", complain(states[2], dealt, TestRng(b"c"))))
    entries.append(entry(8, "joint_key", {"qualified": [1, 2, 3], "public_key": "00" * 32}))
    _, report = run(entries)
    [failure] = report.failures()
    assert (failure.entry, failure.field) == (8, "qualified")
    assert "the qualified trustees are [2, 3], not [1, 2, 3]" in failure.reason


def test_a_complaint_against_an_honest_dealer_is_not_upheld() -> None:
    entries, states = key_generation(cheater=None)
    dealt = TrusteeShares.from_json(entries[3].body)
    entries.append(entry(7, "trustee_complaint", complain(states[2], dealt, TestRng(b"c"))))
    checks, report = run(entries)
    assert report.ok and checks.upheld_against == set()
    [warning] = report.warnings()
    assert "complaint by trustee 2 against trustee 1 is not upheld" in warning.reason


def test_a_second_commitment_by_a_trustee_is_caught() -> None:
    entries, _ = key_generation(cheater=None)
    entries.insert(3, entry(4, "trustee_commitment", entries[0].body))
    _, report = run(entries)
    [failure] = report.failures()
    assert (failure.entry, failure.field) == (4, "trustee")
    assert failure.reason == "a second commitment by trustee 1"
