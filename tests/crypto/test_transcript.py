"""Transcripts, challenges and the test generator (2.4, 2.5)."""

import hashlib

import pytest

from omov.crypto.group import G, L, Scalar
from omov.crypto.transcript import SystemRng, TestRng, challenge, transcript_bytes


def test_transcript_layout() -> None:
    data = transcript_bytes("t", G, Scalar.from_int(1), 2, "é", b"\xff")
    expected = (
        b"\x00\x00\x00\x09omov/v1/t"
        + b"\x00\x00\x00\x20" + G.to_bytes()
        + b"\x00\x00\x00\x20" + b"\x01" + bytes(31)
        + b"\x00\x00\x00\x08" + bytes(7) + b"\x02"
        + b"\x00\x00\x00\x02" + "é".encode()
        + b"\x00\x00\x00\x01\xff"
    )
    assert data == expected


def test_subclasses_of_item_types_encode_as_their_base_type() -> None:
    class Position(int):
        pass

    class Label(str):
        pass

    assert transcript_bytes("t", Position(3), Label("a")) == transcript_bytes("t", 3, "a")


def test_challenge_is_reduced_sha512() -> None:
    raw = hashlib.sha512(transcript_bytes("x", 1)).digest()
    assert challenge("x", 1).value == int.from_bytes(raw, "little") % L


def test_items_of_other_types_rejected() -> None:
    with pytest.raises(TypeError):
        transcript_bytes("x", True)
    with pytest.raises(TypeError):
        transcript_bytes("x", 1.5)  # type: ignore[arg-type]


def test_test_rng_is_deterministic_and_counts() -> None:
    rng = TestRng(b"seed")
    first, second = rng.scalar(), rng.scalar()
    assert first == challenge("test-rng", b"seed", 0)
    assert second == challenge("test-rng", b"seed", 1)
    assert TestRng(b"seed").scalar() == first


def test_system_rng_in_range_and_varies() -> None:
    rng = SystemRng()
    values = {rng.scalar().value for _ in range(4)}
    assert len(values) == 4 and all(0 <= v < L for v in values)
