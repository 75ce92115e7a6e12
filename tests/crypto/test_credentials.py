"""Credential codes, keys and the roll (section 6)."""

import random

import pytest

from omov.crypto.base32 import CROCKFORD
from omov.crypto.credentials import (
    credential_secret,
    new_code,
    normalise_code,
    public_credential,
    sign_roll,
    verify_roll,
)
from omov.crypto.errors import InvalidCredential, InvalidEncoding, InvalidProof
from omov.crypto.group import base_mult
from omov.crypto.transcript import TestRng, challenge

DIGEST = b"\x05" * 32


def _times(a: int, b: int) -> int:
    """GF(32) product by carry-less multiplication reduced by x^5 + x^2 + 1
    (written apart from the module's, so that it checks the spec, not itself)."""
    product = 0
    for bit in range(5):
        if b >> bit & 1:
            product ^= a << bit
    for bit in (8, 7, 6, 5):
        if product >> bit & 1:
            product ^= 0b100101 << (bit - 5)
    return product


def _syndromes(code: str) -> tuple[int, int]:
    weight, plain, weighted = 1, 0, 0
    for symbol in code:
        value = CROCKFORD.index(symbol)
        plain ^= value
        weighted ^= _times(weight, value)
        weight = _times(weight, 2)
    return plain, weighted


def test_code_layout_and_check_symbols() -> None:
    code = new_code(bytes(12))
    assert code == "00000-00000-00000-00000"
    assert _syndromes(new_code(b"\xff" * 12).replace("-", "")) == (0, 0)
    assert new_code(b"\xff" * 12).startswith("ZZZZZ-ZZZZZ-ZZZZZ-ZZZ")
    fresh = new_code()
    assert len(fresh) == 23 and all(c in CROCKFORD + "-" for c in fresh)
    assert _syndromes(fresh.replace("-", "")) == (0, 0)
    assert new_code() != fresh


def _single_changes(plain: str) -> list[str]:
    return [plain[:i] + other + plain[i + 1:]
            for i in range(20) for other in CROCKFORD if other != plain[i]]


def _adjacent_swaps(plain: str) -> list[str]:
    return [plain[:i] + plain[i + 1] + plain[i] + plain[i + 2:]
            for i in range(19) if plain[i] != plain[i + 1]]


def test_every_single_change_and_adjacent_swap_is_caught() -> None:
    """Exhaustive over each of 300 random codes (and two fixed ones): all
    20 x 31 single-symbol changes and every adjacent swap of distinct symbols."""
    draw = random.Random(6)
    randoms = [bytes(12), b"\xff" * 12] + [draw.randbytes(12) for _ in range(300)]
    tried = 0
    for rng_bytes in randoms:
        plain = new_code(rng_bytes).replace("-", "")
        assert normalise_code(plain) == plain
        for typo in _single_changes(plain) + _adjacent_swaps(plain):
            with pytest.raises(InvalidCredential, match="mistyped"):
                normalise_code(typo)
            tried += 1
    assert tried > 300 * 620


def test_normalise_accepts_how_people_type() -> None:
    code = new_code(b"\x12\x34\x56\x78\x9a\xbc\xde\xf0\x01\x23\x45\x67")
    plain = code.replace("-", "")
    assert normalise_code(code) == plain
    assert normalise_code(" " + code.lower().replace("-", " ") + " ") == plain
    sloppy = plain.replace("0", "o").replace("1", "l")
    assert normalise_code(sloppy) == plain


@pytest.mark.parametrize("mangle", [
    lambda c: c[:-1],
    lambda c: c + "0",
    lambda c: c.replace("-", "_"),
    lambda c: ("1" if c[0] != "1" else "2") + c[1:],
    lambda c: c[1] + c[0] + c[2:] if c[0] != c[1] else "Z" + c[1:],
    lambda c: c[:5] + "U" + c[6:],
])
def test_typos_rejected_as_mistyped(mangle: object) -> None:
    code = new_code(b"\x12\x34\x56\x78\x9a\xbc\xde\xf0\x01\x23\x45\x67")
    with pytest.raises(InvalidCredential, match="mistyped") as caught:
        normalise_code(mangle(code))  # type: ignore[operator]
    assert caught.value.field == "code"


def test_credential_key_derivation() -> None:
    code = new_code(bytes(range(12)))
    secret = credential_secret(DIGEST, code)
    assert secret == challenge("credential", DIGEST, code.replace("-", ""))
    assert credential_secret(DIGEST, code.lower()) == secret
    assert credential_secret(b"\x06" * 32, code) != secret
    assert public_credential(secret) == base_mult(secret)


def test_roll_sign_and_verify() -> None:
    rng = TestRng(b"roll")
    authority = rng.scalar()
    credentials = [base_mult(rng.scalar()) for _ in range(5)]
    roll = sign_roll(DIGEST, authority, credentials + credentials[:2], rng)
    assert roll["credentials"] == sorted(c.hex() for c in credentials)
    assert set(verify_roll(DIGEST, base_mult(authority), roll)) == set(credentials)

    with pytest.raises(InvalidProof) as caught:
        verify_roll(b"\x06" * 32, base_mult(authority), roll)
    assert caught.value.field == "signature"

    unsorted = {**roll, "credentials": list(reversed(roll["credentials"]))}
    with pytest.raises(InvalidCredential, match="sorted") as caught:
        verify_roll(DIGEST, base_mult(authority), unsorted)
    assert caught.value.field == "credentials[1]"

    doubled = {**roll, "credentials": roll["credentials"][:1] * 2}
    with pytest.raises(InvalidCredential):
        verify_roll(DIGEST, base_mult(authority), doubled)

    bad_point = {**roll, "credentials": ["00" * 32]}
    with pytest.raises(InvalidEncoding) as caught:
        verify_roll(DIGEST, base_mult(authority), bad_point)
    assert caught.value.field == "credentials[0]"
