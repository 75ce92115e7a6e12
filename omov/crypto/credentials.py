"""Credentials (section 6): codes with check symbols, credential keys and
the credential authority's signed roll."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

from omov.crypto.base32 import CROCKFORD, encode_bits, grouped
from omov.crypto.canonical import digest
from omov.crypto.errors import InvalidCredential, InvalidEncoding
from omov.crypto.group import Point, Scalar, base_mult
from omov.crypto.proofs import SchnorrProof
from omov.crypto.transcript import Rng, challenge

TAG_CREDENTIAL = "credential"
TAG_ROLL_SIGNATURE = "roll-signature"
_CODE = re.compile(f"[{CROCKFORD}]{{20}}")
_TYPING = str.maketrans({" ": None, "-": None, "O": "0", "I": "1", "L": "1"})


_POLYNOMIAL = 0b100101  # x^5 + x^2 + 1, primitive: alpha = x has order 31


def _gf_mul(a: int, b: int) -> int:
    """Product in GF(32) = GF(2)[x] / (x^5 + x^2 + 1)."""
    product = 0
    for _ in range(5):
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 32:
            a ^= _POLYNOMIAL
    return product


def _powers() -> tuple[int, ...]:
    alpha = [1]
    for _ in range(30):
        alpha.append(_gf_mul(alpha[-1], 2))
    return tuple(alpha)


_ALPHA = _powers()  # alpha^0 .. alpha^30, all distinct and nonzero
_INVERSE = {a: b for a in range(1, 32) for b in range(1, 32) if _gf_mul(a, b) == 1}


def _syndromes(values: list[int]) -> tuple[int, int]:
    """(sum v_i, sum alpha^i v_i) over GF(32); both are 0 for a valid code."""
    plain = weighted = 0
    for i, value in enumerate(values):
        plain ^= value
        weighted ^= _gf_mul(_ALPHA[i], value)
    return plain, weighted


def _check_symbols(body: str) -> str:
    """The two symbols c18, c19 that make both syndromes of the 20 symbols
    zero (6.1): c18 = (S1 + alpha^19 S0) / (alpha^18 + alpha^19), c19 = S0 + c18."""
    s0, s1 = _syndromes([CROCKFORD.index(symbol) for symbol in body])
    c18 = _gf_mul(s1 ^ _gf_mul(_ALPHA[19], s0), _INVERSE[_ALPHA[18] ^ _ALPHA[19]])
    return CROCKFORD[c18] + CROCKFORD[s0 ^ c18]


def _checks_match(code: str) -> bool:
    return _syndromes([CROCKFORD.index(symbol) for symbol in code]) == (0, 0)


def new_code(rng_bytes: bytes | None = None) -> str:
    """A new credential code in display form, ``K3F9Q-7M2XA-DP4RT-WZ8G1``.

    ``rng_bytes`` (at least 12 bytes; tests only) supplies the 90 random bits,
    most significant bit first; by default they come from the operating system.
    """
    random = os.urandom(12) if rng_bytes is None else rng_bytes
    body = encode_bits(random, 18)
    return grouped(body + _check_symbols(body), 5)


def normalise_code(text: object) -> str:
    """The 20-symbol code a person meant by ``text``, or InvalidCredential
    saying it is mistyped (a typo never becomes a different key)."""
    if not isinstance(text, str):
        raise InvalidCredential("the voting code must be text", "code")
    code = text.upper().translate(_TYPING)
    if not _CODE.fullmatch(code):
        raise InvalidCredential(
            "the voting code looks mistyped: it has 20 letters and digits "
            "(shown in four groups of five)",
            "code",
        )
    if not _checks_match(code):
        raise InvalidCredential(
            "the voting code looks mistyped: its check symbols do not match "
            "the rest; please check each group",
            "code",
        )
    return code


def credential_secret(manifest_digest: bytes, code: str) -> Scalar:
    """x = challenge("credential", manifest_digest, code): the voter's signing key
    for the election whose manifest has ``manifest_digest``. ``code`` may be typed
    by a person; it is normalised first."""
    return challenge(TAG_CREDENTIAL, manifest_digest, normalise_code(code))


def public_credential(secret: Scalar) -> Point:
    """X = x·G, the public credential listed on the roll."""
    return base_mult(secret)


def roll_digest(credentials: list[str]) -> bytes:
    """digest({"credentials": [...]}) over the sorted hex list."""
    return digest({"credentials": credentials})


def sign_roll(
    manifest_digest: bytes, authority_secret: Scalar, credentials: Iterable[Point], rng: Rng
) -> dict[str, Any]:
    """The roll body: the credentials sorted and without duplicates, signed by
    the credential authority's secret ``a`` (one nonce drawn)."""
    listed = sorted({credential.hex() for credential in credentials})
    signature = SchnorrProof.prove(
        TAG_ROLL_SIGNATURE, (manifest_digest, roll_digest(listed)), authority_secret, rng
    )
    return {"credentials": listed, "signature": signature.to_json()}


def verify_roll(manifest_digest: bytes, authority_key: Point, roll: Any) -> tuple[Point, ...]:
    """Check a roll (6.3): its form, sorted unique valid points, and the
    signature by ``authority_key`` (CA in the manifest). Returns the credentials."""
    if not isinstance(roll, dict) or roll.keys() != {"credentials", "signature"}:
        raise InvalidEncoding('a roll must be {"credentials": [...], "signature": {...}}', None)
    listed = roll["credentials"]
    if not isinstance(listed, list):
        raise InvalidEncoding("credentials must be a list of points", "credentials")
    points = []
    previous = ""
    # The field path is built only for the credential at fault: a roll may
    # hold millions, and this runs before any ballot can be checked.
    for n, text in enumerate(listed):
        try:
            points.append(Point.from_hex(text))
        except InvalidEncoding as error:
            raise error.at(f"credentials[{n}]") from None
        if n and not previous < text:
            raise InvalidCredential(
                "credentials must be sorted ascending without duplicates", f"credentials[{n}]"
            )
        previous = text
    signature = SchnorrProof.from_json(roll["signature"], "signature")
    signature.verify(
        TAG_ROLL_SIGNATURE, (manifest_digest, roll_digest(listed)), authority_key, "signature"
    )
    return tuple(points)
