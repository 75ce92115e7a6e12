"""The ristretto255 wrapper: encodings, arithmetic, identity handling."""

import pytest

from omov.crypto.errors import InvalidEncoding
from omov.crypto.group import IDENTITY, G, L, Point, Scalar, base_mult, count_operations

# RFC 9496 appendix A.1: multiples 0..3 of the generator.
RFC_MULTIPLES = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
    "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
    "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
]

# RFC 9496 appendix A.2: a selection of invalid encodings.
RFC_BAD = [
    "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  # non-canonical
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # non-canonical
    "0100000000000000000000000000000000000000000000000000000000000000",  # negative
    "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",  # not square
    "f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # non-canonical
]


def test_small_multiples_match_rfc() -> None:
    for n, expected in enumerate(RFC_MULTIPLES):
        assert base_mult(Scalar.from_int(n)).hex() == expected
        assert (Scalar.from_int(n) * G).hex() == expected


def test_invalid_encodings_rejected() -> None:
    for text in RFC_BAD:
        with pytest.raises(InvalidEncoding) as caught:
            Point.from_hex(text, field="credential")
        assert caught.value.field == "credential"


def test_identity_only_when_allowed() -> None:
    with pytest.raises(InvalidEncoding, match="identity"):
        Point.from_hex(RFC_MULTIPLES[0], field="alpha")
    assert Point.from_hex(RFC_MULTIPLES[0], allow_identity=True).is_identity()


@pytest.mark.parametrize("text", ["E2" + RFC_MULTIPLES[1][2:], RFC_MULTIPLES[1][:62], 7, None])
def test_bad_hex_rejected(text: object) -> None:
    with pytest.raises(InvalidEncoding, match="hexadecimal"):
        Point.from_hex(text, field="p")
    with pytest.raises(InvalidEncoding, match="hexadecimal"):
        Scalar.from_hex(text, field="s")


def test_scalar_canonical_range() -> None:
    assert Scalar.from_bytes((L - 1).to_bytes(32, "little")).value == L - 1
    for bad in (L, L + 1, 2**256 - 1):
        with pytest.raises(InvalidEncoding, match="not canonical") as caught:
            Scalar.from_bytes(bad.to_bytes(32, "little"), field="response")
        assert caught.value.field == "response"
    with pytest.raises(InvalidEncoding):
        Scalar.from_bytes(b"\x01" * 31)


def test_scalar_arithmetic() -> None:
    a, b = Scalar.from_int(L - 3), Scalar.from_int(5)
    assert (a + b).value == 2
    assert (b - a).value == 8
    assert (-b).value == L - 5
    assert (a * b).value == (L - 3) * 5 % L
    assert (b * b.inverse()).value == 1
    assert Scalar.from_int(0).is_zero()
    with pytest.raises(ZeroDivisionError):
        Scalar.from_int(0).inverse()
    assert Scalar.from_hex(a.hex()) == a
    assert Scalar.from_bytes(a.to_bytes()) == a


def test_point_arithmetic() -> None:
    two, three = Scalar.from_int(2), Scalar.from_int(3)
    assert base_mult(two) == G + G
    assert base_mult(three) - G == base_mult(two)
    assert G * three == three * G == base_mult(three)
    assert G - G == IDENTITY
    assert -G + G == IDENTITY
    assert Scalar.from_int(0) * G == IDENTITY
    assert two * IDENTITY == IDENTITY
    assert base_mult(Scalar.from_int(0)) == IDENTITY
    assert Scalar.from_int(L - 1) * G == -G
    assert IDENTITY + G == G


def test_count_operations() -> None:
    s = Scalar.from_int(7)
    with count_operations() as counts:
        p = s * G + base_mult(s) - G
        Point.from_bytes(p.to_bytes())
    assert counts == {"mult": 1, "base": 1, "add": 1, "sub": 1, "valid": 1}
    # Outside the block nothing is counted any more.
    s * G
    assert counts["mult"] == 1
