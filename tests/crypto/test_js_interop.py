"""The browser's protocol library (frontend/) and omov.crypto agree.

A small node script (frontend/test/make-ballots.mjs) makes ballots, a key
generation and partial decryptions with the JavaScript library; these tests
check them with the Python code the server and the verifier run. Skipped only
when `node` is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from omov.crypto.ballot import ElectionContext, check_audit, fingerprint, tracker, verify_ballot
from omov.crypto.canonical import digest
from omov.crypto.credentials import credential_secret, normalise_code, public_credential
from omov.crypto.decryption import check_partial_decryption, combine
from omov.crypto.dkg import check_commitment, check_shares, qualified
from omov.crypto.elgamal import Ciphertext, encrypt
from omov.crypto.errors import ProtocolError
from omov.crypto.group import Scalar, base_mult
from omov.crypto.questions import QuestionRule
from omov.crypto.ranked import ranked_rows, ranking_from_cells
from omov.crypto.threshold import joint_key, verification_key
from omov.crypto.transcript import SystemRng

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
SCRIPT = FRONTEND / "test" / "make-ballots.mjs"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

QUESTIONS = [
    {"options": 2, "min": 1, "max": 1},  # yes/no: one encrypted value, no sum proof
    {"options": 3, "min": 1, "max": 1},  # yes/no/abstain
    {"options": 5, "min": 2, "max": 2},  # choose 2 of 5: sum proof over {1, 2}
    {"options": 6, "min": 0, "max": 6},  # approval: no sum proof
    {"options": 6, "min": 0, "max": 2},  # block vote: sum proof over {0, 1, 2}
    {"options": 4, "min": 1, "max": 3},  # choose 1 to 3 of 4
]


def run_js(request: dict[str, Any]) -> dict[str, Any]:
    """Run make-ballots.mjs with `request` on stdin and return its JSON answer."""
    assert NODE is not None
    if not (FRONTEND / "node_modules").is_dir():
        pytest.fail("frontend/node_modules is missing: run `npm ci` in frontend/")
    done = subprocess.run(
        [NODE, str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=FRONTEND,
        timeout=300,
        check=False,
        env={**os.environ, "NODE_NO_WARNINGS": "1"},
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def test_python_verifies_ballots_made_in_javascript() -> None:
    rng = SystemRng()
    election_secret = rng.scalar()
    public_key = base_mult(election_secret)
    manifest_digest = digest({"election_id": "js-interop", "questions": QUESTIONS})
    fingerprint = os.urandom(32)
    rules = tuple(QuestionRule(q["options"], q["min"], q["max"]) for q in QUESTIONS)
    ctx = ElectionContext(fingerprint, public_key, rules)
    answer = run_js(
        {
            "mode": "ballots",
            "fingerprint": fingerprint.hex(),
            "public_key": public_key.hex(),
            "manifest_digest": manifest_digest.hex(),
            "questions": QUESTIONS,
            "count": 8,
        }
    )
    assert len(answer["ballots"]) == 8
    for made in answer["ballots"]:
        verified = verify_ballot(ctx, made["ballot"])
        secret = credential_secret(manifest_digest, normalise_code(made["code"]))
        assert verified.credential == public_credential(secret)
        assert tracker(verified.hash) == made["tracker"]
        assert [list(row) for row in check_audit(ctx, made["audit"])] == made["selections"]
        for q, rule in enumerate(rules):
            for o, choice in enumerate(verified.choices[q]):
                message = choice.beta - election_secret * choice.alpha
                assert message == base_mult(Scalar.from_int(made["selections"][q][o]))
            assert sum(made["selections"][q]) in range(rule.min, rule.max + 1)


RANKED_QUESTIONS = [
    {"options": 2, "min": 1, "max": 1},
    {"options": 5, "min": 1, "max": 3, "ranked": True},  # rank 1 to 3 of 5
    {"options": 4, "min": 0, "max": 4, "ranked": True},  # rank up to all 4, or none
]


def test_python_verifies_ranked_ballots_made_in_javascript() -> None:
    election_secret = SystemRng().scalar()
    public_key = base_mult(election_secret)
    manifest_digest = digest({"election_id": "js-interop-ranked", "questions": RANKED_QUESTIONS})
    fingerprint = os.urandom(32)
    rules = tuple(QuestionRule(q["options"], q["min"], q["max"], ranked=q.get("ranked", False))
                  for q in RANKED_QUESTIONS)
    ctx = ElectionContext(fingerprint, public_key, rules)
    answer = run_js({"mode": "ballots", "fingerprint": fingerprint.hex(),
                     "public_key": public_key.hex(), "manifest_digest": manifest_digest.hex(),
                     "questions": RANKED_QUESTIONS, "count": 6})
    for made in answer["ballots"]:
        verified = verify_ballot(ctx, made["ballot"])
        selections = check_audit(ctx, made["audit"])
        for q in (1, 2):
            ranking = ranking_from_cells(rules[q], selections[q])
            rows = ranked_rows(rules[q], verified.choices[q])
            decrypted = [row.beta - election_secret * row.alpha for row in rows]
            expected = [j + 1 for j in ranking] + [0] * (rules[q].max - len(ranking))
            assert decrypted == [base_mult(Scalar.from_int(v)) for v in expected]


def test_javascript_computes_the_same_fingerprint() -> None:
    manifest_digest = digest({"election_id": "js-fingerprint"})
    public_key = base_mult(SystemRng().scalar())
    roll_digest = digest({"credentials": [public_key.hex()]})
    answer = run_js(
        {
            "mode": "fingerprint",
            "manifest_digest": manifest_digest.hex(),
            "public_key": public_key.hex(),
            "roll_digest": roll_digest.hex(),
        }
    )
    assert answer["fingerprint"] == fingerprint(manifest_digest, public_key, roll_digest).hex()


def test_python_rejects_a_javascript_ballot_for_another_election() -> None:
    public_key = base_mult(SystemRng().scalar())
    answer = run_js(
        {
            "mode": "ballots",
            "fingerprint": "11" * 32,
            "public_key": public_key.hex(),
            "manifest_digest": "22" * 32,
            "questions": QUESTIONS[:1],
            "count": 1,
        }
    )
    other = ElectionContext(bytes.fromhex("33" * 32), public_key, (QuestionRule(2, 1, 1),))
    with pytest.raises(ProtocolError) as raised:
        verify_ballot(other, answer["ballots"][0]["ballot"])
    assert raised.value.field == "election"


def test_python_checks_a_javascript_key_generation_and_partial_decryptions() -> None:
    manifest_digest = digest({"election_id": "js-trustees"})
    request = {
        "manifest_digest": manifest_digest.hex(),
        "trustees": 3,
        "threshold": 2,
        "seed": os.urandom(16).hex(),
    }
    dkg = run_js({**request, "mode": "dkg"})
    commitments = {
        body["trustee"]: check_commitment(manifest_digest, body, 3, 2)
        for body in dkg["commitments"]
    }
    shares = {
        body["trustee"]: check_shares(manifest_digest, body, commitments) for body in dkg["shares"]
    }
    members = qualified(commitments, shares, [], 2)
    assert members == (1, 2, 3)
    points = {index: c.commitments for index, c in commitments.items()}
    public_key = joint_key(points, members)

    rng = SystemRng()
    values = [[3, 0, 5], [7]]
    tally: list[list[Ciphertext | None]] = [
        [encrypt(public_key, v, rng.scalar()) for v in row] for row in values
    ]
    tally.append([None])  # a question with no counted ballot
    tally_json = [[None if c is None else c.to_json() for c in row] for row in tally]
    fingerprint = os.urandom(32)
    answer = run_js(
        {
            **request,
            "mode": "decrypt",
            "fingerprint": fingerprint.hex(),
            "tally": tally_json,
            "trustees_decrypting": [3, 1],
        }
    )
    partials = {}
    for body in answer["partial_decryptions"]:
        key = verification_key(points, members, body["trustee"])
        partials[body["trustee"]] = check_partial_decryption(fingerprint, body, tally, key)
    assert sorted(partials) == [1, 3]
    assert [list(row) for row in combine(tally, partials, 2, 10)] == [*values, [0]]
