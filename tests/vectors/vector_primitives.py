"""Vectors for the group, canonical JSON and transcripts (see generate.py)."""

from __future__ import annotations

import hashlib
from typing import Any

from omov.crypto.canonical import canonical_json, parse_json
from omov.crypto.errors import ProtocolError
from omov.crypto.group import L, Point, Scalar, base_mult
from omov.crypto.transcript import Item, TestRng, challenge, transcript_bytes


def rng(seed: str) -> TestRng:
    """The test generator seeded with the ASCII bytes of ``seed``."""
    return TestRng(seed.encode("ascii"))


def item_json(item: Item) -> dict[str, Any]:
    """A transcript or context item in the typed form of generate.py."""
    if isinstance(item, Point):
        return {"type": "point", "value": item.hex()}
    if isinstance(item, Scalar):
        return {"type": "scalar", "value": item.hex()}
    if isinstance(item, bytes):
        return {"type": "bytes", "value": item.hex()}
    if isinstance(item, str):
        return {"type": "string", "value": item}
    return {"type": "int", "value": item}


def _rejected(decode: Any, text: str, reason: str) -> dict[str, str]:
    try:
        decode(text)
    except ProtocolError as error:
        return {"hex": text, "error": type(error).__name__, "reason": reason}
    raise AssertionError(f"{text} was accepted ({reason})")


def _scalars() -> list[Scalar]:
    draws = rng("group-scalars")
    fixed = [0, 1, 2, 255, 256, 2**64 + 1, 2**252, L - 1]
    return [Scalar(n) for n in fixed] + [draws.scalar() for _ in range(4)]


# RFC 9496 appendix A.2 (all invalid) and a few more of our own.
_BAD_POINTS = [
    ("00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "non-canonical"),
    ("ff00000000000000000000000000000000000000000000000000000000000000", "non-canonical"),
    ("f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "non-canonical"),
    ("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "non-canonical"),
    ("0100000000000000000000000000000000000000000000000000000000000000", "negative"),
    ("01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "negative"),
    ("ed57ffd8c914fb201471d1c3d245ce3c746fcbe63a3679d51b6a516ebebe0e20", "negative"),
    ("26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371", "not a square"),
    ("4eac077a713c57b4f4397629a4145982c661f48044dd3f96427d40b147d9742f", "not a square"),
    ("de6a7b00deadbeef0000000000000000000000000000000000000000000000", "31 bytes"),
    ("E2F2AE0A6ABC4E71A884A961C500515F58E30B6AA582DD8DB6A65945E08D2D76", "uppercase hex"),
    ("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d7", "odd length"),
    ("0x f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76", "not hex"),
    ("0000000000000000000000000000000000000000000000000000000000000000", "identity"),
]


def group_vectors() -> dict[str, Any]:
    scalars = _scalars()
    draws = rng("group-arithmetic")
    arithmetic = []
    for _ in range(4):
        a, b = draws.scalar(), draws.scalar()
        arithmetic.append({
            "a": a.hex(), "b": b.hex(), "sum": (a + b).hex(), "difference": (a - b).hex(),
            "product": (a * b).hex(), "negation": (-a).hex(), "inverse": a.inverse().hex(),
        })
    points = [base_mult(draws.scalar()) for _ in range(4)]
    multiples = [{"n": n, "point": base_mult(Scalar(n)).hex()} for n in range(21)]
    scalar_multiples = [
        {"scalar": s.hex(), "point": p.hex(), "product": (s * p).hex()}
        for s, p in zip(scalars, points * 3, strict=True)
    ]
    additions = [
        {"p": p.hex(), "q": q.hex(), "sum": (p + q).hex(), "difference": (p - q).hex()}
        for p, q in [(points[0], points[1]), (points[2], points[3]), (points[0], points[0])]
    ]
    invalid_scalars = [
        _rejected(Scalar.from_hex, Scalar(0).hex().replace("00", "", 1), "31 bytes"),
        _rejected(Scalar.from_hex, L.to_bytes(32, "little").hex(), "equal to L"),
        _rejected(Scalar.from_hex, (L + 1).to_bytes(32, "little").hex(), "above L"),
        _rejected(Scalar.from_hex, "ff" * 32, "2^256 - 1"),
        _rejected(Scalar.from_hex, ("0A" + "00" * 31), "uppercase hex"),
    ]
    return {
        "scalars": [{"decimal": str(s.value), "hex": s.hex()} for s in scalars],
        "scalar_arithmetic": arithmetic,
        "invalid_scalars": invalid_scalars,
        "multiples": multiples,
        "scalar_multiples": scalar_multiples,
        "additions": additions,
        "invalid_points": [_rejected(Point.from_hex, text, why) for text, why in _BAD_POINTS],
    }


_CANONICAL_INPUTS = [
    '{"b": 2, "a": 1}',
    '{ "z" : [ 3 , -4 , 0 ] , "y" : { "b" : null , "a" : [ ] } , "x" : { } }',
    '[true, false, null, 9007199254740991, -9007199254740991]',
    '"\\u00e9\\u20ac\\ud83d\\ude00 é € 😀"',
    '"\\/ / \\" \\\\ \\b \\f \\n \\r \\t \\u0000 \\u001f \\u007f \\u2028"',
    '{"\\u0041": "key escaped in the input"}',
    '{"nested": {"list": [{"k": "v"}, [[]], ""]}}',
]

_REJECTED_TEXTS: list[tuple[bytes, str]] = [
    (b'{"a":1,"a":2}', "duplicate key"),
    (b'{"a":1.0}', "float"),
    (b'{"a":1e2}', "exponent"),
    (b'{"a":9007199254740992}', "integer of 2^53"),
    (b'{"a":-9007199254740992}', "integer of -2^53"),
    (b'{"a":NaN}', "NaN"),
    (b'\xef\xbb\xbf{"a":1}', "byte order mark"),
    (b'{"a":"\xc3"}', "truncated UTF-8"),
    (b'{"a":"\xed\xa0\x80"}', "UTF-8 encoded surrogate"),
    (b'{"a":1', "unterminated"),
    (b"", "empty"),
    (b"{'a':1}", "single quotes"),
]


def canonical_vectors() -> dict[str, Any]:
    canonical = []
    for text in _CANONICAL_INPUTS:
        data = canonical_json(parse_json(text))
        canonical.append({
            "text": text, "canonical": data.decode("utf-8"), "canonical_hex": data.hex(),
            "digest": hashlib.sha256(data).hexdigest(),
        })
    rejected = []
    for data, reason in _REJECTED_TEXTS:
        try:
            parse_json(data)
        except ProtocolError as error:
            rejected.append({"bytes": data.hex(), "error": type(error).__name__, "reason": reason})
            continue
        raise AssertionError(f"{data!r} was accepted ({reason})")
    return {"canonical": canonical, "rejected": rejected}


def transcript_vectors() -> dict[str, Any]:
    draws = rng("transcript-items")
    point, scalar = base_mult(draws.scalar()), draws.scalar()
    cases: list[tuple[str, tuple[Item, ...]]] = [
        ("empty", ()),
        ("one-of-each", (point, scalar, 7, "text é", bytes(range(5)))),
        ("integers", (0, 1, 255, 2**32, 2**53 - 1)),
        ("empty-parts", ("", b"")),
        ("fingerprint", (hashlib.sha256(b"manifest").digest(), point,
                         hashlib.sha256(b"roll").digest())),
    ]
    transcripts = [
        {"tag": tag, "items": [item_json(i) for i in items],
         "transcript": transcript_bytes(tag, *items).hex(),
         "challenge": challenge(tag, *items).hex()}
        for tag, items in cases
    ]
    test_rng = []
    for seed in ("", "seed", "ballot-1"):
        draws = rng(seed)
        test_rng.append({"seed": seed, "scalars": [draws.scalar().hex() for _ in range(5)]})
    return {"transcripts": transcripts, "test_rng": test_rng}
