"""Write tests/vectors/threshold.json and tests/vectors/backup.json.

    .venv/bin/python tests/vectors/generate_threshold.py

Every scalar comes from the test generator of docs/protocol.md section 2.5,
one generator per step, seeded with the ASCII strings named in each file's
"seeds", so the JavaScript implementation reproduces every body byte for
byte. tests/crypto/test_threshold_vectors.py regenerates and compares.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from omov.crypto.backup import encrypt_backup
from omov.crypto.decryption import check_partial_decryption, combine, parse_tally, partial_decrypt
from omov.crypto.dkg import check_complaint, commit, complain, deal_shares, receive_shares
from omov.crypto.dkg_messages import TrusteeState
from omov.crypto.dkg_review import review_key_generation
from omov.crypto.elgamal import encrypt
from omov.crypto.group import L, Scalar
from omov.crypto.threshold import joint_key, verification_keys
from omov.crypto.transcript import TestRng

HERE = Path(__file__).resolve().parent
MANIFEST_DIGEST = hashlib.sha256(b"omov threshold test vector manifest").digest()
FINGERPRINT = hashlib.sha256(b"omov threshold test vector fingerprint").digest()
TRUSTEES = 3
THRESHOLD = 2
TOTALS = [[2, 5], [0, 1, 3]]
COUNTED = 6


def _rng(seed: str) -> TestRng:
    return TestRng(seed.encode("ascii"))


def _cheat(state: TrusteeState) -> TrusteeState:
    """The same trustee dealing from a polynomial whose last coefficient is one more."""
    last = Scalar.from_int((state.coefficients[-1].value + 1) % L)
    return TrusteeState(
        state.manifest_digest, state.index, state.communication_secret,
        (*state.coefficients[:-1], last),
    )


def threshold_vectors() -> dict[str, Any]:
    states = {}
    commitment_bodies = []
    for i in range(1, TRUSTEES + 1):
        states[i], body = commit(MANIFEST_DIGEST, i, THRESHOLD, _rng(f"commit-{i}"))
        commitment_bodies.append(body)
    review = review_key_generation(
        MANIFEST_DIGEST, TRUSTEES, THRESHOLD, commitment_bodies, [], []
    )
    shares_bodies = [
        deal_shares(states[i], review.commitments, _rng(f"deal-{i}")) for i in states
    ]
    review = review_key_generation(
        MANIFEST_DIGEST, TRUSTEES, THRESHOLD, commitment_bodies, shares_bodies, []
    )
    members = review.qualified(THRESHOLD)
    points = review.coefficient_commitments()
    finals = {
        i: receive_shares(states[i], review.commitments, review.shares, members) for i in states
    }
    public_key = joint_key(points, members)
    keys = verification_keys(points, members, members)

    # Trustee 1 complains, falsely, about trustee 2's honest share.
    false_complaint = complain(states[1], review.shares[2], _rng("false-complaint"))
    # Trustee 2 cheats: its shares do not match its commitments; trustee 3 complains.
    cheating_shares = deal_shares(_cheat(states[2]), review.commitments, _rng("deal-2"))
    cheat_review = review_key_generation(
        MANIFEST_DIGEST, TRUSTEES, THRESHOLD, commitment_bodies,
        [shares_bodies[0], cheating_shares, shares_bodies[2]], [],
    )
    upheld_complaint = complain(states[3], cheat_review.shares[2], _rng("complaint"))
    assert check_complaint(
        MANIFEST_DIGEST, upheld_complaint, cheat_review.commitments, cheat_review.shares
    )
    cheat_review = review_key_generation(
        MANIFEST_DIGEST, TRUSTEES, THRESHOLD, commitment_bodies,
        [shares_bodies[0], cheating_shares, shares_bodies[2]], [upheld_complaint],
    )
    cheat_members = cheat_review.qualified(THRESHOLD)

    tally_rng = _rng("tally")
    tally_body = {
        "counted": COUNTED,
        "ciphertexts": [
            [encrypt(public_key, v, tally_rng.scalar()).to_json() for v in row] for row in TOTALS
        ],
    }
    counted, tally = parse_tally(tally_body)
    partial_bodies = {
        i: partial_decrypt(finals[i], i, FINGERPRINT, tally, _rng(f"partial-{i}")) for i in members
    }
    partials = {
        i: check_partial_decryption(FINGERPRINT, body, tally, keys[i])
        for i, body in partial_bodies.items()
    }
    subsets = [[1, 2], [1, 3], [2, 3], [1, 2, 3]]
    combined = {
        ",".join(map(str, s)): combine(tally, {i: partials[i] for i in s}, THRESHOLD, counted)
        for s in subsets
    }
    _, null_tally = parse_tally({"counted": 0, "ciphertexts": [[None, None], [None]]})

    return {
        "description": "Key generation among 3 trustees with threshold 2 (section 8), "
        "complaints (8.3) and partial decryption (9). Each step draws from "
        "TestRng(seed) with the seed named in seeds.",
        "seeds": {
            "commit": "commit-<trustee>",
            "deal": "deal-<trustee> (also for the cheating dealing)",
            "false_complaint": "false-complaint",
            "upheld_complaint": "complaint",
            "tally": "tally (one scalar per ciphertext, in order)",
            "partial_decryption": "partial-<trustee>",
        },
        "manifest_digest": MANIFEST_DIGEST.hex(),
        "fingerprint": FINGERPRINT.hex(),
        "trustees": TRUSTEES,
        "threshold": THRESHOLD,
        "states": [states[i].to_json() for i in states],
        "commitments": commitment_bodies,
        "shares": shares_bodies,
        "final_shares": {str(i): finals[i].hex() for i in finals},
        "joint_key": {"qualified": list(members), "public_key": public_key.hex()},
        "verification_keys": {str(i): keys[i].hex() for i in keys},
        "false_complaint": {"body": false_complaint, "upheld": False},
        "cheating": {
            "description": "trustee 2 deals from its polynomial with the last coefficient "
            "plus one; trustee 3 complains and trustee 2 is disqualified",
            "shares": cheating_shares,
            "complaint": upheld_complaint,
            "upheld": True,
            "qualified": list(cheat_members),
        },
        "decryption": {
            "tally": tally_body,
            "partial_decryptions": [partial_bodies[i] for i in members],
            "totals_by_subset": {k: [list(row) for row in v] for k, v in combined.items()},
            "null_tally_partial_decryption": partial_decrypt(
                finals[1], 1, FINGERPRINT, null_tally, _rng("partial-1")
            ),
        },
    }


def backup_vectors() -> dict[str, Any]:
    state, _ = commit(MANIFEST_DIGEST, 1, THRESHOLD, _rng("commit-1"))
    cases = []
    for passphrase, seed in (("correct horse battery staple", 0), ("caf\u0065\u0301 au lait", 64)):
        stream = iter(range(seed, seed + 32))
        document = encrypt_backup(
            state.to_json(), passphrase, lambda n, s=stream: bytes(next(s) for _ in range(n))
        )
        cases.append({"passphrase": passphrase, "state": state.to_json(), "backup": document})
    return {
        "description": "Trustee backups (section 13). The salt is the first 16 bytes "
        "drawn and the nonce the next 16; the bytes drawn count up from a start value. "
        "The second passphrase is in NFD form and is normalised to NFC before scrypt.",
        "cases": cases,
    }


def render(vectors: dict[str, Any]) -> str:
    return json.dumps(vectors, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    files = (("threshold.json", threshold_vectors()), ("backup.json", backup_vectors()))
    for name, vectors in files:
        (HERE / name).write_text(render(vectors), encoding="utf-8")
        print(f"wrote {HERE / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
