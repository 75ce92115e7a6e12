"""Schnorr, DLEQ and disjunctive value-set proofs (section 4)."""

import pytest

from omov.crypto.elgamal import encrypt
from omov.crypto.errors import InvalidEncoding, InvalidProof
from omov.crypto.group import G, Scalar, base_mult
from omov.crypto.proofs import DleqProof, SchnorrProof, ValueSetProof
from omov.crypto.questions import QuestionRule
from omov.crypto.transcript import TestRng

CONTEXT = (b"\x01" * 32, 3)


def test_schnorr_proves_and_rejects() -> None:
    rng = TestRng(b"schnorr")
    secret = rng.scalar()
    public = base_mult(secret)
    proof = SchnorrProof.prove("t", CONTEXT, secret, rng)
    proof.verify("t", CONTEXT, public)
    assert SchnorrProof.from_json(proof.to_json()) == proof
    for tag, context, key in [("u", CONTEXT, public), ("t", (b"\x02" * 32, 3), public),
                              ("t", CONTEXT, public + G)]:
        with pytest.raises(InvalidProof) as caught:
            proof.verify(tag, context, key, field="signature")
        assert caught.value.field == "signature"
    bent = SchnorrProof(proof.challenge, proof.response + Scalar.from_int(1))
    with pytest.raises(InvalidProof):
        bent.verify("t", CONTEXT, public)


def test_dleq_proves_and_rejects() -> None:
    rng = TestRng(b"dleq")
    secret, base_a = rng.scalar(), base_mult(rng.scalar())
    proof = DleqProof.prove("d", CONTEXT, secret, base_a, rng)
    public, result = base_mult(secret), secret * base_a
    proof.verify("d", CONTEXT, public, base_a, result)
    assert DleqProof.from_json(proof.to_json()) == proof
    with pytest.raises(InvalidProof):
        proof.verify("d", CONTEXT, public, base_a, result + G)
    with pytest.raises(InvalidProof):
        proof.verify("d", CONTEXT, public, base_a + G, result)


@pytest.mark.parametrize("values,true_index", [([0, 1], 0), ([0, 1], 1), ([3], 0),
                                               ([1, 2, 3, 4], 2), ([0, 1, 2], 2)])
def test_value_set_proves_each_value(values: list[int], true_index: int) -> None:
    rng = TestRng(b"value-set")
    key = base_mult(rng.scalar())
    r = rng.scalar()
    ciphertext = encrypt(key, values[true_index], r)
    proof = ValueSetProof.prove("option", CONTEXT, key, ciphertext, values, true_index, r, rng)
    proof.verify("option", CONTEXT, key, ciphertext, values)
    assert ValueSetProof.from_json(proof.to_json()) == proof
    with pytest.raises(InvalidProof):
        proof.verify("sum", CONTEXT, key, ciphertext, values)


def test_value_set_rejects_value_outside_set() -> None:
    rng = TestRng(b"outside")
    key = base_mult(rng.scalar())
    r = rng.scalar()
    ciphertext = encrypt(key, 2, r)
    # A prover who claims 2 is in {0, 1} cannot make the proof verify.
    proof = ValueSetProof.prove("option", CONTEXT, key, ciphertext, [0, 1], 1, r, rng)
    with pytest.raises(InvalidProof, match="does not verify"):
        proof.verify("option", CONTEXT, key, ciphertext, [0, 1], field="answers[0].proofs[0]")


def test_value_set_length_checked() -> None:
    rng = TestRng(b"length")
    key = base_mult(rng.scalar())
    r = rng.scalar()
    ciphertext = encrypt(key, 0, r)
    proof = ValueSetProof.prove("option", CONTEXT, key, ciphertext, [0, 1], 0, r, rng)
    with pytest.raises(InvalidProof, match="expected 3 challenges") as caught:
        proof.verify("option", CONTEXT, key, ciphertext, [0, 1, 2], field="p")
    assert caught.value.field == "p"


@pytest.mark.parametrize(
    "obj,field",
    [
        ({"challenge": "00" * 32}, "sig"),
        ({"challenge": "00" * 32, "response": "ff" * 32}, "sig.response"),
        ({"challenge": "0" * 63, "response": "00" * 32}, "sig.challenge"),
        ([], "sig"),
    ],
)
def test_schnorr_json_rejections(obj: object, field: str) -> None:
    with pytest.raises(InvalidEncoding) as caught:
        SchnorrProof.from_json(obj, "sig")
    assert caught.value.field == field


@pytest.mark.parametrize(
    "obj,field",
    [
        ({"challenges": [], "responses": ["00" * 32]}, "p.challenges"),
        ({"challenges": ["00" * 32], "responses": "00"}, "p.responses"),
        ({"challenges": ["00" * 32, "ff" * 32], "responses": ["00" * 32]}, "p.challenges[1]"),
        ({"challenges": ["00" * 32], "responses": ["00" * 32], "x": 0}, "p"),
    ],
)
def test_value_set_json_rejections(obj: object, field: str) -> None:
    with pytest.raises(InvalidEncoding) as caught:
        ValueSetProof.from_json(obj, "p")
    assert caught.value.field == field


@pytest.mark.parametrize(
    "options,low,high,encrypted,implicit,sum_range,sum_proof",
    [
        (2, 1, 1, 1, True, (0, 1), False),
        (3, 1, 1, 2, True, (0, 1), True),
        (5, 0, 5, 5, False, (0, 5), False),
        (5, 0, 2, 5, False, (0, 2), True),
        (5, 2, 2, 4, True, (1, 2), True),
        (3, 3, 3, 2, True, (2, 2), True),
        (4, 1, 4, 4, False, (1, 4), True),
    ],
)
def test_question_rules(options: int, low: int, high: int, encrypted: int, implicit: bool,
                        sum_range: tuple[int, int], sum_proof: bool) -> None:
    rule = QuestionRule(options, low, high)
    assert rule.encrypted_count == encrypted
    assert rule.implicit_last is implicit
    assert rule.sum_range == sum_range
    assert rule.needs_sum_proof is sum_proof


@pytest.mark.parametrize("options,low,high", [(1, 1, 1), (3, 2, 1), (3, 0, 0), (3, 0, 4)])
def test_impossible_rules(options: int, low: int, high: int) -> None:
    with pytest.raises(ValueError, match="impossible"):
        QuestionRule(options, low, high)
