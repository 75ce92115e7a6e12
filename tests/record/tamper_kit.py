"""Helpers for the tamper suite: a small simulated record and ways to alter it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from omov.crypto.ballot import (
    OPTION_VALUES,
    TAG_BALLOT_SIGNATURE,
    TAG_OPTION,
    ElectionContext,
    PreparedBallot,
    _prove_sum,
    encrypt_ballot,
)
from omov.crypto.canonical import canonical_json
from omov.crypto.credentials import credential_secret, public_credential
from omov.crypto.elgamal import Ciphertext
from omov.crypto.group import Point, Scalar
from omov.crypto.proofs import SchnorrProof, ValueSetProof
from omov.crypto.transcript import TestRng
from omov.record.manifest import parse_manifest
from omov.record.report import Report
from omov.record.simulated_voters import voter_code
from omov.record.simulation import SimulationPlan, master_secret
from omov.record.verifier import verify_record

SEED = b"tamper-suite"
PLAN = SimulationPlan(voters=30, trustees=3, threshold=2, questions="mixed", seed=SEED,
                      revote_rate=0.15, audit_rate=0.1)
MIXED_SELECTIONS = [[1, 0], [0, 0, 1], [1, 0, 0, 0, 0], [0, 1, 1, 0], [0, 0, 0, 1]]


def load(path: Path) -> list[dict[str, Any]]:
    """The record's entries as JSON objects."""
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def save(entries: list[dict[str, Any]], path: Path, rechain: bool = True) -> Path:
    """Write entries canonically; with `rechain`, renumber and re-link them all
    (and stamp an inserted entry that has no time).

    Re-chaining is what an attacker who rewrites the whole file would do, so
    that only the checks of the content can catch the change.
    """
    previous = bytes(32)
    time = "2026-12-01T08:00:00.000000Z"
    lines = []
    for index, entry in enumerate(entries):
        if rechain:
            # An inserted entry without a time stamp takes the time of the one before.
            time = entry.get("time", time)
            entry = {**entry, "index": index, "previous": previous.hex(), "time": time}
        line = canonical_json(entry)
        previous = hashlib.sha256(line).digest()
        lines.append(line + b"\n")
    path.write_bytes(b"".join(lines))
    return path


def positions(entries: list[dict[str, Any]], kind: str) -> list[int]:
    """The positions of the entries of `kind`."""
    return [n for n, entry in enumerate(entries) if entry["kind"] == kind]


def check(path: Path) -> Report:
    """Verify in this process (one job), as the tests need no parallelism."""
    return verify_record(path, jobs=1)


def problems(report: Report) -> str:
    """Every failure and warning, one per line."""
    return "\n".join(error.describe() for error in report.failures() + report.warnings())


def context_of(entries: list[dict[str, Any]]) -> ElectionContext:
    """The election context a ballot for this record is made under."""
    manifest = parse_manifest(entries[0]["body"])
    joint = next(e for e in entries if e["kind"] == "joint_key")["body"]
    opened = next(e for e in entries if e["kind"] == "open")["body"]
    return ElectionContext(bytes.fromhex(opened["fingerprint"]),
                           Point.from_hex(joint["public_key"]), manifest.rules)


def voter_secret(entries: list[dict[str, Any]], voter: int) -> Scalar:
    """The credential secret of simulated voter `voter`."""
    manifest_digest = parse_manifest(entries[0]["body"]).digest
    return credential_secret(manifest_digest, voter_code(master_secret(SEED), voter))


def new_ballot(entries: list[dict[str, Any]], secret: Scalar, label: bytes) -> PreparedBallot:
    """A fresh, well-formed ballot for this record signed with `secret`."""
    return encrypt_ballot(context_of(entries), secret, MIXED_SELECTIONS, TestRng(label))


def authority_secret() -> Scalar:
    """The simulated credential authority's secret: the seeded generator's first draw."""
    return TestRng(master_secret(SEED)).scalar()


def ballot_entry(body: dict[str, Any]) -> dict[str, Any]:
    """A ballot entry to insert (index, previous and time are set by `save`)."""
    return {"body": body, "index": 0, "kind": "ballot", "previous": "0" * 64}


def ballot_from_audit(entries: list[dict[str, Any]], reveal: dict[str, Any],
                      label: bytes) -> dict[str, Any]:
    """A cast ballot around an audit's ciphertexts (a vote seller's ready-made
    receipt): fresh proofs from the revealed values and randomness, signed by
    simulated voter 0, so that it is otherwise a valid ballot."""
    ctx = context_of(entries)
    secret = voter_secret(entries, 0)
    credential = public_credential(secret)
    rng = TestRng(label)
    answers = []
    for q, rule in enumerate(ctx.rules):
        choices = [Ciphertext.from_json(item) for item in reveal["choices"][q]]
        drawn = [Scalar.from_hex(text) for text in reveal["randomness"][q]]
        row = tuple(reveal["selections"][q])
        proofs = [ValueSetProof.prove(TAG_OPTION, (ctx.fingerprint, credential, q, o),
                                      ctx.public_key, choice, OPTION_VALUES, row[o], r,
                                      rng).to_json()
                  for o, (choice, r) in enumerate(zip(choices, drawn, strict=True))]
        sum_proof = None
        if rule.needs_sum_proof:
            sum_proof = _prove_sum(ctx, credential, q, rule, choices, drawn, row, rng).to_json()
        answers.append({"choices": reveal["choices"][q], "proofs": proofs,
                        "sum_proof": sum_proof})
    unsigned = {"answers": answers, "credential": credential.hex(),
                "election": reveal["election"]}
    signature = SchnorrProof.prove(
        TAG_BALLOT_SIGNATURE,
        (ctx.fingerprint, hashlib.sha256(canonical_json(unsigned)).digest()),
        secret, rng,
    ).to_json()
    return {**unsigned, "signature": signature}
