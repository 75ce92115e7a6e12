"""The verifiable shuffle (docs/protocol.md section 14): it shuffles, it proves,
and its verifier rejects every kind of wrong shuffle and malformed proof."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import pytest
import rbcl

from omov.crypto.elgamal import Ciphertext, decrypt_to_point, encrypt
from omov.crypto.errors import InvalidEncoding, InvalidProof
from omov.crypto.group import G, Point, Scalar, base_mult
from omov.crypto.shuffle import (
    CHAIN_BASE,
    ShuffleContext,
    _weights,
    generators,
    prove_shuffle,
    rows_digest,
    shuffle_rows,
    verify_shuffle,
)
from omov.crypto.shuffle_proof import ShuffleProof, rows_from_json, rows_to_json
from omov.crypto.transcript import TestRng, challenge, transcript_bytes

SECRET = TestRng(b"shuffle test key").scalar()
KEY = base_mult(SECRET)
CONTEXT = ShuffleContext(hashlib.sha256(b"election").digest(), "committee", 1)


def _rows(n: int, width: int, seed: bytes = b"rows") -> list[list[Ciphertext]]:
    rng = TestRng(seed)
    return [[encrypt(KEY, (j + k) % (width + 1), rng.scalar()) for k in range(width)]
            for j in range(n)]


def _values(rows: list[list[Ciphertext]]) -> list[list[Point]]:
    return [[decrypt_to_point(SECRET, ct) for ct in row] for row in rows]


def _shuffled(n: int, width: int, jobs: int = 1) -> tuple[Any, ...]:
    rows = _rows(n, width)
    rng = TestRng(b"shuffle")
    out, permutation, randomness = shuffle_rows(KEY, rows, rng, jobs)
    proof = prove_shuffle(KEY, rows, out, permutation, randomness, CONTEXT, rng, jobs)
    return rows, out, permutation, randomness, proof


def _rejected(inputs: Any, outputs: Any, proof: ShuffleProof,
              context: ShuffleContext = CONTEXT, key: Point = KEY) -> InvalidProof:
    with pytest.raises(InvalidProof) as caught:
        verify_shuffle(key, inputs, outputs, proof, context)
    return caught.value


def _reencrypted(ct: Ciphertext, r: Scalar, key: Point = KEY) -> Ciphertext:
    return Ciphertext(ct.alpha + base_mult(r), ct.beta + r * key)


@pytest.mark.parametrize(("n", "width"), [(1, 1), (2, 1), (1, 10), (2, 10), (7, 3)])
def test_an_honest_shuffle_permutes_reencrypts_and_verifies(n: int, width: int) -> None:
    rows, out, permutation, _, proof = _shuffled(n, width)
    verify_shuffle(KEY, rows, out, proof, CONTEXT)
    assert sorted(permutation) == list(range(n))
    before, after = _values(rows), _values(out)
    assert [before[i] for i in permutation] == after
    assert all(a != b for r, o in zip(rows, out, strict=True) for a, b in zip(r, o, strict=True))


def test_proof_and_rows_survive_json() -> None:
    rows, out, _, _, proof = _shuffled(4, 3)
    again = ShuffleProof.from_json(proof.to_json())
    assert again == proof
    verify_shuffle(KEY, rows_from_json(rows_to_json(rows)), rows_from_json(rows_to_json(out)),
                   again, CONTEXT)


def test_two_processes_give_the_same_shuffle_and_proof() -> None:
    one = _shuffled(70, 2, jobs=1)
    two = _shuffled(70, 2, jobs=2)
    assert one == two
    verify_shuffle(KEY, one[0], one[1], one[4], CONTEXT, jobs=2)


def test_a_dropped_row_is_rejected() -> None:
    rows, out, _, _, proof = _shuffled(4, 2)
    error = _rejected(rows, out[:-1], proof)
    assert error.field == "output" and "4 input rows but 3 output rows" in error.reason


def test_a_duplicated_row_is_rejected() -> None:
    rows, out, permutation, randomness, _ = _shuffled(4, 2)
    cheat = list(out)
    cheat[1] = [_reencrypted(ct, Scalar(5)) for ct in out[0]]
    proof = prove_shuffle(KEY, rows, cheat, permutation, randomness, CONTEXT, TestRng(b"c"))
    assert "does not verify" in _rejected(rows, cheat, proof).reason


def test_a_replaced_row_is_rejected() -> None:
    rows, out, permutation, randomness, _ = _shuffled(4, 2)
    cheat = list(out)
    cheat[2] = [encrypt(KEY, 1, Scalar(9)), encrypt(KEY, 2, Scalar(11))]
    proof = prove_shuffle(KEY, rows, cheat, permutation, randomness, CONTEXT, TestRng(b"c"))
    _rejected(rows, cheat, proof)


def test_two_ciphertexts_swapped_within_a_row_are_rejected() -> None:
    rows, out, permutation, randomness, _ = _shuffled(3, 3)
    cheat = list(out)
    cheat[0] = [out[0][1], out[0][0], out[0][2]]
    swapped = list(randomness)
    swapped[0] = [randomness[0][1], randomness[0][0], randomness[0][2]]
    for witness in (randomness, swapped):
        proof = prove_shuffle(KEY, rows, cheat, permutation, witness, CONTEXT, TestRng(b"c"))
        _rejected(rows, cheat, proof)


def test_a_shuffle_under_another_key_is_rejected() -> None:
    rows = _rows(3, 2)
    other = base_mult(Scalar(1234567))
    rng = TestRng(b"other key")
    out, permutation, randomness = shuffle_rows(other, rows, rng)
    for proving_key in (other, KEY):
        proof = prove_shuffle(proving_key, rows, out, permutation, randomness, CONTEXT, rng)
        _rejected(rows, out, proof)
    # The proof made under the other key holds for that key, and only that one.
    proof = prove_shuffle(other, rows, out, permutation, randomness, CONTEXT, rng)
    verify_shuffle(other, rows, out, proof, CONTEXT)


def test_a_proof_does_not_carry_over_to_another_input_output_or_context() -> None:
    rows, out, _, _, proof = _shuffled(3, 2)
    _rejected(_rows(3, 2, b"other rows"), out, proof)
    _rejected(rows, list(reversed(out)), proof)
    _rejected(rows, rows, proof)
    for context in (
        replace(CONTEXT, fingerprint=bytes(32)),
        replace(CONTEXT, question="treasurer"),
        replace(CONTEXT, trustee=2),
    ):
        _rejected(rows, out, proof, context)


def test_every_altered_member_of_the_proof_is_rejected() -> None:
    rows, out, _, _, proof = _shuffled(3, 2)
    one = Scalar(1)
    bump = Point(rbcl.crypto_core_ristretto255_add(G.encoded, proof.chain[1].encoded))
    altered = [
        replace(proof, challenge=proof.challenge + one),
        replace(proof, s1=proof.s1 + one),
        replace(proof, s2=proof.s2 + one),
        replace(proof, s3=proof.s3 + one),
        replace(proof, s4=(proof.s4[0], proof.s4[1] + one)),
        replace(proof, s_hat=(proof.s_hat[0], proof.s_hat[1] + one, proof.s_hat[2])),
        replace(proof, s_prime=(proof.s_prime[0] + one, *proof.s_prime[1:])),
        replace(proof, chain=(proof.chain[0], bump, proof.chain[2])),
        replace(proof, commitments=(proof.commitments[1], proof.commitments[0],
                                    proof.commitments[2])),
    ]
    for bad in altered:
        _rejected(rows, out, bad)


def test_sizes_that_do_not_match_the_rows_are_named() -> None:
    rows, out, _, _, proof = _shuffled(3, 2)
    short = replace(proof, commitments=proof.commitments[:2])
    assert _rejected(rows, out, short).field == "proof.commitments"
    assert _rejected(rows, out, replace(proof, s4=proof.s4[:1])).field == "proof.s4"
    assert _rejected(rows, [row[:1] for row in out], proof).field == "output"
    ragged = [out[0], out[1][:1], out[2]]
    error = _rejected(rows, ragged, proof)
    assert error.field == "output[1]" and "2 ciphertexts" in error.reason
    assert _rejected([], [], proof).field == "input"


def _mangled(proof: ShuffleProof, path: str, value: Any) -> dict[str, Any]:
    obj = proof.to_json()
    name, _, index = path.partition("[")
    if index:
        obj[name][int(index[:-1])] = value
    elif value is None:
        del obj[name]
    else:
        obj[name] = value
    return obj


@pytest.mark.parametrize(("path", "value", "field", "reason"), [
    ("s1", None, "s1", "missing member"),
    ("s_hat", [], "s_hat", "non-empty list"),
    ("s_prime", "00", "s_prime", "non-empty list"),
    ("chain[1]", "00" * 32, "chain[1]", "identity"),
    ("commitments[0]", "zz", "commitments[0]", "64 lowercase hexadecimal"),
    ("s_hat[2]", "ff" * 32, "s_hat[2]", "not canonical"),
    ("s4[0]", "AB" * 32, "s4[0]", "64 lowercase hexadecimal"),
    ("challenge", 7, "challenge", "64 lowercase hexadecimal"),
])
def test_malformed_proofs_are_refused_with_the_member_at_fault(
    path: str, value: Any, field: str, reason: str
) -> None:
    proof = _shuffled(3, 2)[4]
    with pytest.raises(InvalidEncoding) as caught:
        ShuffleProof.from_json(_mangled(proof, path, value), None)
    assert caught.value.field == field
    assert reason in caught.value.reason


def test_proof_members_must_be_exactly_those_of_the_spec() -> None:
    obj = _shuffled(2, 1)[4].to_json()
    with pytest.raises(InvalidEncoding, match="unexpected member 'extra'"):
        ShuffleProof.from_json({**obj, "extra": 1}, "shuffle.proof")
    obj["chain"] = obj["chain"][:1]
    with pytest.raises(InvalidEncoding) as caught:
        ShuffleProof.from_json(obj, "shuffle.proof")
    assert caught.value.field == "shuffle.proof.chain"
    assert "one of each per row" in caught.value.reason
    with pytest.raises(InvalidEncoding, match="JSON object"):
        ShuffleProof.from_json([], None)


def test_rows_json_must_be_rectangular() -> None:
    rows = rows_to_json(_rows(2, 2))
    with pytest.raises(InvalidEncoding) as caught:
        rows_from_json([rows[0], rows[1][:1]], "input")
    assert caught.value.field == "input[1]"
    with pytest.raises(InvalidEncoding):
        rows_from_json([], "input")
    with pytest.raises(InvalidEncoding) as caught:
        rows_from_json([[{"alpha": "00" * 32, "beta": rows[0][0]["beta"]}]], "input")
    assert caught.value.field == "input[0][0].alpha"


def test_the_prover_refuses_a_witness_that_is_not_one() -> None:
    rows, out, permutation, randomness, _ = _shuffled(3, 1)
    with pytest.raises(ValueError, match="not a permutation"):
        prove_shuffle(KEY, rows, out, [0, 0, 1], randomness, CONTEXT, TestRng(b"c"))
    with pytest.raises(ValueError, match="one scalar per output ciphertext"):
        prove_shuffle(KEY, rows, out, permutation, randomness[:2], CONTEXT, TestRng(b"c"))


def test_generators_digests_and_weights_are_the_transcripts_of_section_2_4() -> None:
    for j, h in enumerate(generators(3)):
        digest = hashlib.sha512(transcript_bytes("shuffle-generator", j)).digest()
        assert h == rbcl.crypto_core_ristretto255_from_hash(digest)
    digest = hashlib.sha512(transcript_bytes("shuffle-chain-base")).digest()
    assert rbcl.crypto_core_ristretto255_from_hash(digest) == CHAIN_BASE
    rows = _rows(2, 2)
    points = [p for row in rows for ct in row for p in (ct.alpha, ct.beta)]
    assert rows_digest(rows) == hashlib.sha256(
        transcript_bytes("shuffle-rows", 2, 2, *points)).digest()
    seed = Scalar(123456789)
    assert _weights(seed.value, 3) == [challenge("shuffle-weight", seed, i).value
                                       for i in range(3)]
