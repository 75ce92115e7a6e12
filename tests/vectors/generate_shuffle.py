"""Write tests/vectors/shuffle.json: shuffles with their proofs (section 14).

    .venv/bin/python tests/vectors/generate_shuffle.py

Every scalar comes from the test generator of docs/protocol.md section 2.5:
each case's input rows from the seed "shuffle-input-<name>", and its shuffle
and proof from one generator seeded "shuffle-<name>" (shuffle_rows draws
first, prove_shuffle goes on from where it stopped), so the JavaScript
implementation reproduces every byte. "rejected" lists altered proofs,
outputs and contexts with the error a verifier must report.
tests/crypto/test_shuffle_vectors.py regenerates and compares.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from omov.crypto.elgamal import encrypt
from omov.crypto.errors import ProtocolError
from omov.crypto.group import Point, base_mult
from omov.crypto.shuffle import (
    CHAIN_BASE,
    ShuffleContext,
    _Statement,
    _weights,
    generators,
    prove_shuffle,
    rows_digest,
    shuffle_rows,
    verify_shuffle,
)
from omov.crypto.shuffle_proof import ShuffleProof, rows_from_json, rows_to_json
from omov.crypto.transcript import TestRng

HERE = Path(__file__).resolve().parent
SECRET = TestRng(b"shuffle-key").scalar()
FINGERPRINT = hashlib.sha256(b"omov shuffle test vector fingerprint").digest()
CASES = (("one", 1, 1), ("two", 2, 1), ("five-by-three", 5, 3), ("three-by-ten", 3, 10))


def _context_json(context: ShuffleContext) -> dict[str, Any]:
    return {"fingerprint": context.fingerprint.hex(), "question": context.question,
            "trustee": context.trustee}


def _case(name: str, n: int, width: int, trustee: int) -> dict[str, Any]:
    key = base_mult(SECRET)
    source = TestRng(f"shuffle-input-{name}".encode("ascii"))
    # Ranked rows: ciphertext k of row j encrypts (j + k) mod (w + 1).
    inputs = [[encrypt(key, (j + k) % (width + 1), source.scalar()) for k in range(width)]
              for j in range(n)]
    rng = TestRng(f"shuffle-{name}".encode("ascii"))
    context = ShuffleContext(FINGERPRINT, f"question-{name}", trustee)
    outputs, permutation, randomness = shuffle_rows(key, inputs, rng)
    proof = prove_shuffle(key, inputs, outputs, permutation, randomness, context, rng)
    verify_shuffle(key, inputs, outputs, proof, context)
    commitments = [p.encoded for p in proof.commitments]
    seed = _Statement.of(context, key, inputs, outputs, commitments).transcript(
        "shuffle-seed").challenge()
    return {
        "name": name, "rows": n, "width": width, "context": _context_json(context),
        "input": rows_to_json(inputs), "output": rows_to_json(outputs),
        "permutation": permutation,
        "randomness": [[r.hex() for r in row] for row in randomness],
        "input_digest": rows_digest(inputs).hex(), "output_digest": rows_digest(outputs).hex(),
        "seed": seed.to_bytes(32, "little").hex(),
        "weights": [u.to_bytes(32, "little").hex() for u in _weights(seed, n)],
        "proof": proof.to_json(),
    }


def _outcome(key_hex: str, case: dict[str, Any], output: Any, proof: Any,
             context: dict[str, Any]) -> tuple[str, str | None]:
    """The error class and field the Python verifier reports."""
    try:
        parsed = ShuffleProof.from_json(proof)
        verify_shuffle(Point.from_hex(key_hex), rows_from_json(case["input"], "input"),
                       rows_from_json(output, "output"), parsed,
                       ShuffleContext(bytes.fromhex(context["fingerprint"]),
                                      context["question"], context["trustee"]))
    except ProtocolError as error:
        return type(error).__name__, error.field
    raise AssertionError("an altered shuffle verified")


def _rejected(key_hex: str, case: dict[str, Any]) -> list[dict[str, Any]]:
    proof, output, context = case["proof"], case["output"], case["context"]
    bumped = dict(proof, s1=case["proof"]["s2"])
    swapped = dict(proof, chain=[proof["commitments"][0], *proof["chain"][1:]])
    variants = [
        ("the proof of another trustee's shuffle", output, proof, dict(context, trustee=9)),
        ("the proof for another question", output, proof, dict(context, question="other")),
        ("the output rows in another order", list(reversed(output)), proof, context),
        ("one output row dropped", output[:-1], proof, context),
        ("a response replaced", output, bumped, context),
        ("a chain commitment replaced", output, swapped, context),
        ("a member missing", output, {k: v for k, v in proof.items() if k != "s_hat"}, context),
        ("one response per row too few", output, dict(proof, s_prime=proof["s_prime"][:-1]),
         context),
        ("an identity commitment", output,
         dict(proof, commitments=["00" * 32, *proof["commitments"][1:]]), context),
        ("one column response too many", output, dict(proof, s4=[*proof["s4"], proof["s1"]]),
         context),
    ]
    out = []
    for description, bad_output, bad_proof, bad_context in variants:
        error, field = _outcome(key_hex, case, bad_output, bad_proof, bad_context)
        out.append({"description": description, "output": bad_output, "proof": bad_proof,
                    "context": bad_context, "error": error, "field": field})
    return out


def shuffle_vectors() -> dict[str, Any]:
    key_hex = base_mult(SECRET).hex()
    cases = [_case(name, n, width, trustee)
             for trustee, (name, n, width) in enumerate(CASES, start=1)]
    return {
        "about": "docs/protocol.md section 14; written by tests/vectors/generate_shuffle.py",
        "secret_key": SECRET.hex(),
        "public_key": key_hex,
        "generators": [h.hex() for h in generators(5)],
        "chain_base": CHAIN_BASE.hex(),
        "cases": cases,
        "rejected": {"case": "five-by-three", "variants": _rejected(key_hex, cases[2])},
    }


def render(vectors: dict[str, Any]) -> str:
    return json.dumps(vectors, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    path = HERE / "shuffle.json"
    path.write_text(render(shuffle_vectors()), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
