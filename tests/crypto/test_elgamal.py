"""Exponential ElGamal (section 3) and the bounded discrete logarithm (9.3)."""

import pytest

from omov.crypto.dlog import discrete_log
from omov.crypto.elgamal import Ciphertext, decrypt_to_point, encrypt, small_multiple
from omov.crypto.errors import InvalidEncoding, ProtocolError
from omov.crypto.group import IDENTITY, G, Scalar, base_mult
from omov.crypto.transcript import TestRng

RNG = TestRng(b"elgamal")
SECRET = RNG.scalar()
KEY = base_mult(SECRET)


def test_encrypt_decrypt_and_add() -> None:
    r1, r2 = RNG.scalar(), RNG.scalar()
    one, three = encrypt(KEY, 1, r1), encrypt(KEY, 3, r2)
    assert one.alpha == base_mult(r1)
    assert one.beta == r1 * KEY + G
    assert decrypt_to_point(SECRET, one + three) == small_multiple(4)
    assert decrypt_to_point(SECRET, encrypt(KEY, 0, r1)) == IDENTITY


def test_json_round_trip_and_rejections() -> None:
    ciphertext = encrypt(KEY, 1, RNG.scalar())
    assert Ciphertext.from_json(ciphertext.to_json(), "c") == ciphertext
    with pytest.raises(InvalidEncoding) as caught:
        Ciphertext.from_json({"alpha": IDENTITY.hex(), "beta": G.hex()}, "choices[0]")
    assert caught.value.field == "choices[0].alpha"
    for bad in ({"alpha": G.hex()}, {"alpha": G.hex(), "beta": G.hex(), "x": 1}, [G.hex()]):
        with pytest.raises(InvalidEncoding) as caught:
            Ciphertext.from_json(bad, "choices[1]")
        assert caught.value.field == "choices[1]"


@pytest.mark.parametrize("total,bound", [(0, 0), (0, 10), (7, 7), (5, 24), (24, 24), (99, 1000)])
def test_discrete_log_finds_total(total: int, bound: int) -> None:
    assert discrete_log(small_multiple(total), bound) == total


@pytest.mark.parametrize("total,bound", [(11, 10), (26, 25), (1000, 10)])
def test_discrete_log_rejects_out_of_range(total: int, bound: int) -> None:
    with pytest.raises(ProtocolError, match=f"no total in \\[0, {bound}\\]"):
        discrete_log(small_multiple(total), bound)


def test_discrete_log_rejects_random_point() -> None:
    with pytest.raises(ProtocolError):
        discrete_log(base_mult(Scalar.from_int(2**200)), 10000)
